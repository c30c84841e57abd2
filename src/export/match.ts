/**
 * Is a wired cell the same graph as a reference cell, whatever its ids, labels,
 * layout or node order? A small backtracking matcher (cells have tens of nodes):
 * nodes pair up when kind and computing params agree, and every wire, port
 * names included, must map onto a wire. Initialisers do not count: they change
 * where training starts, not what the cell computes.
 */
import type { ValidCell, ValidNode } from '../compiler/validate';

/** Params that only set initial values. */
const INIT_PARAMS = new Set(['init', 'biasInit']);

function signature(n: ValidNode): string {
  const params = Object.keys(n.params)
    .filter((k) => !(INIT_PARAMS.has(k) && n.def.kind !== 'state'))
    .sort()
    .map((k) => `${k}=${String(n.params[k])}`);
  return `${n.def.kind}(${params.join(',')})`;
}

type Edges = Map<string, Set<string>>;

/** Wires as "fromPort>toPort>to" per source node. */
function edges(cell: ValidCell): Edges {
  const out: Edges = new Map();
  for (const n of cell.nodes.values()) {
    n.inputPorts.forEach((port, i) => {
      const c = n.sources[i];
      if (!c) return;
      const set = out.get(c.from) ?? new Set<string>();
      set.add(`${c.fromPort}>${port}>${n.node.id}`);
      out.set(c.from, set);
    });
  }
  return out;
}

/** A mapping from the reference's node ids to the candidate's, or undefined when the graphs differ. */
export function matchCells(reference: ValidCell, candidate: ValidCell): Map<string, string> | undefined {
  if (reference.nodes.size !== candidate.nodes.size) return undefined;
  const refEdges = edges(reference);
  const candEdges = edges(candidate);
  const count = (e: Edges) => [...e.values()].reduce((n, s) => n + s.size, 0);
  if (count(refEdges) !== count(candEdges)) return undefined;
  const refIds = reference.order;
  const mapping = new Map<string, string>();
  const used = new Set<string>();

  /** Every wire between already-mapped nodes must exist on the other side. */
  const consistent = (refId: string, candId: string): boolean => {
    for (const [other, otherCand] of [...mapping, [refId, candId] as const]) {
      for (const [a, b, ca, cb] of [[refId, other, candId, otherCand], [other, refId, otherCand, candId]] as const) {
        for (const wire of refEdges.get(a) ?? []) {
          const [fromPort, toPort, to] = wire.split('>');
          if (to === b && !candEdges.get(ca)?.has(`${fromPort}>${toPort}>${cb}`)) return false;
        }
        for (const wire of candEdges.get(ca) ?? []) {
          const [fromPort, toPort, to] = wire.split('>');
          if (to === cb && !refEdges.get(a)?.has(`${fromPort}>${toPort}>${b}`)) return false;
        }
      }
    }
    return true;
  };

  const assign = (k: number): boolean => {
    if (k === refIds.length) return true;
    const refId = refIds[k];
    const want = signature(reference.nodes.get(refId) as ValidNode);
    for (const [candId, n] of candidate.nodes) {
      if (used.has(candId) || signature(n) !== want || !consistent(refId, candId)) continue;
      mapping.set(refId, candId);
      used.add(candId);
      if (assign(k + 1)) return true;
      mapping.delete(refId);
      used.delete(candId);
    }
    return false;
  };
  return assign(0) ? mapping : undefined;
}
