/** How diagnostics name a node: its label, kind and id, the kind also in Spanish (messages word it per language). */
import { nodeDef } from '../../nodes';
import type { CellNode } from '../model/cell';
import type { NodeRef } from '../model/messages';

export function describeNode(node: Pick<CellNode, 'id' | 'kind' | 'label'>): NodeRef {
  const spanish = nodeDef(node.kind)?.label.es;
  return {
    id: node.id,
    kind: node.kind,
    ...(node.label && { label: node.label }),
    ...(spanish && { kindEs: spanish.charAt(0).toLowerCase() + spanish.slice(1) }),
  };
}
