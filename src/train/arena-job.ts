/**
 * What a worker of the Arena panel's pool does: plan a study (planArena: compiling and sizing
 * every cell for every task takes seconds for a large study, so not on the page's thread), or
 * train one run with the arena's own runOne (gpu.js webasm on one thread, else the reference),
 * so a run gives the same record in any worker, and the same as `celda arena`. A run reports
 * progress at most every PROGRESS_EVERY_MS, then its record, or why it could not train.
 */
import { planArena, type Planned, type PlannedRun } from '../arena/grid';
import { runOne } from '../arena/run';
import type { ArenaSpec, RunKey, RunRecord } from '../arena/types';

export type ArenaRequest =
  | { readonly type: 'plan'; readonly spec: ArenaSpec }
  | { readonly type: 'run'; readonly spec: ArenaSpec; readonly key: RunKey };

export type ArenaWorkerEvent =
  | { readonly kind: 'planned'; readonly planned: Planned<readonly PlannedRun[]> }
  | { readonly kind: 'progress'; readonly key: RunKey; readonly step: number; readonly steps: number }
  | { readonly kind: 'done'; readonly record: RunRecord }
  | { readonly kind: 'error'; readonly key?: RunKey; readonly message: string };

const PROGRESS_EVERY_MS = 100;

export async function handleArenaRequest(request: ArenaRequest, post: (event: ArenaWorkerEvent) => void): Promise<void> {
  if (request.type === 'plan') {
    try {
      post({ kind: 'planned', planned: planArena(request.spec) });
    } catch (err) {
      post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  const { spec, key } = request;
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
