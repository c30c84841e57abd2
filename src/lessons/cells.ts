/**
 * Writing the built-in lessons' cells compactly: a lesson's cells grow one
 * step at a time (the forget gate's nodes and wires on top of the starting
 * cell, then the update gate's…), so each is written as what its step adds.
 * The results are plain cells, as any cell file holds.
 */
import { nodeDef } from '../../nodes';
import type { Cell, CellNode, ParamValue } from '../model/cell';
import { connect } from '../model/edit';

export interface NodeSpec {
  readonly id: string;
  readonly kind: string;
  readonly at: readonly [number, number];
  readonly label?: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/** The sizes the built-in lessons' cells are drawn with (the examples' own). */
const SIZES = { input: 8, hidden: 16, named: {} } as const;

function toNode(spec: NodeSpec): CellNode {
  return {
    id: spec.id,
    kind: spec.kind,
    ...(spec.label !== undefined && { label: spec.label }),
    params: spec.params ?? {},
    position: { x: spec.at[0], y: spec.at[1] },
  };
}

/**
 * The cell with `nodes` added and `wires` ("from -> to.port") connected, each feeding
 * its input in place of any wire there before, as dropping a wire on the canvas does.
 */
export function grow(cell: Cell, nodes: readonly NodeSpec[], wires: readonly string[]): Cell {
  const withNodes: Cell = { ...cell, nodes: [...cell.nodes, ...nodes.map(toNode)] };
  return wires.reduce((acc, wire) => {
    const [from, to] = wire.split('->').map((s) => s.trim());
    const [toId, toPort] = to.split('.');
    const kind = acc.nodes.find((n) => n.id === from)?.kind ?? '';
    const fromPort = nodeDef(kind)?.outputPort;
    if (!fromPort || !acc.nodes.some((n) => n.id === toId)) throw new Error(`lesson cell: cannot wire ${wire}`);
    return connect(acc, { from, fromPort, to: toId, toPort });
  }, withNodes);
}

/** A cell of the lessons' sizes, built from nothing. */
export function lessonCell(name: string, description: string, nodes: readonly NodeSpec[], wires: readonly string[]): Cell {
  const empty: Cell = { format: 'celda-cell', version: 1, metadata: { name, description }, sizes: SIZES, nodes: [], connections: [] };
  return grow(empty, nodes, wires);
}

/** The same cell under another name and description (each step's target is named for what it computes). */
export function renamed(cell: Cell, name: string, description: string): Cell {
  return { ...cell, metadata: { name, description } };
}
