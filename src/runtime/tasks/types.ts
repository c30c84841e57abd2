/**
 * A task turns the cell into a learner: it makes batches of sequences, says
 * what the readout predicts and how it is scored, and states the loss a
 * model without memory would reach (its baseline).
 */
import type { TaskProblem } from '../../model/messages';
import type { Rng } from '../rng';

/** What is scored at one step. */
export type Target =
  | { readonly kind: 'classes'; readonly labels: Int32Array }
  | { readonly kind: 'values'; readonly values: Float64Array };

export interface Batch {
  /** T inputs, each [batch × inputSize], row-major. */
  readonly xs: readonly Float64Array[];
  /** One entry per step: what the readout must predict there, or null (not scored). */
  readonly targets: readonly (Target | null)[];
}

export type LossKind = 'cross-entropy' | 'mse';

export interface TaskInfo {
  readonly name: string;
  /** One paragraph: inputs, outputs, what makes it hard. */
  readonly description: string;
  readonly inputSize: number;
  /** Size of the readout's output: classes or target values. */
  readonly outputSize: number;
  readonly loss: LossKind;
  /** many-to-many (every step scored), many-to-one (last step) or one-to-many. */
  readonly shape: 'many-to-many' | 'many-to-one' | 'one-to-many';
  /** The loss of the best model without memory, and how it is derived. */
  readonly baseline: { readonly loss: number; readonly explanation: string };
}

/**
 * A bad task option or shape, naming the field (`length`, `batch`, `delay`, `text` …).
 * `problem` says what is wrong, to be worded in any language (renderTaskProblem in
 * src/model/messages.ts); `error` is that wording in English.
 */
export interface TaskError {
  readonly error: string;
  readonly field: string;
  readonly problem: TaskProblem;
}

/** Sequence lengths a task accepts, inclusive (min = max when it is fixed). */
export interface LengthRange {
  readonly min: number;
  readonly max: number;
}

export interface Task extends TaskInfo {
  readonly lengths: LengthRange;
  /** Null when trainBatch(rng, batch, length) can be made, else a TaskError for `batch` or `length`. */
  checkShape(batch: number, length: number): TaskError | null;
  /** A training batch of `batch` sequences of `length` steps, drawn from `rng`. */
  trainBatch(rng: Rng, batch: number, length: number): Batch;
  /** A fixed validation set (the same for every call with the same arguments). */
  validationBatches(batch: number, length: number): readonly Batch[];
}
