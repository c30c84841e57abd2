/** Training runs and their checkpoints, checked before they are written. */
import type { Diagnostic } from '../model/diagnostics';
import { failure, guard, newId, type CeldaDatabase, type CheckpointRecord, type RunRecord, type Stored } from './db';
import { readCheckpoint, readRun } from './validate';

const ok = <T>(value: T): Stored<T> => ({ status: 'ok', value });
const invalid = (what: string, diagnostics: Diagnostic[]) => failure('invalid', `The ${what} was not saved: ${diagnostics[0].message}`, diagnostics);

export type RunInput = Omit<RunRecord, 'id' | 'createdAt'>;
export type CheckpointInput = Omit<CheckpointRecord, 'id' | 'createdAt' | 'projectId'>;

export function addRun(db: CeldaDatabase, input: RunInput): Promise<Stored<RunRecord>> {
  return guard(() => db.transaction('rw', db.projects, db.runs, async () => {
    const out: Diagnostic[] = [];
    const run = readRun({ ...input, id: newId(), createdAt: Date.now() }, 'run', out);
    if (out.length > 0) return invalid('run', out);
    if (!(await db.projects.get(run.projectId))) return failure('not-found', 'The run\'s project no longer exists.');
    await db.runs.add(run);
    return ok(run);
  }));
}

/** Replaces a run's record (status, metrics, timings as training goes on). */
export function updateRun(db: CeldaDatabase, run: RunRecord): Promise<Stored<RunRecord>> {
  return guard(() => db.transaction('rw', db.runs, async () => {
    const out: Diagnostic[] = [];
    const checked = readRun(run, 'run', out);
    if (out.length > 0) return invalid('run', out);
    if (!(await db.runs.get(run.id))) return failure('not-found', 'The run no longer exists.');
    await db.runs.put(checked);
    return ok(checked);
  }));
}

/** A project's runs, newest first. */
export function listRuns(db: CeldaDatabase, projectId: string): Promise<Stored<RunRecord[]>> {
  return guard(async () => ok((await db.runs.where('projectId').equals(projectId).toArray()).sort((a, b) => b.createdAt - a.createdAt)));
}

export function addCheckpoint(db: CeldaDatabase, input: CheckpointInput): Promise<Stored<CheckpointRecord>> {
  return guard(() => db.transaction('rw', db.runs, db.checkpoints, async () => {
    const run = await db.runs.get(input.runId);
    if (!run) return failure('not-found', 'The checkpoint\'s run no longer exists.');
    const out: Diagnostic[] = [];
    const checkpoint = readCheckpoint({ ...input, id: newId(), createdAt: Date.now(), projectId: run.projectId }, 'checkpoint', out, 'typed');
    if (out.length > 0) return invalid('checkpoint', out);
    await db.checkpoints.add(checkpoint);
    return ok(checkpoint);
  }));
}

/** A run's checkpoints by step. */
export function listCheckpoints(db: CeldaDatabase, runId: string): Promise<Stored<CheckpointRecord[]>> {
  return guard(async () => ok((await db.checkpoints.where('runId').equals(runId).toArray()).sort((a, b) => a.step - b.step)));
}
