/**
 * Run by memory.test.ts in its own process (node --expose-gc): trains a small LSTM for
 * `steps` steps on the gpu backend and prints memory samples (after a full GC) as JSON.
 */
import { readFileSync } from 'node:fs';
import { compileJson } from '../../src/compiler';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { createTask } from '../../src/runtime/tasks';
import { DEFAULT_CONFIG } from '../../src/runtime/train';

const steps = Number(process.argv[2] ?? 5000);
const every = Number(process.argv[3] ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const task = createTask('charlm', {});
if ('error' in task) throw new Error(task.error);
const compiled = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: task.inputSize, hidden: 8 });
if (!compiled.ok) throw new Error(compiled.diagnostics[0].message);
const trainer = createGpuTrainer(compiled.value, task, { ...DEFAULT_CONFIG, steps, batch: 4, length: 8, chunk: 4 }, undefined, { mode: 'webasm' });
const samples: { step: number; rss: number; heap: number; arrayBuffers: number; external: number }[] = [];
for (let i = 1; i <= steps; i++) {
  await trainer.step();
  if (i % every === 0) {
    // Array buffers are released after their wrappers: collect, yield, collect again.
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    const m = process.memoryUsage();
    samples.push({ step: i, rss: m.rss, heap: m.heapUsed, arrayBuffers: m.arrayBuffers, external: m.external });
  }
}
await trainer.destroy();
process.stdout.write(`${JSON.stringify(samples)}\n`);
process.exit(0);
