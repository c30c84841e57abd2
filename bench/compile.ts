/**
 * `npm run bench:compile`: how long the first training step of the LSTM spends compiling
 * (codegen, gpu.js kernels, the fused webasm plan) at sequence lengths 16, 64 and 256, one plan
 * per length (chunk = length), each in a fresh process (as a user's first run: nothing
 * compiled or JIT-warmed before it), and what a second trainer of the same cell in that process
 * pays once the plan cache (src/gpu/plan-cache.ts) holds the plan. Compile = first step − a
 * later step. Three rounds, alternating lengths and threads; medians.
 *
 *   npm run bench:compile                 hidden 32
 *   npm run bench:compile -- --hidden 64  another hidden size
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compileJson, type Compiled } from '../src/compiler';
import { generateTraining } from '../src/compiler/codegen';
import { chunkFor, webasmCompileCost } from '../src/gpu/runner';
import { createGpuTrainer } from '../src/gpu/trainer';
import { createCharLmTask } from '../src/runtime/tasks/charlm';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/runtime/train';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const HIDDEN = Number(option('--hidden') ?? 32);
const LENGTHS = [16, 64, 256];
const BATCH = 32;
const ROUNDS = 3;

function lstm(inputSize: number): Compiled {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: inputSize, hidden: HIDDEN });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

/** First-step time less a later step's, in ms, for a new trainer: what its first step spent compiling. */
async function compileMs(length: number, threads: boolean): Promise<number> {
  const task = createCharLmTask('the quick brown fox jumps over the lazy dog. '.repeat(400));
  if ('error' in task) throw new Error(task.error);
  const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 100, batch: BATCH, length, lr: 0.01, clip: 0 };
  const t0 = performance.now();
  const trainer = createGpuTrainer(lstm(task.inputSize), task, config, undefined, { mode: 'webasm', threads });
  await trainer.step();
  const first = performance.now() - t0;
  const later: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await trainer.step();
    later.push(performance.now() - s);
  }
  await trainer.destroy();
  return Math.max(0, first - median(later));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const length = option('--length');
if (length !== undefined) {
  // One measurement, in this (fresh) process.
  const threads = option('--threads') === 'on';
  const cold = await compileMs(Number(length), threads);
  const cached = await compileMs(Number(length), threads);
  process.stdout.write(`${JSON.stringify({ cold, cached })}\n`);
} else {
  const runs = new Map<string, { cold: number[]; cached: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of ['off', 'on']) {
      for (const T of LENGTHS) {
        const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--hidden', String(HIDDEN), '--length', String(T), '--threads', threads], { encoding: 'utf8' });
        const { cold, cached } = JSON.parse(out.trim().split('\n').pop() as string) as { cold: number; cached: number };
        const key = `${T} ${threads}`;
        const r = runs.get(key) ?? { cold: [], cached: [] };
        r.cold.push(cold);
        r.cached.push(cached);
        runs.set(key, r);
      }
    }
  }
  process.stdout.write(`LSTM hidden ${HIDDEN}, batch ${BATCH}, gpu.js webasm; medians of ${ROUNDS} fresh processes\n\n| T | threads | wasm modules | first trainer | second trainer (plan cached) |\n|---|---|---|---|---|\n`);
  for (const [key, r] of runs) {
    const [T, threads] = key.split(' ');
    const kernels = generateTraining(lstm(65).program, { batch: BATCH, steps: Number(T), loss: 'classes', outputs: 65, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor('webasm') });
    process.stdout.write(`| ${T} | ${threads} | ${webasmCompileCost(kernels).modules} | ${median(r.cold).toFixed(0)} ms | ${median(r.cached).toFixed(0)} ms |\n`);
  }
}
