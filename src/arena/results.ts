/**
 * results.jsonl: one RunRecord per line, appended as runs finish. A process killed
 * while appending can leave a torn last line: it is dropped with a warning (the run is
 * simply not done). Any other line that is not a record is an error naming its line.
 */
import { isTaskName, sameRun, type PlannedRun } from './grid';
import { RUN_FORMAT, RUN_FORMAT_VERSION, runKeyString, type CurvePoint, type RunRecord } from './types';

export interface ParsedResults {
  readonly records: readonly RunRecord[];
  /** Set when the text ended in a torn line, which was dropped: its line number. */
  readonly tornLastLine?: { readonly line: number };
  /** Length (in UTF-16 units) of the text up to the end of the last whole line: where the next append belongs. */
  readonly wholeLength: number;
}

/** A line that is not a run record, and not the torn last line. */
export class ResultsError extends Error {
  readonly line: number;
  constructor(line: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.line = line;
  }
}

export function parseResults(text: string): ParsedResults {
  const records: RunRecord[] = [];
  const lines = text.split('\n');
  // The piece after the last "\n" is empty for a whole file, else a line the writer never finished.
  const unfinished = lines.pop() as string;
  let wholeLength = 0;
  for (const [i, line] of lines.entries()) {
    const lastLine = i === lines.length - 1 && unfinished === '';
    if (line.trim() !== '') {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        // A kill while a line was written (or a crash before it reached the disk) garbles only the last one.
        if (lastLine) return { records, tornLastLine: { line: i + 1 }, wholeLength };
        throw new ResultsError(i + 1, 'not JSON');
      }
      records.push(checkRecord(json, i + 1));
    }
    wholeLength += line.length + 1;
  }
  if (unfinished !== '') return { records, tornLastLine: { line: lines.length + 1 }, wholeLength };
  return { records, wholeLength };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks one parsed line is a RunRecord of this format; the error names the field. */
export function checkRecord(json: unknown, line: number): RunRecord {
  const bad = (field: string, what: string) => new ResultsError(line, `${field} must be ${what}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ResultsError(line, 'not a run record (an object)');
  const r = json as Record<string, unknown>;
  if (r.format !== RUN_FORMAT) throw bad('format', `"${RUN_FORMAT}"`);
  if (r.version !== RUN_FORMAT_VERSION) throw bad('version', String(RUN_FORMAT_VERSION));
  for (const field of ['cell', 'cellName', 'cellHash', 'backend'] as const) if (typeof r[field] !== 'string') throw bad(field, 'a string');
  if (typeof r.task !== 'string' || !isTaskName(r.task)) throw bad('task', 'a task name');
  for (const field of ['seed', 'hidden', 'parameters'] as const) if (!Number.isInteger(r[field]) || (r[field] as number) < 1) throw bad(field, 'a whole number ≥ 1');
  if (!isFiniteNumber(r.wallMs) || r.wallMs < 0) throw bad('wallMs', 'a number ≥ 0');
  if (r.status !== 'done' && r.status !== 'failed') throw bad('status', '"done" or "failed"');
  if (r.status === 'done' ? !isFiniteNumber(r.finalValidLoss) : r.finalValidLoss !== null) throw bad('finalValidLoss', r.status === 'done' ? 'a number' : 'null for a failed run');
  if (r.error !== undefined && typeof r.error !== 'string') throw bad('error', 'a string');
  const h = r.hyperparameters as Record<string, unknown> | null;
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw bad('hyperparameters', 'an object');
  for (const field of ['steps', 'batch', 'length', 'lr', 'clip', 'evalEvery'] as const) if (!isFiniteNumber(h[field])) throw bad(`hyperparameters.${field}`, 'a number');
  if (typeof h.optimizer !== 'string') throw bad('hyperparameters.optimizer', 'a string');
  if (!Array.isArray(r.curve)) throw bad('curve', 'a list');
  r.curve.forEach((p: unknown, i) => checkPoint(p, `curve[${i}]`, line));
  return json as RunRecord;
}

function checkPoint(p: unknown, field: string, line: number): CurvePoint {
  const point = p as Record<string, unknown> | null;
  const ok = typeof point === 'object' && point !== null && Number.isInteger(point.step) && typeof point.trainLoss === 'number'
    && (point.validLoss === undefined || typeof point.validLoss === 'number');
  if (!ok) throw new ResultsError(line, `${field} must be {step, trainLoss, validLoss?}`);
  return point as unknown as CurvePoint;
}

/** Records by run key; where a key appears twice the first is kept (a run is never redone). */
export function mergeResults(...lists: readonly (readonly RunRecord[])[]): RunRecord[] {
  const byKey = new Map<string, RunRecord>();
  for (const list of lists) for (const r of list) if (!byKey.has(runKeyString(r))) byKey.set(runKeyString(r), r);
  return [...byKey.values()];
}

/** A recorded run that no longer fits its plan: the cell, its size or the settings changed. */
export interface StaleRun {
  readonly record: RunRecord;
  readonly planned: PlannedRun;
}

/**
 * Which planned runs are finished (done or failed: a failed run is deterministic, it would
 * fail again), and which records were made with other settings than the plan's.
 */
export function finishedRuns(records: readonly RunRecord[], plan: readonly PlannedRun[]): { done: Set<string>; stale: StaleRun[] } {
  const byKey = new Map(mergeResults(records).map((r) => [runKeyString(r), r]));
  const done = new Set<string>();
  const stale: StaleRun[] = [];
  for (const planned of plan) {
    const key = runKeyString(planned.key);
    const record = byKey.get(key);
    if (!record) continue;
    if (sameRun(record, planned)) done.add(key);
    else stale.push({ record, planned });
  }
  return { done, stale };
}

/** One record as its results.jsonl line (with the newline). */
export const recordLine = (r: RunRecord): string => `${JSON.stringify(r)}\n`;
