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

/** `preferred` when no node has it yet, else a fresh id made from it ("i_prev", else "i_prev-1"). */
export function idLike(cell: Cell, preferred: string): string {
  const clean = preferred.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 48);
  return clean !== '' && !cell.nodes.some((n) => n.id === clean) ? clean : freshId(cell, clean);
}

/** Adds a node; `named` asks for an id (taken only while free, see idLike) and a label. */
export function addNode(
  cell: Cell, kind: string, position: Point, params: Readonly<Record<string, ParamValue>> = {}, named: { id?: string; label?: string } = {},
): { cell: Cell; id: string } {
  const id = named.id === undefined ? freshId(cell, kind) : idLike(cell, named.id);
  const node: CellNode = { id, kind, ...(named.label && { label: named.label }), params, position: { x: position.x, y: position.y } };
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

/**
 * Changes what a node computes, keeping its id, label and place: the connections into
 * ports the new kind does not have are dropped (a constant keeps none), its readers stay.
 */
export function replaceKind(cell: Cell, id: string, kind: string, params: Readonly<Record<string, ParamValue>>, ports: readonly string[]): Cell {
  const kept = new Set(ports);
  return {
    ...updateNode(cell, id, (n) => ({ ...n, kind, params })),
    connections: cell.connections.filter((c) => c.to !== id || kept.has(c.toPort)),
  };
}

/** An output port: the node and the port a connection leaves from. */
export interface Source {
  readonly node: string;
  readonly port: string;
}

/** Every reader of node `id` reads `source` instead. */
export function rewireReaders(cell: Cell, id: string, source: Source): Cell {
  return { ...cell, connections: cell.connections.map((c) => (c.from === id ? { ...c, from: source.node, fromPort: source.port } : c)) };
}

/** Takes a node out of the graph: its readers read what came into its port `through`, and it is removed. */
export function bypassNode(cell: Cell, id: string, through: string): Cell {
  const into = cell.connections.find((c) => c.to === id && c.toPort === through);
  if (!into) return cell;
  return removeNodes(rewireReaders(cell, id, { node: into.from, port: into.fromPort }), [id]);
}

/**
 * Nodes whose value reaches no output: walking back from the output node, a state is
 * reached when its previous value is read, and then what it is fed is reached too.
 * Inputs and outputs always count as reached.
 */
export function unusedNodes(cell: Cell): string[] {
  const reached = new Set(cell.nodes.filter((n) => n.kind === 'output' || n.kind === 'input').map((n) => n.id));
  const feeding = new Map<string, string[]>();
  for (const c of cell.connections) feeding.set(c.to, [...(feeding.get(c.to) ?? []), c.from]);
  const stack = [...reached];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const from of feeding.get(id) ?? []) {
      if (reached.has(from)) continue;
      reached.add(from);
      stack.push(from);
    }
  }
  return cell.nodes.filter((n) => !reached.has(n.id)).map((n) => n.id);
}

/** Removes the nodes an edit left unused: those unused in `edited` that were used in `before`, or new. */
export function removeNewlyUnused(before: Cell, edited: Cell): Cell {
  const unusedBefore = new Set(unusedNodes(before));
  return removeNodes(edited, unusedNodes(edited).filter((id) => !unusedBefore.has(id)));
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
