/** results.jsonl: a torn last line is dropped, any other bad line is an error naming it; finished and stale runs; merging. */
import { describe, expect, it } from 'vitest';
import type { PlannedRun } from '../../src/arena/grid';
import { ResultsError, finishedRuns, mergeResults, parseResults, recordLine } from '../../src/arena/results';
import type { RunRecord } from '../../src/arena/types';

const record = (cell: string, seed: number, over: Partial<RunRecord> = {}): RunRecord => ({
  format: 'celda-arena-run', version: 1, cell, task: 'adding', seed, cellName: cell.toUpperCase(), cellHash: 'abc', hidden: 4, parameters: 100,
  backend: 'gpu.js webasm', hyperparameters: { steps: 10, batch: 4, length: 20, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 },
  curve: [{ step: 10, trainLoss: 0.5, validLoss: 0.4 }], finalValidLoss: 0.4, wallMs: 12, status: 'done', ...over,
});

const planned = (r: RunRecord): PlannedRun => ({
  key: { cell: r.cell, task: r.task, seed: r.seed }, cellName: r.cellName, hidden: r.hidden, parameters: r.parameters, cellHash: r.cellHash, hyperparameters: r.hyperparameters,
});

describe('parseResults', () => {
  it('reads every whole line and says where the next append belongs', () => {
    const text = recordLine(record('a', 1)) + recordLine(record('b', 1));
    const parsed = parseResults(text);
    expect(parsed.records.map((r) => r.cell)).toEqual(['a', 'b']);
    expect(parsed.tornLastLine).toBeUndefined();
    expect(parsed.wholeLength).toBe(text.length);
    expect(parseResults('').records).toEqual([]);
  });

  it('drops a torn last line (unfinished, or garbled) and keeps the lines before it', () => {
    const whole = recordLine(record('a', 1));
    const torn = parseResults(`${whole}${recordLine(record('b', 1)).slice(0, 40)}`);
    expect(torn.records).toHaveLength(1);
    expect(torn.tornLastLine).toEqual({ line: 2 });
    expect(torn.wholeLength).toBe(whole.length);
    const garbled = parseResults(`${whole}\u0000\u0000\u0000\n`);
    expect(garbled.tornLastLine).toEqual({ line: 2 });
  });

  it('refuses a bad line that is not the last, and a record with a bad field, naming the line and the field', () => {
    expect(() => parseResults(`{oops\n${recordLine(record('a', 1))}`)).toThrow(new ResultsError(1, 'not JSON'));
    expect(() => parseResults(recordLine(record('a', 1)) + recordLine({ ...record('b', 2), seed: 0 }))).toThrow('line 2: seed must be a whole number ≥ 1');
    expect(() => parseResults(`${JSON.stringify({ ...record('a', 1), task: 'juggling' })}\n`)).toThrow('line 1: task must be a task name');
    expect(() => parseResults(`${JSON.stringify({ ...record('a', 1), status: 'failed' })}\n`)).toThrow('line 1: finalValidLoss must be null for a failed run');
  });
});

describe('finished runs and merging', () => {
  it('counts a recorded run as finished only when it trained what the plan trains now', () => {
    const a = record('a', 1);
    const b = record('b', 1);
    const { done, stale } = finishedRuns([a, b], [planned(a), { ...planned(b), hidden: 5 }, planned(record('c', 1))]);
    expect([...done]).toEqual([JSON.stringify(['a', 'adding', 1])]);
    expect(stale.map((s) => s.record.cell)).toEqual(['b']);
    const failed = record('a', 2, { status: 'failed', finalValidLoss: null, error: 'diverged' });
    expect(finishedRuns([failed], [planned(failed)]).done.size).toBe(1);
  });

  it('merges result lists by run key, keeping the first record of a key', () => {
    const merged = mergeResults([record('a', 1), record('b', 1)], [record('a', 1, { wallMs: 99 }), record('a', 2)]);
    expect(merged.map((r) => [r.cell, r.seed, r.wallMs])).toEqual([['a', 1, 12], ['b', 1, 12], ['a', 2, 12]]);
  });
});
