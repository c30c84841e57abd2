/**
 * A diverging run never loses its last good state: both trainers stop at the first non-finite
 * loss, gradient or updated parameter, name it, and keep the parameters and optimiser state of
 * the last whole step (with truncated BPTT, the step-start state); a stop between chunks drops
 * the unfinished step the same way. The app's training session ends such a run as 'diverged'.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTrainerOn } from '../../src/gpu/choose';
import { flattenParameters, initModel, type ModelParameters } from '../../src/runtime/model';
import type { OptimizerState } from '../../src/runtime/optim';
import { createAddingTask } from '../../src/runtime/tasks/adding';
import { isTaskError } from '../../src/runtime/tasks/errors';
import { createSineTask } from '../../src/runtime/tasks/sine';
import type { Batch, Task, TaskError } from '../../src/runtime/tasks/types';
import { createTrainer, DEFAULT_CONFIG, NonFiniteError, StepInterrupted, type AsyncTrainer, type TrainConfig, type TrainerStart } from '../../src/runtime/train';
import { runTraining, type TrainingEvent } from '../../src/train/session';
import { compileExample } from '../helpers';

const BACKENDS = ['reference', 'gpu'] as const;
type Backend = (typeof BACKENDS)[number];

function ok(task: Task | TaskError): Task {
  if (isTaskError(task)) throw new Error(task.error);
  return task;
}

/** `task`, whose training batch number `poisoned` (0-based) has NaN inputs from step `from` of the sequence on. */
function poisonedTask(task: Task, poisoned: number, from: number): Task {
  let calls = 0;
  return {
    ...task,
    trainBatch(rng, batch, length): Batch {
      const b = task.trainBatch(rng, batch, length);
      if (calls++ !== poisoned) return b;
      return { ...b, xs: b.xs.map((x, t) => (t < from ? x : x.map(() => Number.NaN))) };
    },
  };
}

/** Inputs all zero, one value to predict at the last step: the state stays exactly 0, so the loss stays finite. */
const zeroTask: Task = {
  name: 'zeros', description: 'zeros', inputSize: 1, outputSize: 1, loss: 'mse', shape: 'many-to-one',
  baseline: { loss: 1, explanation: '' }, lengths: { min: 1, max: 100 }, checkShape: () => null,
  trainBatch: (_rng, batch, length) => zeroBatch(batch, length),
  validationBatches: (batch, length) => [zeroBatch(batch, length)],
};
function zeroBatch(batch: number, length: number): Batch {
  return {
    xs: Array.from({ length }, () => new Float64Array(batch)),
    targets: Array.from({ length }, (_, t) => (t === length - 1 ? { kind: 'values' as const, values: new Float64Array(batch).fill(1) } : null)),
  };
}

const sine = ok(createSineTask());
const adding = ok(createAddingTask());
const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 10, batch: 2, length: 12, lr: 0.01, seed: 4 };

async function steps(trainer: AsyncTrainer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await trainer.step();
}

/** Parameters and optimiser state as plain numbers, to compare two trainers. */
function state(t: AsyncTrainer): { params: number[][]; slots: number[][]; t: number; steps: number } {
  const compiled = compileExample('lstm', { input: sine.inputSize, hidden: 3 });
  const o = t.optimizerState;
  return {
    params: flattenParameters(compiled.program, t.params).map((a) => Array.from(a)),
    slots: Object.values(o.slots).flat().map((a) => Array.from(a)),
    t: o.t,
    steps: t.stepsDone,
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the step to fail');
}

describe.each(BACKENDS)('the %s trainer', (backend: Backend) => {
  const lstm = compileExample('lstm', { input: sine.inputSize, hidden: 3 });

  it('stops at a NaN loss in the last chunk of step 3, keeping exactly the state after step 2 (chunk updates undone)', async () => {
    const chunked = { ...config, chunk: 4 };
    const good = createTrainerOn(backend, lstm, sine, chunked);
    await steps(good, 2);
    const bad = createTrainerOn(backend, lstm, poisonedTask(sine, 2, 8), chunked);
    await steps(bad, 2);
    const e = await rejection(bad.step());
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e).toMatchObject({ step: 3, tensor: 'loss', quantity: 'loss' });
    expect((e as Error).message).toBe('step 3: the loss is not finite (NaN or ∞)');
    expect(state(bad)).toEqual(state(good));
    // The kept state trains on: the next step is the one an unpoisoned run takes.
    await good.step();
    await bad.step();
    expect(state(bad)).toEqual(state(good));
    await good.destroy();
    await bad.destroy();
  });

  it('names the parameter whose gradient explodes while the loss stays finite', async () => {
    const rnn = compileExample('rnn', { input: 1, hidden: 3 });
    const params = initModel(rnn, 1, 1);
    const W = params.cell.lin.W; // [3 × 4]: the columns of h_{t−1}, then x_t
    W.fill(0);
    for (let i = 0; i < 3; i++) W[i * 4 + i] = 1e10; // ∂h_{t−1} = 10¹⁰ ∂h_t: ∞ within 40 steps, also in float64
    params.cell.lin.b.fill(0);
    params.readout.W.fill(1);
    const trainer = createTrainerOn(backend, rnn, zeroTask, { ...config, length: 40, clip: 0 }, { params, stepsDone: 0 });
    const e = await rejection(trainer.step());
    expect(e).toMatchObject({ step: 1, tensor: 'lin.W', quantity: 'gradient' });
    expect((e as Error).message).toBe('step 1: the gradient of lin.W is not finite (NaN or ∞)');
    expect(flattenParameters(rnn.program, trainer.params)).toEqual(flattenParameters(rnn.program, params));
    expect(trainer.stepsDone).toBe(0);
    await trainer.destroy();
  });

  it('names the parameter an update makes infinite, and keeps the one before', async () => {
    const rnn = compileExample('rnn', { input: adding.inputSize, hidden: 3 });
    const sgd: TrainConfig = { ...config, optimizer: 'sgd', momentum: 0.9, lr: 10, clip: 0 };
    const start = velocityStart(rnn, sgd, backend === 'gpu' ? 1e38 : 1e308); // 0.9 × 10 × v overflows
    const trainer = createTrainerOn(backend, rnn, adding, sgd, start);
    const e = await rejection(trainer.step());
    expect(e).toMatchObject({ step: 1, tensor: 'readout.b', quantity: 'parameter' });
    expect(Array.from(trainer.params.readout.b)).toEqual(Array.from(start.params.readout.b));
    expect(Array.from(trainer.optimizerState.slots.velocity.at(-1) ?? [])).toEqual([backend === 'gpu' ? Math.fround(1e38) : 1e308]);
    await trainer.destroy();
  });

  it('drops a step stopped between chunks, and goes on exactly as a run never stopped', async () => {
    const chunked = { ...config, chunk: 4 };
    const good = createTrainerOn(backend, lstm, sine, chunked);
    const stopped = createTrainerOn(backend, lstm, sine, chunked);
    await steps(good, 1);
    await steps(stopped, 1);
    let asked = 0;
    const e = await rejection(stopped.step(() => ++asked === 2));
    expect(e).toBeInstanceOf(StepInterrupted);
    expect(e).toMatchObject({ step: 2, chunksDone: 2, chunks: 3 });
    expect(state(stopped)).toEqual(state(good));
    await good.step();
    await stopped.step(() => false);
    expect(state(stopped)).toEqual(state(good));
    await good.destroy();
    await stopped.destroy();
  });
});

describe('the reference trainer\'s chunked step', () => {
  it('left unfinished (return() called between chunks), drops the step', () => {
    const lstm = compileExample('lstm', { input: sine.inputSize, hidden: 3 });
    const trainer = createTrainer(lstm, sine, { ...config, chunk: 4 });
    const before = flattenParameters(lstm.program, trainer.params).map((a) => Array.from(a));
    const step = trainer.chunkedStep();
    expect(step.next(false).done).toBe(false); // the first chunk's update is made
    expect(flattenParameters(lstm.program, trainer.params).map((a) => Array.from(a))).not.toEqual(before);
    step.return({ step: 0, loss: 0, gradNorm: 0, clipped: false, lr: 0 });
    expect(flattenParameters(lstm.program, trainer.params).map((a) => Array.from(a))).toEqual(before);
    expect(trainer.optimizerState.t).toBe(0);
    expect(trainer.stepsDone).toBe(0);
  });
});

/** A fresh run's start whose SGD velocity for the readout's bias is `v` (finite, so it loads). */
function velocityStart(compiled: ReturnType<typeof compileExample>, c: TrainConfig, v: number): TrainerStart & { params: ModelParameters } {
  const params = initModel(compiled, 1, c.seed);
  const velocity = flattenParameters(compiled.program, params).map((a) => new Float64Array(a.length));
  velocity[velocity.length - 1][0] = v;
  const optimizer: OptimizerState = { name: 'sgd', t: 0, slots: { velocity } };
  return { params, stepsDone: 0, optimizer };
}

describe('training sessions', () => {
  const lstm = JSON.parse(readFileSync('examples/lstm.json', 'utf8')) as unknown;

  it.each([['reference', 1e300], ['gpu', 1e30]] as const)('backend %s: a diverged run ends as "diverged" with the last good step\'s state', async (backend, v) => {
    // Step 1 moves the readout's bias to about −v; step 2's loss, ≈ v², overflows.
    const compiled = compileExample('lstm', { input: adding.inputSize, hidden: 4 });
    const request = { cell: lstm, task: 'adding' as const, hidden: 4, backend, config: { steps: 5, batch: 2, length: 6, optimizer: 'sgd' as const, momentum: 0.9, lr: 1, clip: 0 } };
    // The reference trainer trains the parameters it is given in place: each run gets its own.
    const start = () => velocityStart(compiled, { ...DEFAULT_CONFIG, ...request.config }, v);
    const events: TrainingEvent[] = [];
    await runTraining({ ...request, start: start() }, (e) => events.push(e), () => false);
    const done = events.at(-1);
    if (done?.kind !== 'done') throw new Error(`no done event: ${JSON.stringify(events.at(-1))}`);
    expect(done).toMatchObject({ status: 'diverged', steps: 1, divergence: { step: 2, tensor: 'loss' } });
    expect(events.filter((e) => e.kind === 'step').map((e) => (e.kind === 'step' ? e.step : 0))).toEqual([1]);

    // Exactly the state of a run asked for one step.
    const one: TrainingEvent[] = [];
    await runTraining({ ...request, config: { ...request.config, steps: 1 }, start: start() }, (e) => one.push(e), () => false);
    const after1 = one.at(-1);
    if (after1?.kind !== 'done') throw new Error('no done event');
    expect(after1.status).toBe('done');
    expect(flattenParameters(compiled.program, done.params)).toEqual(flattenParameters(compiled.program, after1.params));
    expect(done.optimizer).toEqual(after1.optimizer);
    expect(flattenParameters(compiled.program, done.params).every((a) => a.every(Number.isFinite))).toBe(true);
  });

  it('a stop asked for during a step of several chunks drops that step and ends as stopped', async () => {
    const events: TrainingEvent[] = [];
    let stepsSeen = 0;
    // The stop comes while step 2 runs (after its first chunk): the run keeps step 1.
    let checks = 0;
    await runTraining(
      { cell: lstm, task: 'charlm', hidden: 4, backend: 'reference', config: { steps: 5, batch: 2, length: 12, chunk: 3 } },
      (e) => {
        events.push(e);
        if (e.kind === 'step') stepsSeen = e.step;
      },
      () => stepsSeen >= 1 && ++checks > 2,
    );
    expect(events.at(-1)).toMatchObject({ kind: 'done', status: 'stopped', steps: 1 });
  });
});
