import { describe, expect, it } from 'vitest';
import { analyze, checkConnection } from '../../src/compiler/analyze';
import { addNode, connect, copyFragment, disconnect, moveNodes, newCell, pasteFragment, removeNodes, setLabel, setParam } from '../../src/model/edit';
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
