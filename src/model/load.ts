/**
 * Loading a cell file: untrusted input in, a typed Cell or diagnostics out.
 * Nothing here throws at the caller, evaluates anything, or trusts a field's type.
 */
import { error, hasErrors, type Diagnostic, type Result } from './diagnostics';
import {
  CELL_FORMAT, CELL_FORMAT_VERSION, ID_PATTERN, LIMITS, UNSAFE_TEXT, type Cell, type CellNode, type Connection, type ParamValue,
} from './cell';
import { SIZE_NAME } from './sizes';

/** Upgrades a file of version `from` to version `from + 1`. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations by source version. Version 1 is the first format, so the table is
 * empty; a future version 2 adds `1: (v1) => v2` here and a fixture test.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export interface LoadOptions {
  migrations?: Readonly<Record<number, Migration>>;
  /** Largest accepted JSON text, in characters. */
  maxTextLength?: number;
}

const MAX_TEXT = 5_000_000;

export function loadCellText(text: string, options: LoadOptions = {}): Result<Cell> {
  const max = options.maxTextLength ?? MAX_TEXT;
  if (text.length > max) return fail(error('file-too-large', `The file has ${text.length} characters; the limit is ${max}.`));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(error('not-json', `The file is not valid JSON: ${(e as Error).message}`));
  }
  return loadCell(json, options);
}

export function loadCell(json: unknown, options: LoadOptions = {}): Result<Cell> {
  if (!isRecord(json)) return fail(error('not-an-object', 'A cell file must be a JSON object.', { path: '' }));
  if (json.format !== CELL_FORMAT) {
    return fail(error('wrong-format', `The "format" field must be "${CELL_FORMAT}", got ${preview(json.format)}.`, { path: 'format' }));
  }
  const migrated = migrate(json, options.migrations ?? MIGRATIONS);
  if (!migrated.ok) return migrated;
  const diagnostics: Diagnostic[] = [];
  const cell = readCell(migrated.value, diagnostics);
  return hasErrors(diagnostics) ? fail(...diagnostics) : { ok: true, value: cell, diagnostics };
}

function migrate(json: Record<string, unknown>, migrations: Readonly<Record<number, Migration>>): Result<Record<string, unknown>> {
  let current = json;
  let version = current.version;
  if (!Number.isInteger(version) || (version as number) < 1) {
    return fail(error('bad-version', `The "version" field must be a whole number ≥ 1, got ${preview(version)}.`, { path: 'version' }));
  }
  while ((version as number) < CELL_FORMAT_VERSION) {
    const step = migrations[version as number];
    if (!step) return fail(error('no-migration', `No migration from cell format version ${version}.`, { path: 'version' }));
    try {
      current = step(current);
    } catch (e) {
      return fail(error('migration-failed', `Upgrading from version ${version} failed: ${e instanceof Error ? e.message : String(e)}`, { path: 'version' }));
    }
    version = (version as number) + 1;
    current = { ...current, version };
  }
  if (version !== CELL_FORMAT_VERSION) {
    return fail(error('newer-version', `This file uses cell format version ${version}; this Celda reads up to version ${CELL_FORMAT_VERSION}. Update Celda to open it.`, { path: 'version' }));
  }
  return { ok: true, value: current, diagnostics: [] };
}

function readCell(json: Record<string, unknown>, out: Diagnostic[]): Cell {
  return {
    format: CELL_FORMAT,
    version: CELL_FORMAT_VERSION,
    metadata: readMetadata(json.metadata, out),
    sizes: readSizes(json.sizes, out),
    nodes: readNodes(json.nodes, out),
    connections: readConnections(json.connections, out),
  };
}

function readMetadata(raw: unknown, out: Diagnostic[]): Cell['metadata'] {
  if (!isRecord(raw)) {
    out.push(error('bad-metadata', 'The "metadata" field must be an object with at least a "name".', { path: 'metadata' }));
    return { name: '', description: '' };
  }
  const name = readText(raw.name, 'metadata.name', LIMITS.labelLength, out, true) ?? '';
  const description = readText(raw.description, 'metadata.description', LIMITS.textLength, out, false) ?? '';
  const author = readText(raw.author, 'metadata.author', LIMITS.labelLength, out, false);
  const notes = readText(raw.notes, 'metadata.notes', LIMITS.textLength, out, false);
  return { name, description, ...(author !== undefined && { author }), ...(notes !== undefined && { notes }) };
}

function readSizes(raw: unknown, out: Diagnostic[]): Cell['sizes'] {
  if (!isRecord(raw)) {
    out.push(error('bad-sizes', 'The "sizes" field must be an object like {"input": 8, "hidden": 16}.', { path: 'sizes' }));
    return { input: 1, hidden: 1, named: {} };
  }
  const input = readSizeValue(raw.input, 'sizes.input', out);
  const hidden = readSizeValue(raw.hidden, 'sizes.hidden', out);
  const named: Record<string, number> = {};
  if (raw.named !== undefined) {
    if (!isRecord(raw.named)) out.push(error('bad-sizes', 'The "sizes.named" field must be an object of name → size.', { path: 'sizes.named' }));
    else {
      const entries = Object.entries(raw.named);
      if (entries.length > LIMITS.namedSizes) out.push(error('too-many-sizes', `At most ${LIMITS.namedSizes} named sizes are allowed, got ${entries.length}.`, { path: 'sizes.named' }));
      for (const [name, value] of entries.slice(0, LIMITS.namedSizes)) {
        const path = `sizes.named.${name.slice(0, 40)}`;
        if (!SIZE_NAME.test(name) || name === 'input' || name === 'hidden' || name in Object.prototype) {
          out.push(error('bad-size-name', `Size name ${preview(name)} must start with a letter, use letters, digits or _, and not be "input", "hidden" or a JavaScript object property such as "constructor".`, { path }));
        } else named[name] = readSizeValue(value, path, out);
      }
    }
  }
  return { input, hidden, named };
}

function readSizeValue(raw: unknown, path: string, out: Diagnostic[]): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > LIMITS.size) {
    out.push(error('bad-size', `${path} must be a whole number from 1 to ${LIMITS.size}, got ${preview(raw)}.`, { path }));
    return 1;
  }
  return raw;
}

function readNodes(raw: unknown, out: Diagnostic[]): CellNode[] {
  if (!Array.isArray(raw)) {
    out.push(error('bad-nodes', 'The "nodes" field must be a list.', { path: 'nodes' }));
    return [];
  }
  if (raw.length > LIMITS.nodes) {
    out.push(error('too-many-nodes', `A cell may have at most ${LIMITS.nodes} nodes; this file has ${raw.length}.`, { path: 'nodes' }));
    return [];
  }
  const nodes: CellNode[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const node = readNode(item, `nodes[${i}]`, out);
    if (!node) return;
    if (seen.has(node.id)) {
      out.push(error('duplicate-node-id', `Two nodes share the id "${node.id}".`, { path: `nodes[${i}].id`, nodeId: node.id }));
      return;
    }
    seen.add(node.id);
    nodes.push(node);
  });
  return nodes;
}

function readNode(raw: unknown, path: string, out: Diagnostic[]): CellNode | undefined {
  if (!isRecord(raw)) {
    out.push(error('bad-node', `${path} must be an object with "id", "kind", "params" and "position".`, { path }));
    return undefined;
  }
  if (typeof raw.id !== 'string' || !ID_PATTERN.test(raw.id)) {
    out.push(error('bad-node-id', `${path}.id must be 1–${LIMITS.idLength} characters from A–Z, a–z, 0–9, "_", ".", ":" or "-"; got ${preview(raw.id)}.`, { path: `${path}.id` }));
    return undefined;
  }
  const id = raw.id;
  // Parameters and side tables are keyed by node id: "__proto__" or "constructor" would reach Object.prototype.
  if (id in Object.prototype) {
    out.push(error('reserved-node-id', `Node id ${JSON.stringify(id)} is a reserved name in JavaScript objects; rename the node.`, { path: `${path}.id`, nodeId: id }));
    return undefined;
  }
  if (typeof raw.kind !== 'string' || raw.kind.length === 0 || raw.kind.length > 40) {
    out.push(error('bad-node-kind', `Node ${id}: "kind" must be a node kind name, got ${preview(raw.kind)}.`, { path: `${path}.kind`, nodeId: id }));
    return undefined;
  }
  const label = readText(raw.label, `${path}.label`, LIMITS.labelLength, out, false, id);
  const params = readParams(raw.params, `${path}.params`, id, out);
  const position = readPosition(raw.position, `${path}.position`, id, out);
  return { id, kind: raw.kind, ...(label !== undefined && label !== '' && { label }), params, position };
}

function readParams(raw: unknown, path: string, nodeId: string, out: Diagnostic[]): Record<string, ParamValue> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    out.push(error('bad-params', `Node ${nodeId}: "params" must be an object.`, { path, nodeId }));
    return {};
  }
  const params: Record<string, ParamValue> = {};
  const entries = Object.entries(raw);
  if (entries.length > 32) {
    out.push(error('bad-params', `Node ${nodeId}: too many params (${entries.length}).`, { path, nodeId }));
    return {};
  }
  for (const [key, value] of entries) {
    const ok = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 200);
    if (key in Object.prototype) {
      out.push(error('unknown-param', `Node ${nodeId}: ${JSON.stringify(key)} is not a param name.`, { path: `${path}.${key.slice(0, 40)}`, nodeId, port: key.slice(0, 40) }));
    } else if (!ok || key.length > 40) {
      out.push(error('bad-param-value', `Node ${nodeId}: param ${preview(key)} must be a finite number, a boolean or a short string; got ${preview(value)}.`, { path: `${path}.${key.slice(0, 40)}`, nodeId }));
    } else params[key] = value as ParamValue;
  }
  return params;
}

function readPosition(raw: unknown, path: string, nodeId: string, out: Diagnostic[]): CellNode['position'] {
  if (raw === undefined) return { x: 0, y: 0 };
  const valid = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= LIMITS.coordinate;
  if (!isRecord(raw) || !valid(raw.x) || !valid(raw.y)) {
    out.push(error('bad-position', `Node ${nodeId}: "position" must be {"x": number, "y": number} with finite coordinates.`, { path, nodeId }));
    return { x: 0, y: 0 };
  }
  return { x: raw.x as number, y: raw.y as number };
}

function readConnections(raw: unknown, out: Diagnostic[]): Connection[] {
  if (!Array.isArray(raw)) {
    out.push(error('bad-connections', 'The "connections" field must be a list.', { path: 'connections' }));
    return [];
  }
  if (raw.length > LIMITS.connections) {
    out.push(error('too-many-connections', `A cell may have at most ${LIMITS.connections} connections; this file has ${raw.length}.`, { path: 'connections' }));
    return [];
  }
  const connections: Connection[] = [];
  raw.forEach((item, i) => {
    const path = `connections[${i}]`;
    const fields = ['from', 'fromPort', 'to', 'toPort'] as const;
    if (!isRecord(item) || !fields.every((f) => typeof item[f] === 'string' && (item[f] as string).length <= LIMITS.idLength)) {
      out.push(error('bad-connection', `${path} must be {"from", "fromPort", "to", "toPort"} with short strings.`, { path }));
      return;
    }
    connections.push({ from: item.from as string, fromPort: item.fromPort as string, to: item.to as string, toPort: item.toPort as string });
  });
  return connections;
}

function readText(raw: unknown, path: string, max: number, out: Diagnostic[], required: boolean, nodeId?: string): string | undefined {
  if (raw === undefined && !required) return undefined;
  if (typeof raw !== 'string' || raw.length > max || UNSAFE_TEXT.test(raw)) {
    out.push(error('bad-text', `${path} must be text of at most ${max} characters without control characters or bidi overrides; got ${preview(raw)}.`, { path, ...(nodeId && { nodeId }) }));
    return undefined;
  }
  return raw;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of an untrusted value for a message. */
export function preview(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  else if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) s = String(v);
  else if (Array.isArray(v)) s = `a list of ${v.length}`;
  else s = typeof v;
  return s;
}

function fail<T>(...diagnostics: Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}
