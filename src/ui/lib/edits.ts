/** Edits the model module does not have yet, written the same way: pure functions of the cell. */
import type { Cell, CellMetadata } from '../../model/cell';

export function setMetadata(cell: Cell, change: Partial<Pick<CellMetadata, 'name' | 'description'>>): Cell {
  const metadata = { ...cell.metadata, ...change };
  if (metadata.name === cell.metadata.name && metadata.description === cell.metadata.description) return cell;
  return { ...cell, metadata };
}
