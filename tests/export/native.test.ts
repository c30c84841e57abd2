import { describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../src/compiler';
import type { Cell } from '../../src/model/cell';
import { nativeEquivalent } from '../../src/export/native';
import { nativeWeights } from '../../src/export/pytorch';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { loadExample } from '../helpers';

const SIZES = { input: 3, hidden: 4 };

function compiled(cell: Cell): Compiled {
  const r = compile(cell, SIZES);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** The same cell with new ids, no labels, other positions and the nodes in reverse order. */
function disguised(cell: Cell): { cell: Cell; rename: (id: string) => string } {
  const rename = (id: string) => `n${cell.nodes.findIndex((n) => n.id === id)}_${id.length}`;
  return {
    rename,
    cell: {
      ...cell,
      nodes: [...cell.nodes].reverse().map(({ label: _label, ...n }) => ({ ...n, id: rename(n.id), position: { x: -n.position.x, y: n.position.y } })),
      connections: [...cell.connections].reverse().map((c) => ({ ...c, from: rename(c.from), to: rename(c.to) })),
    },
  };
}

describe('recognising nn.LSTM and nn.GRU', () => {
  it.each(['lstm', 'gru-reset-after'] as const)('%s is recognised whatever its ids, labels, layout and node order, with the same native weights', (name) => {
    const original = compiled(loadExample(name));
    const { cell, rename } = disguised(loadExample(name));
    const other = compiled(cell);
    const match = nativeEquivalent(other);
    expect(match?.kind).toBe(name === 'lstm' ? 'lstm' : 'gru');
    const params = initParameters(original.program, 3);
    const renamed: Parameters = Object.fromEntries(Object.entries(params).map(([id, t]) => [rename(id), t]));
    expect(nativeWeights(other.program, match!, { cell: renamed })).toEqual(nativeWeights(original.program, nativeEquivalent(original)!, { cell: params }));
  });

  it('does not take the tutorial\'s reset-before GRU, the Elman RNN, or an LSTM without one bias for nn.GRU / nn.LSTM', () => {
    expect(nativeEquivalent(compiled(loadExample('gru')))).toBeUndefined();
    expect(nativeEquivalent(compiled(loadExample('rnn')))).toBeUndefined();
    const lstm = loadExample('lstm');
    const noBias = { ...lstm, nodes: lstm.nodes.map((n) => (n.id === 'Wo' ? { ...n, params: { ...n.params, bias: false } } : n)) };
    expect(nativeEquivalent(compiled(noBias))).toBeUndefined();
  });

  it('ignores initialisers: an LSTM with orthogonal weights and no forget bias is still nn.LSTM', () => {
    const lstm = loadExample('lstm');
    const reinit = { ...lstm, nodes: lstm.nodes.map((n) => (n.kind === 'linear' ? { ...n, params: { init: 'orthogonal' } } : n)) };
    expect(nativeEquivalent(compiled(reinit))?.kind).toBe('lstm');
  });
});
