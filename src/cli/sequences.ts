/**
 * Sequences read from JSON files for `celda run`: `[T][B][size]` lists of
 * finite numbers, checked in full before anything runs (DESIGN §8: bounded work).
 */
import { fail } from './io';

export const SEQUENCE_LIMITS = { steps: 10_000, batch: 1024 } as const;

export interface Sequence {
  readonly steps: number;
  readonly batch: number;
  /** One [batch × size] row-major array per step. */
  readonly data: Float64Array[];
}

export interface SequenceExpectation {
  /** What the file holds, as it starts a message: "inputs", "output gradients". */
  readonly label: string;
  /** The vector size of each row, and where it comes from, e.g. "the input size (sizes.input in p.json)". */
  readonly size: number;
  readonly sizeSource: string;
  /** When given (gradients of outputs), T and B must match the inputs. */
  readonly steps?: number;
  readonly batch?: number;
}

/** Checks `json` is `[T][B][size]` of finite numbers; throws a CliError naming the file and index. */
export function readSequence(json: unknown, file: string, expect: SequenceExpectation): Sequence {
  const bad = (at: string, problem: string) => fail('bad-sequence', `${capitalise(expect.label)}${at} ${problem}`, { file, ...(at !== '' && { path: at }) });
  const shape = `[T][B][${expect.size}] (steps × batch × size)`;
  if (!Array.isArray(json)) throw bad('', `must be a JSON list ${shape}, got ${describe(json)}.`);
  const steps = json.length;
  if (steps < 1 || steps > SEQUENCE_LIMITS.steps) throw bad('', `must have 1 to ${SEQUENCE_LIMITS.steps} steps, got ${steps}.`);
  if (expect.steps !== undefined && steps !== expect.steps) throw bad('', `have ${steps} ${steps === 1 ? 'step' : 'steps'}; the inputs have ${expect.steps}.`);
  let batch = expect.batch;
  const data: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    const step: unknown = json[t];
    if (!Array.isArray(step)) throw bad(`[${t}]`, `must be a list of ${batch ?? 'B'} rows, got ${describe(step)}.`);
    if (batch === undefined) {
      if (step.length < 1 || step.length > SEQUENCE_LIMITS.batch) throw bad(`[${t}]`, `must have 1 to ${SEQUENCE_LIMITS.batch} rows (the batch), got ${step.length}.`);
      batch = step.length;
    } else if (step.length !== batch) {
      throw bad(`[${t}]`, `has ${step.length} rows; ${expect.batch === undefined ? 'step 0 has' : 'the inputs have'} ${batch} (every step has the same batch).`);
    }
    const values = new Float64Array(batch * expect.size);
    for (let b = 0; b < batch; b++) {
      const row: unknown = step[b];
      if (!Array.isArray(row)) throw bad(`[${t}][${b}]`, `must be a list of ${expect.size} numbers, got ${describe(row)}.`);
      if (row.length !== expect.size) throw bad(`[${t}][${b}]`, `has ${row.length} numbers; ${expect.sizeSource} is ${expect.size}.`);
      for (let i = 0; i < expect.size; i++) {
        const v: unknown = row[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`[${t}][${b}][${i}]`, `must be a finite number, got ${describe(v)}.`);
        values[b * expect.size + i] = v;
      }
    }
    data.push(values);
  }
  return { steps, batch: batch as number, data };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function describe(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : String(v);
}
