/**
 * The gpu.js patch (patches/README.md, "one wasm module per program"): the fused webasm
 * pipeline compiles one module per distinct program, passing each call's buffer offsets at
 * run time, instead of one module per call site with the offsets baked in.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { GPU } from 'gpu.js';
import { afterEach, describe, expect, it } from 'vitest';
import { compileJson } from '../../src/compiler';
import { generateTraining } from '../../src/compiler/codegen';
import { chunkFor, createStepRunner } from '../../src/gpu/runner';
import { hyperparameters, initialRows, packParameters, stepInputs } from '../../src/gpu/trainer';
import { initModel } from '../../src/runtime/model';
import { DEFAULT_CONFIG } from '../../src/runtime/train';
import { randomBatch } from './chunk-parity';

/** Counts the wasm modules compiled while it is installed (every Module compiled via `new WebAssembly.Module`). */
function countModules(): { readonly count: number; restore(): void } {
  const Original = WebAssembly.Module;
  let count = 0;
  class Counting extends Original {
    constructor(bytes: BufferSource) {
      super(bytes);
      count += 1;
    }
  }
  (WebAssembly as { Module: typeof WebAssembly.Module }).Module = Counting;
  return {
    get count() {
      return count;
    },
    restore: () => {
      (WebAssembly as { Module: typeof WebAssembly.Module }).Module = Original;
    },
  };
}

/** What `chain(calls)` computes, in float32 as wasm does: b ← a/2 + b + t on rotating buffers. */
function expected(x: Float32Array, y: Float32Array, calls: number): Float32Array {
  let a = x;
  let b = y;
  for (let t = 0; t < calls; t++) {
    const c = a.map((v, i) => Math.fround(Math.fround(Math.fround(v * 0.5) + b[i]) + t));
    a = b;
    b = c;
  }
  return b;
}

type Pipeline = ((...args: unknown[]) => Promise<Float32Array>) & { pipeline: { executorKind: string } };

/** One kernel called `calls` times, each call on a different pair of buffers. */
function chain(gpu: GPU, cells: number, calls: number, threads: boolean): Pipeline {
  const step = gpu.createKernel(function (this: { thread: { x: number } }, a: number[], b: number[], t: number) {
    return a[this.thread.x] * 0.5 + b[this.thread.x] + t;
  }, { output: [cells] }) as unknown as (...args: unknown[]) => unknown;
  const plan = function (x: unknown, y: unknown): unknown {
    let a = x;
    let b = y;
    for (let t = 0; t < calls; t++) {
      const c = step(a, b, t);
      a = b;
      b = c;
    }
    return b;
  };
  return gpu.createPipeline(plan as never, { threads }) as unknown as Pipeline;
}

describe('gpu.js webasm pipeline: one module per program', () => {
  let gpu: GPU | undefined;
  let counter: ReturnType<typeof countModules> | undefined;
  afterEach(async () => {
    counter?.restore();
    await gpu?.destroy();
  });

  // 8192 cells: two worker threads or more split each call ('fused-threaded'), as in training at hidden ≥ 64.
  for (const { threads, cells, kind } of [{ threads: false, cells: 64, kind: 'fused-sync' }, { threads: true, cells: 8192, kind: 'fused-threaded' }]) {
    it(`a kernel called on 6 or 24 different buffer pairs compiles one module and computes every call (${kind})`, async () => {
      gpu = new GPU({ mode: 'webasm' });
      const x = Float32Array.from({ length: cells }, (_, i) => (i % 13) - 6);
      const y = Float32Array.from({ length: cells }, (_, i) => (i % 7) * 0.25);
      // gpu.js probes wasm threads once per process by compiling a module: not counted.
      await chain(gpu, cells, 1, threads)(x, y);
      for (const calls of [6, 24]) {
        counter = countModules();
        const pipeline = chain(gpu, cells, calls, threads);
        const first = await pipeline(x, y);
        const second = await pipeline(y, x);
        // One program: pipeline arguments (arrays) and call outputs (inputs) are the same flat regions, of one size here.
        expect(counter.count).toBe(1);
        counter.restore();
        expect(pipeline.pipeline.executorKind).toBe(os.cpus().length > 1 ? kind : 'fused-sync');
        expect(Array.from(first)).toEqual(Array.from(expected(x, y, calls)));
        expect(Array.from(second)).toEqual(Array.from(expected(y, x, calls)));
      }
    });
  }
});

describe('an LSTM training step on shared modules', () => {
  it('computes the same numbers on worker threads as on the calling thread (each worker binds every step\'s offsets)', async () => {
    // Batch 64 × 4 gates × hidden 32 = 8,192 cells per product: the plan runs on two threads or more.
    const [rows, steps, classes, input] = [64, 20, 5, 7];
    const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input, hidden: 32 });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const kernels = generateTraining(r.value.program, { batch: rows, steps, loss: 'classes', outputs: classes, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor('webasm') });
    const params = initModel(r.value, classes, 3);
    const inputs = stepInputs(kernels, randomBatch(3, steps, rows, input, classes, true), 0, steps, packParameters(kernels, r.value, params), hyperparameters(DEFAULT_CONFIG, 0.01, 1), initialRows(r.value, params, rows));
    const runOn = async (threads: boolean) => {
      const runner = createStepRunner(kernels, { mode: 'webasm', threads });
      try {
        return { out: await runner.run(inputs), executor: runner.executor() };
      } finally {
        await runner.destroy();
      }
    };
    const sync = await runOn(false);
    const threaded = await runOn(true);
    expect(sync.executor).toBe('fused-sync');
    expect(threaded.executor).toBe(os.cpus().length > 1 ? 'fused-threaded' : 'fused-sync');
    expect(threaded.out.loss).toBe(sync.out.loss);
    expect(Array.from(threaded.out.P)).toEqual(Array.from(sync.out.P));
    expect(threaded.out.finalStates.map((s) => Array.from(s))).toEqual(sync.out.finalStates.map((s) => Array.from(s)));
  });
});
