/**
 * The editor's state: the cell (our model, the source of truth), its undo
 * history, the selection, and what the compiler says about it. Components read
 * these fields and call the methods; the canvas is a view kept in sync with `cell`.
 */
import { analyze, type Analysis } from '../compiler/analyze';
import type { Notation } from '../compiler/equations';
import type { Cell } from '../model/cell';
import { newCell } from '../model/edit';
import { History } from '../model/history';

/** Everything about a cell but where its nodes are drawn. */
function structureKey(cell: Cell): string {
  return JSON.stringify([cell.sizes, cell.metadata, cell.connections, cell.nodes.map(({ position: _position, ...rest }) => rest)]);
}

export class EditorState {
  #history: History;
  cell = $state.raw<Cell>(newCell('New cell'));
  selection = $state.raw<readonly string[]>([]);
  notation = $state<Notation>('tutorial');
  /** Counts documents opened (new cell, example, file): the canvas fits its view to each. */
  opened = $state(0);
  /** The view to show the last opened document in (a saved project's); undefined: fit the view. */
  openedView: { readonly x: number; readonly y: number; readonly zoom: number } | undefined = undefined;
  /** A message for the status line (e.g. why a connection was refused). */
  notice = $state('');
  canUndo = $state(false);
  canRedo = $state(false);
  #analysed: { key: string; analysis: Analysis } | undefined;
  /**
   * What the compiler says about the cell. Moving a node changes no diagnostic,
   * size or equation, so the analysis is reused (the same object, which keeps
   * every panel still) while only positions change: dragging stays at 60 fps.
   */
  /** Values shown under the canvas's nodes by the inside view's time scrubber (teaching mode), as text. */
  nodeValues = $state.raw<ReadonlyMap<string, string> | undefined>();
  /** Each gate's mean activation in [0, 1] while the cell trains, drawn as a fill inside its node (undefined: none). */
  nodeActivity = $state.raw<ReadonlyMap<string, number> | undefined>();

  analysis: Analysis = $derived.by(() => {
    const key = structureKey(this.cell);
    if (this.#analysed?.key !== key) this.#analysed = { key, analysis: analyze(this.cell) };
    return this.#analysed.analysis;
  });

  constructor(initial?: Cell) {
    if (initial) this.cell = initial;
    this.#history = new History(this.cell);
  }

  /** Applies an edit (a pure function of the cell); `merge` folds it into the last undo step. */
  apply(edit: (cell: Cell) => Cell, merge = false): void {
    const next = edit(this.cell);
    if (next === this.cell) return;
    this.#history.push(next, merge);
    this.#set(next);
  }

  undo(): void {
    this.#set(this.#history.undo());
  }

  redo(): void {
    this.#set(this.#history.redo());
  }

  /** Replaces the document (new cell, gallery, open file): history starts over. */
  open(cell: Cell, view?: { readonly x: number; readonly y: number; readonly zoom: number }): void {
    this.openedView = view;
    this.#history.reset(cell);
    this.selection = [];
    this.#set(cell);
    this.opened += 1;
  }

  select(ids: readonly string[]): void {
    this.selection = ids;
  }

  #set(cell: Cell): void {
    this.cell = cell;
    const present = new Set(cell.nodes.map((n) => n.id));
    if (this.selection.some((id) => !present.has(id))) this.selection = this.selection.filter((id) => present.has(id));
    this.canUndo = this.#history.canUndo;
    this.canRedo = this.#history.canRedo;
  }
}
