/**
 * What a cell's training program costs to compile is bounded: gpu.js's webasm pipeline compiles
 * a wasm module per kernel call, so a per-step kernel compiles once per step (WEBASM_LIMITS), on
 * top of the bounds every backend shares (KERNEL_LIMITS). Past them, `auto` trains on the float64
 * reference and says why; an explicit gpu.js backend refuses with the limit's name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { generateTraining, KERNEL_LIMITS, type TrainingKernels } from '../../src/compiler/codegen';
import { createTrainerOn } from '../../src/gpu/choose';
import { BackendLimitError, chunkFor, createStepRunner, webasmCompileCost, WEBASM_LIMITS } from '../../src/gpu/runner';
import { GPU_MAX_CHUNK, GpuTrainingError } from '../../src/gpu/trainer';
import type { Cell } from '../../src/model/cell';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/runtime/train';
import { createTask } from '../../src/runtime/tasks';
import type { Task } from '../../src/runtime/tasks/types';
import { linearChain, offsetPyramid, tanhChain } from '../compiler/chain-cells';

function task(name: string): Task {
  const t = createTask(name, {});
  if ('error' in t) throw new Error(t.error);
  return t;
}

const adding = task('adding');
const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 2, batch: 4, length: 32 };

function compiled(cell: Cell, input = adding.inputSize, hidden = 4): Compiled {
  const c = compile(cell, { input, hidden });
  if (!c.ok) throw new Error(c.diagnostics[0].message);
  return c.value;
}

function webasmKernels(c: Compiled, steps: number): TrainingKernels {
  return generateTraining(c.program, { batch: 4, steps, loss: 'classes', outputs: 5, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor('webasm') });
}

describe('webasm compile cost', () => {
  it('a kernel run every step compiles once per step; a chunked one once per chunk', () => {
    const rnn = compiled(tanhChain(1));
    const [short, long] = [8, 24].map((T) => webasmKernels(rnn, T));
    const perStep = short.forward.length + short.backward.length;
    const chunked = [...short.readout, ...short.epilogue].filter((s) => s.chunked).length;
    // 24 steps are two chunks of 16, 8 steps one.
    expect(webasmCompileCost(long).modules - webasmCompileCost(short).modules).toBe(16 * perStep + chunked);
  });

  it.each(['lstm', 'gru', 'gru-reset-after', 'rnn'])('example %s at the longest plan (GPU_MAX_CHUNK steps) fits every limit', (name) => {
    const r = compileJson(JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')), { input: 65, hidden: 32 });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const cost = webasmCompileCost(webasmKernels(r.value, GPU_MAX_CHUNK));
    expect(cost.chars).toBeLessThan(WEBASM_LIMITS.compiledChars);
    expect(cost.modules).toBeLessThan(WEBASM_LIMITS.modules);
  });

  it('50 linear → tanh pairs at 48 steps are too many modules: the runner refuses them before gpu.js compiles any', () => {
    const kernels = webasmKernels(compiled(linearChain(50)), 48);
    const { modules } = webasmCompileCost(kernels);
    expect(modules).toBeGreaterThan(WEBASM_LIMITS.modules);
    expect(() => createStepRunner(kernels, { mode: 'webasm' })).toThrow(BackendLimitError);
    expect(() => createStepRunner(kernels, { mode: 'webasm' })).toThrow(
      `webasm would compile ${modules} modules (the limit is ${WEBASM_LIMITS.modules}, WEBASM_LIMITS.modules) for a plan of 48 steps; a shorter chunk compiles less`,
    );
  });

  it('a 400-tanh chain is too much to compile 32 times, and fits at a chunk of 8', () => {
    const chain = compiled(tanhChain(400));
    expect(webasmCompileCost(webasmKernels(chain, 32)).chars).toBeGreaterThan(WEBASM_LIMITS.compiledChars);
    expect(webasmCompileCost(webasmKernels(chain, 8)).chars).toBeLessThan(WEBASM_LIMITS.compiledChars);
  });
});

describe('past a limit, auto trains on the reference and says why; an explicit backend refuses', () => {
  const cases = [
    ['a 400-tanh chain (WEBASM_LIMITS)', tanhChain(400), /^webasm would compile \d+ characters of kernel source \(the limit is 4000000, WEBASM_LIMITS\.compiledChars\) for a plan of 32 steps; a shorter chunk compiles less$/],
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
