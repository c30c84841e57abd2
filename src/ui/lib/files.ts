/** What goes into downloaded files, and their names. Pure: the DOM side is in download.ts. */
import type { Cell } from '../../model/cell';

/** A file name from free text: letters, digits and dashes only ("GRU (reset before)" → "gru-reset-before"). */
export function fileBaseName(name: string, fallback = 'cell'): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || fallback;
}

/** The cell file as `celda validate` reads it. */
export function cellFileText(cell: Cell): string {
  return `${JSON.stringify(cell, null, 2)}\n`;
}
