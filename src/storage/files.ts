/**
 * Files: a project as a `.celda.json` file, and whole-database backups.
 * Reading a file checks everything first (the cell through loadCell, every
 * field's type and bounds, links between records) and writes only then, in one
 * transaction: a bad file gets diagnostics and changes nothing.
 *
 * Tensors travel as base64 of little-endian float64, so parameters round-trip bit-exactly.
 */
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import { show, type FileKind, type ItemKind, type LinkTarget } from '../model/messages';
import {
  CURRENT_SCHEMA_VERSION, failure, guard, newId, storageDiagnostic, type CeldaDatabase, type CheckpointRecord,
  type ProjectRecord, type RunRecord, type Stored,
} from './db';
import {
  checkUnique, float64ToBase64, isRecord, readCheckpoint, readLessonRecord, readNumber, readProject, readProjectBody, readRun, readSnapshot,
} from './validate';

export const PROJECT_FILE_FORMAT = 'celda-project';
export const PROJECT_FILE_VERSION = 1;
export const BACKUP_FORMAT = 'celda-backup';
export const BACKUP_VERSION = 1;
/** Largest file read, in characters (checkpoints make files big; the JSON parser needs bounds). */
export const MAX_FILE_CHARS = 64_000_000;
const MAX_RECORDS = 10_000;

export interface ExportOptions {
  readonly includeRuns?: boolean;
  /** Implies includeRuns: a checkpoint belongs to a run. */
  readonly includeCheckpoints?: boolean;
}

const fileCheckpoint = ({ projectId: _p, ...c }: CheckpointRecord) => ({ ...c, tensors: c.tensors.map((t) => ({ ...t, values: float64ToBase64(t.values) })) });
const fileRun = ({ projectId: _p, ...r }: RunRecord) => r;

/** The project as the text of a `.celda.json` file. */
export function exportProject(db: CeldaDatabase, id: string, options: ExportOptions = {}): Promise<Stored<string>> {
  return guard(() => db.transaction('r', db.projects, db.runs, db.checkpoints, async () => {
    const project = await db.projects.get(id);
    if (!project) return failure('not-found', 'There is no such project to export.');
    const runs = options.includeRuns || options.includeCheckpoints ? await db.runs.where('projectId').equals(id).sortBy('createdAt') : undefined;
    const checkpoints = options.includeCheckpoints ? await db.checkpoints.where('projectId').equals(id).sortBy('step') : undefined;
    const { name, cell, view, settings, createdAt } = project;
    const file = {
      format: PROJECT_FILE_FORMAT,
      version: PROJECT_FILE_VERSION,
      project: { name, cell, view, settings, createdAt },
      ...(runs && { runs: runs.map(fileRun) }),
      ...(checkpoints && { checkpoints: checkpoints.map(fileCheckpoint) }),
    };
    return { status: 'ok' as const, value: JSON.stringify(file, null, 2) };
  }));
}

/** Adds the project in `text` (with its runs and checkpoints, under new ids) as a new project. */
export async function importProject(db: CeldaDatabase, text: string): Promise<Result<ProjectRecord>> {
  const parsed = parseFile(text, PROJECT_FILE_FORMAT, PROJECT_FILE_VERSION, 'project');
  if (!parsed.ok) return parsed;
  const file = parsed.value;
  const out: Diagnostic[] = [];
  const body = readProjectBody(file.project, 'project', out);
  const p = isRecord(file.project) ? file.project : {};
  const createdAt = p.createdAt === undefined ? Date.now() : readNumber(p.createdAt, 'project.createdAt', out, { min: 0, max: 8.64e15, integer: true });
  const runs = optionalList(file.runs, 'runs', out, (x, path) => readRun(x, path, out, false));
  const checkpoints = optionalList(file.checkpoints, 'checkpoints', out, (x, path) => readCheckpoint(x, path, out, 'base64', false));
  checkUnique(runs, 'runs', out);
  checkUnique(checkpoints, 'checkpoints', out);
  const runIds = new Map(runs.map((r) => [r.id, newId()]));
  checkpoints.forEach((c, i) => {
    if (!runIds.has(c.runId)) out.push(error('missing-run', { field: `checkpoints[${i}].runId`, id: c.runId }, { path: `checkpoints[${i}].runId` }));
  });
  if (out.length > 0) return { ok: false, diagnostics: out };

  const now = Date.now();
  const project: ProjectRecord = { id: newId(), ...body, createdAt, updatedAt: now, revision: 1 };
  const newRuns = runs.map((r) => ({ ...r, id: runIds.get(r.id) as string, projectId: project.id }));
  const newCheckpoints = checkpoints.map((c) => ({ ...c, id: newId(), runId: runIds.get(c.runId) as string, projectId: project.id }));
  return write(project, () => db.transaction('rw', db.projects, db.runs, db.checkpoints, async () => {
    await db.projects.add(project);
    await db.runs.bulkAdd(newRuns);
    await db.checkpoints.bulkAdd(newCheckpoints);
  }));
}

export interface BackupCounts { readonly projects: number; readonly runs: number; readonly checkpoints: number; readonly snapshots: number; readonly lessons: number }

/** The whole database as text, read in one transaction. */
export function backupDatabase(db: CeldaDatabase): Promise<Stored<string>> {
  return guard(() => db.transaction('r', db.allTables, async () => {
    const file = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      projects: await db.projects.toArray(),
      runs: await db.runs.toArray(),
      checkpoints: (await db.checkpoints.toArray()).map((c) => ({ ...fileCheckpoint(c), projectId: c.projectId })),
      snapshots: await db.snapshots.toArray(),
      lessons: await db.lessons.toArray(),
    };
    return { status: 'ok' as const, value: JSON.stringify(file) };
  }));
}

/** Replaces the whole database with a backup: all checked first, then cleared and written in one transaction. */
export async function restoreDatabase(db: CeldaDatabase, text: string): Promise<Result<BackupCounts>> {
  const parsed = parseFile(text, BACKUP_FORMAT, BACKUP_VERSION, 'backup');
  if (!parsed.ok) return parsed;
  const file = parsed.value;
  const out: Diagnostic[] = [];
  const projects = requiredList(file.projects, 'projects', out, (x, path) => readProject(x, path, out));
  const runs = requiredList(file.runs, 'runs', out, (x, path) => readRun(x, path, out));
  const checkpoints = requiredList(file.checkpoints, 'checkpoints', out, (x, path) => readCheckpoint(x, path, out, 'base64'));
  const snapshots = requiredList(file.snapshots, 'snapshots', out, (x, path) => readSnapshot(x, path, out));
  // Backups made before workshop packs have no lessons.
  const lessons = optionalList(file.lessons, 'lessons', out, (x, path) => readLessonRecord(x, path, out));
  for (const [items, path] of [[projects, 'projects'], [runs, 'runs'], [checkpoints, 'checkpoints'], [snapshots, 'snapshots'], [lessons, 'lessons']] as const) {
    checkUnique(items, path, out);
  }
  const projectIds = new Set(projects.map((p) => p.id));
  const runIds = new Set(runs.map((r) => r.id));
  const link = (ok: boolean, path: string, target: LinkTarget) => { if (!ok) out.push(error('missing-link', { field: path, target }, { path })); };
  runs.forEach((r, i) => link(projectIds.has(r.projectId), `runs[${i}].projectId`, 'project'));
  checkpoints.forEach((c, i) => {
    link(projectIds.has(c.projectId), `checkpoints[${i}].projectId`, 'project');
    link(runIds.has(c.runId), `checkpoints[${i}].runId`, 'run');
  });
  snapshots.forEach((s, i) => link(projectIds.has(s.projectId), `snapshots[${i}].projectId`, 'project'));
  if (out.length > 0) return { ok: false, diagnostics: out };

  const counts = { projects: projects.length, runs: runs.length, checkpoints: checkpoints.length, snapshots: snapshots.length, lessons: lessons.length };
  return write(counts, () => db.transaction('rw', db.allTables, async () => {
    await Promise.all(db.allTables.map((t) => t.clear()));
    await db.projects.bulkAdd(projects);
    await db.runs.bulkAdd(runs);
    await db.checkpoints.bulkAdd(checkpoints);
    await db.snapshots.bulkAdd(snapshots);
    await db.lessons.bulkAdd(lessons);
  }));
}

/** The text of a Celda file of `format`: JSON, an object, that format, a version this app reads. */
export function parseFile(text: string, format: string, version: number, file: Exclude<FileKind, 'cell'>): Result<Record<string, unknown>> {
  const fail = (d: Diagnostic): Result<Record<string, unknown>> => ({ ok: false, diagnostics: [d] });
  if (typeof text !== 'string') return fail(error('not-json', { notText: true }));
  if (text.length > MAX_FILE_CHARS) return fail(error('file-too-large', { chars: text.length, max: MAX_FILE_CHARS }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(error('not-json', { detail: (e as Error).message.slice(0, 200) }));
  }
  if (!isRecord(json)) return fail(error('not-an-object', { file }, { path: '' }));
  if (json.format !== format) return fail(error('wrong-format', { file, expected: format, got: show(json.format) }, { path: 'format' }));
  if (typeof json.version === 'number' && Number.isInteger(json.version) && json.version > version) {
    return fail(error('newer-version', { file, version: json.version, supported: version }, { path: 'version' }));
  }
  if (json.version !== version) return fail(error('bad-version', { got: show(json.version), expected: version }, { path: 'version' }));
  return { ok: true, value: json, diagnostics: [] };
}

function optionalList<T>(v: unknown, path: string, out: Diagnostic[], item: (x: unknown, path: string) => T): T[] {
  return v === undefined ? [] : requiredList(v, path, out, item);
}

/** A list of at most `limit.max` items, each read by `item`; a longer one is refused unread. */
export function requiredList<T>(
  v: unknown, path: string, out: Diagnostic[], item: (x: unknown, path: string) => T,
  limit: { readonly max: number; readonly of: ItemKind } = { max: MAX_RECORDS, of: 'records' },
): T[] {
  if (!Array.isArray(v)) {
    out.push(error('bad-field', { field: path, expected: { kind: 'list' }, got: show(v) }, { path }));
    return [];
  }
  if (v.length > limit.max) {
    out.push(error('too-many', { field: path, max: limit.max, count: v.length, of: limit.of }, { path }));
    return [];
  }
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

/** Runs the write transaction; a storage failure comes back as a diagnostic. */
export async function write<T>(value: T, transaction: () => Promise<void>): Promise<Result<T>> {
  try {
    await transaction();
    return { ok: true, value, diagnostics: [] };
  } catch (e) {
    return { ok: false, diagnostics: [storageDiagnostic(e)] };
  }
}
