/**
 * Pure edits of a cell: each returns a new Cell and leaves its argument alone,
 * so undo is keeping the previous value. The editor turns every user gesture
 * into one of these; nothing else changes a cell.
 */
import type { Cell, CellMetadata, CellNode, Connection, ParamValue } from './cell';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A new id for a node of `kind`: "sigmoid-1", "sigmoid-2"… (our own ids, never from user text). */
export function freshId(cell: Cell, kind: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...cell.nodes.map((n) => n.id), ...taken]);
  const base = kind.replace(/[^A-Za-z0-9_.:-]/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!used.has(id)) return id;
  }
}

export function addNode(cell: Cell, kind: string, position: Point, params: Readonly<Record<string, ParamValue>> = {}): { cell: Cell; id: string } {
  const id = freshId(cell, kind);
  const node: CellNode = { id, kind, params, position: { x: position.x, y: position.y } };
  return { cell: { ...cell, nodes: [...cell.nodes, node] }, id };
}

/** Removes nodes and every connection touching them. */
export function removeNodes(cell: Cell, ids: readonly string[]): Cell {
  const gone = new Set(ids);
  return {
    ...cell,
    nodes: cell.nodes.filter((n) => !gone.has(n.id)),
    connections: cell.connections.filter((c) => !gone.has(c.from) && !gone.has(c.to)),
  };
}

export const sameConnection = (a: Connection, b: Connection): boolean =>
  a.from === b.from && a.fromPort === b.fromPort && a.to === b.to && a.toPort === b.toPort;

/** Connects; an input port takes one connection, so any connection already into it is replaced. */
export function connect(cell: Cell, c: Connection): Cell {
  const others = cell.connections.filter((x) => !(x.to === c.to && x.toPort === c.toPort));
  return { ...cell, connections: [...others, { from: c.from, fromPort: c.fromPort, to: c.to, toPort: c.toPort }] };
}

export function disconnect(cell: Cell, c: Connection): Cell {
  return { ...cell, connections: cell.connections.filter((x) => !sameConnection(x, c)) };
}

export function moveNodes(cell: Cell, positions: ReadonlyMap<string, Point>): Cell {
  return { ...cell, nodes: cell.nodes.map((n) => (positions.has(n.id) ? { ...n, position: { ...(positions.get(n.id) as Point) } } : n)) };
}

function updateNode(cell: Cell, id: string, change: (n: CellNode) => CellNode): Cell {
  return { ...cell, nodes: cell.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

export function setParam(cell: Cell, id: string, name: string, value: ParamValue | undefined): Cell {
  return updateNode(cell, id, (n) => {
    const params = { ...n.params };
    if (value === undefined) delete params[name];
    else params[name] = value;
    return { ...n, params };
  });
}

export function setLabel(cell: Cell, id: string, label: string): Cell {
  return updateNode(cell, id, (n) => {
    const { label: _old, ...rest } = n;
    return label.trim() === '' ? rest : { ...rest, label };
  });
}

export function setMetadata(cell: Cell, change: Partial<Pick<CellMetadata, 'name' | 'description'>>): Cell {
  const metadata = { ...cell.metadata, ...change };
  if (metadata.name === cell.metadata.name && metadata.description === cell.metadata.description) return cell;
  return { ...cell, metadata };
}

export function setSizes(cell: Cell, sizes: Partial<Pick<Cell['sizes'], 'input' | 'hidden'>>): Cell {
  return { ...cell, sizes: { ...cell.sizes, ...sizes } };
}

/** A piece of a cell (nodes and the connections among them), for copy and paste. */
export interface Fragment {
  readonly nodes: readonly CellNode[];
  readonly connections: readonly Connection[];
}

export function copyFragment(cell: Cell, ids: readonly string[]): Fragment {
  const chosen = new Set(ids);
  return {
    nodes: cell.nodes.filter((n) => chosen.has(n.id)),
    connections: cell.connections.filter((c) => chosen.has(c.from) && chosen.has(c.to)),
  };
}

/** Pastes with fresh ids, shifted by `offset`; returns the new ids in fragment order. */
export function pasteFragment(cell: Cell, fragment: Fragment, offset: Point): { cell: Cell; ids: string[] } {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of fragment.nodes) {
    const id = freshId(cell, n.kind, taken);
    taken.add(id);
    renamed.set(n.id, id);
  }
  const nodes = fragment.nodes.map((n) => ({ ...n, id: renamed.get(n.id) as string, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }));
  const connections = fragment.connections.map((c) => ({ ...c, from: renamed.get(c.from) as string, to: renamed.get(c.to) as string }));
  return { cell: { ...cell, nodes: [...cell.nodes, ...nodes], connections: [...cell.connections, ...connections] }, ids: [...renamed.values()] };
}

/** A new cell: an input, a hidden state and an output, ready to wire. */
export function newCell(name: string): Cell {
  return {
    format: 'celda-cell',
    version: 1,
    metadata: { name, description: '' },
    sizes: { input: 8, hidden: 16, named: {} },
    nodes: [
      { id: 'x', kind: 'input', params: {}, position: { x: 0, y: 240 } },
      { id: 'h', kind: 'state', label: 'hidden', params: {}, position: { x: 0, y: 0 } },
      { id: 'y', kind: 'output', params: {}, position: { x: 900, y: 120 } },
    ],
    connections: [],
  };
}
