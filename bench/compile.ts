/**
 * `npm run bench:compile`: how long the first training step of the LSTM takes to compile
 * (codegen, gpu.js kernels, the fused webasm plan) at sequence lengths 16, 64 and 256, one
 * plan per length (chunk = length), and what a second trainer of the same cell pays once
 * the plan cache (src/gpu/plan-cache.ts) holds the plan. Compile = first step − a later step.
 *
 *   npm run bench:compile                 threads off and on
 *   npm run bench:compile -- --hidden 64  another hidden size
 */
import { readFileSync } from 'node:fs';
import { compileJson, type Compiled } from '../src/compiler';
import { createGpuTrainer } from '../src/gpu/trainer';
import { createCharLmTask } from '../src/runtime/tasks/charlm';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/runtime/train';

const argv = process.argv.slice(2);
const hiddenAt = argv.indexOf('--hidden');
const HIDDEN = hiddenAt >= 0 ? Number(argv[hiddenAt + 1]) : 32;
const LENGTHS = [16, 64, 256];
const BATCH = 32;

function lstm(inputSize: number): Compiled {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: inputSize, hidden: HIDDEN });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

/** First-step time less a later step's, in ms: what the first step spent compiling. */
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
  later.sort((a, b) => a - b);
  return Math.max(0, first - later[1]);
}

for (const threads of [false, true]) {
  for (const length of LENGTHS) {
    const cold = await compileMs(length, threads);
    const warm = await compileMs(length, threads);
    process.stdout.write(`LSTM hidden ${HIDDEN} batch ${BATCH} T ${length} threads ${threads ? 'on ' : 'off'}: first trainer ${cold.toFixed(0)} ms, second trainer ${warm.toFixed(0)} ms\n`);
  }
}
