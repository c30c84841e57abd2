/**
 * An example cell in another language: its name, description and node labels replaced from a
 * translation table (examples/i18n/es.json). Labels are what the equations read roles from
 * ("olvido" is a forget gate as "forget" is), so a translated example derives the same equations.
 */
import type { Cell } from './cell';

export interface CellTranslation {
  readonly name: string;
  readonly description: string;
  /** Node id → label in the translation's language. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The cell with the translation applied; nodes the table does not name keep their label. */
export function translateCell(cell: Cell, translation: CellTranslation): Cell {
  return {
    ...cell,
    metadata: { ...cell.metadata, name: translation.name, description: translation.description },
    nodes: cell.nodes.map((n) => (Object.hasOwn(translation.labels, n.id) ? { ...n, label: translation.labels[n.id] } : n)),
  };
}
