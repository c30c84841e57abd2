/**
 * What the editor shows while a cell is half wired: every diagnostic, the size
 * of each node output that can already be inferred, and whether a proposed
 * connection is acceptable (and if not, why). Built on the same passes and
 * node shape rules as the compiler; nothing here re-implements them.
 */
import { nodeDef } from '../../nodes';
import type { ParamDef } from '../../nodes/types';
import { type Cell, type Connection } from '../model/cell';
import { error, renderDiagnostic, type Diagnostic } from '../model/diagnostics';
import { connect } from '../model/edit';
import type { Lang } from '../model/messages';
import { formatSize, isSizeProblem, readSize, sameSize, type SizeExpr } from '../model/sizes';
import { compile, type Compiled } from './index';
import { describeNode } from './node-ref';

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** Symbolic output size of each node that can be inferred now (e.g. "hidden + input"). */
  readonly sizes: ReadonlyMap<string, string>;
  /** The compiled cell once it has no errors. */
  readonly compiled?: Compiled;
}

export function analyze(cell: Cell): Analysis {
  const compiled = compile(cell);
  if (compiled.ok) {
    const sizes = new Map([...compiled.value.shaped.sizes].map(([id, s]) => [id, formatSize(s)]));
    return { diagnostics: compiled.value.diagnostics, sizes, compiled: compiled.value };
  }
  const partial = partialShapes(cell);
  const seen = new Set(compiled.diagnostics.map((d) => `${d.code}|${d.nodeId}|${d.port}`));
  const extra = partial.diagnostics.filter((d) => !seen.has(`${d.code}|${d.nodeId}|${d.port}`));
  return { diagnostics: [...compiled.diagnostics, ...extra], sizes: new Map([...partial.sizes].map(([id, s]) => [id, formatSize(s)])) };
}

/**
 * Sizes of the nodes whose inputs are all connected and known, in dependency
 * order; shape errors of those nodes. State outputs are known from their params.
 */
function partialShapes(cell: Cell): { sizes: Map<string, SizeExpr>; diagnostics: Diagnostic[] } {
  const sizes = new Map<string, SizeExpr>();
  const diagnostics: Diagnostic[] = [];
  const feeding = new Map<string, Map<string, Connection>>();
  for (const c of cell.connections) {
    const ports = feeding.get(c.to) ?? new Map<string, Connection>();
    ports.set(c.toPort, c);
    feeding.set(c.to, ports);
  }
  const pending = new Set(cell.nodes.map((n) => n.id));
  // Each round settles at least one node or stops: bounded by the node count.
  for (let progress = true; progress && pending.size > 0; ) {
    progress = false;
    for (const node of cell.nodes) {
      if (!pending.has(node.id)) continue;
      const def = nodeDef(node.kind);
      const params = def && paramsWithDefaults(def.params, node.params);
      if (!def || !params) {
        pending.delete(node.id);
        continue;
      }
      const ports = def.role === 'state' ? [] : def.inputPorts(params.params);
      const inputs = ports.map((p) => {
        const c = feeding.get(node.id)?.get(p);
        return c && sizes.get(c.from);
      });
      const waiting = ports.some((p, i) => inputs[i] === undefined && feeding.get(node.id)?.get(p) !== undefined && pending.has(feeding.get(node.id)?.get(p)?.from ?? ''));
      if (waiting) continue;
      pending.delete(node.id);
      progress = true;
      if (inputs.some((s) => s === undefined)) continue;
      const result = def.shape({ inputs: inputs as SizeExpr[], params: params.params, sizeParams: params.sizeParams });
      if ('error' in result) diagnostics.push(error('shape-mismatch', { node: describeNode(node), problem: result.error }, { nodeId: node.id, ...(result.port && { port: result.port }) }));
      else sizes.set(node.id, result.size);
    }
  }
  // A state's next must have the state's size.
  for (const node of cell.nodes) {
    if (nodeDef(node.kind)?.role !== 'state') continue;
    const own = sizes.get(node.id);
    const c = feeding.get(node.id)?.get('next');
    const next = c && sizes.get(c.from);
    if (own && next && !sameSize(own, next)) {
      diagnostics.push(error('shape-mismatch', { node: describeNode(node), problem: { problem: 'state-size', expected: formatSize(own), got: formatSize(next) } }, { nodeId: node.id, port: 'next' }));
    }
  }
  return { sizes, diagnostics };
}

function paramsWithDefaults(defs: Readonly<Record<string, ParamDef>>, given: Cell['nodes'][number]['params']) {
  const params: Record<string, string | number | boolean> = {};
  const sizeParams: Record<string, SizeExpr> = {};
  for (const [name, spec] of Object.entries(defs)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    params[name] = value;
    if (spec.type === 'size') {
      const parsed = readSize(value);
      if (isSizeProblem(parsed)) return undefined;
      sizeParams[name] = parsed;
    }
  }
  return { params, sizeParams };
}

export type ConnectionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether the editor may add a connection: ports must exist, a loop must pass
 * through a state node, and sizes must agree. The reason, in `lang`, names node and port.
 */
export function checkConnection(cell: Cell, c: Connection, lang: Lang = 'en'): ConnectionCheck {
  const problem = connectionProblem(cell, c);
  return problem ? { ok: false, reason: renderDiagnostic(problem, lang) } : { ok: true };
}

function connectionProblem(cell: Cell, c: Connection): Diagnostic | undefined {
  const source = cell.nodes.find((n) => n.id === c.from);
  const target = cell.nodes.find((n) => n.id === c.to);
  const sourceDef = source && nodeDef(source.kind);
  const targetDef = target && nodeDef(target.kind);
  if (!source || !target || !sourceDef || !targetDef) return error('connection-end-missing', {});
  if (sourceDef.outputPort !== c.fromPort) return error('connection-unknown-output', { node: describeNode(source), port: c.fromPort }, { nodeId: c.from, port: c.fromPort });
  const targetParams = paramsWithDefaults(targetDef.params, target.params);
  if (!targetParams || !targetDef.inputPorts(targetParams.params).includes(c.toPort)) {
    return error('connection-unknown-input', { node: describeNode(target), port: c.toPort }, { nodeId: c.to, port: c.toPort });
  }
  if (targetDef.role !== 'state' && reaches(cell, c.to, c.from)) {
    return error('connection-loop-without-state', { node: describeNode(target), port: c.toPort }, { nodeId: c.to, port: c.toPort });
  }
  // Any size conflict the connection creates, at its target or further downstream.
  const key = (d: Diagnostic) => `${d.nodeId}|${d.port}|${d.message}`;
  const before = new Set(partialShapes(cell).diagnostics.map(key));
  return partialShapes(connect(cell, c)).diagnostics.find((d) => !before.has(key(d)));
}

/** Whether `from` feeds `to` within one step (edges into a state's "next" are delays, so they do not count). */
function reaches(cell: Cell, from: string, to: string): boolean {
  if (from === to) return true;
  const next = new Map<string, string[]>();
  for (const c of cell.connections) {
    if (nodeDef(cell.nodes.find((n) => n.id === c.to)?.kind ?? '')?.role === 'state') continue;
    next.set(c.from, [...(next.get(c.from) ?? []), c.to]);
  }
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const n of next.get(todo.pop() as string) ?? []) {
      if (n === to) return true;
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return false;
}
