/**
 * Names for exported parameters, derived from node labels (sanitised): the
 * linear feeding the gate labelled "forget" owns `w_forget` and `b_forget`.
 */
import type { Compiled } from '../compiler';
import type { IrTensor } from '../compiler/ir';
import { IdentifierPool } from './identifiers';

/** How far to follow a single-consumer chain looking for a labelled node. */
const MAX_HOPS = 3;

export function parameterNames(compiled: Compiled, pool: IdentifierPool): Map<number, string> {
  const { nodes } = compiled.shaped;
  const consumers = new Map<string, string[]>();
  for (const [id, n] of nodes) for (const c of n.sources) consumers.set(c.from, [...(consumers.get(c.from) ?? []), id]);

  const labelFor = (nodeId: string): string | undefined => {
    let id = nodeId;
    for (let hop = 0; hop <= MAX_HOPS; hop++) {
      const label = nodes.get(id)?.node.label;
      if (label) return label;
      const next = consumers.get(id) ?? [];
      if (next.length !== 1) return undefined;
      id = next[0];
    }
    return undefined;
  };
  /** What a linear reads, when that tells two of them apart (reset-after GRU: x vs h). */
  const readsSuffix = (nodeId: string): string => {
    const n = nodes.get(nodeId);
    if (n?.def.kind !== 'linear') return '';
    const source = nodes.get(n.sources[0]?.from ?? '');
    if (source?.def.role === 'input') return ' x';
    if (source?.def.role === 'state') return ` ${source.node.label ?? 'state'}`;
    return '';
  };

  const names = new Map<number, string>();
  compiled.program.tensors.forEach((t: IrTensor, index) => {
    const label = labelFor(t.nodeId);
    const kind = nodes.get(t.nodeId)?.def.kind ?? 'node';
    const words = `${t.name} ${label ?? `${kind} ${index}`}${readsSuffix(t.nodeId)}`;
    names.set(t.id, pool.take(words, `${t.name.toLowerCase()}_${index}`));
  });
  return names;
}
