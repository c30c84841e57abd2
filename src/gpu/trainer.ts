/**
 * The gpu.js trainer: same tasks, batches, hyperparameters, checkpoints and
 * statistics as the reference trainer (src/runtime/train.ts), with each chunk's
 * forward, backward and optimiser update run as one compiled plan (runner.ts).
 * Parameters and optimiser slots live in one float32 vector P between steps.
 * A step is all or nothing, as in the reference trainer: every chunk's plan returns
 * a new P and leaves the old one intact, so a dropped step (non-finite numbers, or a
 * stop between chunks) keeps the P the step began with.
 */
import type { Compiled } from '../compiler';
import { generateTraining, rowListBlock, type Region, type TrainingKernels } from '../compiler/codegen';
import { initialStates } from '../runtime/reference';
import { flattenParameters, initModel, type ModelParameters } from '../runtime/model';
import { learningRate, OPTIMIZER_DEFAULTS, type OptimizerState } from '../runtime/optim';
import { deriveRng } from '../runtime/rng';
import { firstNonFinite, NonFiniteError, parameterNames, StepInterrupted, type AsyncTrainer, type TrainConfig, type TrainerStart } from '../runtime/train';
import type { Batch, Task } from '../runtime/tasks/types';
import { createGpuEvaluator, type GpuEvaluator } from './evaluator';
import { leasePlan, plansCached, type LeasedPlan } from './plan-cache';
import { bindingLimit, chunkFor, createStepRunner, type GpuMode, type StepInputs, type StepOutputs } from './runner';
import { GPU } from 'gpu.js';

export interface GpuTrainerOptions {
  readonly mode: GpuMode;
  readonly threads?: boolean;
}

/** Slot names of each optimiser, in P's sections 1 and 2. */
const SLOTS = { adam: ['m', 'v'], rmsprop: [null, 'meanSquare'], sgd: ['velocity', null] } as const;

export class GpuTrainingError extends Error {}

/** The longest chunk one plan unrolls (steps × kernels stay bounded); use --chunk for longer sequences. */
export const GPU_MAX_CHUNK = 512;

export function createGpuTrainer(compiled: Compiled, task: Task, config: TrainConfig, start: TrainerStart | undefined, options: GpuTrainerOptions): AsyncTrainer {
  const { program } = compiled;
  const chunk = config.chunk ?? config.length;
  if (chunk > GPU_MAX_CHUNK) throw new GpuTrainingError(`chunk: the gpu backend unrolls at most ${GPU_MAX_CHUNK} steps per plan; got ${chunk}. Train with --chunk ${GPU_MAX_CHUNK} or less.`);
  const initial = start?.params ?? initModel(compiled, task.outputSize, config.seed);
  const gpu = new GPU({ mode: options.mode });
  const plans = new Map<string, LeasedPlan>();
  const planFor = (steps: number, learnInitialStates: boolean) => {
    const key = `${steps}/${learnInitialStates}`;
    let entry = plans.get(key);
    if (!entry) {
      const shape = {
        batch: config.batch, steps, loss: task.loss === 'cross-entropy' ? 'classes' : 'values', outputs: task.outputSize, optimizer: config.optimizer, learnInitialStates, chunk: chunkFor(options.mode), bindings: bindingLimit(options.mode),
      } as const;
      // A plan from the cache (plan-cache.ts) outlives this trainer, so it runs on a GPU of its own.
      entry = leasePlan({ program, shape, mode: options.mode, threads: options.threads }, () => {
        const kernels = generateTraining(program, shape);
        return { kernels, runner: createStepRunner(kernels, { mode: options.mode, threads: options.threads ?? worthThreads(kernels), ...(!plansCached(options.mode) && { gpu }) }) };
      });
      plans.set(key, entry);
    }
    return entry;
  };
  let layout: TrainingKernels;
  try {
    layout = planFor(Math.min(chunk, config.length), true).kernels;
  } catch (e) {
    // A plan refused (too large, past a backend's limits) must not leave its GPU behind.
    void gpu.destroy();
    throw e;
  }
  let P = packParameters(layout, compiled, initial);
  let optimizerSteps = 0;
  let optimizerRestored = false;
  if (start?.optimizer) {
    optimizerRestored = restoreSlots(layout, compiled, P, start.optimizer, config.optimizer);
    if (optimizerRestored) optimizerSteps = start.optimizer.t;
  }
  let stepsDone = start?.stepsDone ?? 0;
  /** Validation on this backend (evaluator.ts), planned at the first evaluation. */
  let evaluator: GpuEvaluator | undefined;

  const params = (): ModelParameters => unpackParameters(layout, compiled, P, initial);

  /**
   * Which tensor's gradient is not finite: the plan returns only the gradient norm, so the chunk
   * is run again by a plan that also returns every gradient (compiled only on divergence). Every
   * gradient finite and the norm not: the sum of squares overflowed float32.
   */
  const nonFiniteGradient = async (step: number, kernels: TrainingKernels, inputs: StepInputs): Promise<NonFiniteError> => {
    const inspector = createStepRunner(kernels, { mode: options.mode, gpu, threads: false, inspect: true });
    try {
      const out = await inspector.run(inputs);
      const bad = firstNonFinite(gradientsByTensor(kernels, compiled, out.gradients ?? [], initial));
      return bad >= 0 ? new NonFiniteError(step, 'gradient', parameterNames(program)[bad]) : new NonFiniteError(step, 'gradient norm', 'gradient norm');
    } finally {
      await inspector.destroy();
    }
  };

  return {
    backend: `gpu.js ${options.mode}`,
    config,
    get stepsDone() {
      return stepsDone;
    },
    get params() {
      return params();
    },
    get optimizerState() {
      return slotsOf(layout, compiled, P, config.optimizer, optimizerSteps, initial);
    },
    optimizerRestored,
    async step(between) {
      const step = stepsDone + 1;
      const batch = task.trainBatch(deriveRng(config.seed, 'data', String(stepsDone)), config.batch, config.length);
      const lr = learningRate(config.schedule, config.lr, stepsDone, config.steps);
      const chunks = Math.ceil(config.length / chunk);
      let next = P;
      let nextOptimizerSteps = optimizerSteps;
      let states: Float32Array[] | undefined;
      let lossSum = 0;
      let scoredSum = 0;
      let gradNorm = 0;
      let clipped = false;
      for (let from = 0, done = 1; from < config.length; from += chunk, done++) {
        const to = Math.min(config.length, from + chunk);
        const { kernels, runner } = planFor(to - from, states === undefined);
        const scored = batch.targets.slice(from, to).filter((t) => t !== null).length;
        const hp = hyperparameters(config, lr, scored > 0 ? nextOptimizerSteps + 1 : nextOptimizerSteps);
        const inputs = stepInputs(kernels, batch, from, to, next, hp, states ?? learnedInitialRows(layout, next, config.batch));
        const out: StepOutputs = await runner.run(inputs);
        states = out.finalStates;
        // A chunk with nothing scored (e.g. the adding task's early chunks) changes nothing, as in the reference trainer.
        if (scored > 0) {
          if (!Number.isFinite(out.loss)) throw new NonFiniteError(step, 'loss', 'loss');
          if (!Number.isFinite(out.gradNormSquared)) throw await nonFiniteGradient(step, kernels, inputs);
          const bad = out.P.findIndex((v) => !Number.isFinite(v));
          if (bad >= 0) throw new NonFiniteError(step, 'parameter', tensorAt(layout, compiled, bad % layout.paramLength));
          next = out.P;
          nextOptimizerSteps += 1;
          const norm = Math.sqrt(out.gradNormSquared);
          gradNorm = Math.max(gradNorm, norm);
          clipped ||= config.clip > 0 && norm > config.clip;
          lossSum += out.loss * scored;
          scoredSum += scored;
        }
        if (to < config.length && between && (await between())) throw new StepInterrupted(step, done, chunks);
      }
      // Only a whole good step is kept.
      P = next;
      optimizerSteps = nextOptimizerSteps;
      stepsDone = step;
      return { step, loss: scoredSum > 0 ? lossSum / scoredSum : 0, gradNorm, clipped, lr };
    },
    async evaluate() {
      evaluator ??= createGpuEvaluator(compiled, task, config.length, layout, { mode: options.mode, gpu, ...(options.threads !== undefined && { threads: options.threads }), threadsFor: worthThreads });
      return evaluator.loss(P);
    },
    async destroy() {
      await evaluator?.destroy();
      for (const plan of plans.values()) await plan.release();
      await gpu.destroy();
    },
  };
}

/**
 * Worker threads pay a barrier per kernel call: measured here (2 cores), they win once a step's
 * products have ≥ 8192 output cells (LSTM hidden 64 at batch 32) and lose below.
 */
export function worthThreads(k: TrainingKernels): boolean {
  return Math.max(...k.plan.groups.map((g) => g.width * k.shape.batch)) >= 8192;
}

/** The runner's inputs for steps [from, to) of a batch, starting from `states` ([batch × size] each). */
export function stepInputs(k: TrainingKernels, batch: Batch, from: number, to: number, P: Float32Array, HP: Float32Array, states: readonly Float32Array[]): StepInputs {
  const X = stackInputs(batch, from, to);
  return { X, P, ...targetsOf(batch, from, to, k.shape.outputs, k.shape.batch), HP, XR: inputRows(k, X), H0: stateArguments(k, states) };
}

/**
 * For each chunk of steps: the rows of X (chunk-local, s·batch + b) whose only non-zero input
 * is column k, grouped by k, and the rows with several non-zeros — so the weight gradient of the
 * x_t part costs one term per one-hot row (layout: codegen.ts rowListBlock).
 */
export function inputRows(k: TrainingKernels, X: Float32Array): Float32Array {
  const columns = k.plan.program.values[k.plan.program.input as number].size;
  const B = k.shape.batch;
  const R = k.chunk * B;
  const block = rowListBlock(columns, R);
  const out = new Float32Array(Math.max(1, k.rowListLength));
  for (let t0 = 0, c = 0; t0 < k.shape.steps; t0 += k.chunk, c++) {
    const rows = Math.min(k.chunk, k.shape.steps - t0) * B;
    const byColumn: number[][] = Array.from({ length: columns }, () => []);
    const dense: number[] = [];
    for (let r = 0; r < rows; r++) {
      const x = X.subarray((t0 * B + r) * columns, (t0 * B + r + 1) * columns);
      let at = -1;
      let count = 0;
      for (let j = 0; j < columns; j++) if (x[j] !== 0) { count++; at = j; }
      if (count === 1) byColumn[at].push(r);
      else if (count > 1) dense.push(r);
    }
    const base = c * block;
    let i = 0;
    byColumn.forEach((list, j) => {
      out[base + j] = i;
      for (const r of list) out[base + columns + 1 + i++] = r;
    });
    out[base + columns] = i;
    out[base + columns + 1 + R] = dense.length;
    dense.forEach((r, d) => (out[base + columns + 2 + R + d] = r));
  }
  return out;
}

/** [lr, 1 − β₁ᵗ, 1 − β₂ᵗ, clip, momentum] for the optimiser kernel. */
export function hyperparameters(config: TrainConfig, lr: number, t: number): Float32Array {
  const { beta1, beta2, momentum } = OPTIMIZER_DEFAULTS;
  return Float32Array.of(lr, 1 - beta1 ** t, 1 - beta2 ** t, config.clip, config.momentum ?? momentum);
}

/** x_t of every step of the chunk, [steps·batch × input]. */
function stackInputs(batch: Batch, from: number, to: number): Float32Array {
  const size = batch.xs[from].length;
  const out = new Float32Array((to - from) * size);
  for (let t = from; t < to; t++) out.set(batch.xs[t], (t - from) * size);
  return out;
}

/** Labels (or target values) per step and each step's weight 1/scored (0 where a step is not scored). */
function targetsOf(batch: Batch, from: number, to: number, outputs: number, rows: number): { LBL: Float32Array; RW: Float32Array } {
  const steps = to - from;
  const scored = batch.targets.slice(from, to).filter((t) => t !== null).length;
  const first = batch.targets.slice(from, to).find((t) => t !== null);
  const perStep = first?.kind === 'values' ? rows * outputs : rows;
  const LBL = new Float32Array(Math.max(1, steps * perStep));
  const RW = new Float32Array(steps);
  for (let t = from; t < to; t++) {
    const target = batch.targets[t];
    if (!target) continue;
    RW[t - from] = 1 / scored;
    LBL.set(target.kind === 'classes' ? Float32Array.from(target.labels) : target.values, (t - from) * perStep);
  }
  return { LBL, RW };
}

export function initialRows(compiled: Compiled, params: ModelParameters, batch: number): Float32Array[] {
  return initialStates(compiled.program, params.cell, batch).map((s) => Float32Array.from(s));
}

/** h_0 of each state for a fresh sequence, read from P: the learned initial vector on every row, else zeros. */
function learnedInitialRows(k: TrainingKernels, P: Float32Array, batch: number): Float32Array[] {
  return k.plan.program.states.map((s) => {
    const rows = new Float32Array(batch * s.size);
    const region = s.learnedInit === undefined ? undefined : k.regions.find((r) => r.tensor === s.learnedInit);
    if (region) for (let b = 0; b < batch; b++) rows.set(P.subarray(region.offset, region.offset + s.size), b * s.size);
    return rows;
  });
}

/** Each state's rows placed where its forward kernel keeps h_t. */
function stateArguments(k: TrainingKernels, rows: readonly Float32Array[]): Float32Array[] {
  return k.stateOut.map((at, i) => {
    const arg = new Float32Array(k.stateArgLength[i]);
    for (let r = 0; r < k.shape.batch; r++) arg.set(rows[i].subarray(r * at.size, (r + 1) * at.size), at.base + r * at.stride);
    return arg;
  });
}

/** Every learned array in flattenParameters order, with the regions holding it. */
function tensorsOf(k: TrainingKernels, compiled: Compiled): { index: number | 'readout-W' | 'readout-b'; regions: Region[] }[] {
  const ids: (number | 'readout-W' | 'readout-b')[] = [...compiled.program.tensors.map((t) => t.id), 'readout-W', 'readout-b'];
  return ids.map((index) => ({ index, regions: k.regions.filter((r) => r.tensor === index) }));
}

/** Copies a flat tensor into its regions of `into` (at section offset `section`), or back out. */
function copyTensor(regions: readonly Region[], tensor: Float64Array | Float32Array, into: Float32Array, section: number, out: boolean): void {
  for (const r of regions) {
    if (r.column === undefined || r.width === undefined) {
      for (let i = 0; i < r.length; i++) {
        if (out) tensor[i] = into[section + r.offset + i];
        else into[section + r.offset + i] = tensor[i];
      }
      continue;
    }
    const rows = r.length / r.width;
    const cols = tensor.length / rows;
    for (let row = 0; row < rows; row++) {
      for (let c = 0; c < r.width; c++) {
        const from = row * cols + r.column + c;
        const at = section + r.offset + (r.transposed ? c * rows + row : row * r.width + c);
        if (out) tensor[from] = into[at];
        else into[at] = tensor[from];
      }
    }
  }
}

export function packParameters(k: TrainingKernels, compiled: Compiled, params: ModelParameters): Float32Array {
  const P = new Float32Array(3 * k.paramLength);
  const flatParams = flattenParameters(compiled.program, params);
  tensorsOf(k, compiled).forEach((t, i) => copyTensor(t.regions, flatParams[i], P, 0, false));
  // Fixed tensors (a decomposition's matrices) are not parameters: their value is the plan's.
  for (const r of k.regions) if (r.fixed !== undefined) P.fill(r.fixed, r.offset, r.offset + r.length);
  return P;
}

export function unpackParameters(k: TrainingKernels, compiled: Compiled, P: Float32Array, shapeOf: ModelParameters): ModelParameters {
  const copy: ModelParameters = {
    cell: Object.fromEntries(Object.entries(shapeOf.cell).map(([node, ts]) => [node, Object.fromEntries(Object.entries(ts).map(([n, a]) => [n, new Float64Array(a.length)]))])),
    readout: { W: new Float64Array(shapeOf.readout.W.length), b: new Float64Array(shapeOf.readout.b.length) },
  };
  const flatParams = flattenParameters(compiled.program, copy);
  tensorsOf(k, compiled).forEach((t, i) => copyTensor(t.regions, flatParams[i], P, 0, true));
  return copy;
}

/** Per-region gradients (inspect mode) as flat tensors in flattenParameters order. */
export function gradientsByTensor(k: TrainingKernels, compiled: Compiled, grads: readonly (Float32Array | undefined)[], shapeOf: ModelParameters): Float64Array[] {
  const P = new Float32Array(k.paramLength);
  k.regions.forEach((r, i) => {
    const g = grads[i];
    if (g) P.set(g.subarray(0, r.length), r.offset);
  });
  const shapes = flattenParameters(compiled.program, shapeOf);
  const out = shapes.map((a) => new Float64Array(a.length));
  tensorsOf(k, compiled).forEach((t, i) => copyTensor(t.regions, out[i], P, 0, true));
  return out;
}

function slotsOf(k: TrainingKernels, compiled: Compiled, P: Float32Array, name: TrainConfig['optimizer'], t: number, shapeOf: ModelParameters): OptimizerState {
  const shapes = flattenParameters(compiled.program, shapeOf);
  const slots: Record<string, Float64Array[]> = {};
  SLOTS[name].forEach((slot, s) => {
    if (!slot) return;
    slots[slot] = shapes.map((a) => new Float64Array(a.length));
    tensorsOf(k, compiled).forEach((tensor, i) => copyTensor(tensor.regions, slots[slot][i], P, (s + 1) * k.paramLength, true));
  });
  return { name, t, slots };
}

function restoreSlots(k: TrainingKernels, compiled: Compiled, P: Float32Array, saved: OptimizerState, name: TrainConfig['optimizer']): boolean {
  if (saved.name !== name) return false;
  const tensors = tensorsOf(k, compiled);
  const fits = SLOTS[name].every((slot) => !slot || (saved.slots[slot]?.length === tensors.length && saved.slots[slot].every((a, i) => a.length === tensors[i].regions.reduce((s, r) => s + r.length, 0))));
  if (!fits) return false;
  SLOTS[name].forEach((slot, s) => {
    if (slot) tensors.forEach((tensor, i) => copyTensor(tensor.regions, saved.slots[slot][i], P, (s + 1) * k.paramLength, false));
  });
  return true;
}

/** The name ("node.tensor", "readout.W") of the learned array holding offset `at` of P's parameter section. */
function tensorAt(k: TrainingKernels, compiled: Compiled, at: number): string {
  const names = parameterNames(compiled.program);
  const index = tensorsOf(k, compiled).findIndex((t) => t.regions.some((r) => at >= r.offset && at < r.offset + r.length));
  return index >= 0 ? names[index] : 'the parameters';
}
