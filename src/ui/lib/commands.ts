/**
 * What the toolbar, palette and keyboard shortcuts do, written once. Every
 * change to the cell goes through EditorState.apply (one undo step each);
 * the canvas is only asked to move the view.
 */
import type { CanvasHandle } from '../../editor';
import type { Cell } from '../../model/cell';
import { addNode, copyFragment, pasteFragment, removeNodes, type Fragment } from '../../model/edit';
import type { EditorState } from '../state.svelte';
import { downloadText } from './download';
import { cellFileText, fileBaseName } from './files';
import { nodeClipboard } from './overlay.svelte';
import type { Strings } from './strings';

/** Where copies land relative to their originals. */
export const PASTE_OFFSET = { x: 40, y: 40 } as const;

/** Replaces the document, asking first when it has edits that undo could still reach. */
export function openDocument(editor: EditorState, cell: Cell, t: Strings, ask: (message: string) => boolean = (m) => confirm(m)): boolean {
  if (editor.canUndo && !ask(t.confirmDiscard)) return false;
  editor.open(cell);
  return true;
}

export function downloadCell(editor: EditorState): void {
  downloadText(`${fileBaseName(editor.cell.metadata.name)}.json`, cellFileText(editor.cell), 'application/json');
}

export function deleteSelection(editor: EditorState, t: Strings): void {
  const ids = editor.selection;
  if (ids.length === 0) return;
  editor.apply((cell) => removeNodes(cell, ids));
  editor.notice = t.deletedNodes(ids.length);
}

export function copySelection(editor: EditorState, t: Strings): boolean {
  if (editor.selection.length === 0) return false;
  nodeClipboard.fragment = copyFragment(editor.cell, editor.selection);
  editor.notice = t.copiedNodes(nodeClipboard.fragment.nodes.length);
  return true;
}

export function cutSelection(editor: EditorState, t: Strings): boolean {
  if (!copySelection(editor, t)) return false;
  const ids = editor.selection;
  editor.apply((cell) => removeNodes(cell, ids));
  return true;
}

function pasteInto(editor: EditorState, fragment: Fragment, t: Strings): string[] {
  let ids: string[] = [];
  editor.apply((cell) => {
    const pasted = pasteFragment(cell, fragment, PASTE_OFFSET);
    ids = pasted.ids;
    return pasted.cell;
  });
  editor.select(ids);
  editor.notice = t.pastedNodes(ids.length);
  return ids;
}

/** Pastes the copied nodes, selected, shifted by PASTE_OFFSET; the next paste shifts again. */
export function paste(editor: EditorState, t: Strings): boolean {
  const fragment = nodeClipboard.fragment;
  if (!fragment || fragment.nodes.length === 0) return false;
  const ids = pasteInto(editor, fragment, t);
  nodeClipboard.fragment = copyFragment(editor.cell, ids);
  return true;
}

export function duplicateSelection(editor: EditorState, t: Strings): boolean {
  if (editor.selection.length === 0) return false;
  pasteInto(editor, copyFragment(editor.cell, editor.selection), t);
  return true;
}

export function selectAll(editor: EditorState): void {
  editor.select(editor.cell.nodes.map((n) => n.id));
}

/** Adds a node at the view's centre; without a canvas, to the right of everything. */
export function addNodeOfKind(editor: EditorState, canvas: CanvasHandle | undefined, kind: string): void {
  if (canvas) {
    canvas.addNode(kind);
    return;
  }
  let id = '';
  editor.apply((cell) => {
    const right = cell.nodes.reduce((m, n) => Math.max(m, n.position.x), 0);
    const added = addNode(cell, kind, { x: right + 200, y: 0 });
    id = added.id;
    return added.cell;
  });
  editor.select([id]);
}

/** Selects a node and asks the canvas to centre it (clicking a problem or an equation). */
export function showNode(editor: EditorState, canvas: CanvasHandle | undefined, nodeId: string): void {
  if (!editor.cell.nodes.some((n) => n.id === nodeId)) return;
  editor.select([nodeId]);
  void canvas?.focus(nodeId);
}
