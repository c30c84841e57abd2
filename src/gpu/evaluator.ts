/**
 * The validation loss on the fast path: the training plan's own kernels (codegen.ts
 * generateTraining) — the prologue, the forward steps and the readout's logits and
 * log-sum-exp — with no backward pass and no optimiser, over the same validation batches as
 * the reference's evaluateLoss (src/runtime/train.ts, the specification).
 *
 * Validation batches hold EVAL_BATCH rows, not the training batch, so the evaluator plans its
 * own kernels: for the widest validation batch (a narrower one is padded with rows of zeros
 * that are not scored), and as many steps per call as keep its rows × steps within the training
 * plan's (or one readout chunk of steps, where that is more), so its buffers outgrow the training
 * plan's (memory, WebGL2's texture sizes) no more than the readout's per-chunk buffers do. A sequence runs a call at a time, the states carried from one call to the
 * next (forward only, so this is the whole sequence, as the reference runs it).
 * Each row's loss comes back from the backend and is summed here in float64 exactly as
 * evaluateLoss sums it: a mean over each scored step's rows, then a mean over every scored step
 * of every batch — so masked steps (the adding task) and short batches count as they do there.
 */
import type { Compiled } from '../compiler';
import { generateTraining, type TrainingKernels } from '../compiler/codegen';
import type { Batch, Task } from '../runtime/tasks/types';
import { EVAL_BATCH } from '../runtime/train';
import { compileFailure, flat, kernelMaker, orchestrate, type Handle, type RunnerOptions } from './runner';
import type { GPU } from 'gpu.js';

/** One call of a forward plan: steps [t, t + steps) of `batch` rows. */
export interface ForwardInputs {
  /** x_t of every step, [steps·batch × input] (zeros in the rows and steps a batch lacks). */
  readonly X: Float32Array;
  /** The training layout's P (only its parameter section is read). */
  readonly P: Float32Array;
  /** One per state, in the layout of the kernel that writes its next value (stateArgLength). */
  readonly H0: readonly Float32Array[];
}

export interface ForwardOutputs {
  /** Per readout chunk (k.chunk steps): the logits, [steps·batch × outputs], row r = s·batch + b. */
  readonly logits: Float32Array[];
  /** Per readout chunk, for a softmax loss: log Σ exp(logits) of each row. */
  readonly logSumExp: Float32Array[];
  /** h of each state after the last step, in the H0 layout: the next call's H0. */
  readonly states: Float32Array[];
}

export interface ForwardRunner {
  run(inputs: ForwardInputs): Promise<ForwardOutputs>;
  destroy(): Promise<void>;
}


/**
 * A gpu.js pipeline of a training plan's forward half: the prologue, every forward step and the
 * readout kernels the loss reads (logits, log-sum-exp); the backward, gradient and optimiser
 * kernels of the same plan are never called, so never compiled.
 */
export function createForwardRunner(k: TrainingKernels, options: RunnerOptions & { readonly gpu: GPU }): ForwardRunner {
  const { gpu } = options;
  const T = k.shape.steps;
  const readoutNeeded = readoutClosure(k);
  const argNames = ['X', 'P', ...k.stateOut.map((_, i) => `H0_${i}`)];
  const kernelOf = kernelMaker(gpu);
  const chunks = Math.ceil(T / k.chunk);

  const plan = (...handles: Handle[]): Handle[] => orchestrate(k, kernelOf, new Map(argNames.map((n, i) => [n, handles[i]])), { lossOnly: readoutNeeded });
  // gpu.js traces as many arguments as the function declares.
  Object.defineProperty(plan, 'length', { value: argNames.length });
  const pipeline = gpu.createPipeline(plan as never, { threads: options.threads ?? true });

  return {
    async run(inputs) {
      let out: unknown[];
      try {
        out = (await pipeline(...([inputs.X, inputs.P, ...inputs.H0] as never[]))) as unknown as unknown[];
      } catch (e) {
        throw compileFailure(options.mode, e);
      }
      const all = out.map(flat);
      const lse = k.lossReads.logSumExp === undefined ? 0 : chunks;
      return { logits: all.slice(0, chunks), logSumExp: all.slice(chunks, chunks + lse), states: all.slice(chunks + lse) };
    },
    async destroy() {
      (pipeline as unknown as { destroy?: () => void }).destroy?.();
    },
  };
}

/** The readout kernels the logits and log-sum-exp need, themselves included (not ∂L/∂logits, ∂L/∂y). */
function readoutClosure(k: TrainingKernels): Set<number> {
  const needed = new Set<number>();
  const visit = (i: number) => {
    if (needed.has(i)) return;
    needed.add(i);
    for (const ref of k.readout[i].refsFor?.(k.chunk) ?? []) if (ref.kind === 'mid') visit(ref.kernel);
  };
  visit(k.lossReads.logits);
  if (k.lossReads.logSumExp !== undefined) visit(k.lossReads.logSumExp);
  return needed;
}

export interface GpuEvaluatorOptions extends RunnerOptions {
  readonly gpu: GPU;
  /** Decides worker threads from the plan where `threads` is not given (trainer.ts worthThreads). */
  readonly threadsFor?: (k: TrainingKernels) => boolean;
}

export interface GpuEvaluator {
  /** Mean validation loss of the parameters in P (the training layout), as evaluateLoss computes it. */
  loss(P: Float32Array): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * Validation of a training run on the fast path. `layout` is the training plan: P's regions
 * do not depend on the batch or the steps, so the evaluator's plan reads the trainer's P as is,
 * and its rows × steps bound the evaluator's. The plan is made (and compiled) at the first evaluation.
 */
export function createGpuEvaluator(compiled: Compiled, task: Task, length: number, layout: TrainingKernels, options: GpuEvaluatorOptions): GpuEvaluator {
  let state: { kernels: TrainingKernels; runner: ForwardRunner } | undefined;
  const batches = task.validationBatches(EVAL_BATCH, length);
  const setUp = () => {
    const rows = Math.max(...batches.map((b) => rowsOf(b, task)));
    const longest = Math.max(...batches.map((b) => b.xs.length));
    const { batch, steps } = layout.shape;
    // At least a readout chunk per call: a call has a cost of its own, and that many rows the readout holds anyway.
    const perCall = Math.max(Math.floor((batch * steps) / rows), layout.chunk);
    const kernels = generateTraining(compiled.program, {
      batch: rows, steps: Math.min(perCall, steps, longest), loss: layout.shape.loss, outputs: layout.shape.outputs, optimizer: layout.shape.optimizer,
      learnInitialStates: false, chunk: layout.chunk, ...(layout.shape.bindings && { bindings: layout.shape.bindings }),
    });
    const sameLayout = kernels.paramLength === layout.paramLength && kernels.regions.length === layout.regions.length
      && kernels.regions.every((r, i) => r.offset === layout.regions[i].offset && r.length === layout.regions[i].length);
    if (!sameLayout) {
      throw new Error('the validation plan lays out the parameters unlike the training plan');
    }
    return { kernels, runner: createForwardRunner(kernels, { ...options, threads: options.threads ?? options.threadsFor?.(kernels) }) };
  };
  return {
    async loss(P) {
      state ??= setUp();
      // The forward kernels read only P's parameter section, not the optimiser's slots.
      const parameters = P.subarray(0, layout.paramLength);
      let total = 0;
      let count = 0;
      for (const batch of batches) {
        const sums = await batchLoss(state.kernels, state.runner, batch, rowsOf(batch, task), parameters, initialStates(state.kernels, parameters));
        total += sums.total;
        count += sums.count;
      }
      return count > 0 ? total / count : NaN;
    },
    async destroy() {
      await state?.runner.destroy();
    },
  };
}

function rowsOf(batch: Batch, task: Task): number {
  return batch.xs[0].length / task.inputSize;
}

/** Σ over the scored steps of a batch of each step's mean loss over its `rows` rows, and how many steps were scored. */
async function batchLoss(k: TrainingKernels, runner: ForwardRunner, batch: Batch, rows: number, P: Float32Array, H0: Float32Array[]): Promise<{ total: number; count: number }> {
  const S = k.shape.steps;
  const B = k.shape.batch;
  const input = k.plan.program.values[k.plan.program.input as number].size;
  let total = 0;
  let count = 0;
  let states = H0;
  for (let from = 0; from < batch.xs.length; from += S) {
    const X = new Float32Array(S * B * input);
    for (let s = 0; s < S && from + s < batch.xs.length; s++) X.set(batch.xs[from + s], s * B * input);
    const out = await runner.run({ X, P, H0: states });
    states = out.states;
    out.logits.forEach((logits, c) => {
      const t0 = from + c * k.chunk;
      const steps = Math.min(k.chunk, S - c * k.chunk, batch.xs.length - t0);
      for (let s = 0; s < steps; s++) {
        const target = batch.targets[t0 + s];
        if (!target) continue;
        total += stepLoss(logits, out.logSumExp[c], s * B, rows, k.shape.outputs, target);
        count += 1;
      }
    });
  }
  return { total, count };
}

/** softmaxCrossEntropy's largest loss of one row: −log of the smallest double it takes a probability to be. */
const MOST_NATS = -Math.log(Number.MIN_VALUE);

/** The mean loss over `rows` rows of one step whose first row is `first` in its chunk's buffers (as softmaxCrossEntropy, meanSquaredError). */
function stepLoss(logits: Float32Array, logSumExp: Float32Array | undefined, first: number, rows: number, V: number, target: NonNullable<Batch['targets'][number]>): number {
  let sum = 0;
  if (target.kind === 'classes') {
    const lse = logSumExp as Float32Array;
    for (let b = 0; b < rows; b++) sum += Math.min(lse[first + b] - logits[(first + b) * V + target.labels[b]], MOST_NATS);
    return sum / rows;
  }
  for (let b = 0; b < rows; b++) {
    for (let v = 0; v < V; v++) {
      const d = logits[(first + b) * V + v] - target.values[b * V + v];
      sum += d * d;
    }
  }
  return sum / (rows * V);
}

/** h_0 of a fresh sequence in the evaluator's layout: each state's learned initial vector on every row, else zeros. */
function initialStates(k: TrainingKernels, P: Float32Array): Float32Array[] {
  return k.plan.program.states.map((s, i) => {
    const at = k.stateOut[i];
    const arg = new Float32Array(k.stateArgLength[i]);
    const region = s.learnedInit === undefined ? undefined : k.regions.find((r) => r.tensor === s.learnedInit);
    if (region) for (let b = 0; b < k.shape.batch; b++) arg.set(P.subarray(region.offset, region.offset + s.size), at.base + b * at.stride);
    return arg;
  });
}
