/**
 * The params file: a cell's learned tensors as plain JSON, written by `celda init`
 * and read by `celda run`. It is untrusted input like a cell file, so reading it
 * checks everything and never throws. Core code: no Node imports (the CLI does IO).
 *
 * ```json
 * { "format": "celda-params", "version": 1,
 *   "sizes": { "input": 3, "hidden": 4, "proj": 2 },
 *   "seed": 1,
 *   "params": {
 *     "Wf":    { "W": [[0.1, -0.2, ...], [...]], "b": [1, 1, 1, 1] },
 *     "peep":  { "p": [0.5, 0.5, 0.5, 0.5] },
 *     "a":     { "init": [0, 0, 0, 0] } } }
 * ```
 *
 * - `sizes`: every size the program was lowered with (input, hidden and the cell's
 *   named sizes), flat. A reader lowers the cell with these sizes, then checks that
 *   they all agree with the program.
 * - `seed`: optional, the seed the values were initialised from (informational).
 * - `params`: by node id, then by the node's tensor name. A matrix (linear's `W`) is
 *   `[out rows][in cols]`, its columns in the concat port order of what the node
 *   reads (for `[a_{t-1}, x_t]`: the H columns of a_{t-1}, then the X of x_t).
 *   A vector (`b`, a scale's `p`, a state's learned `init`) is a flat list.
 *   Every tensor of the program must be present with its exact shape, no other
 *   node id or tensor name may appear, and every number must be finite.
 */
import type { IrProgram, IrTensor } from '../compiler/ir';
import { LIMITS } from '../model/cell';
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import { show, showKind, type TensorProblem } from '../model/messages';
import type { Parameters } from './init';
import { JSON_NUMBER_BYTES } from './memory';

export const PARAMS_FORMAT = 'celda-params';
export const PARAMS_FORMAT_VERSION = 1;

/**
 * The largest params file `celda run` (and `export --params`) reads, and so the largest one
 * `celda init` writes: one bound, so init never writes a file run refuses.
 */
export const MAX_PARAMS_FILE_BYTES = 256 * 1024 * 1024;

/** Format, version, seed and up to LIMITS.namedSizes + 2 sizes, generously. */
const HEADER_BYTES = 8 * 1024;
/** A node's or tensor's key line and brackets (ids have at most LIMITS.idLength characters). */
const ENTRY_BYTES = 2 * LIMITS.idLength + 32;
/** A matrix row's indentation, brackets, comma and newline. */
const ROW_BYTES = 16;

/**
 * An upper bound on the bytes of `program`'s params file as `celda init` writes it (one row of
 * a matrix per line, every number at its longest), from the shapes alone.
 */
export function paramsFileBytesBound(program: IrProgram): number {
  return program.tensors.reduce((sum, t) => {
    const rows = t.shape.length === 2 ? t.shape[0] : 1;
    return sum + 2 * ENTRY_BYTES + rows * ROW_BYTES + t.shape.reduce((a, b) => a * b, 1) * JSON_NUMBER_BYTES;
  }, HEADER_BYTES);
}

/** A vector, or a matrix as rows. */
export type TensorJson = number[] | number[][];

export interface ParamsFileJson {
  readonly format: typeof PARAMS_FORMAT;
  readonly version: typeof PARAMS_FORMAT_VERSION;
  readonly sizes: Readonly<Record<string, number>>;
  readonly seed?: number;
  readonly params: Readonly<Record<string, Readonly<Record<string, TensorJson>>>>;
}

/** The sizes a params file was made for, to lower the cell with before reading the tensors. */
export interface ParamsFileSizes {
  readonly input: number;
  readonly hidden: number;
  readonly named: Readonly<Record<string, number>>;
}

/** At most this many problems are listed per file, so a broken file gives a readable report. */
const MAX_DIAGNOSTICS = 50;

/** A row-major tensor as JSON: rows for a matrix, a flat list for a vector. */
export function tensorToJson(shape: IrTensor['shape'], data: Float64Array): TensorJson {
  if (shape.length === 1) return Array.from(data);
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}

/** Parameters of `program` in the params-file layout (tensors in program order). */
export function paramsToJson(program: IrProgram, params: Parameters, seed?: number): ParamsFileJson {
  const out: Record<string, Record<string, TensorJson>> = {};
  for (const t of program.tensors) {
    const data = Object.hasOwn(params, t.nodeId) && Object.hasOwn(params[t.nodeId], t.name) ? params[t.nodeId][t.name] : undefined;
    if (!data) throw new Error(`paramsToJson: no values for tensor ${t.name} of node ${t.nodeId}`);
    ownEntry(out, t.nodeId, (): Record<string, TensorJson> => ({}))[t.name] = tensorToJson(t.shape, data);
  }
  return {
    format: PARAMS_FORMAT,
    version: PARAMS_FORMAT_VERSION,
    sizes: orderedSizes(program.sizes),
    ...(seed !== undefined && { seed }),
    params: out,
  };
}

/** input and hidden first, then the named sizes in their order. */
function orderedSizes(sizes: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { input: sizes.input, hidden: sizes.hidden };
  for (const [name, n] of Object.entries(sizes)) if (name !== 'input' && name !== 'hidden') out[name] = n;
  return out;
}

/**
 * Reads the header (format, version, sizes) only: the CLI lowers the cell with
 * these sizes before calling paramsFromJson.
 */
export function paramsFileSizes(json: unknown): Result<ParamsFileSizes> {
  const out: Diagnostic[] = [];
  const header = readHeader(json, out);
  if (!header) return { ok: false, diagnostics: out };
  const { input, hidden, ...named } = header.sizes;
  for (const [name, n] of [['input', input], ['hidden', hidden]] as const) {
    if (n === undefined) out.push(error('params-missing-size', { size: name }, { path: `sizes.${name}` }));
  }
  if (out.length > 0) return { ok: false, diagnostics: out };
  return { ok: true, value: { input, hidden, named }, diagnostics: [] };
}

/** Checks untrusted JSON against the program's tensors; never throws. */
export function paramsFromJson(program: IrProgram, json: unknown): Result<Parameters> {
  const out: Diagnostic[] = [];
  const header = readHeader(json, out);
  if (!header) return { ok: false, diagnostics: out };
  checkSizes(program, header.sizes, out);
  const raw = (json as Record<string, unknown>).params;
  if (!isRecord(raw)) {
    out.push(error('params-bad-params', {}, { path: 'params' }));
    return { ok: false, diagnostics: out };
  }
  const owners = new Map<string, Map<string, IrTensor>>();
  for (const t of program.tensors) {
    const byName = owners.get(t.nodeId) ?? new Map<string, IrTensor>();
    byName.set(t.name, t);
    owners.set(t.nodeId, byName);
  }
  const fileNodes = Object.keys(raw);
  if (fileNodes.length > 0 && owners.size > 0 && !fileNodes.some((id) => owners.has(id))) {
    const named = { fileNodes: fileNodes.slice(0, 8).map(clip), more: fileNodes.length > 8, cellNodes: [...owners.keys()] };
    out.push(error('params-other-cell', named, { path: 'params' }));
    return { ok: false, diagnostics: out };
  }
  for (const [nodeId, tensors] of Object.entries(raw)) {
    const owned = owners.get(nodeId);
    if (!owned) {
      out.push(error('params-unknown-node', { id: clip(nodeId), known: [...owners.keys()] }, { path: `params.${clip(nodeId)}` }));
      continue;
    }
    if (!isRecord(tensors)) {
      out.push(error('params-bad-node', { id: nodeId, got: showKind(tensors) }, { nodeId, path: `params.${nodeId}` }));
      continue;
    }
    for (const name of Object.keys(tensors)) {
      if (!owned.has(name)) {
        out.push(error('params-unknown-tensor', { id: nodeId, tensor: clip(name), tensors: [...owned.keys()] }, { nodeId, path: `params.${nodeId}.${clip(name)}` }));
      }
    }
  }
  const params: Parameters = {};
  for (const t of program.tensors) {
    const node = Object.hasOwn(raw, t.nodeId) ? raw[t.nodeId] : undefined;
    if (node !== undefined && !isRecord(node)) continue; // already reported
    const value = node !== undefined && Object.hasOwn(node, t.name) ? node[t.name] : undefined;
    const path = `params.${t.nodeId}.${t.name}`;
    if (value === undefined) {
      out.push(error('params-missing-tensor', { id: t.nodeId, tensor: t.name, shape: t.shape }, { nodeId: t.nodeId, path }));
      continue;
    }
    const data = readTensor(value, t, path, out);
    if (data) ownEntry(params, t.nodeId, (): Record<string, Float64Array> => ({}))[t.name] = data;
  }
  if (out.length > 0) return { ok: false, diagnostics: capped(out) };
  return { ok: true, value: params, diagnostics: [] };
}

interface Header {
  readonly sizes: Record<string, number>;
}

function readHeader(json: unknown, out: Diagnostic[]): Header | undefined {
  if (!isRecord(json)) {
    out.push(error('params-not-an-object', { format: PARAMS_FORMAT, got: showKind(json) }, { path: '' }));
    return undefined;
  }
  if (json.format !== PARAMS_FORMAT) {
    out.push(error('params-wrong-format', { expected: PARAMS_FORMAT, got: show(json.format) }, { path: 'format' }));
    return undefined;
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    out.push(error('params-bad-version', { got: show(version) }, { path: 'version' }));
    return undefined;
  }
  if (version !== PARAMS_FORMAT_VERSION) {
    out.push(error('params-newer-version', { version, supported: PARAMS_FORMAT_VERSION }, { path: 'version' }));
    return undefined;
  }
  if (json.seed !== undefined && !(typeof json.seed === 'number' && Number.isInteger(json.seed) && json.seed >= 0 && json.seed <= 0xffffffff)) {
    out.push(error('params-bad-seed', { max: 0xffffffff, got: show(json.seed) }, { path: 'seed' }));
  }
  if (!isRecord(json.sizes)) {
    out.push(error('params-bad-sizes', {}, { path: 'sizes' }));
    return undefined;
  }
  const sizes: Record<string, number> = {};
  const entries = Object.entries(json.sizes);
  if (entries.length > LIMITS.namedSizes + 2) {
    out.push(error('params-bad-sizes', { count: entries.length, max: LIMITS.namedSizes + 2 }, { path: 'sizes' }));
    return undefined;
  }
  for (const [name, n] of entries) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > LIMITS.size) {
      out.push(error('params-bad-size', { field: `sizes.${clip(name)}`, max: LIMITS.size, got: show(n) }, { path: `sizes.${clip(name)}` }));
    } else ownEntry(sizes, name, () => n);
  }
  return out.length > 0 ? undefined : { sizes };
}

function checkSizes(program: IrProgram, sizes: Readonly<Record<string, number>>, out: Diagnostic[]): void {
  for (const [name, n] of Object.entries(program.sizes)) {
    if (!Object.hasOwn(sizes, name)) {
      out.push(error('params-missing-size', { size: name, cell: n }, { path: `sizes.${name}` }));
    } else if (sizes[name] !== n) {
      out.push(error('params-size-mismatch', { size: name, file: sizes[name], cell: n }, { path: `sizes.${name}` }));
    }
  }
  for (const name of Object.keys(sizes)) {
    if (!Object.hasOwn(program.sizes, name)) {
      out.push(error('params-unknown-size', { size: clip(name), known: Object.keys(program.sizes) }, { path: `sizes.${clip(name)}` }));
    }
  }
}

/** The values of one tensor, row-major; reports the first problem it meets. */
function readTensor(value: unknown, t: IrTensor, path: string, out: Diagnostic[]): Float64Array | undefined {
  const report = (problem: TensorProblem, at = path) =>
    out.push(error('params-bad-shape', { id: t.nodeId, tensor: t.name, shape: t.shape, problem }, { nodeId: t.nodeId, path: at }));
  if (!Array.isArray(value)) {
    report({ problem: 'not-a-list', got: showKind(value) });
    return undefined;
  }
  const [rows, cols] = t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  const matrix = t.shape.length === 2;
  if (matrix && value.length !== rows) {
    report({ problem: 'rows', rows: value.length });
    return undefined;
  }
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row: unknown = matrix ? value[r] : value;
    const rowPath = matrix ? `${path}[${r}]` : path;
    if (!Array.isArray(row)) {
      report({ problem: 'row-not-a-list', row: r, got: showKind(row) }, rowPath);
      return undefined;
    }
    if (row.length !== cols) {
      report({ problem: 'length', row: matrix ? r : null, entries: row.length }, rowPath);
      return undefined;
    }
    for (let c = 0; c < cols; c++) {
      const v: unknown = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const index = matrix ? [r, c] : [c];
        out.push(error('params-not-finite', { id: t.nodeId, tensor: t.name, index, got: show(v) }, { nodeId: t.nodeId, path: `${path}${index.map((i) => `[${i}]`).join('')}` }));
        return undefined;
      }
      data[r * cols + c] = v;
    }
  }
  return data;
}

function capped(out: Diagnostic[]): Diagnostic[] {
  if (out.length <= MAX_DIAGNOSTICS) return out;
  return [...out.slice(0, MAX_DIAGNOSTICS), error('params-too-many-errors', { more: out.length - MAX_DIAGNOSTICS })];
}

/** Sets or gets an own entry; never walks the prototype (ids such as "__proto__" stay plain keys). */
function ownEntry<T>(record: Record<string, T>, key: string, make: () => T): T {
  if (!Object.hasOwn(record, key)) Object.defineProperty(record, key, { value: make(), enumerable: true, writable: true, configurable: true });
  return record[key];
}

const clip = (s: string): string => (s.length > 64 ? `${s.slice(0, 64)}…` : s);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
