/**
 * Checks for everything that enters the database: records from the app and
 * whole files from outside. Untrusted values in, typed values and diagnostics
 * out; callers write only when no error was reported.
 */
import { UNSAFE_TEXT, type Cell } from '../model/cell';
import { error, underPath, type Diagnostic } from '../model/diagnostics';
import { loadCell } from '../model/load';
import { loadLesson } from '../lessons/load';
import { show, type FieldExpectation } from '../model/messages';
import type {
  CanvasView, CheckpointRecord, JsonObject, JsonValue, LessonRecord, MetricSeries, ProjectRecord, ProjectSettings, RunRecord, RunStatus,
  SnapshotRecord, TensorRecord,
} from './db';

export const STORAGE_LIMITS = {
  name: 200,
  text: 10_000,
  records: 10_000,
  jsonDepth: 8,
  jsonItems: 10_000,
  metricPoints: 1_000_000,
  tensors: 10_000,
  /** Floats in one tensor. */
  floats: 1 << 24,
  coordinate: 1e7,
} as const;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const HASH = /^[0-9a-f]{16}$/;
const RUN_STATUS: readonly RunStatus[] = ['queued', 'running', 'done', 'stopped', 'failed'];
const NOTATIONS = ['tutorial', 'olah', 'pytorch'];

type Out = Diagnostic[];

function bad(out: Out, path: string, expected: FieldExpectation, got: unknown): void {
  out.push(error('bad-field', { field: path, expected, got: show(got) }, { path }));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function record(v: unknown, path: string, out: Out): Record<string, unknown> {
  if (isRecord(v)) return v;
  bad(out, path, { kind: 'object' }, v);
  return {};
}

export function readText(v: unknown, path: string, out: Out, max: number = STORAGE_LIMITS.name): string {
  if (typeof v === 'string' && v.length <= max && !UNSAFE_TEXT.test(v)) return v;
  bad(out, path, { kind: 'text', max }, v);
  return '';
}

export function readNumber(v: unknown, path: string, out: Out, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = opts;
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) return v;
  bad(out, path, { kind: 'number', min, max, integer }, v);
  return min;
}

const readTime = (v: unknown, path: string, out: Out) => readNumber(v, path, out, { min: 0, max: 8.64e15, integer: true });

export function readId(v: unknown, path: string, out: Out): string {
  if (typeof v === 'string' && ID.test(v)) return v;
  bad(out, path, { kind: 'id' }, v);
  return '';
}

function readHash(v: unknown, path: string, out: Out): string {
  if (typeof v === 'string' && HASH.test(v)) return v;
  bad(out, path, { kind: 'hash' }, v);
  return '';
}

function list<T>(v: unknown, path: string, out: Out, max: number, item: (x: unknown, path: string) => T): T[] {
  if (!Array.isArray(v)) {
    bad(out, path, { kind: 'list' }, v);
    return [];
  }
  if (v.length > max) {
    out.push(error('too-many', { field: path, max, count: v.length, of: 'items' }, { path }));
    return [];
  }
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

/** Keys that would reach Object.prototype, and over-long ones, are refused. */
function safeKey(key: string, path: string, out: Out): boolean {
  if (key.length <= 64 && !(key in Object.prototype)) return true;
  out.push(error('bad-key', { field: path, key: show(key) }, { path }));
  return false;
}

/** Plain JSON: finite numbers, bounded text, depth and size, no prototype keys. */
export function readJson(v: unknown, path: string, out: Out, depth = 0): JsonValue {
  if (depth > STORAGE_LIMITS.jsonDepth) {
    out.push(error('too-deep', { field: path, max: STORAGE_LIMITS.jsonDepth }, { path }));
    return null;
  }
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return readNumber(v, path, out);
  if (typeof v === 'string') return readText(v, path, out, STORAGE_LIMITS.text);
  if (Array.isArray(v)) return list(v, path, out, STORAGE_LIMITS.jsonItems, (x, p) => readJson(x, p, out, depth + 1));
  if (isRecord(v)) return readJsonObject(v, path, out, depth);
  bad(out, path, { kind: 'json' }, v);
  return null;
}

function readJsonObject(v: unknown, path: string, out: Out, depth = 0): JsonObject {
  const entries = Object.entries(record(v, path, out));
  if (entries.length > 256) {
    out.push(error('too-many', { field: path, max: 256, count: entries.length, of: 'keys' }, { path }));
    return {};
  }
  const result: JsonObject = {};
  for (const [k, x] of entries) if (safeKey(k, `${path}.${k.slice(0, 64)}`, out)) result[k] = readJson(x, `${path}.${k}`, out, depth + 1);
  return result;
}

export function readView(v: unknown, path: string, out: Out): CanvasView {
  const r = record(v, path, out);
  const c = STORAGE_LIMITS.coordinate;
  return {
    x: readNumber(r.x, `${path}.x`, out, { min: -c, max: c }),
    y: readNumber(r.y, `${path}.y`, out, { min: -c, max: c }),
    zoom: readNumber(r.zoom, `${path}.zoom`, out, { min: 0.01, max: 100 }),
  };
}

export function readSettings(v: unknown, path: string, out: Out): ProjectSettings {
  const s = readJsonObject(v, path, out);
  if (s.notation !== undefined && !NOTATIONS.includes(s.notation as string)) bad(out, `${path}.notation`, { kind: 'one-of', options: NOTATIONS }, s.notation);
  if (s.task !== undefined && typeof s.task !== 'string') bad(out, `${path}.task`, { kind: 'task' }, s.task);
  return s as ProjectSettings;
}

/** The cell goes through the same loader as a cell file; its diagnostics are re-pathed under `path`. */
export function readCell(v: unknown, path: string, out: Out): Cell {
  const loaded = loadCell(v);
  if (loaded.ok) return loaded.value;
  out.push(...loaded.diagnostics.map((d) => underPath(path, d)));
  return v as Cell;
}

export interface ProjectBody { name: string; cell: Cell; view: CanvasView; settings: ProjectSettings }

export function readProjectBody(v: unknown, path: string, out: Out): ProjectBody {
  const r = record(v, path, out);
  return {
    name: readText(r.name, `${path}.name`, out),
    cell: readCell(r.cell, `${path}.cell`, out),
    view: readView(r.view, `${path}.view`, out),
    settings: readSettings(r.settings ?? {}, `${path}.settings`, out),
  };
}

export function readProject(v: unknown, path: string, out: Out): ProjectRecord {
  const r = record(v, path, out);
  return {
    id: readId(r.id, `${path}.id`, out),
    ...readProjectBody(r, path, out),
    createdAt: readTime(r.createdAt, `${path}.createdAt`, out),
    updatedAt: readTime(r.updatedAt, `${path}.updatedAt`, out),
    revision: readNumber(r.revision, `${path}.revision`, out, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
  };
}

function readMetric(v: unknown, path: string, out: Out): MetricSeries {
  const r = record(v, path, out);
  const max = STORAGE_LIMITS.metricPoints;
  const steps = list(r.steps, `${path}.steps`, out, max, (x, p) => readNumber(x, p, out, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  const values = list(r.values, `${path}.values`, out, max, (x, p) => (x === null ? null : readNumber(x, p, out)));
  if (steps.length !== values.length) out.push(error('bad-field', { field: path, problem: 'lengths-differ' }, { path }));
  return { name: readText(r.name, `${path}.name`, out), steps, values };
}

/** A run; `projectId` is not read from files (the importer assigns it). */
export function readRun(v: unknown, path: string, out: Out, withProject = true): RunRecord {
  const r = record(v, path, out);
  const timings: Record<string, number> = {};
  for (const [k, x] of Object.entries(record(r.timings, `${path}.timings`, out))) {
    if (safeKey(k, `${path}.timings`, out)) timings[k] = readNumber(x, `${path}.timings.${k}`, out, { min: 0 });
  }
  if (!RUN_STATUS.includes(r.status as RunStatus)) bad(out, `${path}.status`, { kind: 'one-of', options: RUN_STATUS }, r.status);
  return {
    id: readId(r.id, `${path}.id`, out),
    projectId: withProject ? readId(r.projectId, `${path}.projectId`, out) : '',
    createdAt: readTime(r.createdAt, `${path}.createdAt`, out),
    config: readJsonObject(r.config, `${path}.config`, out),
    seed: readNumber(r.seed, `${path}.seed`, out, { min: 0, max: 2 ** 32 - 1, integer: true }),
    backend: readText(r.backend, `${path}.backend`, out, 40),
    status: r.status as RunStatus,
    metrics: list(r.metrics, `${path}.metrics`, out, 64, (x, p) => readMetric(x, p, out)),
    timings,
    cellHash: readHash(r.cellHash, `${path}.cellHash`, out),
  };
}

/** Tensor values: a Float64Array in the database, base64 of little-endian float64 in files. */
export type TensorEncoding = 'typed' | 'base64';

function readTensor(v: unknown, path: string, out: Out, encoding: TensorEncoding): TensorRecord {
  const r = record(v, path, out);
  const shape = list(r.shape, `${path}.shape`, out, 4, (x, p) => readNumber(x, p, out, { min: 0, max: STORAGE_LIMITS.floats, integer: true }));
  let values: Float64Array | undefined;
  if (encoding === 'typed') values = r.values instanceof Float64Array ? r.values : undefined;
  else values = typeof r.values === 'string' ? base64ToFloat64(r.values) : undefined;
  if (!values) {
    const field = `${path}.values`;
    if (encoding === 'typed') bad(out, field, { kind: 'typed-array' }, r.values);
    else out.push(error('bad-field', { field, expected: { kind: 'base64' }, got: { undecodable: true } }, { path: field }));
    values = new Float64Array(0);
  } else if (values.length > STORAGE_LIMITS.floats) {
    out.push(error('too-many', { field: `${path}.values`, max: STORAGE_LIMITS.floats, count: values.length, of: 'numbers' }, { path: `${path}.values` }));
  } else {
    const at = values.findIndex((x) => !Number.isFinite(x));
    if (at >= 0) out.push(error('bad-field', { field: `${path}.values[${at}]`, problem: 'not-finite' }, { path: `${path}.values[${at}]` }));
  }
  if (shape.reduce((a, b) => a * b, 1) !== values.length) {
    out.push(error('bad-field', { field: path, problem: 'shape-mismatch', shape, values: values.length }, { path: `${path}.shape` }));
  }
  return { name: readText(r.name, `${path}.name`, out), shape, values };
}

/** A checkpoint; `withParents` false reads a file's, whose project is assigned by the importer. */
export function readCheckpoint(v: unknown, path: string, out: Out, encoding: TensorEncoding, withParents = true): CheckpointRecord {
  const r = record(v, path, out);
  return {
    id: readId(r.id, `${path}.id`, out),
    runId: readId(r.runId, `${path}.runId`, out),
    projectId: withParents ? readId(r.projectId, `${path}.projectId`, out) : '',
    step: readNumber(r.step, `${path}.step`, out, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
    createdAt: readTime(r.createdAt, `${path}.createdAt`, out),
    cellHash: readHash(r.cellHash, `${path}.cellHash`, out),
    tensors: list(r.tensors, `${path}.tensors`, out, STORAGE_LIMITS.tensors, (x, p) => readTensor(x, p, out, encoding)),
  };
}

export function readSnapshot(v: unknown, path: string, out: Out): SnapshotRecord {
  const r = record(v, path, out);
  return {
    id: readId(r.id, `${path}.id`, out),
    projectId: readId(r.projectId, `${path}.projectId`, out),
    createdAt: readTime(r.createdAt, `${path}.createdAt`, out),
    name: readText(r.name, `${path}.name`, out),
    cell: readCell(r.cell, `${path}.cell`, out),
    view: readView(r.view, `${path}.view`, out),
  };
}

/** Reports every id that appears twice in `items`. */
export function checkUnique(items: readonly { id: string }[], path: string, out: Out): void {
  const seen = new Set<string>();
  items.forEach((x, i) => {
    if (x.id && seen.has(x.id)) out.push(error('duplicate-id', { field: `${path}[${i}].id`, id: x.id }, { path: `${path}[${i}].id` }));
    seen.add(x.id);
  });
}

export function float64ToBase64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((x, i) => view.setFloat64(i * 8, x, true));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToFloat64(text: string): Float64Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const binary = atob(text);
  if (binary.length % 8 !== 0) return undefined;
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  return Float64Array.from({ length: binary.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/** A stored lesson (a backup's): its id must be the lesson's own, and the lesson must load. */
export function readLessonRecord(v: unknown, path: string, out: Out): LessonRecord {
  const r = record(v, path, out);
  const loaded = loadLesson(r.lesson);
  if (!loaded.ok) out.push(...loaded.diagnostics.map((d) => underPath(`${path}.lesson`, d)));
  else if (loaded.value.id !== r.id) bad(out, `${path}.id`, { kind: 'lesson-id' }, r.id);
  return {
    id: typeof r.id === 'string' ? r.id : '',
    lesson: r.lesson as JsonObject,
    pack: readText(r.pack, `${path}.pack`, out),
    addedAt: readTime(r.addedAt, `${path}.addedAt`, out),
    position: readNumber(r.position, `${path}.position`, out, { min: 0, max: STORAGE_LIMITS.records, integer: true }),
  };
}
