/**
 * One run of the Arena panel, as a worker of its pool trains it: the arena's own runOne
 * (gpu.js webasm on one thread, else the reference), so a run gives the same record in any
 * worker, and the same as `celda arena`. Progress goes out at most every PROGRESS_EVERY_MS,
 * then the record, or why the run could not train.
 */
import { runOne } from '../arena/run';
import type { ArenaSpec, RunKey, RunRecord } from '../arena/types';

export interface ArenaJob {
  readonly spec: ArenaSpec;
  readonly key: RunKey;
}

export type ArenaWorkerEvent =
  | { readonly kind: 'progress'; readonly key: RunKey; readonly step: number; readonly steps: number }
  | { readonly kind: 'done'; readonly record: RunRecord }
  | { readonly kind: 'error'; readonly key: RunKey; readonly message: string };

const PROGRESS_EVERY_MS = 100;

export async function runArenaJob({ spec, key }: ArenaJob, post: (event: ArenaWorkerEvent) => void): Promise<void> {
  let last = 0;
  try {
    const record = await runOne(spec, key, (p) => {
      if (performance.now() - last < PROGRESS_EVERY_MS && p.step < p.steps) return;
      last = performance.now();
      post({ kind: 'progress', key, step: p.step, steps: p.steps });
    });
    post({ kind: 'done', record });
  } catch (err) {
    post({ kind: 'error', key, message: err instanceof Error ? err.message : String(err) });
  }
}
