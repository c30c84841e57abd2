/**
 * An arena's grid: checking a spec before any run starts (every problem named by its
 * field), choosing each cell's hidden size, and expanding the spec into runs.
 * Everything here is deterministic, so a worker that plans one run again gets the
 * same sizes, hash and settings as the grid did.
 */
import { compile, type Compiled } from '../compiler';
import { lower } from '../compiler/ir';
import { inferShapes } from '../compiler/shapes';
import { validate } from '../compiler/validate';
import type { Cell } from '../model/cell';
import type { Diagnostic } from '../model/diagnostics';
import { cellHash } from '../runtime/checkpoint';
import { learnedValues } from '../runtime/memory';
import { COPY_DEFAULT_DELAY } from '../runtime/tasks/copy';
import { taskDiagnostic } from '../runtime/tasks/errors';
import { TASK_NAMES, createTask, isTaskError, type Task } from '../runtime/tasks/index';
import { DEFAULT_CONFIG, checkTraining, validateConfig, type TrainConfig } from '../runtime/train';
import type { ArenaIssue, ArenaProblem } from './messages';
import { MATCH_TOLERANCE, type ArenaSpec, type RunHyperparameters, type RunKey, type TaskName } from './types';

/** Bounds that keep a study (or a hostile spec) from running forever. */
export const ARENA_LIMITS = { cells: 200, seeds: 100, steps: 1_000_000, hidden: 1024, params: 100_000_000 } as const;

/** One (cell, task): the size it trains at and what it is. */
export interface SizedCell {
  readonly compiled: Compiled;
  readonly hidden: number;
  readonly parameters: number;
  readonly cellHash: string;
}

/** A run as planned: its key, its size and its settings. */
export interface PlannedRun {
  readonly key: RunKey;
  readonly cellName: string;
  readonly hidden: number;
  readonly parameters: number;
  readonly cellHash: string;
  readonly hyperparameters: RunHyperparameters;
}

export type Planned<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ArenaIssue[] };

export const isTaskName = (name: string): name is TaskName => (TASK_NAMES as readonly string[]).includes(name);

/** The task a spec trains on (copy with the spec's delay). */
export function arenaTask(name: TaskName, spec: ArenaSpec): Task | ReturnType<typeof taskFailure> {
  const made = createTask(name, name === 'copy' && spec.hyperparameters.delay !== undefined ? { delay: spec.hyperparameters.delay } : {});
  return isTaskError(made) ? taskFailure(made) : made;
}

function taskFailure(e: Parameters<typeof taskDiagnostic>[0]): { readonly failed: Diagnostic } {
  return { failed: taskDiagnostic(e) };
}

/** The sequence length a task trains at: the spec's where the task allows any, else its own (copy's is fixed by the delay). */
export function taskLength(task: Task, spec: ArenaSpec): number {
  if (task.lengths.min === task.lengths.max) return task.lengths.min;
  return spec.hyperparameters.length ?? Math.min(task.lengths.max, Math.max(task.lengths.min, DEFAULT_CONFIG.length));
}

/** What one run of `task` trains with; the seed alone fixes the data order and the initial parameters. */
export function runConfig(spec: ArenaSpec, task: Task, seed: number): TrainConfig {
  const hp = spec.hyperparameters;
  return {
    ...DEFAULT_CONFIG, steps: spec.steps, batch: hp.batch, length: taskLength(task, spec), optimizer: hp.optimizer, lr: hp.lr, clip: hp.clip,
    schedule: { kind: 'constant' }, seed, evalEvery: hp.evalEvery,
  };
}

export function runHyperparameters(spec: ArenaSpec, task: Task): RunHyperparameters {
  const c = runConfig(spec, task, 1);
  return {
    steps: c.steps, batch: c.batch, length: c.length, lr: c.lr, optimizer: c.optimizer, clip: c.clip, evalEvery: c.evalEvery ?? 0,
    ...(task.name === 'copy' && { delay: spec.hyperparameters.delay ?? COPY_DEFAULT_DELAY }),
  };
}

/** The cell compiled for the task: the task's input size, and `hidden` (undefined: the cell's own). */
export function compileFor(cell: Cell, task: Task, hidden: number | undefined): ReturnType<typeof compile> {
  return compile(cell, { input: task.inputSize, ...(hidden !== undefined && { hidden }) });
}

const sized = (compiled: Compiled, task: Task): SizedCell => ({
  compiled, hidden: compiled.program.sizes.hidden, parameters: learnedValues(compiled.program, task.outputSize), cellHash: cellHash(compiled.program),
});

export type ParamsMatch =
  | { readonly ok: true; readonly cell: SizedCell }
  | {
    readonly ok: false;
    readonly nearest?: { readonly hidden: number; readonly parameters: number };
    /** The count does not change with the hidden size (the state takes the input's size). */
    readonly fixed?: boolean;
    readonly diagnostics: readonly Diagnostic[];
  };

/**
 * The hidden size whose whole model (cell + readout, as the trainer counts it) has the
 * parameter count nearest `params`, if within MATCH_TOLERANCE of it. Counts grow with the
 * hidden size, so a binary search finds the first size at or above the target; the nearest
 * is it or the size below. A cell whose state takes the input's size does not change.
 */
export function hiddenForParams(cell: Cell, task: Task, params: number): ParamsMatch {
  const valid = validate(cell);
  const shaped = valid.ok ? inferShapes(valid.value) : valid;
  if (!shaped.ok) return { ok: false, diagnostics: [...(valid.ok ? valid.diagnostics : []), ...shaped.diagnostics] };
  // Counting needs only the lowered program: the backward pass is derived once, at the size chosen.
  const counts = new Map<number, number>();
  const count = (h: number): number => {
    let n = counts.get(h);
    if (n === undefined) {
      const lowered = lower(shaped.value, { input: task.inputSize, hidden: h });
      counts.set(h, (n = lowered.ok ? learnedValues(lowered.value, task.outputSize) : Number.NaN));
    }
    return n;
  };
  if (count(1) === count(ARENA_LIMITS.hidden)) return fixedCount(cell, task, params);
  let low = 1;
  let high: number = ARENA_LIMITS.hidden;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (!(count(mid) < params)) high = mid;
    else low = mid + 1;
  }
  const candidates = [low - 1, low].filter((h) => h >= 1 && Number.isFinite(count(h)));
  if (candidates.length === 0) {
    const result = compileFor(cell, task, low);
    return { ok: false, diagnostics: result.ok ? [] : result.diagnostics };
  }
  const best = candidates.reduce((a, b) => (Math.abs(count(b) - params) < Math.abs(count(a) - params) ? b : a));
  const result = compileFor(cell, task, best);
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
  const cellAt = sized(result.value, task);
  if (Math.abs(cellAt.parameters - params) <= MATCH_TOLERANCE * params) return { ok: true, cell: cellAt };
  return { ok: false, nearest: { hidden: cellAt.hidden, parameters: cellAt.parameters }, diagnostics: [] };
}

/** A cell whose state takes the input's size (MUT1, MUT2, SRU): its count is what it is, at its own hidden size. */
function fixedCount(cell: Cell, task: Task, params: number): ParamsMatch {
  const result = compileFor(cell, task, undefined);
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
  const cellAt = sized(result.value, task);
  if (Math.abs(cellAt.parameters - params) <= MATCH_TOLERANCE * params) return { ok: true, cell: cellAt };
  return { ok: false, nearest: { hidden: cellAt.hidden, parameters: cellAt.parameters }, fixed: true, diagnostics: [] };
}

/** The cell at the spec's size for the task, or why it cannot train there. */
export function sizeCell(spec: ArenaSpec, cell: Cell, task: Task): { ok: true; cell: SizedCell } | { ok: false; problem: ArenaProblem; field: string } {
  const sizing = spec.sizing;
  if (sizing.kind === 'match-params') {
    const match = hiddenForParams(cell, task, sizing.params);
    if (match.ok) return match;
    if (match.nearest) {
      return { ok: false, field: 'sizing.params', problem: { problem: 'unreachable-params', params: sizing.params, tolerance: MATCH_TOLERANCE, nearest: match.nearest, fixed: match.fixed === true } };
    }
    return { ok: false, field: 'cells', problem: { problem: 'diagnostics', diagnostics: match.diagnostics } };
  }
  const result = compileFor(cell, task, sizing.kind === 'hidden' ? sizing.hidden : undefined);
  if (!result.ok) return { ok: false, field: 'cells', problem: { problem: 'diagnostics', diagnostics: result.diagnostics } };
  return { ok: true, cell: sized(result.value, task) };
}

const wholeNumber = (value: unknown, min: number, max: number): ArenaProblem | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? null : { problem: 'whole-number', min, max, got: String(value).slice(0, 40) };

/** The spec's own fields: counts, names, sizes, hyperparameters (before any cell is compiled). */
function checkFields(spec: ArenaSpec): ArenaIssue[] {
  const issues: ArenaIssue[] = [];
  const add = (field: string, problem: ArenaProblem | null) => {
    if (problem) issues.push({ field, problem });
  };
  if (spec.cells.length === 0) add('cells', { problem: 'no-cells' });
  add('cells', spec.cells.length > ARENA_LIMITS.cells ? { problem: 'whole-number', min: 1, max: ARENA_LIMITS.cells, got: String(spec.cells.length) } : null);
  spec.cells.forEach((c, i) => {
    if (spec.cells.findIndex((d) => d.id === c.id) < i) issues.push({ field: `cells[${i}]`, cell: c.id, problem: { problem: 'duplicate-cell' } });
  });
  if (spec.tasks.length === 0) add('tasks', { problem: 'no-tasks' });
  spec.tasks.forEach((t, i) => {
    if (!isTaskName(t)) add(`tasks[${i}]`, { problem: 'unknown-task', name: String(t), tasks: TASK_NAMES });
    else if (spec.tasks.indexOf(t) < i) add(`tasks[${i}]`, { problem: 'duplicate-task' });
  });
  add('seeds', wholeNumber(spec.seeds, 1, ARENA_LIMITS.seeds));
  add('steps', wholeNumber(spec.steps, 1, ARENA_LIMITS.steps));
  if (spec.sizing.kind === 'hidden') add('sizing.hidden', wholeNumber(spec.sizing.hidden, 1, ARENA_LIMITS.hidden));
  if (spec.sizing.kind === 'match-params') add('sizing.params', wholeNumber(spec.sizing.params, 1, ARENA_LIMITS.params));
  if (spec.cells.length > 0 && !spec.cells.some((c) => c.id === spec.baseline)) add('baseline', { problem: 'unknown-baseline', cells: spec.cells.map((c) => c.id) });
  const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 1, batch: spec.hyperparameters.batch, lr: spec.hyperparameters.lr, optimizer: spec.hyperparameters.optimizer, clip: spec.hyperparameters.clip, evalEvery: spec.hyperparameters.evalEvery };
  for (const d of validateConfig(config)) issues.push({ field: `hyperparameters.${d.path ?? ''}`, problem: { problem: 'diagnostics', diagnostics: [d] } });
  return issues;
}

/**
 * Checks the whole spec and sizes every (cell, task), or lists every problem found.
 * Field problems come first; cells are compiled only once the fields are sound.
 */
export function planArena(spec: ArenaSpec): Planned<readonly PlannedRun[]> {
  const fieldIssues = checkFields(spec);
  if (fieldIssues.length > 0) return { ok: false, issues: fieldIssues };
  const issues: ArenaIssue[] = [];
  const sizes = new Map<string, SizedCell>();
  for (const name of spec.tasks) {
    const task = arenaTask(name, spec);
    if ('failed' in task) {
      issues.push({ field: 'hyperparameters.delay', task: name, problem: { problem: 'diagnostics', diagnostics: [task.failed] } });
      continue;
    }
    spec.cells.forEach((c, i) => {
      const one = sizeCell(spec, c.cell, task);
      if (!one.ok) {
        issues.push({ field: one.field === 'cells' ? `cells[${i}]` : one.field, cell: c.id, task: name, problem: one.problem });
        return;
      }
      const refused = checkTraining(one.cell.compiled, task, runConfig(spec, task, 1));
      if (refused.length > 0) {
        const hyper = refused.every((d) => d.code === 'bad-hyperparameter');
        issues.push({ field: hyper ? `hyperparameters.${refused[0].path ?? ''}` : `cells[${i}]`, cell: c.id, task: name, problem: { problem: 'diagnostics', diagnostics: refused } });
        return;
      }
      sizes.set(JSON.stringify([c.id, name]), one.cell);
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  const runs = expandRuns(spec).map((key): PlannedRun => {
    const s = sizes.get(JSON.stringify([key.cell, key.task])) as SizedCell;
    const task = arenaTask(key.task, spec) as Task;
    const cellName = spec.cells.find((c) => c.id === key.cell)?.name ?? key.cell;
    return { key, cellName, hidden: s.hidden, parameters: s.parameters, cellHash: s.cellHash, hyperparameters: runHyperparameters(spec, task) };
  });
  return { ok: true, value: runs };
}

/**
 * Every (cell, task, seed), seed by seed: the runs of seed 1 for every cell and task come
 * first, so an arena stopped early still holds complete paired comparisons.
 */
export function expandRuns(spec: ArenaSpec): RunKey[] {
  const keys: RunKey[] = [];
  for (let seed = 1; seed <= spec.seeds; seed++) {
    for (const task of spec.tasks) for (const c of spec.cells) keys.push({ cell: c.id, task, seed });
  }
  return keys;
}

type RunFacts = Pick<PlannedRun, 'cellHash' | 'hidden' | 'parameters' | 'hyperparameters'>;

/** Whether a recorded run trained what a plan would train now: the same program, size and settings. */
export function sameRun(a: RunFacts, b: RunFacts): boolean {
  const settings = (h: RunHyperparameters) => JSON.stringify(Object.entries(h).sort(([x], [y]) => (x < y ? -1 : 1)));
  return a.cellHash === b.cellHash && a.hidden === b.hidden && a.parameters === b.parameters && settings(a.hyperparameters) === settings(b.hyperparameters);
}
