/** One arena run: a complete record, the same numbers each time, and the seed (not the cell) fixing the data and the initialisation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runConfig } from '../../src/arena/grid';
import { runOne } from '../../src/arena/run';
import type { ArenaSpec, RunProgress } from '../../src/arena/types';
import type { Cell } from '../../src/model/cell';
import { loadCellText } from '../../src/model/load';
import { createTask, isTaskError } from '../../src/runtime/tasks/index';

const zooCell = (id: string): Cell => {
  const loaded = loadCellText(readFileSync(new URL(`../../examples/zoo/${id}.json`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(id);
  return loaded.value;
};

const spec: ArenaSpec = {
  cells: [{ id: 'elman', name: 'Elman RNN', cell: zooCell('elman') }, { id: 'mgu', name: 'MGU', cell: zooCell('mgu') }],
  tasks: ['adding'], seeds: 2, sizing: { kind: 'hidden', hidden: 3 }, steps: 6,
  hyperparameters: { batch: 4, lr: 0.01, optimizer: 'adam', clip: 1, length: 20, evalEvery: 3 }, baseline: 'elman', backend: 'auto',
};

describe('runOne', () => {
  it('trains one (cell, task, seed) on the fast path and records its curve, final validation loss and size', async () => {
    const progress: RunProgress[] = [];
    const r = await runOne(spec, { cell: 'mgu', task: 'adding', seed: 2 }, (p) => progress.push(p));
    expect(r).toMatchObject({ format: 'celda-arena-run', version: 1, cell: 'mgu', task: 'adding', seed: 2, cellName: 'MGU', hidden: 3, status: 'done', backend: 'gpu.js webasm' });
    expect(r.hyperparameters).toEqual({ steps: 6, batch: 4, length: 20, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 3 });
    expect(r.curve.map((p) => [p.step, p.validLoss !== undefined])).toEqual([[3, true], [6, true]]);
    expect(r.finalValidLoss).toBe(r.curve[1].validLoss);
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const again = await runOne(spec, { cell: 'mgu', task: 'adding', seed: 2 });
    expect({ ...again, wallMs: 0 }).toEqual({ ...r, wallMs: 0 });
  });

  it('records a diverged run as failed, with the step and the curve up to it', async () => {
    const wild: ArenaSpec = { ...spec, steps: 40, hyperparameters: { ...spec.hyperparameters, optimizer: 'sgd', lr: 10, clip: 0, evalEvery: 0 } };
    const r = await runOne(wild, { cell: 'elman', task: 'adding', seed: 1 });
    expect(r.status).toBe('failed');
    expect(r.finalValidLoss).toBeNull();
    expect(r.error).toMatch(/^diverged at step \d+: .* is not finite \(NaN or ∞\)$/);
    const step = Number(/step (\d+)/.exec(r.error ?? '')?.[1]);
    expect(r.curve.every((p) => p.step < step)).toBe(true);
  });

  it('gives every cell the same settings at a seed: the seed is the data and initialisation seed', () => {
    const task = createTask('adding');
    if (isTaskError(task)) throw new Error(task.error);
    expect(runConfig(spec, task, 2)).toMatchObject({ seed: 2, steps: 6, batch: 4, length: 20, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 3 });
  });
});
