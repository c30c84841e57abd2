/**
 * The canvas is a view of the model: these tests drive the DOM-free sync
 * against rete's core NodeEditor (no area, no DOM) and count what it does.
 */
import { NodeEditor } from 'rete';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/compiler/analyze';
import { connectionId, readView, ViewSync, type Schemes } from '../../src/editor/sync';
import type { Cell, Connection } from '../../src/model/cell';
import { addNode, connect, copyFragment, disconnect, moveNodes, pasteFragment, removeNodes, setLabel, setParam } from '../../src/model/edit';
import { History } from '../../src/model/history';
import { loadCellText } from '../../src/model/load';
import { exampleJson, loadExample } from '../helpers';

type EventName = 'nodecreated' | 'noderemoved' | 'connectioncreated' | 'connectionremoved';

/** A fresh editor with a ViewSync, and a log of the structural events Rete emits. */
function setup(lang: () => 'en' | 'es' = () => 'en') {
  const editor = new NodeEditor<Schemes>();
  const events: { type: EventName; id: string }[] = [];
  editor.addPipe((context) => {
    if (context.type === 'nodecreated' || context.type === 'noderemoved' || context.type === 'connectioncreated' || context.type === 'connectionremoved') {
      events.push({ type: context.type, id: context.data.id });
    }
    return context;
  });
  const view = new ViewSync(editor, lang);
  const count = (type: EventName) => events.filter((e) => e.type === type).length;
  return { editor, view, events, count };
}

const sortConnections = (cs: readonly Connection[]) => [...cs].map((c) => connectionId(c)).sort();

/** The model as the view should show it: ids, kinds, labels and connections. */
function expectViewOf(editor: NodeEditor<Schemes>, cell: Cell): void {
  const seen = readView(editor);
  expect(seen.nodes.map((n) => n.id).sort()).toEqual(cell.nodes.map((n) => n.id).sort());
  for (const node of cell.nodes) {
    const shown = seen.nodes.find((n) => n.id === node.id);
    expect(shown?.kind).toBe(node.kind);
    expect(shown?.label).toBe(node.label);
  }
  expect(sortConnections(seen.connections)).toEqual(sortConnections(cell.connections));
}

describe('syncing the model into a Rete NodeEditor', () => {
  it('builds the LSTM with our node ids, ports and connections', async () => {
    const lstm = loadExample('lstm');
    const { editor, view, count } = setup();
    const changes = await view.sync(lstm);
    expectViewOf(editor, lstm);
    expect(count('nodecreated')).toBe(lstm.nodes.length);
    expect(count('connectioncreated')).toBe(lstm.connections.length);
    expect(editor.getNode('Wf')?.kind).toBe('linear');
    expect(editor.getNode('Wf')?.symbol).toBe('W·v+b');
    expect(editor.getNode('f')?.caption).toBe('forget');
    expect(Object.keys(editor.getNode('cat')?.inputs ?? {})).toEqual(['in0', 'in1']);
    // A state draws its two sides: h_t comes in on "next", h_t−1 goes out on "prev".
    const state = editor.getNode('a');
    expect(state?.inputPorts).toEqual([{ key: 'next', label: 'h_t', title: 'next value, h_t' }]);
    expect(state?.outputPort).toEqual({ key: 'prev', label: 'h_t−1', title: 'previous value, h_t−1' });
    const feedback = editor.getConnection(connectionId({ from: 'a_new', fromPort: 'out', to: 'a', toPort: 'next' }));
    expect(feedback?.recurrent).toBe(true);
    expect(editor.getConnection(connectionId({ from: 'cat', fromPort: 'out', to: 'Wf', toPort: 'in' }))?.recurrent).toBe(false);
    // Every node is placed where the model says.
    expect(changes.moves.size).toBe(lstm.nodes.length);
    expect(changes.moves.get('c_new')).toEqual({ x: 1000, y: 100 });
  });

  it('re-syncing the same cell changes nothing', async () => {
    const lstm = loadExample('lstm');
    const analysis = analyze(lstm);
    const { view, events } = setup();
    await view.sync(lstm, analysis);
    events.length = 0;
    const again = await view.sync(lstm, analysis);
    expect(events).toEqual([]);
    expect(again).toEqual({ addedNodes: [], removedNodes: [], updatedNodes: [], addedConnections: [], removedConnections: [], moves: new Map() });
    // An equal cell rebuilt from the same file (new objects, same content) changes nothing either.
    const reloaded = loadExample('lstm');
    const third = await view.sync(reloaded, analyze(reloaded));
    expect(events).toEqual([]);
    expect(third.updatedNodes).toEqual([]);
    expect(third.moves.size).toBe(0);
  });

  it('after an edit applies only the difference', async () => {
    const lstm = loadExample('lstm');
    const { editor, view, events } = setup();
    await view.sync(lstm);

    // Add a node and wire it: one node and one connection appear.
    events.length = 0;
    const { cell: withNode, id } = addNode(lstm, 'tanh', { x: 50, y: 600 });
    const wired = connect(withNode, { from: 'c', fromPort: 'prev', to: id, toPort: 'in' });
    let changes = await view.sync(wired);
    expect(events).toEqual([
      { type: 'nodecreated', id },
      { type: 'connectioncreated', id: connectionId({ from: 'c', fromPort: 'prev', to: id, toPort: 'in' }) },
    ]);
    expect([...changes.moves]).toEqual([[id, { x: 50, y: 600 }]]);
    expectViewOf(editor, wired);

    // Move one node: no structural event, one move.
    events.length = 0;
    const moved = moveNodes(wired, new Map([['f', { x: 610, y: 90 }]]));
    changes = await view.sync(moved);
    expect(events).toEqual([]);
    expect([...changes.moves]).toEqual([['f', { x: 610, y: 90 }]]);

    // Relabel: that node re-renders, nothing else.
    changes = await view.sync(setLabel(moved, 'f', 'forget gate'));
    expect(events).toEqual([]);
    expect(changes.updatedNodes).toEqual(['f']);
    expect(editor.getNode('f')?.caption).toBe('forget gate');

    // Disconnect one wire: exactly that connection goes.
    const dropped = { from: 'f', fromPort: 'out', to: 'keep', toPort: 'a' };
    changes = await view.sync(disconnect(setLabel(moved, 'f', 'forget gate'), dropped));
    expect(events).toEqual([{ type: 'connectionremoved', id: connectionId(dropped) }]);
    expect(changes.removedConnections).toEqual([connectionId(dropped)]);
  });

  it('concat grows and shrinks its input ports with its "inputs" param', async () => {
    const lstm = loadExample('lstm');
    const { editor, view, events } = setup();
    await view.sync(lstm);
    events.length = 0;
    const three = connect(setParam(lstm, 'cat', 'inputs', 3), { from: 'c', fromPort: 'prev', to: 'cat', toPort: 'in2' });
    const changes = await view.sync(three);
    expect(Object.keys(editor.getNode('cat')?.inputs ?? {})).toEqual(['in0', 'in1', 'in2']);
    expect(changes.updatedNodes).toEqual(['cat']);
    expect(events).toEqual([{ type: 'connectioncreated', id: 'c|prev|cat|in2' }]);

    // Back to two: the wire into in2 leaves with the port; the model still holds it (the compiler reports it).
    events.length = 0;
    const shrunk = await view.sync(setParam(three, 'cat', 'inputs', 2));
    expect(Object.keys(editor.getNode('cat')?.inputs ?? {})).toEqual(['in0', 'in1']);
    expect(shrunk.updatedNodes).toEqual(['cat']);
    expect(events).toEqual([{ type: 'connectionremoved', id: 'c|prev|cat|in2' }]);
  });

  it('shows inferred sizes and marks nodes with errors', async () => {
    const lstm = loadExample('lstm');
    const { editor, view } = setup();
    await view.sync(lstm, analyze(lstm));
    expect(editor.getNode('cat')?.size).toBe('hidden + input');
    expect(editor.getNode('Wf')?.size).toBe('hidden');
    expect(editor.getNode('a_new')?.error).toBe('');

    // Feed a_new.b with [a, x]: a size mismatch on a_new, shown on that node only.
    const broken = connect(lstm, { from: 'cat', fromPort: 'out', to: 'a_new', toPort: 'b' });
    const changes = await view.sync(broken, analyze(broken));
    expect(editor.getNode('a_new')?.error).toMatch(/a_new/);
    expect(changes.updatedNodes).toContain('a_new');
    expect(editor.getNodes().filter((n) => n.error !== '').map((n) => n.id)).toContain('a_new');
  });

  it('shows live activity on the nodes it names, re-rendering only those, and clears it', async () => {
    const lstm = loadExample('lstm');
    const { editor, view } = setup();
    const analysis = analyze(lstm);
    await view.sync(lstm, analysis);
    const live = await view.sync(lstm, { ...analysis, activity: new Map([['f', 0.8], ['o', 0.25]]) });
    expect(editor.getNode('f')?.activity).toBe(0.8);
    expect(editor.getNode('o')?.activity).toBe(0.25);
    expect(editor.getNode('u')?.activity).toBeNull();
    expect(live.updatedNodes.sort()).toEqual(['f', 'o']);
    const cleared = await view.sync(lstm, analysis);
    expect(editor.getNode('f')?.activity).toBeNull();
    expect(cleared.updatedNodes.sort()).toEqual(['f', 'o']);
  });

  it('gives the same Rete ids after a reload (load → sync → read back → equal)', async () => {
    const text = JSON.stringify(exampleJson('lstm'));
    const first = loadCellText(text);
    const second = loadCellText(text);
    if (!first.ok || !second.ok) throw new Error('lstm does not load');
    const a = setup();
    const b = setup();
    await a.view.sync(first.value);
    await b.view.sync(second.value);
    const seenA = readView(a.editor);
    const seenB = readView(b.editor);
    expect(seenA).toEqual(seenB);
    expect(a.editor.getNodes().map((n) => n.id)).toEqual(first.value.nodes.map((n) => n.id));
    expect(a.editor.getConnections().map((c) => c.id).sort()).toEqual(b.editor.getConnections().map((c) => c.id).sort());
    // Reading the view back gives the model's nodes and connections.
    expect(sortConnections(seenA.connections)).toEqual(sortConnections(first.value.connections));
    expect(seenA.nodes.map(({ id, kind, label }) => ({ id, kind, ...(label && { label }) }))).toEqual(
      first.value.nodes.map(({ id, kind, label }) => ({ id, kind, ...(label && { label }) })),
    );
  });

  it('undo of a paste removes exactly the pasted nodes and their connections', async () => {
    const lstm = loadExample('lstm');
    const history = new History(lstm);
    const { editor, view, events } = setup();
    await view.sync(history.cell);

    const fragment = copyFragment(lstm, ['Wo', 'o', 'a_new']);
    const { cell: pasted, ids } = pasteFragment(lstm, fragment, { x: 40, y: 400 });
    history.push(pasted);
    events.length = 0;
    await view.sync(history.cell);
    expect(events.filter((e) => e.type === 'nodecreated').map((e) => e.id).sort()).toEqual([...ids].sort());
    const pastedConnections = pasted.connections.filter((c) => ids.includes(c.from) || ids.includes(c.to)).map(connectionId).sort();
    expect(pastedConnections).toHaveLength(2);
    expect(events.filter((e) => e.type === 'connectioncreated').map((e) => e.id).sort()).toEqual(pastedConnections);

    events.length = 0;
    const changes = await view.sync(history.undo());
    expect(events.filter((e) => e.type === 'noderemoved').map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(events.filter((e) => e.type === 'connectionremoved').map((e) => e.id).sort()).toEqual(pastedConnections);
    expect(events.filter((e) => e.type === 'nodecreated' || e.type === 'connectioncreated')).toEqual([]);
    expect(changes.moves.size).toBe(0);
    expectViewOf(editor, lstm);

    // Redo brings them back where they were pasted.
    events.length = 0;
    const redo = await view.sync(history.redo());
    expect(events.filter((e) => e.type === 'nodecreated')).toHaveLength(ids.length);
    expect(redo.moves.get(ids[0])).toEqual(pasted.nodes.find((n) => n.id === ids[0])?.position);
  });

  it('a wire the user removes while a sync removes it too is removed once, and nothing else goes', async () => {
    const lstm = loadExample('lstm');
    const { editor, view } = setup();
    await view.sync(lstm);
    // The area's own pipes make a removal take a while, as in the browser.
    editor.addPipe(async (context) => {
      if (context.type === 'connectionremove') await new Promise((resolve) => setTimeout(resolve, 5));
      return context;
    });
    const gone = { from: 'f', fromPort: 'out', to: 'keep', toPort: 'a' };
    // The connection plugin drops an input's old wire without waiting; the model says the same.
    const byUser = editor.removeConnection(connectionId(gone));
    const bySync = view.sync(disconnect(lstm, gone));
    await Promise.all([byUser, bySync]);
    expect(editor.getConnections()).toHaveLength(lstm.connections.length - 1);
    expectViewOf(editor, disconnect(lstm, gone));
  });

  it('removing nodes takes their connections first', async () => {
    const lstm = loadExample('lstm');
    const { editor, view, events } = setup();
    await view.sync(lstm);
    events.length = 0;
    const without = removeNodes(lstm, ['cat']);
    await view.sync(without);
    expect(events.filter((e) => e.type === 'connectionremoved')).toHaveLength(6);
    expect(events.at(-1)).toEqual({ type: 'noderemoved', id: 'cat' });
    expectViewOf(editor, without);
  });

  it('a position the view reported is not sent back to the view', async () => {
    const lstm = loadExample('lstm');
    const { view } = setup();
    await view.sync(lstm);
    // The user dragged f; the canvas tells the sync before it edits the model.
    const at = new Map([['f', { x: 640, y: 95 }]]);
    view.noteViewPositions(at);
    const changes = await view.sync(moveNodes(lstm, at));
    expect(changes.moves.size).toBe(0);
    // Undo moves it back: that one goes to the view.
    const back = await view.sync(lstm);
    expect([...back.moves]).toEqual([['f', { x: 600, y: 80 }]]);
  });

  it('collapses syncs that pile up into the latest cell', async () => {
    const lstm = loadExample('lstm');
    const { editor, view, count } = setup();
    const first = view.sync(lstm);
    const cells = [1, 2, 3].map((i) => moveNodes(lstm, new Map([['f', { x: 600 + i, y: 80 }]])));
    const pending = cells.map((c) => view.sync(c));
    const last = addNode(cells[2], 'sigmoid', { x: 0, y: 0 });
    const final = view.sync(last.cell);
    await Promise.all([first, ...pending, final]);
    expect(count('nodecreated')).toBe(lstm.nodes.length + 1);
    expectViewOf(editor, last.cell);
  });

  it('switches node titles with the language', async () => {
    let lang: 'en' | 'es' = 'en';
    const lstm = loadExample('lstm');
    const { editor, view } = setup(() => lang);
    await view.sync(lstm);
    expect(editor.getNode('cat')?.kindLabel).toBe('Concatenate');
    lang = 'es';
    const changes = await view.sync(lstm);
    expect(editor.getNode('cat')?.kindLabel).toBe('Concatenar');
    // "tanh" is "tanh" in both, but its ports' tooltips are worded in the language too.
    expect(changes.updatedNodes).toEqual(expect.arrayContaining(['x', 'a', 'cat', 'Wf', 'f', 'keep', 'squash']));
    expect(editor.getNode('squash')?.kindLabel).toBe('Tanh');
    expect(editor.getNode('squash')?.inputPorts[0].title).toBe('entrada');
    // Nothing re-renders when the language stays.
    expect((await view.sync(lstm)).updatedNodes).toEqual([]);
  });

  it('shows sizes and port names in the UI language, the model keeping its identifiers', async () => {
    let lang: 'en' | 'es' = 'es';
    const lstm = loadExample('lstm');
    const { editor, view } = setup(() => lang);
    await view.sync(lstm, analyze(lstm));
    expect(editor.getNode('cat')?.size).toBe('oculto + entrada');
    expect(editor.getNode('x')?.size).toBe('entrada');
    expect(editor.getNode('Wf')?.size).toBe('oculto');
    expect(editor.getNode('cat')?.inputPorts.map((p) => p.title)).toEqual(['entrada 1', 'entrada 2']);
    expect(editor.getNode('cat')?.outputPort?.title).toBe('salida');
    expect(editor.getNode('a')?.inputPorts[0].title).toBe('valor siguiente, h_t');

    lang = 'en';
    const changes = await view.sync(lstm, analyze(lstm));
    expect(editor.getNode('cat')?.size).toBe('hidden + input');
    expect(editor.getNode('cat')?.inputPorts.map((p) => p.title)).toEqual(['input 1', 'input 2']);
    expect(changes.updatedNodes).toEqual(expect.arrayContaining(['cat', 'Wf', 'x']));
  });

  it('words node problems in the UI language, and rewords them when it changes', async () => {
    let lang: 'en' | 'es' = 'en';
    const broken = connect(loadExample('lstm'), { from: 'cat', fromPort: 'out', to: 'a_new', toPort: 'b' });
    const analysis = analyze(broken);
    const { editor, view } = setup(() => lang);
    await view.sync(broken, analysis);
    expect(editor.getNode('a_new')?.error).toBe('Node (multiply a_new): b expects hidden (the size of a), got hidden + input.');
    lang = 'es';
    const changes = await view.sync(broken, analysis);
    expect(editor.getNode('a_new')?.error).toBe('Nodo (producto a_new): b espera hidden (el tamaño de a), pero recibe hidden + input.');
    expect(changes.updatedNodes).toContain('a_new');
  });

  it('re-syncs a 150-node cell after a one-node move in well under a frame', async () => {
    let cell = loadExample('lstm');
    for (let i = 0; cell.nodes.length < 150; i++) {
      const added = addNode(cell, i % 2 ? 'tanh' : 'sigmoid', { x: (i % 10) * 150, y: 600 + Math.floor(i / 10) * 100 });
      cell = i > 0 ? connect(added.cell, { from: cell.nodes[cell.nodes.length - 1].id, fromPort: 'out', to: added.id, toPort: 'in' }) : added.cell;
    }
    const { view } = setup();
    await view.sync(cell, analyze(cell));
    const analysis = analyze(cell);
    const frames = 60;
    const start = performance.now();
    for (let f = 0; f < frames; f++) {
      cell = moveNodes(cell, new Map([['f', { x: 600 + f, y: 80 }]]));
      await view.sync(cell, analysis);
    }
    const perFrame = (performance.now() - start) / frames;
    expect(perFrame).toBeLessThan(4);
  });
});
