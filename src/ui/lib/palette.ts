/** The palette's contents: the node registry, grouped and searchable. */
import { NODES } from '../../../nodes';
import type { NodeDef } from '../../../nodes/types';
import type { PaletteGroupId } from './strings';

/** Which kinds go in which group, in display order; a kind not listed lands in "other". */
export const PALETTE_GROUPS: readonly { readonly id: PaletteGroupId; readonly kinds: readonly string[] }[] = [
  { id: 'io', kinds: ['input', 'state', 'output'] },
  { id: 'gates', kinds: ['sigmoid', 'hard-sigmoid', 'tanh', 'relu', 'softplus', 'identity', 'one-minus'] },
  { id: 'arithmetic', kinds: ['add', 'subtract', 'multiply', 'constant'] },
  { id: 'structure', kinds: ['concat', 'slice'] },
  { id: 'parameters', kinds: ['linear', 'scale', 'layer-norm'] },
];

export interface PaletteSection {
  readonly id: PaletteGroupId;
  readonly defs: readonly NodeDef[];
}

/** Every registered node in exactly one section; empty sections are left out. */
export function paletteSections(defs: readonly NodeDef[] = NODES): PaletteSection[] {
  const byKind = new Map(defs.map((d) => [d.kind, d]));
  const placed = new Set<string>();
  const sections: PaletteSection[] = PALETTE_GROUPS.map((g) => ({
    id: g.id,
    defs: g.kinds.flatMap((kind) => {
      const def = byKind.get(kind);
      if (!def || placed.has(kind)) return [];
      placed.add(kind);
      return [def];
    }),
  }));
  sections.push({ id: 'other', defs: defs.filter((d) => !placed.has(d.kind)) });
  return sections.filter((s) => s.defs.length > 0);
}

/** Lower case without accents: "lineal" finds "Lineal", "multiplicacion" finds "multiplicación". */
export const normaliseSearch = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** Whether a node matches a search: its kind, its label in either language, or its symbol. */
export function matchesSearch(def: NodeDef, query: string): boolean {
  const q = normaliseSearch(query);
  if (q === '') return true;
  return [def.kind, def.label.en, def.label.es, def.symbol].some((field) => normaliseSearch(field).includes(q));
}

export function filterSections(sections: readonly PaletteSection[], query: string): PaletteSection[] {
  return sections.map((s) => ({ id: s.id, defs: s.defs.filter((d) => matchesSearch(d, query)) })).filter((s) => s.defs.length > 0);
}

/** The drag-and-drop type the canvas accepts: the payload is a node kind. */
export const NODE_DRAG_TYPE = 'application/x-celda-node';
