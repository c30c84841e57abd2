/**
 * Pass 1 — validate: kinds, params, connections and recurrence.
 * Produces a ValidCell (resolved params, wiring by port, a step order) or diagnostics.
 */
import { nodeDef, type NodeDef } from '../../nodes';
import type { ParamDef, Params } from '../../nodes/types';
import { type Cell, type CellNode, type Connection, type ParamValue } from '../model/cell';
import { error, hasErrors, warning, type Diagnostic, type Result } from '../model/diagnostics';
import type { ParamProblem } from '../model/messages';
import { isSizeProblem, readSize, type SizeExpr } from '../model/sizes';
import { describeNode } from './node-ref';

export interface ValidNode {
  readonly node: CellNode;
  readonly def: NodeDef;
  readonly params: Params;
  readonly sizeParams: Readonly<Record<string, SizeExpr>>;
  readonly inputPorts: readonly string[];
  /** The connection feeding each input port, in port order. */
  readonly sources: readonly Connection[];
}

export interface ValidCell {
  readonly cell: Cell;
  readonly nodes: ReadonlyMap<string, ValidNode>;
  /** Node ids in an order where every within-step input comes first (state edges are delays). */
  readonly order: readonly string[];
}

export function validate(cell: Cell): Result<ValidCell> {
  const out: Diagnostic[] = [];
  const resolved = new Map<string, Omit<ValidNode, 'sources'>>();
  for (const node of cell.nodes) {
    const def = nodeDef(node.kind);
    if (!def) {
      out.push(error('unknown-kind', { node: describeNode(node), kind: node.kind.slice(0, 40) }, { nodeId: node.id }));
      continue;
    }
    const params = resolveParams(node, def, out);
    if (params) resolved.set(node.id, { node, def, ...params, inputPorts: def.inputPorts(params.params) });
  }
  const sources = wire(cell, resolved, out);
  checkRoles(resolved, out);
  const nodes = new Map<string, ValidNode>();
  for (const [id, n] of resolved) nodes.set(id, { ...n, sources: sources.get(id) ?? [] });
  const order = hasErrors(out) ? [] : stepOrder(nodes, out);
  return hasErrors(out) ? { ok: false, diagnostics: out } : { ok: true, value: { cell, nodes, order }, diagnostics: out };
}

function resolveParams(node: CellNode, def: NodeDef, out: Diagnostic[]): { params: Params; sizeParams: Record<string, SizeExpr> } | undefined {
  const params: Record<string, ParamValue> = {};
  const sizeParams: Record<string, SizeExpr> = {};
  let ok = true;
  for (const key of Object.keys(node.params)) {
    if (!Object.hasOwn(def.params, key)) {
      out.push(error('unknown-param', { node: describeNode(node), param: key, accepted: Object.keys(def.params) }, { nodeId: node.id, port: key }));
      ok = false;
    }
  }
  for (const [name, spec] of Object.entries(def.params)) {
    const value = Object.hasOwn(node.params, name) ? node.params[name] : spec.default;
    const problem = checkParam(spec, value);
    if (problem) {
      out.push(error('bad-param', { node: describeNode(node), param: name, problem }, { nodeId: node.id, port: name }));
      ok = false;
      continue;
    }
    params[name] = value;
    if (spec.type === 'size') sizeParams[name] = readSize(value) as SizeExpr;
  }
  return ok ? { params, sizeParams } : undefined;
}

function checkParam(spec: ParamDef, value: ParamValue): ParamProblem | undefined {
  switch (spec.type) {
    case 'size': {
      const read = readSize(value);
      return isSizeProblem(read) ? read : undefined;
    }
    case 'number':
      return typeof value === 'number' && value >= spec.min && value <= spec.max ? undefined : { problem: 'number-range', min: spec.min, max: spec.max, got: show(value) };
    case 'integer':
      return Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max ? undefined : { problem: 'integer-range', min: spec.min, max: spec.max, got: show(value) };
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { problem: 'not-boolean', got: show(value) };
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value) ? undefined : { problem: 'not-an-option', options: spec.options, got: show(value) };
  }
}

/** Checks each connection and returns, per node, the connection feeding each input port. */
function wire(cell: Cell, nodes: ReadonlyMap<string, Omit<ValidNode, 'sources'>>, out: Diagnostic[]): Map<string, Connection[]> {
  const known = new Set(cell.nodes.map((n) => n.id));
  const feeding = new Map<string, Map<string, Connection>>();
  // Ports that some connection reaches, even one whose source is broken: they are not "unconnected".
  const reached = new Set(cell.connections.map((c) => `${c.to}\u0000${c.toPort}`));
  cell.connections.forEach((c, i) => {
    const path = `connections[${i}]`;
    for (const [id, end] of [[c.from, 'from'], [c.to, 'to']] as const) {
      if (!known.has(id)) out.push(error('dangling-connection', { index: i, end, id }, { path, nodeId: id }));
    }
    const source = nodes.get(c.from);
    const target = nodes.get(c.to);
    if (!source || !target) return;
    if (source.def.outputPort !== c.fromPort) {
      out.push(error('unknown-port', { node: describeNode(source.node), port: c.fromPort, output: source.def.outputPort }, { path, nodeId: c.from, port: c.fromPort }));
      return;
    }
    if (!target.inputPorts.includes(c.toPort)) {
      out.push(error('unknown-port', { node: describeNode(target.node), port: c.toPort, inputs: target.inputPorts }, { path, nodeId: c.to, port: c.toPort }));
      return;
    }
    const ports = feeding.get(c.to) ?? new Map<string, Connection>();
    feeding.set(c.to, ports);
    const existing = ports.get(c.toPort);
    if (existing) {
      const where = { path, nodeId: c.to, port: c.toPort };
      const node = describeNode(target.node);
      out.push(existing.from === c.from && existing.fromPort === c.fromPort
        ? error('duplicate-connection', { node, port: c.toPort }, where)
        : error('port-already-connected', { node, port: c.toPort, first: existing.from, second: c.from }, where));
      return;
    }
    ports.set(c.toPort, c);
  });
  const sources = new Map<string, Connection[]>();
  for (const [id, n] of nodes) {
    const ports = feeding.get(id);
    const list: Connection[] = [];
    for (const port of n.inputPorts) {
      const c = ports?.get(port);
      if (c) list.push(c);
      else if (reached.has(`${id}\u0000${port}`)) continue; // its source already has an error of its own
      else if (n.def.role === 'state') out.push(error('state-never-written', { node: describeNode(n.node) }, { nodeId: id, port }));
      else out.push(error('unconnected-input', { node: describeNode(n.node), port }, { nodeId: id, port }));
    }
    sources.set(id, list);
  }
  return sources;
}

function checkRoles(nodes: ReadonlyMap<string, Omit<ValidNode, 'sources'>>, out: Diagnostic[]): void {
  const all = [...nodes.values()];
  const outputs = all.filter((n) => n.def.role === 'output');
  if (outputs.length === 0) out.push(error('no-output', {}));
  for (const extra of outputs.slice(1)) {
    out.push(error('several-outputs', { node: describeNode(extra.node) }, { nodeId: extra.node.id, port: 'y' }));
  }
  if (!all.some((n) => n.def.role === 'input')) out.push(warning('no-input', {}));
}

/**
 * Orders the step's nodes so each comes after its within-step inputs. Edges
 * into a state's "next" port are delays (they cross to the next step), so
 * they are left out; any cycle that remains does not pass through a state.
 */
function stepOrder(nodes: ReadonlyMap<string, ValidNode>, out: Diagnostic[]): string[] {
  const consumers = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const [id, n] of nodes) {
    const within = n.def.role === 'state' ? [] : n.sources;
    pending.set(id, within.length);
    for (const c of within) consumers.set(c.from, [...(consumers.get(c.from) ?? []), id]);
  }
  const ready = [...nodes.keys()].filter((id) => pending.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const next of consumers.get(id) ?? []) {
      const left = (pending.get(next) as number) - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < nodes.size) {
    const stuck = [...nodes.keys()].filter((id) => !order.includes(id));
    const onCycle = cycleMembers(stuck, nodes);
    for (const id of onCycle) {
      const n = nodes.get(id) as ValidNode;
      const c = n.sources.find((s) => onCycle.includes(s.from)) as Connection;
      out.push(error('cycle-without-state', { node: describeNode(n.node), port: c.toPort, from: c.from }, { nodeId: id, port: c.toPort }));
    }
  }
  return order;
}

/** Nodes that lie on a cycle among the stuck nodes (not merely downstream of one). */
function cycleMembers(stuck: readonly string[], nodes: ReadonlyMap<string, ValidNode>): string[] {
  const inStuck = new Set(stuck);
  const reaches = (from: string, target: string): boolean => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      for (const c of nodes.get(id)?.sources ?? []) {
        if (!inStuck.has(c.from)) continue;
        if (c.from === target) return true;
        if (!seen.has(c.from)) {
          seen.add(c.from);
          todo.push(c.from);
        }
      }
    }
    return false;
  };
  return stuck.filter((id) => reaches(id, id));
}

const show = (v: ParamValue): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v));
