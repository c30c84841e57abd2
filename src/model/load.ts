/**
 * Loading a cell file: untrusted input in, a typed Cell or diagnostics out.
 * Nothing here throws at the caller, evaluates anything, or trusts a field's type.
 */
import { error, hasErrors, type Diagnostic, type Result } from './diagnostics';
import {
  CELL_FORMAT, CELL_FORMAT_VERSION, ID_PATTERN, LIMITS, UNSAFE_TEXT, type Cell, type CellNode, type Connection, type ParamValue,
} from './cell';
import { renderShown, show } from './messages';
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
  if (text.length > max) return fail(error('file-too-large', { chars: text.length, max }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(error('not-json', { detail: (e as Error).message }));
  }
  return loadCell(json, options);
}

export function loadCell(json: unknown, options: LoadOptions = {}): Result<Cell> {
  if (!isRecord(json)) return fail(error('not-an-object', { file: 'cell' }, { path: '' }));
  if (json.format !== CELL_FORMAT) {
    return fail(error('wrong-format', { file: 'cell', expected: CELL_FORMAT, got: show(json.format) }, { path: 'format' }));
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
    return fail(error('bad-version', { got: show(version) }, { path: 'version' }));
  }
  while ((version as number) < CELL_FORMAT_VERSION) {
    const step = migrations[version as number];
    if (!step) return fail(error('no-migration', { version: version as number }, { path: 'version' }));
    try {
      current = step(current);
    } catch (e) {
      return fail(error('migration-failed', { version: version as number, detail: e instanceof Error ? e.message : String(e) }, { path: 'version' }));
    }
    version = (version as number) + 1;
    current = { ...current, version };
  }
  if (version !== CELL_FORMAT_VERSION) {
    return fail(error('newer-version', { file: 'cell', version: version as number, supported: CELL_FORMAT_VERSION }, { path: 'version' }));
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
    out.push(error('bad-metadata', {}, { path: 'metadata' }));
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
    out.push(error('bad-sizes', { field: 'sizes' }, { path: 'sizes' }));
    return { input: 1, hidden: 1, named: {} };
  }
  const input = readSizeValue(raw.input, 'sizes.input', out);
  const hidden = readSizeValue(raw.hidden, 'sizes.hidden', out);
  const named: Record<string, number> = {};
  if (raw.named !== undefined) {
    if (!isRecord(raw.named)) out.push(error('bad-sizes', { field: 'sizes.named' }, { path: 'sizes.named' }));
    else {
      const entries = Object.entries(raw.named);
      if (entries.length > LIMITS.namedSizes) out.push(error('too-many-sizes', { max: LIMITS.namedSizes, count: entries.length }, { path: 'sizes.named' }));
      for (const [name, value] of entries.slice(0, LIMITS.namedSizes)) {
        const path = `sizes.named.${name.slice(0, 40)}`;
        if (!SIZE_NAME.test(name) || name === 'input' || name === 'hidden' || name in Object.prototype) {
          out.push(error('bad-size-name', { name: show(name) }, { path }));
        } else named[name] = readSizeValue(value, path, out);
      }
    }
  }
  return { input, hidden, named };
}

function readSizeValue(raw: unknown, path: string, out: Diagnostic[]): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > LIMITS.size) {
    out.push(error('bad-size', { field: path, max: LIMITS.size, got: show(raw) }, { path }));
    return 1;
  }
  return raw;
}

function readNodes(raw: unknown, out: Diagnostic[]): CellNode[] {
  if (!Array.isArray(raw)) {
    out.push(error('bad-nodes', {}, { path: 'nodes' }));
    return [];
  }
  if (raw.length > LIMITS.nodes) {
    out.push(error('too-many-nodes', { max: LIMITS.nodes, count: raw.length }, { path: 'nodes' }));
    return [];
  }
  const nodes: CellNode[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const node = readNode(item, `nodes[${i}]`, out);
    if (!node) return;
    if (seen.has(node.id)) {
      out.push(error('duplicate-node-id', { id: node.id }, { path: `nodes[${i}].id`, nodeId: node.id }));
      return;
    }
    seen.add(node.id);
    nodes.push(node);
  });
  return nodes;
}

function readNode(raw: unknown, path: string, out: Diagnostic[]): CellNode | undefined {
  if (!isRecord(raw)) {
    out.push(error('bad-node', { field: path }, { path }));
    return undefined;
  }
  if (typeof raw.id !== 'string' || !ID_PATTERN.test(raw.id)) {
    out.push(error('bad-node-id', { field: `${path}.id`, max: LIMITS.idLength, got: show(raw.id) }, { path: `${path}.id` }));
    return undefined;
  }
  const id = raw.id;
  // Parameters and side tables are keyed by node id: "__proto__" or "constructor" would reach Object.prototype.
  if (id in Object.prototype) {
    out.push(error('reserved-node-id', { id }, { path: `${path}.id`, nodeId: id }));
    return undefined;
  }
  if (typeof raw.kind !== 'string' || raw.kind.length === 0 || raw.kind.length > 40) {
    out.push(error('bad-node-kind', { id, got: show(raw.kind) }, { path: `${path}.kind`, nodeId: id }));
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
    out.push(error('bad-params', { id: nodeId }, { path, nodeId }));
    return {};
  }
  const params: Record<string, ParamValue> = {};
  const entries = Object.entries(raw);
  if (entries.length > 32) {
    out.push(error('bad-params', { id: nodeId, count: entries.length }, { path, nodeId }));
    return {};
  }
  for (const [key, value] of entries) {
    const ok = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 200);
    if (key in Object.prototype) {
      out.push(error('unknown-param', { id: nodeId, param: key }, { path: `${path}.${key.slice(0, 40)}`, nodeId, port: key.slice(0, 40) }));
    } else if (!ok || key.length > 40) {
      out.push(error('bad-param-value', { id: nodeId, param: show(key), got: show(value) }, { path: `${path}.${key.slice(0, 40)}`, nodeId }));
    } else params[key] = value as ParamValue;
  }
  return params;
}

function readPosition(raw: unknown, path: string, nodeId: string, out: Diagnostic[]): CellNode['position'] {
  if (raw === undefined) return { x: 0, y: 0 };
  const valid = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= LIMITS.coordinate;
  if (!isRecord(raw) || !valid(raw.x) || !valid(raw.y)) {
    out.push(error('bad-position', { id: nodeId }, { path, nodeId }));
    return { x: 0, y: 0 };
  }
  return { x: raw.x as number, y: raw.y as number };
}

function readConnections(raw: unknown, out: Diagnostic[]): Connection[] {
  if (!Array.isArray(raw)) {
    out.push(error('bad-connections', {}, { path: 'connections' }));
    return [];
  }
  if (raw.length > LIMITS.connections) {
    out.push(error('too-many-connections', { max: LIMITS.connections, count: raw.length }, { path: 'connections' }));
    return [];
  }
  const connections: Connection[] = [];
  raw.forEach((item, i) => {
    const path = `connections[${i}]`;
    const fields = ['from', 'fromPort', 'to', 'toPort'] as const;
    if (!isRecord(item) || !fields.every((f) => typeof item[f] === 'string' && (item[f] as string).length <= LIMITS.idLength)) {
      out.push(error('bad-connection', { field: path }, { path }));
      return;
    }
    connections.push({ from: item.from as string, fromPort: item.fromPort as string, to: item.to as string, toPort: item.toPort as string });
  });
  return connections;
}

function readText(raw: unknown, path: string, max: number, out: Diagnostic[], required: boolean, nodeId?: string): string | undefined {
  if (raw === undefined && !required) return undefined;
  if (typeof raw !== 'string' || raw.length > max || UNSAFE_TEXT.test(raw)) {
    out.push(error('bad-text', { field: path, max, got: show(raw) }, { path, ...(nodeId && { nodeId }) }));
    return undefined;
  }
  return raw;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of an untrusted value for an English message. */
export function preview(v: unknown): string {
  return renderShown(show(v), 'en');
}

function fail<T>(...diagnostics: Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}
