import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/model/cell';
import { History } from '../../src/model/history';
import { copySelection, cutSelection, deleteSelection, duplicateSelection, openDocument, paste, PASTE_OFFSET, selectAll } from '../../src/ui/lib/commands';
import { STRINGS } from '../../src/ui/lib/strings';
import type { EditorState } from '../../src/ui/state.svelte';
import { loadExample } from '../helpers';

/** The part of EditorState the commands use, without Svelte. */
function fakeEditor(cell: Cell) {
  const history = new History(cell);
  const editor = {
    cell,
    selection: [] as readonly string[],
    notice: '',
    get canUndo() {
      return history.canUndo;
    },
    apply(edit: (c: Cell) => Cell) {
      const next = edit(editor.cell);
      history.push(next);
      editor.cell = next;
    },
    select(ids: readonly string[]) {
      editor.selection = ids;
    },
    open(c: Cell) {
      history.reset(c);
      editor.cell = c;
      editor.selection = [];
    },
  };
  return editor;
}

const t = STRINGS.en;

describe('editing commands', () => {
  it('copy then paste adds fresh nodes, selected, shifted by 40,40; a second paste shifts again', () => {
    const e = fakeEditor(loadExample('lstm'));
    const editor = e as unknown as EditorState;
    e.select(['Wf', 'f']);
    expect(copySelection(editor, t)).toBe(true);
    expect(paste(editor, t)).toBe(true);
    expect(e.selection).toEqual(['linear-1', 'sigmoid-1']);
    const wf = e.cell.nodes.find((n) => n.id === 'Wf');
    const first = e.cell.nodes.find((n) => n.id === 'linear-1');
    expect(first?.position).toEqual({ x: (wf?.position.x ?? 0) + PASTE_OFFSET.x, y: (wf?.position.y ?? 0) + PASTE_OFFSET.y });
    expect(e.cell.connections).toContainEqual({ from: 'linear-1', fromPort: 'out', to: 'sigmoid-1', toPort: 'in' });
    paste(editor, t);
    expect(e.cell.nodes.find((n) => n.id === 'linear-2')?.position).toEqual({ x: (wf?.position.x ?? 0) + 80, y: (wf?.position.y ?? 0) + 80 });
    expect(e.notice).toBe('Pasted 2 nodes.');
  });

  it('duplicate, cut, delete and select all act on the selection', () => {
    const e = fakeEditor(loadExample('rnn'));
    const editor = e as unknown as EditorState;
    const count = e.cell.nodes.length;
    expect(duplicateSelection(editor, t)).toBe(false);
    selectAll(editor);
    expect(e.selection).toHaveLength(count);
    e.select(['y']);
    duplicateSelection(editor, t);
    expect(e.cell.nodes).toHaveLength(count + 1);
    expect(e.selection).toEqual(['output-1']);
    deleteSelection(editor, t);
    expect(e.cell.nodes).toHaveLength(count);
    e.select(['y']);
    cutSelection(editor, t);
    expect(e.cell.nodes.some((n) => n.id === 'y')).toBe(false);
    paste(editor, t);
    expect(e.cell.nodes.some((n) => n.kind === 'output')).toBe(true);
  });

  it('asks before replacing a document with edits, and not before replacing an untouched one', () => {
    const e = fakeEditor(loadExample('rnn'));
    const editor = e as unknown as EditorState;
    const gru = loadExample('gru');
    const asked: string[] = [];
    expect(openDocument(editor, gru, t, (m) => (asked.push(m), false))).toBe(true);
    expect(asked).toEqual([]);
    e.select(['x']);
    deleteSelection(editor, t);
    expect(openDocument(editor, loadExample('lstm'), t, (m) => (asked.push(m), false))).toBe(false);
    expect(asked).toEqual([t.confirmDiscard]);
    expect(e.cell.metadata.name).toBe('GRU (reset before)');
    expect(openDocument(editor, loadExample('lstm'), t, () => true)).toBe(true);
    expect(e.cell.metadata.name).toBe('LSTM');
  });
});
