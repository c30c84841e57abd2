/**
 * The trainer: any compiled cell, any task, on the reference runtime. The gpu.js
 * backend (src/gpu/trainer.ts) runs the same steps behind `AsyncTrainer`. Truncated BPTT: each
 * sequence is cut into chunks; the state is carried across chunks, the
 * gradient is not, and the parameters are updated after every chunk.
 * With chunk = sequence length this is full BPTT.
 *
 * A step is all or nothing: a non-finite loss, gradient or updated parameter
 * (NonFiniteError), or a stop asked for between chunks (StepInterrupted), puts the
 * parameters and the optimiser state back as they were when the step began.
 */
import type { Compiled } from '../compiler';
import { error, type Diagnostic } from '../model/diagnostics';
import type { SettingProblem } from '../model/messages';
import { meanSquaredError, softmaxCrossEntropy, type LossResult } from './loss';
import { cellOutputSize, flattenParameters, initModel, readoutBackward, readoutForward, type ModelParameters, type Readout } from './model';
import { clipByGlobalNorm, createOptimizer, learningRate, OPTIMIZER_DEFAULTS, restoreOptimizer, type Optimizer, type OptimizerName, type OptimizerState, type Schedule } from './optim';
import { backward, forward } from './reference';
import { deriveRng } from './rng';
import type { Batch, Target, Task } from './tasks/types';

export interface TrainConfig {
  readonly steps: number;
  readonly batch: number;
  /** Sequence length T. */
  readonly length: number;
  /** TBPTT chunk length; defaults to `length` (full BPTT). */
  readonly chunk?: number;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly momentum?: number;
  /** Clip the global gradient norm to this; 0 disables clipping. */
  readonly clip: number;
  readonly schedule: Schedule;
  readonly seed: number;
  /** Evaluate on the validation set every this many steps (0: only at the end). */
  readonly evalEvery?: number;
}

export const DEFAULT_CONFIG: TrainConfig = {
  steps: 500, batch: 16, length: 32, optimizer: 'adam', lr: 0.01, clip: 1, schedule: { kind: 'constant' }, seed: 1, evalEvery: 0,
};

/** Statistics of one training step (one batch), for progress bars and charts. */
export interface StepStats {
  readonly step: number;
  readonly loss: number;
  /** Global gradient norm before clipping (the largest over the step's chunks). */
  readonly gradNorm: number;
  readonly clipped: boolean;
  readonly lr: number;
}

/** The optimisers a run may use. */
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'rmsprop', 'adam'];

/** Checks hyperparameters; every diagnostic names its field. */
export function validateConfig(c: TrainConfig): Diagnostic[] {
  return configProblems(c).map((problem) => error('bad-hyperparameter', problem, { path: problem.field }));
}

/** What is wrong with the hyperparameters, each problem naming its field (a checkpoint's config reports them too). */
export function configProblems(c: TrainConfig): SettingProblem[] {
  const out: SettingProblem[] = [];
  const range = (field: string, number: 'whole' | 'finite', value: unknown, min: number, max: number) => {
    const fits = number === 'whole' ? Number.isInteger(value) : typeof value === 'number' && Number.isFinite(value);
    if (!fits || (value as number) < min || (value as number) > max) out.push({ problem: 'out-of-range', field, number, min, max, got: { text: String(value) } });
  };
  range('steps', 'whole', c.steps, 1, 10_000_000);
  range('batch', 'whole', c.batch, 1, 1024);
  range('length', 'whole', c.length, 1, 10_000);
  if (c.chunk !== undefined) range('chunk', 'whole', c.chunk, 1, c.length);
  range('lr', 'finite', c.lr, 1e-8, 10);
  range('clip', 'finite', c.clip, 0, 1e6);
  if (c.momentum !== undefined) range('momentum', 'finite', c.momentum, 0, 0.999);
  range('seed', 'whole', c.seed, 0, 2 ** 32 - 1);
  if (c.evalEvery !== undefined) range('evalEvery', 'whole', c.evalEvery, 0, 10_000_000);
  if (!OPTIMIZERS.includes(c.optimizer)) {
    out.push({ problem: 'one-of', field: 'optimizer', options: OPTIMIZERS, got: { text: JSON.stringify(String(c.optimizer).slice(0, 20)) } });
  }
  if (c.schedule.kind === 'cosine') range('schedule', 'whole', c.schedule.warmup, 0, c.steps);
  return out;
}

/** Everything that must hold before training starts: hyperparameters, the task's shapes, the cell's fit. */
export function checkTraining(compiled: Compiled, task: Task, config: TrainConfig): Diagnostic[] {
  const problems = validateConfig(config);
  if (problems.length > 0) return problems;
  const shape = task.checkShape(config.batch, config.length);
  if (shape) return [error('bad-hyperparameter', { problem: 'task-shape', task: task.name, shape: shape.problem }, { path: shape.field })];
  return checkFit(compiled, task);
}

/** Checks that the cell can learn the task: it must read x_t of the task's size. */
export function checkFit(compiled: Compiled, task: Task): Diagnostic[] {
  const p = compiled.program;
  if (p.input === null) return [error('cell-reads-no-input', { task: task.name })];
  const size = p.values[p.input].size;
  if (size !== task.inputSize) {
    return [error('input-size-mismatch', { task: task.name, feeds: task.inputSize, compiled: size }, { path: 'sizes.input' })];
  }
  if (cellOutputSize(p) < 1) return [error('output-size', {}, { path: 'output' })];
  return [];
}

/** Where a step went non-finite: its loss, a parameter's gradient, the gradient norm, or a parameter after the update. */
export type NonFiniteQuantity = 'loss' | 'gradient' | 'gradient norm' | 'parameter';

/**
 * A step met a loss, gradient or updated parameter that is NaN or ±∞. The trainer has
 * dropped that step: its parameters and optimiser state are those after step `step − 1`.
 */
export class NonFiniteError extends Error {
  /** The step that failed (1-based). */
  readonly step: number;
  /** "loss", "gradient norm", or the tensor as node id and tensor name ("Wf.W", "readout.b"). */
  readonly tensor: string;
  readonly quantity: NonFiniteQuantity;
  /** What went non-finite, in words: "the gradient of Wf.W is not finite (NaN or ∞)". */
  readonly problem: string;
  constructor(step: number, quantity: NonFiniteQuantity, tensor: string) {
    const problem = `${describeNonFinite(quantity, tensor)} is not finite (NaN or ∞)`;
    super(`step ${step}: ${problem}`);
    this.problem = problem;
    this.step = step;
    this.tensor = tensor;
    this.quantity = quantity;
  }
}

function describeNonFinite(quantity: NonFiniteQuantity, tensor: string): string {
  switch (quantity) {
    case 'loss': return 'the loss';
    case 'gradient norm': return 'the gradient norm';
    case 'gradient': return `the gradient of ${tensor}`;
    case 'parameter': return `${tensor} after the update`;
  }
}

/** A stop asked for between two chunks of a step: the unfinished step was dropped. */
export class StepInterrupted extends Error {
  /** The step dropped (1-based), and how many of its chunks had run. */
  readonly step: number;
  readonly chunksDone: number;
  readonly chunks: number;
  constructor(step: number, chunksDone: number, chunks: number) {
    super(`step ${step} was stopped after chunk ${chunksDone} of ${chunks} and dropped`);
    this.step = step;
    this.chunksDone = chunksDone;
    this.chunks = chunks;
  }
}

/**
 * Called between two chunks of a step (truncated BPTT): it may let pending events run
 * (a Ctrl-C, a stop message) and returns true to stop, so a long step stops within one chunk.
 */
export type BetweenChunks = () => boolean | Promise<boolean>;

export interface Trainer {
  readonly params: ModelParameters;
  /** The optimiser's memory (moments, step count), for checkpoints. */
  readonly optimizerState: OptimizerState;
  /** Whether a saved optimiser state was restored (false: it did not fit and the optimiser starts fresh). */
  readonly optimizerRestored: boolean;
  readonly config: TrainConfig;
  /** Steps done so far. */
  readonly stepsDone: number;
  /** One training step on a fresh batch; returns its statistics, or throws NonFiniteError having dropped the step. */
  step(): StepStats;
  /**
   * The same step, pausing after every chunk but the last: resume the generator with `true`
   * to stop (it throws StepInterrupted, the step dropped), with `false` to go on. A generator
   * left unfinished (its `return()` called) drops the step too.
   */
  chunkedStep(): Generator<void, StepStats, boolean>;
  /** Mean loss on the task's validation set. */
  evaluate(): number;
}

/**
 * A trainer behind any backend: the gpu.js backend computes asynchronously (gpu.js v3
 * makes every call async), so callers that may use it await each step.
 */
export interface AsyncTrainer {
  /** Which backend runs the steps, in words (e.g. "reference (float64)", "gpu.js webasm"). */
  readonly backend: string;
  readonly config: TrainConfig;
  readonly stepsDone: number;
  /** The parameters now (float64; a copy on fast backends). */
  readonly params: ModelParameters;
  readonly optimizerState: OptimizerState;
  readonly optimizerRestored: boolean;
  /**
   * One step. Throws NonFiniteError (the step dropped), or StepInterrupted when `between`
   * asks to stop between chunks (the step dropped); either way the state is the last good step's.
   */
  step(between?: BetweenChunks): Promise<StepStats>;
  evaluate(): Promise<number>;
  /** Frees backend memory; the trainer cannot step afterwards. */
  destroy(): Promise<void>;
}

/** The reference trainer behind the async interface. */
export function referenceAsync(t: Trainer): AsyncTrainer {
  return {
    backend: 'reference (float64)',
    config: t.config,
    get stepsDone() {
      return t.stepsDone;
    },
    get params() {
      return t.params;
    },
    get optimizerState() {
      return t.optimizerState;
    },
    optimizerRestored: t.optimizerRestored,
    async step(between) {
      const chunks = t.chunkedStep();
      for (let next = chunks.next(false); ; next = chunks.next(between ? await between() : false)) {
        if (next.done) return next.value;
      }
    },
    evaluate: async () => t.evaluate(),
    destroy: async () => undefined,
  };
}

export interface TrainerStart {
  readonly params: ModelParameters;
  readonly stepsDone: number;
  /** With the optimiser's state, a resumed run continues exactly as an uninterrupted one. */
  readonly optimizer?: OptimizerState;
}

export function createTrainer(compiled: Compiled, task: Task, config: TrainConfig, start?: TrainerStart): Trainer {
  const { program, backward: bw } = compiled;
  const params = start?.params ?? initModel(compiled, task.outputSize, config.seed);
  const flat = flattenParameters(program, params);
  const optimizer: Optimizer = createOptimizer({ name: config.optimizer, momentum: config.momentum ?? OPTIMIZER_DEFAULTS.momentum }, flat);
  const optimizerRestored = start?.optimizer !== undefined && restoreOptimizer(optimizer, start.optimizer);
  let stepsDone = start?.stepsDone ?? 0;
  const chunk = config.chunk ?? config.length;

  const trainChunk = (batch: Batch, from: number, to: number, states: Float64Array[] | undefined) => {
    const xs = batch.xs.slice(from, to);
    const run = forward(program, params.cell, xs, config.batch, states);
    const readoutGrads: Readout = { W: new Float64Array(params.readout.W.length), b: new Float64Array(params.readout.b.length) };
    const scored = batch.targets.slice(from, to).filter((t) => t !== null).length;
    let loss = 0;
    const gradOutputs = run.outputs.map((y, i) => {
      const target = batch.targets[from + i];
      if (!target) return new Float64Array(y.length);
      const result = scoreStep(params.readout, y, target, config.batch, task.outputSize);
      loss += result.loss / scored;
      result.grad.forEach((g, k) => (result.grad[k] = g / scored));
      return readoutBackward(params.readout, y, result.grad, config.batch, readoutGrads);
    });
    return { run, loss, scored, gradOutputs, readoutGrads };
  };

  const names = parameterNames(program);
  const chunks = Math.ceil(config.length / chunk);

  /** The state a step starts from, to put back when the step is dropped. */
  const snapshot = () => {
    const live = optimizer.state();
    const slots = Object.fromEntries(Object.entries(live.slots).map(([name, arrays]) => [name, arrays.map((a) => a.slice())]));
    return { params: flat.map((a) => a.slice()), optimizer: { ...live, slots } };
  };
  const restore = (s: ReturnType<typeof snapshot>) => {
    flat.forEach((a, k) => a.set(s.params[k]));
    restoreOptimizer(optimizer, s.optimizer);
  };

  function* chunkedStep(): Generator<void, StepStats, boolean> {
    const step = stepsDone + 1;
    const start = snapshot();
    let kept = false;
    try {
      // Each step's batch depends only on the seed and the step number, so a resumed run sees the same data.
      const batch = task.trainBatch(deriveRng(config.seed, 'data', String(stepsDone)), config.batch, config.length);
      const lr = learningRate(config.schedule, config.lr, stepsDone, config.steps);
      let states: Float64Array[] | undefined;
      let lossSum = 0;
      let scoredSum = 0;
      let gradNorm = 0;
      let clipped = false;
      for (let from = 0, done = 1; from < config.length; from += chunk, done++) {
        const to = Math.min(config.length, from + chunk);
        const c = trainChunk(batch, from, to, states);
        states = c.run.finalStates;
        if (c.scored > 0) {
          if (!Number.isFinite(c.loss)) throw new NonFiniteError(step, 'loss', 'loss');
          const cellGrads = backward(bw, params.cell, c.run.tape, c.gradOutputs);
          const grads = [...program.tensors.map((t) => cellGrads.params[t.nodeId][t.name]), c.readoutGrads.W, c.readoutGrads.b];
          const badGradient = firstNonFinite(grads);
          if (badGradient >= 0) throw new NonFiniteError(step, 'gradient', names[badGradient]);
          const clip = clipByGlobalNorm(grads, config.clip);
          gradNorm = Math.max(gradNorm, clip.norm);
          clipped ||= clip.clipped;
          optimizer.step(flat, grads, lr);
          const badParameter = firstNonFinite([...flat, ...Object.values(optimizer.state().slots).flat()]);
          if (badParameter >= 0) throw new NonFiniteError(step, 'parameter', names[badParameter % flat.length]);
          lossSum += c.loss * c.scored;
          scoredSum += c.scored;
        }
        if (to < config.length && (yield)) throw new StepInterrupted(step, done, chunks);
      }
      stepsDone = step;
      kept = true;
      return { step, loss: scoredSum > 0 ? lossSum / scoredSum : 0, gradNorm, clipped, lr };
    } finally {
      // Thrown out of (NonFiniteError, StepInterrupted) or abandoned by the caller: the step never happened.
      if (!kept) restore(start);
    }
  }

  return {
    params,
    config,
    get optimizerState() {
      return optimizer.state();
    },
    optimizerRestored,
    get stepsDone() {
      return stepsDone;
    },
    chunkedStep,
    step() {
      const run = chunkedStep();
      for (let next = run.next(false); ; next = run.next(false)) {
        if (next.done) return next.value;
      }
    },
    evaluate() {
      return evaluateLoss(compiled, params, task, EVAL_BATCH, config.length);
    },
  };
}

/** Each learned array's name in flattenParameters order: "node.tensor" for the cell's, then "readout.W", "readout.b". */
export function parameterNames(program: Compiled['program']): string[] {
  return [...program.tensors.map((t) => `${t.nodeId}.${t.name}`), 'readout.W', 'readout.b'];
}

/** The index of the first array holding a NaN or ±∞, or −1. */
export function firstNonFinite(arrays: readonly ArrayLike<number>[]): number {
  return arrays.findIndex((a) => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return true;
    return false;
  });
}

/** Readout + loss at one step. */
export function scoreStep(readout: Readout, y: Float64Array, target: Target, batch: number, outputSize: number): LossResult {
  const prediction = readoutForward(readout, y, batch);
  return target.kind === 'classes' ? softmaxCrossEntropy(prediction, target.labels, outputSize) : meanSquaredError(prediction, target.values);
}

/**
 * Validation batches hold this many sequences each, whatever the training batch, so
 * runs with different batch sizes are scored on the same (and a large enough) set.
 */
export const EVAL_BATCH = 128;

/** Mean loss over the task's validation batches (full sequences, no gradient). */
export function evaluateLoss(compiled: Compiled, params: ModelParameters, task: Task, batch: number, length: number): number {
  let total = 0;
  let count = 0;
  for (const b of task.validationBatches(batch, length)) {
    const rows = b.xs[0].length / task.inputSize;
    const run = forward(compiled.program, params.cell, b.xs, rows);
    run.outputs.forEach((y, t) => {
      const target = b.targets[t];
      if (!target) return;
      total += scoreStep(params.readout, y, target, rows, task.outputSize).loss;
      count += 1;
    });
  }
  return count > 0 ? total / count : NaN;
}
