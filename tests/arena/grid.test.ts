/** The arena's grid: every bad spec is refused with its field named before any run; hidden sizes matched to a parameter count. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler';
import { expandRuns, hiddenForParams, planArena } from '../../src/arena/grid';
import { renderArenaIssue, type ArenaProblem } from '../../src/arena/messages';
import type { ArenaSpec } from '../../src/arena/types';
import type { Cell } from '../../src/model/cell';
import { loadCellText } from '../../src/model/load';
import { learnedValues } from '../../src/runtime/memory';
import { flattenParameters, initModel } from '../../src/runtime/model';
import { createTask, isTaskError, type Task } from '../../src/runtime/tasks/index';

const zooCell = (id: string): Cell => {
  const loaded = loadCellText(readFileSync(new URL(`../../examples/zoo/${id}.json`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(`examples/zoo/${id}.json does not load`);
  return loaded.value;
};

const taskNamed = (name: string): Task => {
  const t = createTask(name);
  if (isTaskError(t)) throw new Error(t.error);
  return t;
};

const spec = (over: Partial<ArenaSpec> = {}): ArenaSpec => ({
  cells: [{ id: 'elman', name: 'Elman RNN', cell: zooCell('elman') }, { id: 'gru', name: 'GRU', cell: zooCell('gru') }],
  tasks: ['adding', 'order'],
  seeds: 3,
  sizing: { kind: 'hidden', hidden: 4 },
  steps: 5,
  hyperparameters: { batch: 4, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 },
  baseline: 'elman',
  backend: 'auto',
  ...over,
});

const issuesOf = (s: ArenaSpec) => {
  const plan = planArena(s);
  if (plan.ok) throw new Error('the spec was accepted');
  return plan.issues.map((i) => ({ field: i.field, en: renderArenaIssue(i, 'en'), es: renderArenaIssue(i, 'es') }));
};

describe('arena spec checks', () => {
  it('accepts a sound spec and expands it seed by seed into cells × tasks × seeds runs', () => {
    const plan = planArena(spec());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value).toHaveLength(2 * 2 * 3);
    expect(plan.value.slice(0, 4).map((r) => [r.key.cell, r.key.task, r.key.seed])).toEqual([['elman', 'adding', 1], ['gru', 'adding', 1], ['elman', 'order', 1], ['gru', 'order', 1]]);
    expect(new Set(plan.value.map((r) => r.hidden))).toEqual(new Set([4]));
    expect(expandRuns(spec({ seeds: 1 }))).toHaveLength(4);
  });

  it('trains each cell at its own hidden size with sizing "cell"', () => {
    const plan = planArena(spec({ sizing: { kind: 'cell' }, seeds: 1 }));
    expect(plan.ok && plan.value.map((r) => r.hidden)).toEqual([16, 16, 16, 16]);
  });

  it('names an unknown task and lists the tasks there are', () => {
    const [issue] = issuesOf(spec({ tasks: ['adding', 'nope' as never] }));
    expect(issue.field).toBe('tasks[1]');
    expect(issue.en).toBe('tasks[1]: there is no task "nope"; the tasks are charlm, adding, copy, order, sine, spell-number, dinosaurs.');
    expect(issue.es).toContain('no hay ninguna tarea "nope"');
  });

  it('refuses 0 seeds, 0 steps, a baseline that is not a cell and a bad learning rate, each by its field', () => {
    const issues = issuesOf(spec({ seeds: 0, steps: 0, baseline: 'lstm', hyperparameters: { batch: 4, lr: -1, optimizer: 'adam', clip: 1, evalEvery: 0 } }));
    expect(issues.map((i) => i.field)).toEqual(['seeds', 'steps', 'baseline', 'hyperparameters.lr']);
    expect(issues[0].en).toBe('seeds: must be a whole number from 1 to 100, got 0.');
    expect(issues[2].en).toBe('baseline: the baseline must be one of the cells: "elman", "gru".');
  });

  it('names a cell that does not compile by its id and index, with the compiler\'s reason', () => {
    const broken = zooCell('elman');
    const cut: Cell = { ...broken, connections: broken.connections.slice(1) };
    const issues = issuesOf(spec({ cells: [{ id: 'cells/broken.json', name: 'broken', cell: cut }, ...spec().cells] }));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].field).toBe('cells[0]');
    expect(issues[0].en).toMatch(/^cells\[0\] \(cell "cells\/broken\.json", task adding\): \S/);
  });

  it('says which parameter count is nearest when --match-params cannot be reached, and at which hidden size', () => {
    const [issue] = issuesOf(spec({ sizing: { kind: 'match-params', params: 300 }, cells: [{ id: 'gru', name: 'GRU', cell: zooCell('gru') }], baseline: 'gru' }));
    expect(issue.field).toBe('sizing.params');
    // GRU on the adding problem (input 2, readout 1 × H + 1): 3 gates of W [H × (H + 2)] + b [H]: H = 8 → 273, H = 9 → 334.
    expect(issue.en).toBe('sizing.params (cell "gru", task adding): no hidden size gives 300 parameters within 5%; the nearest is 273 at hidden 8.');
  });

  it('says when a cell\'s parameter count does not change with the hidden size (SRU), and accepts it when the count fits', () => {
    const sru = [{ id: 'sru', name: 'SRU', cell: zooCell('sru') }];
    const [issue] = issuesOf(spec({ sizing: { kind: 'match-params', params: 2000 }, cells: sru, baseline: 'sru', tasks: ['adding'] }));
    expect(issue.en).toContain('this cell\'s count does not change with the hidden size (its state takes the input\'s size); it has 23.');
    expect(planArena(spec({ sizing: { kind: 'match-params', params: 23 }, cells: sru, baseline: 'sru', tasks: ['adding'] })).ok).toBe(true);
  });
});

describe('arena issues in both languages', () => {
  it('words every problem in English and in Spanish', () => {
    const problems: ArenaProblem[] = [
      { problem: 'no-cells' }, { problem: 'duplicate-cell' }, { problem: 'no-tasks' }, { problem: 'duplicate-task' },
      { problem: 'unknown-task', name: 'x', tasks: ['adding'] }, { problem: 'whole-number', min: 1, max: 100, got: '0' },
      { problem: 'unknown-baseline', cells: ['a'] },
      { problem: 'unreachable-params', params: 300, tolerance: 0.05, nearest: { hidden: 8, parameters: 273 }, fixed: false },
      { problem: 'unreachable-params', params: 300, tolerance: 0.05, nearest: { hidden: 8, parameters: 23 }, fixed: true },
    ];
    for (const problem of problems) {
      const en = renderArenaIssue({ field: 'f', problem }, 'en');
      const es = renderArenaIssue({ field: 'f', problem }, 'es');
      expect(en, problem.problem).toMatch(/^f: \S.*\.$/);
      expect(es, problem.problem).toMatch(/^f: \S.*\.$/);
      expect(es).not.toBe(en);
    }
  });
});

describe('hiddenForParams', () => {
  it('picks, for every cell and task, a hidden size whose whole model (as the trainer counts it) is within 5% of the target', () => {
    for (const id of ['elman', 'gru', 'lstm-np', 'mgu', 'indrnn']) {
      for (const name of ['adding', 'order']) {
        const task = taskNamed(name);
        const match = hiddenForParams(zooCell(id), task, 2000);
        expect(match.ok, `${id} on ${name}`).toBe(true);
        if (!match.ok) continue;
        const counted = flattenParameters(match.cell.compiled.program, initModel(match.cell.compiled, task.outputSize, 1)).reduce((n, a) => n + a.length, 0);
        expect(counted).toBe(match.cell.parameters);
        expect(Math.abs(counted - 2000)).toBeLessThanOrEqual(100);
        // No neighbouring size comes closer.
        for (const h of [match.cell.hidden - 1, match.cell.hidden + 1]) {
          const other = compile(zooCell(id), { input: task.inputSize, hidden: h });
          if (!other.ok) throw new Error(`${id} does not compile at hidden ${h}`);
          expect(Math.abs(learnedValues(other.value.program, task.outputSize) - 2000)).toBeGreaterThanOrEqual(Math.abs(counted - 2000));
        }
      }
    }
  });
});
