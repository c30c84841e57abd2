/**
 * Projects: create, open, list, rename, duplicate, delete (with undo) and save
 * with conflict detection. Every cell written goes through loadCell first.
 *
 * Conflicts: saveProject(project, expectedRevision) writes only if the stored
 * revision is still `expectedRevision`. Otherwise another tab saved meanwhile:
 * the stored project is left as it is and the incoming version is kept as a new
 * project named "… (conflict)", returned so that the tab can go on editing it.
 * Neither version is dropped and both show in the project list.
 */
import type { Cell } from '../model/cell';
import type { Diagnostic } from '../model/diagnostics';
import {
  DEFAULT_VIEW, failure, guard, newId, type CanvasView, type CeldaDatabase, type CheckpointRecord, type ProjectRecord,
  type ProjectSettings, type RunRecord, type SnapshotRecord, type StorageFailure, type Stored,
} from './db';
import { readProject, readProjectBody, readText, type ProjectBody } from './validate';

export interface ProjectInput {
  readonly name: string;
  readonly cell: Cell;
  readonly view?: CanvasView;
  readonly settings?: ProjectSettings;
}

export type SaveResult =
  | { readonly status: 'saved'; readonly revision: number; readonly project: ProjectRecord }
  /** `current`: the stored project, unchanged; `copy`: the incoming version, kept as a new project. */
  | { readonly status: 'conflict'; readonly current: ProjectRecord; readonly copy: ProjectRecord }
  | StorageFailure;

/** Everything deleteProject removed, for restoreProject (undo). */
export interface DeletedProject {
  readonly project: ProjectRecord;
  readonly runs: readonly RunRecord[];
  readonly checkpoints: readonly CheckpointRecord[];
  readonly snapshots: readonly SnapshotRecord[];
}

const ok = <T>(value: T): Stored<T> => ({ status: 'ok', value });
const notFound = (id: string) => failure('not-found', `No project with id ${JSON.stringify(id.slice(0, 64))} (it may have been deleted in another tab).`);
const invalid = (what: string, diagnostics: readonly Diagnostic[]) =>
  failure('invalid', `The ${what} was not saved: ${diagnostics[0]?.message ?? 'it is invalid.'}`, diagnostics);

function check(input: ProjectInput): { ok: true; body: ProjectBody } | { ok: false; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const body = readProjectBody({ ...input, view: input.view ?? DEFAULT_VIEW, settings: input.settings ?? {} }, 'project', out);
  return out.length > 0 ? { ok: false, diagnostics: out } : { ok: true, body };
}

export function createProject(db: CeldaDatabase, input: ProjectInput): Promise<Stored<ProjectRecord>> {
  return guard(async () => {
    const checked = check(input);
    if (!checked.ok) return invalid('project', checked.diagnostics);
    const now = Date.now();
    const project: ProjectRecord = { id: newId(), ...checked.body, createdAt: now, updatedAt: now, revision: 1 };
    await db.projects.add(project);
    return ok(project);
  });
}

export function getProject(db: CeldaDatabase, id: string): Promise<Stored<ProjectRecord>> {
  return guard(async () => {
    const project = await db.projects.get(id);
    return project ? ok(project) : notFound(id);
  });
}

/** Projects, most recently changed first; `search` keeps those whose name contains it (any case). */
export function listProjects(db: CeldaDatabase, options: { search?: string } = {}): Promise<Stored<ProjectRecord[]>> {
  return guard(async () => {
    const query = options.search?.trim().toLocaleLowerCase() ?? '';
    const all = await db.projects.orderBy('updatedAt').reverse().toArray();
    return ok(query ? all.filter((p) => p.name.toLocaleLowerCase().includes(query)) : all);
  });
}

/** Changes the project's name (not its cell's metadata); counts as a revision. */
export function renameProject(db: CeldaDatabase, id: string, name: string): Promise<Stored<ProjectRecord>> {
  return guard(() => db.transaction('rw', db.projects, async () => {
    const out: Diagnostic[] = [];
    const checkedName = readText(name, 'name', out);
    if (out.length > 0) return invalid('name', out);
    const stored = await db.projects.get(id);
    if (!stored) return notFound(id);
    const project = { ...stored, name: checkedName, updatedAt: Date.now(), revision: stored.revision + 1 };
    await db.projects.put(project);
    return ok(project);
  }));
}

/** A new project with the same cell, view and settings (no runs or snapshots). */
export function duplicateProject(db: CeldaDatabase, id: string, name?: string): Promise<Stored<ProjectRecord>> {
  return guard(() => db.transaction('rw', db.projects, async () => {
    const stored = await db.projects.get(id);
    if (!stored) return notFound(id);
    return createProject(db, { ...stored, name: name ?? `${stored.name.slice(0, 190)} (copy)` });
  }));
}

/** Deletes the project with its runs, checkpoints and snapshots, in one transaction; returns them for undo. */
export function deleteProject(db: CeldaDatabase, id: string): Promise<Stored<DeletedProject>> {
  return guard(() => db.transaction('rw', db.allTables, async () => {
    const project = await db.projects.get(id);
    if (!project) return notFound(id);
    const deleted: DeletedProject = {
      project,
      runs: await db.runs.where('projectId').equals(id).toArray(),
      checkpoints: await db.checkpoints.where('projectId').equals(id).toArray(),
      snapshots: await db.snapshots.where('projectId').equals(id).toArray(),
    };
    await db.runs.where('projectId').equals(id).delete();
    await db.checkpoints.where('projectId').equals(id).delete();
    await db.snapshots.where('projectId').equals(id).delete();
    await db.projects.delete(id);
    return ok(deleted);
  }));
}

/** Undoes deleteProject: puts everything back as it was, in one transaction. */
export function restoreProject(db: CeldaDatabase, deleted: DeletedProject): Promise<Stored<ProjectRecord>> {
  return guard(() => db.transaction('rw', db.allTables, async () => {
    const out: Diagnostic[] = [];
    readProject(deleted.project, 'project', out);
    if (out.length > 0) return invalid('project', out);
    await db.projects.put(deleted.project);
    await db.runs.bulkPut([...deleted.runs]);
    await db.checkpoints.bulkPut([...deleted.checkpoints]);
    await db.snapshots.bulkPut([...deleted.snapshots]);
    return ok(deleted.project);
  }));
}

/**
 * Saves the project if nobody else saved it since `expectedRevision`; otherwise
 * keeps both versions (see the top of this file). One transaction.
 */
export function saveProject(
  db: CeldaDatabase, project: ProjectInput & { readonly id: string }, expectedRevision: number,
  /** The copy's name, in the UI's language; by default "… (conflict)". */
  conflictName: (name: string) => string = (name) => `${name} (conflict)`,
): Promise<SaveResult> {
  return guard(() => db.transaction('rw', db.projects, async (): Promise<SaveResult> => {
    const checked = check(project);
    if (!checked.ok) return invalid('project', checked.diagnostics);
    const stored = await db.projects.get(project.id);
    if (!stored) return notFound(project.id);
    const now = Date.now();
    if (stored.revision !== expectedRevision) {
      const name = conflictName(checked.body.name.slice(0, 180));
      const copy: ProjectRecord = { id: newId(), ...checked.body, name, createdAt: now, updatedAt: now, revision: 1 };
      await db.projects.add(copy);
      return { status: 'conflict', current: stored, copy };
    }
    const saved: ProjectRecord = { ...stored, ...checked.body, updatedAt: now, revision: stored.revision + 1 };
    await db.projects.put(saved);
    return { status: 'saved', revision: saved.revision, project: saved };
  }));
}

/** Keeps the project's current cell and view as a named version. */
export function snapshotProject(db: CeldaDatabase, id: string, name: string): Promise<Stored<SnapshotRecord>> {
  return guard(() => db.transaction('rw', db.projects, db.snapshots, async () => {
    const out: Diagnostic[] = [];
    const checkedName = readText(name, 'name', out);
    if (out.length > 0) return invalid('snapshot', out);
    const project = await db.projects.get(id);
    if (!project) return notFound(id);
    const snapshot: SnapshotRecord = { id: newId(), projectId: id, createdAt: Date.now(), name: checkedName, cell: project.cell, view: project.view };
    await db.snapshots.add(snapshot);
    return ok(snapshot);
  }));
}

/** A project's snapshots, newest first. */
export function listSnapshots(db: CeldaDatabase, projectId: string): Promise<Stored<SnapshotRecord[]>> {
  return guard(async () => {
    const snapshots = await db.snapshots.where('projectId').equals(projectId).toArray();
    return ok(snapshots.sort((a, b) => b.createdAt - a.createdAt));
  });
}
