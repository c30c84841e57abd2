/**
 * What a cell's training program costs to compile is bounded: the bounds every backend shares
 * (KERNEL_LIMITS) cap the step's kernels, and gpu.js's webasm pipeline (patched) compiles a wasm
 * module per program, not per call, so its cost is flat in the plan's length. Past a bound, `auto`
 * trains on the float64 reference and says why; an explicit gpu.js backend refuses with the
 * limit's name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { generateTraining, KERNEL_LIMITS, type TrainingKernels } from '../../src/compiler/codegen';
import { createTrainerOn } from '../../src/gpu/choose';
import { chunkFor, createStepRunner, webasmCompileCost } from '../../src/gpu/runner';
import { hyperparameters, initialRows, packParameters, stepInputs } from '../../src/gpu/trainer';
import { initModel } from '../../src/runtime/model';
import { randomBatch } from './chunk-parity';
import { GPU_MAX_CHUNK, GpuTrainingError } from '../../src/gpu/trainer';
import type { Cell } from '../../src/model/cell';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/runtime/train';
import { offsetPyramid, tanhChain } from '../compiler/chain-cells';
import { task } from './fixtures';

const adding = task('adding');
const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 2, batch: 4, length: 32 };

function compiled(cell: Cell, input = adding.inputSize, hidden = 4): Compiled {
  const c = compile(cell, { input, hidden });
  if (!c.ok) throw new Error(c.diagnostics[0].message);
  return c.value;
}

function example(name: string, input = 65, hidden = 32): Compiled {
  const r = compileJson(JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')), { input, hidden });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

function webasmKernels(c: Compiled, steps: number): TrainingKernels {
  return generateTraining(c.program, { batch: 4, steps, loss: 'classes', outputs: 5, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor('webasm') });
}

/** Counts the wasm modules compiled while `run` runs (every `new WebAssembly.Module`). */
async function modulesCompiledBy(run: () => Promise<void>): Promise<number> {
  const Original = WebAssembly.Module;
  let count = 0;
  (WebAssembly as { Module: typeof WebAssembly.Module }).Module = class extends Original {
    constructor(bytes: BufferSource) {
      super(bytes);
      count += 1;
    }
  };
  try {
    await run();
  } finally {
    (WebAssembly as { Module: typeof WebAssembly.Module }).Module = Original;
  }
  return count;
}

describe('webasm compile cost', () => {
  it('is flat in the plan\'s length: the same modules at 40, 56 and 120 steps (chunks of 16, the last 8 steps in each)', () => {
    const rnn = compiled(tanhChain(1));
    const [a, b, c] = [40, 56, 120].map((T) => webasmCompileCost(webasmKernels(rnn, T)));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('an LSTM compiles as many modules at 512 steps as at 64', () => {
    const lstm = example('lstm');
    expect(webasmCompileCost(webasmKernels(lstm, GPU_MAX_CHUNK))).toEqual(webasmCompileCost(webasmKernels(lstm, 64)));
  });

  it.each([['lstm', 40], ['gru', 7]] as const)('counts the modules gpu.js compiles: example %s over %i steps', async (name, T) => {
    const c = example(name, 5, 4);
    const kernels = webasmKernels(c, T);
    const params = initModel(c, 5, 1);
    const runner = createStepRunner(kernels, { mode: 'webasm', threads: false });
    try {
      const inputs = stepInputs(kernels, randomBatch(1, T, 4, 5, 5), 0, T, packParameters(kernels, c, params), hyperparameters(DEFAULT_CONFIG, 0.01, 1), initialRows(c, params, 4));
      expect(await modulesCompiledBy(async () => void (await runner.run(inputs)))).toBe(webasmCompileCost(kernels).modules);
    } finally {
      await runner.destroy();
    }
  });

  it('a 400-tanh chain over 32 steps (refused before gpu.js compiled a module per program) trains on webasm', async () => {
    const trainer = createTrainerOn('auto', compiled(tanhChain(400)), adding, config);
    try {
      expect(trainer.backend).toBe('gpu.js webasm');
      await trainer.step();
      expect(trainer.stepsDone).toBe(1);
    } finally {
      await trainer.destroy();
    }
  });
});

describe('past a limit, auto trains on the reference and says why; an explicit backend refuses', () => {
  const cases = [
    ['a cell reading values at 256 offsets (KERNEL_LIMITS)', offsetPyramid(8, 2), new RegExp(`^the cell's generated kernels are too large for the gpu backend: kernel fused_forward_1 needs more than ${KERNEL_LIMITS.locals} locals; the limit is ${KERNEL_LIMITS.locals} \\(KERNEL_LIMITS\\.locals\\)$`)],
  ] as const;

  it.each(cases)('%s: auto', async (_name, cell, why) => {
    const trainer = createTrainerOn('auto', compiled(cell), adding, config);
    const [backend, reason] = trainer.backend.split('; gpu.js webasm cannot take this run: ');
    expect(backend).toBe('reference (float64)');
    expect(reason).toMatch(why);
    // The trainer behind the message is live: its getters follow the steps.
    await trainer.step();
    expect(trainer.stepsDone).toBe(1);
  });

  it.each(cases)('%s: --backend webasm', (_name, cell, why) => {
    let message = '';
    try {
      createTrainerOn('webasm', compiled(cell), adding, config);
    } catch (e) {
      expect(e).toBeInstanceOf(GpuTrainingError);
      message = (e as Error).message;
    }
    const prefix = 'backend: the gpu.js backend cannot compile this cell (';
    const suffix = '); train it with --backend reference.';
    expect(message.startsWith(prefix) && message.endsWith(suffix), message).toBe(true);
    expect(message.slice(prefix.length, -suffix.length)).toMatch(why);
  });
});
