/**
 * The arena: every (cell, task, seed) of a study trained with the same data order,
 * initialisation seed and hyperparameters, so that the cells differ only in their wiring.
 * These are the plain-data types the CLI, the app's Arena panel and the exporters share;
 * nothing here imports Node or the DOM (the arena also runs in a browser Web Worker).
 */
import type { Cell } from '../model/cell';
import type { BackendChoice } from '../gpu/choose';
import type { OptimizerName } from '../runtime/optim';
import type { TaskName } from '../runtime/tasks/index';

export type { TaskName };

/** One contestant: `id` names it in run keys and results (a file path, a zoo id); `name` is shown. */
export interface ArenaCell {
  readonly id: string;
  readonly name: string;
  readonly cell: Cell;
}

/**
 * How each cell's hidden size is chosen: one size for all, the size whose whole model
 * (cell + readout) has about `params` parameters (within MATCH_TOLERANCE), or each cell's own.
 */
export type ArenaSizing =
  | { readonly kind: 'hidden'; readonly hidden: number }
  | { readonly kind: 'match-params'; readonly params: number }
  | { readonly kind: 'cell' };

/** How far a matched parameter count may be from the target, as a fraction of it. */
export const MATCH_TOLERANCE = 0.05;

/** Hyperparameters every run shares. */
export interface ArenaHyperparameters {
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: OptimizerName;
  /** Global gradient norm clip; 0 turns it off. */
  readonly clip: number;
  /** Sequence length of the tasks whose length is free; absent: each task's default (32, moved into its range). */
  readonly length?: number;
  /** copy: the delay T (its sequences are T + 20 long); absent: the task's default. */
  readonly delay?: number;
  /** Measure the validation loss every this many steps for the curves (0: only at the end). */
  readonly evalEvery: number;
}

export interface ArenaSpec {
  readonly cells: readonly ArenaCell[];
  readonly tasks: readonly TaskName[];
  /** Seeds 1 … seeds; a seed fixes the initial parameters and the training batches, the same for every cell. */
  readonly seeds: number;
  readonly sizing: ArenaSizing;
  /** Training steps per run. */
  readonly steps: number;
  readonly hyperparameters: ArenaHyperparameters;
  /** The cell every other is compared with (paired across seeds); one of `cells[].id`. */
  readonly baseline: string;
  /** 'auto' (the gpu.js fast path, else the reference), 'webasm' or 'reference'. */
  readonly backend: BackendChoice;
}

export interface RunKey {
  readonly cell: string;
  readonly task: TaskName;
  readonly seed: number;
}

/** A stable, unambiguous string for a run key (ids may hold any character). */
export const runKeyString = (k: RunKey): string => JSON.stringify([k.cell, k.task, k.seed]);

/** One point of a training curve: the mean training loss since the previous point, and the validation loss where measured. */
export interface CurvePoint {
  readonly step: number;
  readonly trainLoss: number;
  readonly validLoss?: number;
}

/** The settings one run trained with (TrainConfig, as recorded). */
export interface RunHyperparameters {
  readonly steps: number;
  readonly batch: number;
  readonly length: number;
  readonly lr: number;
  readonly optimizer: OptimizerName;
  readonly clip: number;
  readonly evalEvery: number;
  /** copy only. */
  readonly delay?: number;
}

export const RUN_FORMAT = 'celda-arena-run';
export const RUN_FORMAT_VERSION = 1;

/** One finished run: one line of results.jsonl. */
export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly version: typeof RUN_FORMAT_VERSION;
  readonly cell: string;
  readonly task: TaskName;
  readonly seed: number;
  readonly cellName: string;
  /** src/runtime/checkpoint.ts cellHash of the program trained (wiring and sizes). */
  readonly cellHash: string;
  readonly hidden: number;
  /** Learned values of the whole model: the cell's tensors and the readout. */
  readonly parameters: number;
  /** Which backend ran it, in words ("gpu.js webasm", "reference (float64)"). */
  readonly backend: string;
  readonly hyperparameters: RunHyperparameters;
  readonly curve: readonly CurvePoint[];
  /** The validation loss after the last step (null when the run failed). */
  readonly finalValidLoss: number | null;
  readonly wallMs: number;
  readonly status: 'done' | 'failed';
  /** Why it failed (a diverged step), in English. */
  readonly error?: string;
}

/** Progress of one run, as a worker reports it. */
export interface RunProgress {
  readonly key: RunKey;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
}
