/**
 * The Arena panel's plain parts: the form (what to compare, kept in localStorage), the
 * contestants (the user's projects and the zoo's cells, loaded lazily), the spec the form
 * makes and the worker pool's size.
 */
import { ZOO } from '../../../examples/zoo';
import { isTaskName } from '../../arena/grid';
import type { ArenaCell, ArenaSpec, TaskName } from '../../arena/types';
import type { Cell } from '../../model/cell';
import { loadCell } from '../../model/load';

/** The arena's tasks, as `celda arena --tasks` names them. */
export const ARENA_TASKS = ['adding', 'copy', 'order', 'charlm'] as const satisfies readonly TaskName[];

/** `celda arena`'s defaults (src/cli/commands/arena.ts): a study made here can be repeated there with the same flags. */
export const ARENA_HYPERPARAMETERS: ArenaSpec['hyperparameters'] = { batch: 16, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 };

/** Workers at most: each holds a trainer, and the page must stay responsive. */
export const MAX_WORKERS = 4;

export type SizingKind = 'hidden' | 'match-params';

export interface ArenaForm {
  /** Contestant ids (projectCellId / zooCellId), in the order picked. */
  cells: string[];
  tasks: TaskName[];
  seeds: number;
  sizing: SizingKind;
  hidden: number;
  params: number;
  steps: number;
  /** A contestant id; the first picked when it is not among them. */
  baseline: string;
}

export const DEFAULT_ARENA_FORM: ArenaForm = { cells: [], tasks: ['adding'], seeds: 3, sizing: 'hidden', hidden: 16, params: 2000, steps: 200, baseline: '' };

export const FORM_KEY = 'celda.arena';

export const projectCellId = (projectId: string): string => `project:${projectId}`;
export const zooCellId = (zooId: string): string => `zoo:${zooId}`;

/** A form read back from localStorage: each field that is not what it should be takes its default. */
export function readArenaForm(text: string | null): ArenaForm {
  let json: unknown;
  try {
    json = text === null ? {} : JSON.parse(text);
  } catch {
    json = {};
  }
  const o = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const d = DEFAULT_ARENA_FORM;
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...new Set(v as string[])] : undefined);
  const number = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  return {
    cells: strings(o.cells)?.slice(0, 200) ?? d.cells,
    tasks: strings(o.tasks)?.filter(isTaskName) ?? d.tasks,
    seeds: number(o.seeds, d.seeds),
    sizing: o.sizing === 'match-params' ? 'match-params' : 'hidden',
    hidden: number(o.hidden, d.hidden),
    params: number(o.params, d.params),
    steps: number(o.steps, d.steps),
    baseline: typeof o.baseline === 'string' ? o.baseline : d.baseline,
  };
}

/** The baseline the spec uses: the form's when it is picked, else the first cell picked. */
export const baselineOf = (form: ArenaForm): string => (form.cells.includes(form.baseline) ? form.baseline : (form.cells[0] ?? ''));

/**
 * The spec the form describes, over the contestants found (a picked project that was deleted is
 * left out). The core checks it (planArena) before anything runs.
 */
export function arenaSpec(form: ArenaForm, found: ReadonlyMap<string, ArenaCell>): ArenaSpec {
  const cells = form.cells.map((id) => found.get(id)).filter((c): c is ArenaCell => c !== undefined);
  return {
    cells, tasks: form.tasks, seeds: form.seeds, steps: form.steps,
    sizing: form.sizing === 'hidden' ? { kind: 'hidden', hidden: form.hidden } : { kind: 'match-params', params: form.params },
    hyperparameters: ARENA_HYPERPARAMETERS, baseline: baselineOf(form), backend: 'auto',
  };
}

/** Workers for `runs` runs on a machine with `cores` logical cores: one core left to the page, at least 1, at most MAX_WORKERS. */
export function poolSize(cores: number | undefined, runs: number): number {
  const free = Math.max(1, (cores ?? 2) - 1);
  return Math.max(1, Math.min(free, MAX_WORKERS, runs));
}

/** The zoo's cell files, each loaded the first time a contestant needs it. */
const ZOO_FILES = import.meta.glob<unknown>('../../../examples/zoo/*.json', { import: 'default' });

export interface ZooChoice {
  readonly id: string;
  readonly name: string;
}

/** The zoo's cells as the panel lists them (names as the papers give them). */
export const ZOO_CHOICES: readonly ZooChoice[] = ZOO.map((z) => ({ id: zooCellId(z.id), name: z.name }));

/** A zoo cell, read through the same loader as any file; undefined when there is no such cell. */
export async function loadZooCell(id: string): Promise<Cell | undefined> {
  const file = ZOO_FILES[`../../../examples/zoo/${id.replace(/^zoo:/, '')}.json`];
  if (!file) return undefined;
  const loaded = loadCell(await file());
  return loaded.ok ? loaded.value : undefined;
}
