/**
 * The IndexedDB database (DESIGN §7), through Dexie: the only folder that imports it.
 * The schema is explicit and versioned; every version stays declared so that an
 * old database upgrades step by step. Nothing here throws at the caller: failures
 * come back as `{ status: 'error', code, message }` (see describeStorageError).
 */
import Dexie, { type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import type { Cell } from '../model/cell';
import type { RunRecord as ArenaRun } from '../arena/types';
import { error, type Diagnostic } from '../model/diagnostics';

export const DATABASE_NAME = 'celda';
export const CURRENT_SCHEMA_VERSION = 4;

/** Dexie store specs per version: primary key first, then indexes. A version lists only new or changed tables. */
export const SCHEMA = {
  1: { projects: 'id, name, updatedAt', runs: 'id, projectId, createdAt' },
  2: { checkpoints: 'id, runId, projectId, step', snapshots: 'id, projectId, createdAt, name' },
  3: { lessons: 'id, addedAt' },
  4: { arenaRuns: 'id, cell, savedAt' },
} as const;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CanvasView { readonly x: number; readonly y: number; readonly zoom: number }
export const DEFAULT_VIEW: CanvasView = { x: 0, y: 0, zoom: 1 };

export type Notation = 'tutorial' | 'olah' | 'pytorch';
/** Equations notation, task and training settings: plain, bounded JSON. */
export interface ProjectSettings {
  readonly notation?: Notation;
  readonly task?: string;
  readonly [key: string]: JsonValue | undefined;
}

/** A project: the cell (its sizes included: `cell.sizes` is the one source of truth), canvas view and settings. */
export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly cell: Cell;
  readonly view: CanvasView;
  readonly settings: ProjectSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Bumped by every write; saveProject refuses to overwrite a revision it has not seen. */
  readonly revision: number;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'stopped' | 'failed';

/** A metric over training steps; `null` stands for a non-finite value (a diverged loss). */
export interface MetricSeries { readonly name: string; readonly steps: readonly number[]; readonly values: readonly (number | null)[] }

export interface RunRecord {
  readonly id: string;
  readonly projectId: string;
  readonly createdAt: number;
  /** The training config (TrainConfig and task options) as plain JSON. */
  readonly config: JsonObject;
  readonly seed: number;
  readonly backend: string;
  readonly status: RunStatus;
  readonly metrics: readonly MetricSeries[];
  /** Named durations and times in milliseconds, e.g. `{ totalMs, stepMs }`. */
  readonly timings: Readonly<Record<string, number>>;
  /** cellHash() of the cell the run trained (16 hex digits). */
  readonly cellHash: string;
}

export interface TensorRecord { readonly name: string; readonly shape: readonly number[]; readonly values: Float64Array }

export interface CheckpointRecord {
  readonly id: string;
  readonly runId: string;
  readonly projectId: string;
  readonly step: number;
  readonly createdAt: number;
  readonly cellHash: string;
  /** Trained parameters, readout included, e.g. `Wf.W`, `readout.b`. */
  readonly tensors: readonly TensorRecord[];
}

/**
 * A lesson a workshop pack brought (built-in lessons live in the code, src/lessons/catalog.ts).
 * `lesson` is the lesson as JSON; it goes through loadLesson again whenever it is read.
 */
export interface LessonRecord {
  /** The lesson's own id: a pack with a lesson of the same id replaces it. */
  readonly id: string;
  readonly lesson: JsonObject;
  /** The title of the pack it came from. */
  readonly pack: string;
  readonly addedAt: number;
  /** Its place in that pack: lessons list in pack order. */
  readonly position: number;
}

/**
 * One finished arena run (src/arena), as the Arena panel keeps it. `id` is the run's key and
 * the facts that make it (src/storage/arena.ts arenaRunId): the same (cell, task, seed) trained
 * at another size or with other settings is another row, and a re-run skips what is here.
 */
export interface ArenaRunRow {
  readonly id: string;
  /** The contestant's id (a project's id, "zoo:<id>"). */
  readonly cell: string;
  readonly savedAt: number;
  readonly run: ArenaRun;
}

/** A named version of a project's cell, for "compare with last week". */
export interface SnapshotRecord {
  readonly id: string;
  readonly projectId: string;
  readonly createdAt: number;
  readonly name: string;
  readonly cell: Cell;
  readonly view: CanvasView;
}

export class CeldaDatabase extends Dexie {
  declare projects: EntityTable<ProjectRecord, 'id'>;
  declare runs: EntityTable<RunRecord, 'id'>;
  declare checkpoints: EntityTable<CheckpointRecord, 'id'>;
  declare snapshots: EntityTable<SnapshotRecord, 'id'>;
  declare lessons: EntityTable<LessonRecord, 'id'>;
  declare arenaRuns: EntityTable<ArenaRunRow, 'id'>;

  constructor(name: string = DATABASE_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA[1]);
    this.version(2).stores(SCHEMA[2]).upgrade(upgradeToV2);
    this.version(3).stores(SCHEMA[3]);
    this.version(4).stores(SCHEMA[4]);
  }

  /**
   * Every table of the user's work, for whole-database transactions and backups. Not arenaRuns:
   * arena results are reproducible from their cells and seeds (and leave as CSV), so a backup
   * neither carries nor clears them, and a stale one is never reused (arenaRunId names its cell's hash).
   */
  get allTables() {
    return [this.projects, this.runs, this.checkpoints, this.snapshots, this.lessons];
  }
}

/** Version 1 rows may lack a revision, settings or view: give them the defaults. */
async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx.table('projects').toCollection().modify((p: Record<string, unknown>) => {
    if (!Number.isInteger(p.revision) || (p.revision as number) < 1) p.revision = 1;
    if (typeof p.settings !== 'object' || p.settings === null) p.settings = {};
    if (typeof p.view !== 'object' || p.view === null) p.view = { ...DEFAULT_VIEW };
    if (typeof p.createdAt !== 'number') p.createdAt = typeof p.updatedAt === 'number' ? p.updatedAt : Date.now();
  });
}

export type StorageErrorCode = 'quota' | 'blocked' | 'version' | 'unavailable' | 'closed' | 'not-found' | 'invalid' | 'unknown';
export interface StorageError { readonly code: StorageErrorCode; readonly message: string }

/** A failed storage operation. `diagnostics` name what is wrong when the input was invalid. */
export interface StorageFailure extends StorageError { readonly status: 'error'; readonly diagnostics?: readonly Diagnostic[] }
export type Stored<T> = { readonly status: 'ok'; readonly value: T } | StorageFailure;

export interface OpenOptions {
  /** Another IndexedDB implementation (tests); defaults to the global one. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Called while an older Celda in another tab holds the database open and blocks the upgrade. */
  onBlocked?: (error: StorageError) => void;
}

export type OpenResult = { readonly ok: true; readonly db: CeldaDatabase } | { readonly ok: false; readonly error: StorageError };

/** Opens (creating or upgrading) the database; never throws. */
export async function openDatabase(name: string = DATABASE_NAME, options: OpenOptions = {}): Promise<OpenResult> {
  try {
    const { onBlocked, ...dexieOptions } = options;
    const db = new CeldaDatabase(name, dexieOptions);
    if (onBlocked) db.on('blocked', (event) => onBlocked(describeStorageError(event)));
    await db.open();
    return { ok: true, db };
  } catch (e) {
    return { ok: false, error: describeStorageError(e) };
  }
}

/** Any error from Dexie or IndexedDB as a diagnostic, `storage-quota` … `storage-unknown` (worded in src/model/messages.ts). */
export function storageDiagnostic(e: unknown): Diagnostic {
  const names = errorNames(e);
  const has = (...n: string[]) => n.some((x) => names.has(x));
  if (has('QuotaExceededError')) return error('storage-quota', {});
  if (has('blocked')) return error('storage-blocked', {});
  if (has('VersionError')) return error('storage-version', {});
  if (has('MissingAPIError', 'InvalidStateError', 'SecurityError')) return error('storage-unavailable', {});
  if (has('DatabaseClosedError')) return error('storage-closed', {});
  const detail = e instanceof Error ? e.message : String(e);
  return error('storage-unknown', { detail: detail.slice(0, 200) });
}

/** A clear, person-readable (English) message for any error from Dexie or IndexedDB. */
export function describeStorageError(e: unknown): StorageError {
  const d = storageDiagnostic(e);
  return { code: d.code.replace(/^storage-/, '') as StorageErrorCode, message: d.message };
}

/** Error names along Dexie's wrapping (inner, cause, failures), plus an event's type ('blocked'). */
function errorNames(e: unknown, names = new Set<string>(), depth = 0): Set<string> {
  if (typeof e !== 'object' || e === null || depth > 4) return names;
  const o = e as { name?: unknown; type?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (typeof o.name === 'string') names.add(o.name);
  if (typeof o.type === 'string') names.add(o.type);
  errorNames(o.inner, names, depth + 1);
  errorNames(o.cause, names, depth + 1);
  if (Array.isArray(o.failures)) for (const f of o.failures.slice(0, 10)) errorNames(f, names, depth + 1);
  return names;
}

export function failure(code: StorageErrorCode, message: string, diagnostics?: readonly Diagnostic[]): StorageFailure {
  return { status: 'error', code, message, ...(diagnostics && { diagnostics }) };
}

/** Runs a storage operation, turning any exception into a StorageFailure. */
export async function guard<T extends { status: string }>(work: () => Promise<T>): Promise<T | StorageFailure> {
  try {
    return await work();
  } catch (e) {
    return { status: 'error', ...describeStorageError(e) };
  }
}

export function newId(): string {
  return crypto.randomUUID();
}
