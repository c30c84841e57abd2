/**
 * Rewiring example cells for the canonical-form and equivalence tests: each
 * helper is a pure edit (src/model/edit.ts) that keeps or changes what a cell
 * computes in one known way.
 */
import { nodeDef } from '../../nodes';
import { compile, type Compiled } from '../../src/compiler';
import type { Cell, Connection, ParamValue } from '../../src/model/cell';
import { addNode, connect, removeNodes, setLabel } from '../../src/model/edit';

export const SIZES = { input: 3, hidden: 4 } as const;

export function compiled(cell: Cell, sizes: { input: number; hidden: number } = SIZES): Compiled {
  const r = compile(cell, sizes);
  if (!r.ok) throw new Error(`does not compile: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

const node = (cell: Cell, id: string) => {
  const n = cell.nodes.find((m) => m.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

const outPort = (cell: Cell, id: string): string => nodeDef(node(cell, id).kind)?.outputPort as string;

export function sourceOf(cell: Cell, id: string, port: string): string {
  const c = cell.connections.find((x) => x.to === id && x.toPort === port);
  if (!c) throw new Error(`${id}.${port} is not connected`);
  return c.from;
}

/** Feeds `id`'s input `port` from node `from`. */
export function wire(cell: Cell, from: string, id: string, port: string): Cell {
  return connect(cell, { from, fromPort: outPort(cell, from), to: id, toPort: port });
}

const readers = (cell: Cell, id: string): Connection[] => cell.connections.filter((c) => c.from === id);

/** Every reader of `from` reads `to` instead. */
export function redirect(cell: Cell, from: string, to: string): Cell {
  return readers(cell, from).reduce((acc, c) => wire(acc, to, c.to, c.toPort), cell);
}

export function withParams(cell: Cell, id: string, params: Readonly<Record<string, ParamValue>>): Cell {
  return { ...cell, nodes: cell.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n)) };
}

/** Another primitive with the same ports (σ ↔ tanh, ⊙ ↔ +). */
export function withKind(cell: Cell, id: string, kind: string): Cell {
  return { ...cell, nodes: cell.nodes.map((n) => (n.id === id ? { ...n, kind, params: {} } : n)) };
}

/** Swaps the sources of two input ports of one node. */
export function swapInputs(cell: Cell, id: string, a = 'a', b = 'b'): Cell {
  const [fromA, fromB] = [sourceOf(cell, id, a), sourceOf(cell, id, b)];
  return wire(wire(cell, fromB, id, a), fromA, id, b);
}

/** Swaps the operands of every add and multiply. */
export function swapAllOperands(cell: Cell): Cell {
  return cell.nodes.filter((n) => n.kind === 'add' || n.kind === 'multiply').reduce((acc, n) => swapInputs(acc, n.id), cell);
}

/** A new node of `kind` fed by `sources` (port order), returning the new id. */
export function added(cell: Cell, kind: string, sources: readonly string[], params: Readonly<Record<string, ParamValue>> = {}): { cell: Cell; id: string } {
  const made = addNode(cell, kind, { x: 0, y: 0 }, params);
  const ports = nodeDef(kind)?.inputPorts({ ...defaults(kind), ...params }) ?? [];
  return { cell: sources.reduce((acc, from, i) => wire(acc, from, made.id, ports[i]), made.cell), id: made.id };
}

const defaults = (kind: string): Record<string, ParamValue> =>
  Object.fromEntries(Object.entries(nodeDef(kind)?.params ?? {}).map(([k, p]) => [k, p.default]));

/** Puts a node of `kind` after `id`: it reads `id`, and everything that read `id` reads it. */
export function insertAfter(cell: Cell, id: string, kind: string, params: Readonly<Record<string, ParamValue>> = {}): Cell {
  const before = readers(cell, id);
  const { cell: withNode, id: inserted } = added(cell, kind, [id], params);
  return before.reduce((acc, c) => wire(acc, inserted, c.to, c.toPort), withNode);
}

/** Removes a node, its readers reading `replacement` instead. */
export function bypass(cell: Cell, id: string, replacement: string): Cell {
  return removeNodes(redirect(cell, id, replacement), [id]);
}

/** The concat's inputs in reverse order, and every linear reading it still reading the same values. */
export function reverseConcat(cell: Cell, id: string): Cell {
  const n = node(cell, id);
  const count = (n.params.inputs as number | undefined) ?? 2;
  const sources = Array.from({ length: count }, (_, i) => sourceOf(cell, id, `in${i}`));
  return sources.reverse().reduce((acc, from, i) => wire(acc, from, id, `in${i}`), cell);
}

/** [a, x] as [[a], x]: the first part through a concat of its own, and the whole through a one-input concat. */
export function nestConcat(cell: Cell, id: string): Cell {
  const inner = added(cell, 'concat', [sourceOf(cell, id, 'in0')], { inputs: 1 });
  const rewired = wire(inner.cell, inner.id, id, 'in0');
  return insertAfter(rewired, id, 'concat', { inputs: 1 });
}

/**
 * linear(concat(p0, p1, …)) as linear(p0) + linear(p1) + …: one linear per part, added up;
 * the bias on the first part only, or on every part. The concat goes when nothing else reads it.
 */
export function splitLinear(cell: Cell, id: string, bias: 'first' | 'every' = 'first'): Cell {
  const cat = sourceOf(cell, id, 'in');
  const count = (node(cell, cat).params.inputs as number | undefined) ?? 2;
  const out = node(cell, id).params.out ?? 'hidden';
  let acc = cell;
  let total: string | undefined;
  for (let i = 0; i < count; i++) {
    const part = added(acc, 'linear', [sourceOf(cell, cat, `in${i}`)], { out, bias: bias === 'every' || i === 0 });
    acc = part.cell;
    if (total === undefined) {
      total = part.id;
    } else {
      const sum = added(acc, 'add', [total, part.id]);
      acc = sum.cell;
      total = sum.id;
    }
  }
  acc = bypass(acc, id, total as string);
  return readers(acc, cat).length === 0 ? removeNodes(acc, [cat]) : acc;
}

/** Several linears reading one value as one stacked linear ([k·hidden × …]) cut into gates by slices. */
export function stackLinears(cell: Cell, ids: readonly string[]): Cell {
  const stacked = added(cell, 'linear', [sourceOf(cell, ids[0], 'in')], { out: `${ids.length}*hidden` });
  let acc = stacked.cell;
  ids.forEach((id, k) => {
    const gate = added(acc, 'slice', [stacked.id], { start: k === 0 ? 0 : `${k}*hidden`, length: 'hidden' });
    acc = bypass(gate.cell, id, gate.id);
  });
  return acc;
}

/** Two linears reading a and x, added, as one linear reading [a, x] (the reverse of splitLinear). */
export function mergeLinears(cell: Cell, sum: string): Cell {
  const [first, second] = [sourceOf(cell, sum, 'a'), sourceOf(cell, sum, 'b')];
  const cat = added(cell, 'concat', [sourceOf(cell, first, 'in'), sourceOf(cell, second, 'in')]);
  const merged = added(cat.cell, 'linear', [cat.id]);
  return removeNodes(bypass(merged.cell, sum, merged.id), [first, second]);
}

/** The same cell with new ids, no labels, moved positions and nodes and wires in reverse order. */
export function disguise(cell: Cell): { cell: Cell; rename: (id: string) => string } {
  const rename = (id: string) => `n${cell.nodes.findIndex((n) => n.id === id)}_${id.length}`;
  return {
    rename,
    cell: {
      ...cell,
      nodes: [...cell.nodes].reverse().map(({ label: _label, ...n }) => ({ ...n, id: rename(n.id), position: { x: -n.position.x, y: n.position.y + 40 } })),
      connections: [...cell.connections].reverse().map((c) => ({ ...c, from: rename(c.from), to: rename(c.to) })),
    },
  };
}

export function relabel(cell: Cell, labels: Readonly<Record<string, string>>): Cell {
  return Object.entries(labels).reduce((acc, [id, label]) => setLabel(acc, id, label), cell);
}
