/**
 * The Arena panel's finished runs (schema 4, table arenaRuns). A run is stored once it
 * finishes and read back through the arena's own record check (src/arena/results.ts), so a
 * row damaged by hand or by an older build is left out rather than shown.
 */
import { checkRecord, ResultsError } from '../arena/results';
import type { RunHyperparameters, RunRecord } from '../arena/types';
import { failure, guard, type CeldaDatabase, type Stored } from './db';

const ok = <T>(value: T): Stored<T> => ({ status: 'ok', value });

/** What makes a run: its key, the program it trained (hash, size) and its settings, in a fixed order. */
export interface ArenaRunFacts {
  readonly cell: string;
  readonly task: string;
  readonly seed: number;
  readonly cellHash: string;
  readonly hidden: number;
  readonly parameters: number;
  readonly hyperparameters: RunHyperparameters;
}

/** The row's id: the same for a run and its plan (src/arena/grid.ts PlannedRun), whatever the settings' key order. */
export function arenaRunId(r: ArenaRunFacts): string {
  const settings = Object.entries(r.hyperparameters).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([r.cell, r.task, r.seed, r.cellHash, r.hidden, r.parameters, settings]);
}

/** Keeps a finished run; a run already kept under the same id is replaced by the same facts. */
export function saveArenaRun(db: CeldaDatabase, run: RunRecord): Promise<Stored<string>> {
  return guard(async () => {
    let checked: RunRecord;
    try {
      checked = checkRecord(JSON.parse(JSON.stringify(run)), 1);
    } catch (e) {
      if (!(e instanceof ResultsError)) throw e;
      return failure('invalid', `The arena run was not saved: ${e.message.replace(/^line 1: /, '')}.`);
    }
    const id = arenaRunId(checked);
    await db.arenaRuns.put({ id, cell: checked.cell, savedAt: Date.now(), run: checked });
    return ok(id);
  });
}

export interface StoredArenaRuns {
  readonly runs: readonly RunRecord[];
  /** Rows that are not a run record of this format: left in place, not shown. */
  readonly unreadable: number;
}

/** Every kept run, oldest first. */
export function listArenaRuns(db: CeldaDatabase): Promise<Stored<StoredArenaRuns>> {
  return guard(async () => {
    const runs: RunRecord[] = [];
    let unreadable = 0;
    for (const row of await db.arenaRuns.orderBy('savedAt').toArray()) {
      try {
        const run = checkRecord(row.run, 1);
        if (arenaRunId(run) === row.id) runs.push(run);
        else unreadable += 1;
      } catch (e) {
        if (!(e instanceof ResultsError)) throw e;
        unreadable += 1;
      }
    }
    return ok({ runs, unreadable });
  });
}

/** Forgets every kept arena run. */
export function clearArenaRuns(db: CeldaDatabase): Promise<Stored<number>> {
  return guard(async () => {
    const count = await db.arenaRuns.count();
    await db.arenaRuns.clear();
    return ok(count);
  });
}
