import { describe, expect, it } from 'vitest';
import { analyze, checkConnection } from '../../src/compiler/analyze';
import {
  addNode, bypassNode, connect, copyFragment, disconnect, moveNodes, newCell, pasteFragment, removeNewlyUnused, removeNodes, replaceKind, rewireReaders, setLabel, setParam, unusedNodes,
} from '../../src/model/edit';
import { History } from '../../src/model/history';
import { loadExample } from '../helpers';

describe('pure edits', () => {
  it('add, connect, move, relabel and remove leave the original cell unchanged', () => {
    const start = newCell('test');
    const { cell: a, id } = addNode(start, 'tanh', { x: 10, y: 20 });
    expect(id).toBe('tanh-1');
    const b = connect(a, { from: 'h', fromPort: 'prev', to: id, toPort: 'in' });
    const c = moveNodes(setLabel(b, id, 'squash'), new Map([[id, { x: 5, y: 6 }]]));
    expect(c.nodes.find((n) => n.id === id)).toMatchObject({ label: 'squash', position: { x: 5, y: 6 } });
    const d = removeNodes(c, [id]);
    expect(d.connections).toEqual([]);
    expect(start.nodes).toHaveLength(3);
    expect(a.connections).toEqual([]);
  });

  it('a second connection into an input port replaces the first', () => {
    const cell = connect(connect(newCell('t'), { from: 'h', fromPort: 'prev', to: 'y', toPort: 'y' }), { from: 'x', fromPort: 'x', to: 'y', toPort: 'y' });
    expect(cell.connections).toEqual([{ from: 'x', fromPort: 'x', to: 'y', toPort: 'y' }]);
    expect(disconnect(cell, cell.connections[0]).connections).toEqual([]);
  });

  it('paste gives fresh ids, keeps the inner connections and shifts positions', () => {
    const lstm = loadExample('lstm');
    const fragment = copyFragment(lstm, ['Wf', 'f']);
    expect(fragment.connections).toEqual([{ from: 'Wf', fromPort: 'out', to: 'f', toPort: 'in' }]);
    const { cell, ids } = pasteFragment(lstm, fragment, { x: 40, y: 40 });
    expect(ids).toEqual(['linear-1', 'sigmoid-1']);
    expect(cell.connections).toContainEqual({ from: 'linear-1', fromPort: 'out', to: 'sigmoid-1', toPort: 'in' });
    expect(cell.nodes.find((n) => n.id === 'linear-1')?.position.x).toBe((lstm.nodes.find((n) => n.id === 'Wf')?.position.x ?? 0) + 40);
  });

  it('setParam with undefined returns the param to its default', () => {
    const lstm = loadExample('lstm');
    const changed = setParam(lstm, 'Wf', 'biasInit', undefined);
    expect(changed.nodes.find((n) => n.id === 'Wf')?.params).toEqual({});
  });
});

describe('graph edits for generated variants', () => {
  it('replaceKind keeps id, label and readers, and drops connections into ports the new kind lacks', () => {
    const lstm = loadExample('lstm');
    const constant = replaceKind(lstm, 'u', 'constant', { value: 1 }, []);
    expect(constant.nodes.find((n) => n.id === 'u')).toMatchObject({ kind: 'constant', label: 'update', params: { value: 1 } });
    expect(constant.connections.filter((c) => c.to === 'u')).toEqual([]);
    expect(constant.connections.filter((c) => c.from === 'u')).toEqual(lstm.connections.filter((c) => c.from === 'u'));
    const identity = replaceKind(lstm, 'cc', 'identity', {}, ['in']);
    expect(identity.connections.filter((c) => c.to === 'cc')).toEqual([{ from: 'Wcc', fromPort: 'out', to: 'cc', toPort: 'in' }]);
  });

  it('bypassNode makes the readers read what came in, and removes the node', () => {
    const lstm = loadExample('lstm');
    const cell = bypassNode(lstm, 'squash', 'in');
    expect(cell.nodes.some((n) => n.id === 'squash')).toBe(false);
    expect(cell.connections).toContainEqual({ from: 'c_new', fromPort: 'out', to: 'a_new', toPort: 'b' });
    expect(bypassNode(lstm, 'squash', 'nope')).toBe(lstm);
    expect(rewireReaders(lstm, 'a_new', { node: 'c_new', port: 'out' }).connections.filter((c) => c.from === 'a_new')).toEqual([]);
  });

  it('unusedNodes finds what reaches no output, through states; removeNewlyUnused keeps what was unused before', () => {
    const lstm = loadExample('lstm');
    expect(unusedNodes(lstm)).toEqual([]);
    const spare = addNode(lstm, 'tanh', { x: 0, y: 0 }, {}, { id: 'spare', label: 'kept' });
    expect(spare.id).toBe('spare');
    expect(spare.cell.nodes.at(-1)).toMatchObject({ id: 'spare', label: 'kept' });
    expect(addNode(spare.cell, 'tanh', { x: 0, y: 0 }, {}, { id: 'spare' }).id).toBe('spare-1');
    // The forget gate's sigmoid no longer read: it and its linear are unused, the spare tanh already was.
    const cut = disconnect(spare.cell, { from: 'f', fromPort: 'out', to: 'keep', toPort: 'a' });
    expect(unusedNodes(cut).sort()).toEqual(['Wf', 'f', 'spare']);
    expect(removeNewlyUnused(spare.cell, cut).nodes.map((n) => n.id)).toEqual(lstm.nodes.map((n) => n.id).filter((id) => id !== 'Wf' && id !== 'f').concat('spare'));
  });
});

describe('history', () => {
  it('undoes and redoes, and merges the steps of one drag', () => {
    const h = new History(newCell('t'));
    const first = addNode(h.cell, 'tanh', { x: 0, y: 0 });
    h.push(first.cell);
    h.push(moveNodes(h.cell, new Map([[first.id, { x: 1, y: 1 }]])));
    h.push(moveNodes(h.cell, new Map([[first.id, { x: 2, y: 2 }]])), true);
    expect(h.undo().nodes.find((n) => n.id === first.id)?.position).toEqual({ x: 0, y: 0 });
    expect(h.undo().nodes).toHaveLength(3);
    expect(h.canUndo).toBe(false);
    expect(h.redo().nodes).toHaveLength(4);
    expect(h.redo().nodes.find((n) => n.id === first.id)?.position).toEqual({ x: 2, y: 2 });
    expect(h.canRedo).toBe(false);
  });
});

describe('analysis while wiring', () => {
  const lstm = loadExample('lstm');
  const squashInput = lstm.connections.find((c) => c.to === 'squash') as (typeof lstm.connections)[number];
  const broken = disconnect(lstm, squashInput);

  it('a complete cell compiles; a half-wired one still shows the sizes it can infer', () => {
    expect(analyze(lstm).compiled).toBeDefined();
    const a = analyze(broken);
    expect(a.compiled).toBeUndefined();
    expect(a.diagnostics.map((d) => d.code)).toContain('unconnected-input');
    expect(a.sizes.get('cat')).toBe('hidden + input');
    expect(a.sizes.get('c_new')).toBe('hidden');
    expect(a.sizes.has('squash')).toBe(false);
  });

  it('refuses a connection that makes sizes disagree downstream, naming node and port', () => {
    const check = checkConnection(broken, { from: 'cat', fromPort: 'out', to: 'squash', toPort: 'in' });
    expect(check).toEqual({ ok: false, reason: 'Node (multiply a_new): b expects hidden (the size of a), got hidden + input.' });
    expect(checkConnection(broken, squashInput)).toEqual({ ok: true });
  });

  it('refuses a loop that does not pass through a state, and accepts one that does', () => {
    const loop = checkConnection(lstm, { from: 'a_new', fromPort: 'out', to: 'cat', toPort: 'in1' });
    expect(loop.ok).toBe(false);
    expect(!loop.ok && loop.reason).toContain('Node (concat cat) input "in1"');
    expect(checkConnection(lstm, { from: 'f', fromPort: 'out', to: 'a', toPort: 'next' })).toEqual({ ok: true });
  });

  it('refuses ports that do not exist', () => {
    expect(checkConnection(lstm, { from: 'f', fromPort: 'nope', to: 'keep', toPort: 'a' }).ok).toBe(false);
    expect(checkConnection(lstm, { from: 'f', fromPort: 'out', to: 'keep', toPort: 'c' }).ok).toBe(false);
  });
});
