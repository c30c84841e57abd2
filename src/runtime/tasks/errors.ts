/**
 * Structured errors for task options, and the checks and plumbing the synthetic
 * tasks (adding, copy, order, sine) share.
 *
 * Factories never throw at users: a bad option comes back as a TaskError that
 * names the field and the allowed range. A task's `checkShape` does the same
 * for a batch size or sequence length; `trainBatch` and `validationBatches`
 * throw an Error for a shape `checkShape` would refuse (a programming error:
 * the caller should have checked first).
 */
import { error, type Diagnostic } from '../../model/diagnostics';
import { renderTaskProblem, showWhat, type TaskProblem } from '../../model/messages';
import type { Rng } from '../rng';
import { deriveRng } from '../rng';
import type { Batch, LengthRange, Task, TaskError, TaskInfo } from './types';

export type { TaskError } from './types';

export function isTaskError(x: unknown): x is TaskError {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as { error?: unknown; field?: unknown };
  return typeof e.error === 'string' && typeof e.field === 'string';
}

/** The TaskError for `field`: its problem, and that problem in English. */
export function taskError(field: string, problem: TaskProblem): TaskError {
  return { field, problem, error: renderTaskProblem(problem, 'en') };
}

/** A task that cannot be made, as a diagnostic (`bad-task`, its path the field) that reads in any language. */
export function taskDiagnostic(e: TaskError): Diagnostic {
  return error('bad-task', { field: e.field, problem: e.problem }, { path: e.field });
}

/** The largest batch any synthetic task makes. */
export const MAX_BATCH = 4096;
/** The longest sequence any synthetic task makes. */
export const MAX_LENGTH = 10000;
/** Validation sets come from deriveRng(VALIDATION_SEED, 'validation', task name). */
export const VALIDATION_SEED = 0xc0ffee;
/** How many batches `validationBatches` returns. */
export const VALIDATION_BATCH_COUNT = 4;

/** Null when `value` is an integer in [min, max], else a TaskError for `field`. */
export function wholeNumberError(field: string, value: unknown, min: number, max: number): TaskError | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return taskError(field, { problem: 'out-of-range', field, number: 'whole', min, max, got: showWhat(value, 'array') });
}

/** Null when `value` is a finite number in [min, max], else a TaskError for `field`. */
export function numberError(field: string, value: unknown, min: number, max: number): TaskError | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return null;
  return taskError(field, { problem: 'out-of-range', field, number: 'any', min, max, got: showWhat(value, 'array') });
}

/**
 * Null when `options` is undefined or a plain object whose fields are all in
 * `allowed`; else a TaskError (field `options`, or the unknown field's name).
 * Options may come from untyped JSON, so nothing about them is assumed.
 */
export function optionsError(task: string, options: unknown, allowed: readonly string[]): TaskError | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return taskError('options', { problem: 'options-not-an-object', got: showWhat(options, 'array') });
  }
  const unknown = Object.keys(options).find((key) => !allowed.includes(key));
  return unknown === undefined ? null : taskError(unknown, { problem: 'unknown-option', option: unknown, task, options: allowed });
}

export interface TaskParts {
  readonly info: TaskInfo;
  readonly lengths: LengthRange;
  /** Error for a length outside `lengths`; defaults to the whole-number range message. */
  readonly lengthError?: (length: unknown) => TaskError;
  /** Makes one batch; called only with a batch size and length checkShape accepts. */
  readonly generate: (rng: Rng, batch: number, length: number) => Batch;
}

/** Wraps a task's batch generator with shape checks and a cached validation set. */
export function buildTask(parts: TaskParts): Task {
  const { info, lengths, generate } = parts;
  const checkShape = (batch: number, length: number): TaskError | null => {
    const bad = wholeNumberError('batch', batch, 1, MAX_BATCH);
    if (bad) return bad;
    const badLength = wholeNumberError('length', length, lengths.min, lengths.max);
    if (badLength && parts.lengthError) return parts.lengthError(length);
    return badLength;
  };
  const mustFit = (batch: number, length: number): void => {
    const bad = checkShape(batch, length);
    if (bad) throw new Error(`${info.name} task: ${bad.error}`);
  };
  const validation = new Map<string, readonly Batch[]>();
  return Object.freeze({
    ...info,
    lengths,
    checkShape,
    trainBatch(rng: Rng, batch: number, length: number): Batch {
      mustFit(batch, length);
      return generate(rng, batch, length);
    },
    validationBatches(batch: number, length: number): readonly Batch[] {
      mustFit(batch, length);
      const key = `${batch}x${length}`;
      let batches = validation.get(key);
      if (!batches) {
        const rng = deriveRng(VALIDATION_SEED, 'validation', info.name);
        batches = Object.freeze(Array.from({ length: VALIDATION_BATCH_COUNT }, () => generate(rng, batch, length)));
        validation.set(key, batches);
      }
      return batches;
    },
  });
}

/** `length` arrays of `size` zeros (one per step). */
export function zeroSteps(length: number, size: number): Float64Array[] {
  return Array.from({ length }, () => new Float64Array(size));
}
