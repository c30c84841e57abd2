/**
 * The canonical form of a cell: the same text for wirings of the same equations,
 * another text for other equations, and every learned number accounted for.
 */
import { describe, expect, it } from 'vitest';
import { NODES } from '../../nodes';
import type { NodeDef, ParamDef } from '../../nodes/types';
import { canonicalForm, type CanonicalForm } from '../../src/compiler/canonical';
import { CELL_FORMAT, type Cell, type ParamValue } from '../../src/model/cell';
import { createRng } from '../../src/runtime/rng';
import { loadExample } from '../helpers';
import {
  added, compiled, disguise, insertAfter, nestConcat, reverseConcat, splitLinear, stackLinears, wire, withParams,
} from './rewire';

const form = (cell: Cell): CanonicalForm => canonicalForm(compiled(cell));
const text = (cell: Cell): string => form(cell).text;

describe('the printed canonical form', () => {
  it('of the LSTM: states by structure, one weight block per part of [a, x], operands sorted', () => {
    expect(text(loadExample('lstm'))).toMatchInlineSnapshot(`
      "cell (input 3)
        s0: [4]
        s1: [4]
        W0: [4×3]
        W1: [4×4]
        b0: [4]
        W2: [4×3]
        W3: [4×4]
        b1: [4]
        W4: [4×3]
        W5: [4×4]
        b2: [4]
        W6: [4×3]
        W7: [4×4]
        b3: [4]
        %0 = W0·x + W1·s1 + b0 : [4]
        %1 = sigmoid(%0) : [4]
        %2 = W2·x + W3·s1 + b1 : [4]
        %3 = sigmoid(%2) : [4]
        %4 = W4·x + W5·s1 + b2 : [4]
        %5 = tanh(%4) : [4]
        %6 = multiply(%3, %5) : [4]
        %7 = W6·x + W7·s1 + b3 : [4]
        %8 = sigmoid(%7) : [4]
        %9 = multiply(%8, s0) : [4]
        %10 = %6 + %9 : [4]
        %11 = tanh(%10) : [4]
        %12 = multiply(%1, %11) : [4]
        y = %12
        s0 <- %10
        s1 <- %12"
    `);
  });

  it('names values by structure: no id or label of the cell appears in it', () => {
    const lstm = loadExample('lstm');
    const marked: Cell = {
      ...lstm,
      nodes: lstm.nodes.map((n) => ({ ...n, id: `node_${n.id}`, label: `label_${n.id}` })),
      connections: lstm.connections.map((c) => ({ ...c, from: `node_${c.from}`, to: `node_${c.to}` })),
    };
    expect(text(marked)).not.toMatch(/node_|label_/);
    expect(text(marked)).toBe(text(lstm));
  });

  it('leaves out identity nodes', () => {
    const lstm = loadExample('lstm');
    expect(text(insertAfter(lstm, 'squash', 'identity'))).toBe(text(lstm));
  });

  it('prints nodes nothing reads last, as unused values, whatever their wiring order', () => {
    const lstm = loadExample('lstm');
    const leftover = added(added(lstm, 'tanh', ['cat']).cell, 'sigmoid', ['c_new']).cell;
    const lines = text(leftover).split('\n');
    // Live values come first (%0 … %12, as in the LSTM), then the leftovers: [a, x], its tanh, and σ(c_t).
    expect(lines.slice(-2).every((l) => /^ {2}unused %1[345]$/.test(l))).toBe(true);
    expect(lines.filter((l) => /^ {2}%1[345] = (concat\(s., x\) : \[7\]|tanh\(%1.\) : \[7\]|sigmoid\(%10\) : \[4\])$/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => !/%1[345]/.test(l)).join('\n')).toBe(text(lstm));
    expect(text(disguise(leftover).cell)).toBe(text(leftover));
    // A leftover computing what a live node computes adds nothing.
    expect(text(added(lstm, 'tanh', ['c_new']).cell)).toBe(text(lstm));
  });

  it('flattens nested concats, and takes whole parts of a concat as the parts themselves', () => {
    const gru = loadExample('gru');
    expect(text(nestConcat(nestConcat(gru, 'cat'), 'cat2'))).toBe(text(gru));
    const cut = added(gru, 'slice', ['cat'], { start: 'hidden', length: 'input' });
    expect(text(wire(cut.cell, cut.id, 'cat2', 'in1'))).toBe(text(gru));
  });

  it('keeps concat order where no linear reads the concat: y = [a, c] is not y = [c, a]', () => {
    const both = (first: string, second: string) => {
      const cat = added(loadExample('lstm'), 'concat', [first, second]);
      return wire(cat.cell, cat.id, 'y', 'y');
    };
    expect(text(both('a_new', 'c_new'))).not.toBe(text(both('c_new', 'a_new')));
    expect(text(both('a_new', 'c_new'))).toBe(text(disguise(both('a_new', 'c_new')).cell));
  });

  it('tells a linear used twice from two linears: shared weights are not copied', () => {
    const rnn = loadExample('rnn');
    const gate = added(rnn, 'sigmoid', ['lin']);
    const gated = added(gate.cell, 'multiply', [gate.id, 'act']);
    const shared = wire(gated.cell, gated.id, 'y', 'y');
    const apart = splitShared(shared);
    expect(text(shared)).not.toBe(text(apart));
  });
});

/** The RNN above with the sigmoid reading a second linear of its own instead of sharing `lin`. */
function splitShared(cell: Cell): Cell {
  const second = added(cell, 'linear', ['cat']);
  return wire(second.cell, second.id, 'sigmoid-1', 'in');
}

describe('states', () => {
  /** Two Elman recurrences side by side, y = first − second. */
  function twin(order: 'first' | 'second'): Cell {
    const base: Cell = { ...loadExample('rnn'), nodes: [], connections: [] };
    let cell: Cell = { ...base, nodes: [{ id: 'x', kind: 'input', params: {}, position: { x: 0, y: 0 } }, { id: 'y', kind: 'output', params: {}, position: { x: 0, y: 0 } }] };
    const tops: string[] = [];
    for (const name of ['p', 'q']) {
      cell = { ...cell, nodes: [...cell.nodes, { id: name, kind: 'state', params: {}, position: { x: 0, y: 0 } }] };
      const cat = added(cell, 'concat', [name, 'x']);
      const lin = added(cat.cell, 'linear', [cat.id]);
      const act = added(lin.cell, 'tanh', [lin.id]);
      cell = wire(act.cell, act.id, name, 'next');
      tops.push(act.id);
    }
    const diff = added(cell, 'subtract', order === 'first' ? tops : [...tops].reverse());
    return wire(diff.cell, diff.id, 'y', 'y');
  }

  it('are named by what they hold, not by file order: two interchangeable states compare equal either way round', () => {
    expect(text(twin('first'))).toBe(text(twin('second')));
    expect(form(twin('second')).stateOrder).not.toEqual(form(twin('first')).stateOrder);
  });

  it('are told apart by what reads them: of eight look-alike recurrences, the one y_t reads keeps its place', () => {
    let cell = loadExample('rnn');
    for (let i = 0; i < 7; i++) {
      cell = { ...cell, nodes: [...cell.nodes, { id: `r${i}`, kind: 'state', params: {}, position: { x: 0, y: 0 } }] };
      const cat = added(cell, 'concat', [`r${i}`, 'x']);
      const lin = added(cat.cell, 'linear', [cat.id]);
      const act = added(lin.cell, 'tanh', [lin.id]);
      cell = wire(act.cell, act.id, `r${i}`, 'next');
    }
    const { cell: other, rename } = disguise(cell);
    expect(text(other)).toBe(text(cell));
    const placeOfH = (c: Cell, id: string) => form(c).stateOrder.map((i) => compiled(c).program.states[i].nodeId).indexOf(id);
    expect(placeOfH(other, rename('h'))).toBe(placeOfH(cell, 'h'));
  });

  it('keep their file order out of the form: the LSTM with its cell state declared first', () => {
    const lstm = loadExample('lstm');
    const cFirst = { ...lstm, nodes: [...lstm.nodes].sort((a, b) => Number(b.id === 'c') - Number(a.id === 'c')) };
    expect(form(cFirst).text).toBe(form(lstm).text);
    const firstState = (cell: Cell) => compiled(cell).program.states[form(cell).stateOrder[0]].nodeId;
    expect(firstState(cFirst)).toBe(firstState(lstm));
  });
});

describe('learned tensors', () => {
  const wirings: readonly (readonly [string, () => Cell])[] = [
    ['the LSTM', () => loadExample('lstm')],
    ['the LSTM reading [x, a]', () => reverseConcat(loadExample('lstm'), 'cat')],
    ['the stacked LSTM', () => stackLinears(loadExample('lstm'), ['Wf', 'Wu', 'Wcc', 'Wo'])],
    ['the split RNN, a bias on each part', () => splitLinear(loadExample('rnn'), 'lin', 'every')],
    ['the reset-after GRU', () => loadExample('gru-reset-after')],
    ['an RNN with a learned initial state and a learned scale', () => insertAfter(withParams(loadExample('rnn'), 'h', { init: 'learned' }), 'act', 'scale')],
  ];

  it.each(wirings)('%s: every learned number lands in exactly one canonical tensor', (_name, cell) => {
    const c = compiled(cell());
    const hits = new Map<string, number>();
    for (const t of canonicalForm(c).tensors) {
      for (const b of t.sources) {
        expect(b.rows[1] * b.cols[1], `${t.name} shape`).toBe(t.shape.reduce((x, y) => x * y, 1));
        for (let r = b.rows[0]; r < b.rows[0] + b.rows[1]; r++) {
          for (let col = b.cols[0]; col < b.cols[0] + b.cols[1]; col++) {
            const key = `${b.nodeId}.${b.tensor}[${r * b.width + col}]`;
            hits.set(key, (hits.get(key) ?? 0) + 1);
          }
        }
      }
    }
    const all = c.program.tensors.flatMap((t) => Array.from({ length: t.shape.reduce((x, y) => x * y, 1) }, (_, i) => `${t.nodeId}.${t.name}[${i}]`));
    expect([...hits.keys()].sort()).toEqual(all.sort());
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// The node facts the form reads, checked against each primitive's own forward
// ---------------------------------------------------------------------------

const binaryElementwise = NODES.filter((d) => d.category === 'elementwise' && d.inputPorts({}).length === 2 && d.forward && !d.weights);

function apply(def: NodeDef, a: Float64Array, b: Float64Array): Float64Array {
  const forward = def.forward as NonNullable<NodeDef['forward']>;
  return forward({ inputs: [a, b], inSizes: [a.length, b.length], outSize: a.length, batch: 1, params: {}, sizes: {}, weights: {} });
}

describe.each(binaryElementwise.map((d) => [d.kind, d] as const))('node %s', (_kind, def) => {
  const rng = createRng(7);
  const draw = () => Float64Array.from({ length: 16 }, () => rng.uniform(-2, 2));
  const [a, b, c] = [draw(), draw(), draw()];

  it(`is flagged commutative exactly when its operands can be swapped`, () => {
    const swaps = apply(def, a, b).every((v, i) => Math.abs(v - apply(def, b, a)[i]) < 1e-12);
    expect(def.commutative === true).toBe(swaps);
  });

  it.runIf(def.commutative)('regroups freely when flagged commutative: (a∘b)∘c = a∘(b∘c)', () => {
    const left = apply(def, apply(def, a, b), c);
    const right = apply(def, a, apply(def, b, c));
    left.forEach((v, i) => expect(v).toBeCloseTo(right[i], 12));
  });
});

/** A cell x_t → node → y_t, the node's params set. */
function around(def: NodeDef, params: Readonly<Record<string, ParamValue>>): Cell {
  const at = { x: 0, y: 0 };
  return {
    format: CELL_FORMAT, version: 1, metadata: { name: def.kind, description: '' }, sizes: { input: 3, hidden: 3, named: {} },
    nodes: [
      { id: 'x', kind: 'input', params: {}, position: at },
      { id: 'n', kind: def.kind, params, position: at },
      { id: 'y', kind: 'output', params: {}, position: at },
    ],
    connections: [{ from: 'x', fromPort: 'x', to: 'n', toPort: 'in' }, { from: 'n', fromPort: 'out', to: 'y', toPort: 'y' }],
  };
}

/** A valid value other than the default. */
function otherValue(spec: ParamDef): ParamValue {
  switch (spec.type) {
    case 'enum': return spec.options.find((o) => o !== spec.default) as string;
    case 'boolean': return !spec.default;
    case 'number': return spec.default === spec.max ? spec.min : spec.max;
    case 'integer': return spec.default === spec.max ? spec.min : spec.max;
    case 'size': return 'input';
  }
}

const withInitParams = NODES.filter((d) => d.initParams);

describe.each(withInitParams.map((d) => [d.kind, d] as const))('node %s', (_kind, def) => {
  it('names only params it has as initialisers', () => {
    for (const name of def.initParams ?? []) expect(Object.keys(def.params)).toContain(name);
  });

  it.each(def.initParams ?? [])('computes the same whatever its initialiser param %s', (name) => {
    expect(text(around(def, { [name]: otherValue(def.params[name]) }))).toBe(text(around(def, {})));
  });
});

describe('initialisers and computing params', () => {
  it('a linear without a bias is another cell', () => {
    const linear = NODES.find((d) => d.kind === 'linear') as NodeDef;
    expect(text(around(linear, { bias: false }))).not.toBe(text(around(linear, {})));
  });
});
