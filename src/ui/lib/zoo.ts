/**
 * The zoo gallery's cells (components/ZooGallery.svelte): every published cell of examples/zoo,
 * read through the same loader as any file and compiled, so the gallery shows the equations and
 * parameter count the compiler derives from the wiring. The gallery imports this module on
 * demand: its chunk, not the main bundle, carries the cell files, and the service worker
 * precaches it with every other chunk of the build (src/offline/vite-plugin.ts).
 */
import { ZOO, ZOO_GROUPS, type ZooEntry, type ZooGroup } from '../../../examples/zoo';
import { compile, parameterCounts, type Compiled } from '../../compiler';
import type { Cell } from '../../model/cell';
import type { Diagnostic } from '../../model/diagnostics';
import { loadCell } from '../../model/load';

/** The cell files by path (…/examples/zoo/<id>.json), bundled into this module's chunk. */
const FILES = import.meta.glob<unknown>('../../../examples/zoo/*.json', { eager: true, import: 'default' });

const fileOf = (id: string): unknown => FILES[`../../../examples/zoo/${id}.json`];

export type ZooCell =
  | { readonly entry: ZooEntry; readonly ok: true; readonly cell: Cell; readonly compiled: Compiled; readonly parameters: number }
  | { readonly entry: ZooEntry; readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Every zoo cell in the index's order, loaded and compiled at the sizes its file gives. */
export function zooCells(): ZooCell[] {
  return ZOO.map((entry) => {
    const loaded = loadCell(fileOf(entry.id));
    if (!loaded.ok) return { entry, ok: false, diagnostics: loaded.diagnostics };
    const compiled = compile(loaded.value);
    if (!compiled.ok) return { entry, ok: false, diagnostics: compiled.diagnostics };
    return { entry, ok: true, cell: loaded.value, compiled: compiled.value, parameters: parameterCounts(compiled.value.program).total };
  });
}

/** A cell's name in the UI language (from the strings, keyed by zoo id), else the index's English name. */
export const zooName = (names: Readonly<Record<string, string>>, entry: ZooEntry): string => (Object.hasOwn(names, entry.id) ? names[entry.id] : entry.name);

/** Case and accents aside: "gru" finds "GRU", "minima" finds "mínima". */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether any of a cell's names contains the query (an empty query keeps every cell). */
export function matchesQuery(query: string, names: readonly string[]): boolean {
  const wanted = fold(query.trim());
  return names.some((name) => fold(name).includes(wanted));
}

export interface ZooSection<T> {
  readonly group: ZooGroup;
  readonly cells: readonly T[];
}

/** The kept cells under their groups, in the groups' order; a group left with no cell is left out. */
export function zooSections<T extends { readonly entry: ZooEntry }>(cells: readonly T[], keep: (cell: T) => boolean): ZooSection<T>[] {
  return ZOO_GROUPS.map(({ id }) => ({ group: id, cells: cells.filter((c) => c.entry.group === id && keep(c)) })).filter((s) => s.cells.length > 0);
}
