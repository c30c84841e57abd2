/**
 * Checking a learner's cell against a target: wirings of the same equations are
 * recognised (and their weights, mapped across, give the same outputs), and
 * near misses are refused with the first difference named in the learner's terms.
 */
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../src/compiler';
import { compareCells, mapWeights, numericalDifference, NUMERICAL_TOLERANCE, type Difference } from '../../src/compiler/equivalence';
import { canonicalForm } from '../../src/compiler/canonical';
import type { Cell } from '../../src/model/cell';
import { removeNodes } from '../../src/model/edit';
import { initParameters } from '../../src/runtime/init';
import { forward } from '../../src/runtime/reference';
import { randomCell } from '../fixtures/random-cells';
import { loadExample } from '../helpers';
import {
  added, bypass, compiled, disguise, insertAfter, mergeLinears, nestConcat, redirect, relabel, reverseConcat, splitLinear, stackLinears,
  swapAllOperands, swapInputs, wire, withKind, withParams,
} from './rewire';

const lstm = () => loadExample('lstm');
const gru = () => loadExample('gru');
const gruAfter = () => loadExample('gru-reset-after');
const rnn = () => loadExample('rnn');

const LSTM_LINEARS = ['Wf', 'Wu', 'Wcc', 'Wo'];

/** The Elman RNN with a learned h_0 and a learned per-element scale on its new state. */
const learnedExtras = () => insertAfter(withParams(rnn(), 'h', { init: 'learned' }), 'act', 'scale', { init: 'uniform' });

/** [name, learner, target]: the learner computes the target's equations, wired another way. */
const EQUIVALENT: readonly (readonly [string, () => Cell, () => Cell])[] = [
  ['the LSTM with new ids, no labels, moved and reordered', () => disguise(lstm()).cell, lstm],
  ['the GRU with new ids, no labels, moved and reordered', () => disguise(gru()).cell, gru],
  ['the reset-after GRU with new ids, no labels, moved and reordered', () => disguise(gruAfter()).cell, gruAfter],
  ['the Elman RNN with new ids, no labels, moved and reordered', () => disguise(rnn()).cell, rnn],
  ['the LSTM with other labels', () => relabel(lstm(), { f: 'Vergessen', u: 'u', cc: 'g', o: 'salida', a: 'h', c: 'memoria' }), lstm],
  ['the LSTM with the memory update\'s operands swapped (u⊙c′ + f⊙c)', () => swapInputs(lstm(), 'c_new'), lstm],
  ['the LSTM with the forget product\'s operands swapped (c⊙f)', () => swapInputs(lstm(), 'keep'), lstm],
  ['the LSTM with every add and multiply swapped', () => swapAllOperands(lstm()), lstm],
  ['the LSTM reading [x_t, a_{t−1}]', () => reverseConcat(lstm(), 'cat'), lstm],
  ['the LSTM with a nested concat [[a_{t−1}], x_t]', () => nestConcat(lstm(), 'cat'), lstm],
  ['the LSTM with every gate split into W_a·a + W_x·x, bias on the first', () => LSTM_LINEARS.reduce((c, id) => splitLinear(c, id), lstm()), lstm],
  ['the LSTM with every gate split, a bias on each part (biases add up)', () => LSTM_LINEARS.reduce((c, id) => splitLinear(c, id, 'every'), lstm()), lstm],
  ['the LSTM as one stacked [4H × (H+X)] product cut into gates', () => stackLinears(lstm(), LSTM_LINEARS), lstm],
  ['the LSTM with other initialisers (orthogonal, no forget bias)', () => LSTM_LINEARS.reduce((c, id) => withParams(c, id, { init: 'orthogonal', biasInit: 0 }), lstm()), lstm],
  ['the LSTM with identity nodes on the way', () => insertAfter(insertAfter(lstm(), 'c_new', 'identity'), 'x', 'identity'), lstm],
  ['the GRU with both concats reversed', () => reverseConcat(reverseConcat(gru(), 'cat'), 'cat2'), gru],
  ['the GRU writing 1 − z as a constant minus z', () => {
    const one = added(gru(), 'constant', [], { value: 1 });
    const minus = added(one.cell, 'subtract', [one.id, 'z']);
    return bypass(minus.cell, 'flip', minus.id);
  }, gru],
  ['the GRU with every add and multiply swapped', () => swapAllOperands(gru()), gru],
  ['the GRU with its update and reset gates split', () => splitLinear(splitLinear(gru(), 'Wz'), 'Wr'), gru],
  ['the reset-after GRU with W_ir x + W_hr h and W_iz x + W_hz h as single linears on [x, h]', () => mergeLinears(mergeLinears(gruAfter(), 'sum_r'), 'sum_z'), gruAfter],
  ['the reset-after GRU with every add and multiply swapped, disguised', () => disguise(swapAllOperands(gruAfter())).cell, gruAfter],
  ['the Elman RNN reading [x_t, a_{t−1}] through two linears', () => splitLinear(reverseConcat(rnn(), 'cat'), 'lin', 'every'), rnn],
  ['the LSTM split, reversed, swapped and disguised all at once', () => disguise(swapAllOperands(splitLinear(reverseConcat(lstm(), 'cat'), 'Wo'))).cell, lstm],
  ['an Elman RNN with a learned initial state and a learned scale, disguised', () => disguise(learnedExtras()).cell, learnedExtras],
  ['the stacked LSTM compared the other way round', lstm, () => stackLinears(reverseConcat(lstm(), 'cat'), ['Wo', 'Wcc', 'Wu', 'Wf'])],
];

describe('equivalent wirings', () => {
  it('are at least twenty', () => expect(EQUIVALENT.length).toBeGreaterThanOrEqual(20));

  it.each(EQUIVALENT)('%s is equivalent, and the mapped weights give the same outputs', (_name, learnerCell, targetCell) => {
    const learner = compiled(learnerCell());
    const target = compiled(targetCell());
    expect(canonicalForm(learner).text).toBe(canonicalForm(target).text);
    const result = compareCells(learner, target);
    if (!result.equivalent) throw new Error(`not equivalent: ${JSON.stringify(result.difference)}`);
    expect(result.maxDifference).toBeLessThanOrEqual(NUMERICAL_TOLERANCE);
    // Another seed, other inputs: the mapping is no accident of one draw.
    expect(numericalDifference(learner.program, target.program, result.mapping, 97)).toBeLessThanOrEqual(NUMERICAL_TOLERANCE);
  });
});

describe('mapping weights', () => {
  it('fills every learned tensor of the target from the learner, so the target runs as the learner does', () => {
    const learner = compiled(stackLinears(reverseConcat(lstm(), 'cat'), LSTM_LINEARS));
    const target = compiled(lstm());
    const result = compareCells(learner, target);
    if (!result.equivalent) throw new Error('not equivalent');
    const params = initParameters(learner.program, 5);
    const mapped = mapWeights(result.mapping, params, target.program);
    // The learner's one stacked W holds as many numbers as the target's four.
    const count = (p: Record<string, Record<string, Float64Array>>) => Object.values(p).flatMap((t) => Object.values(t)).reduce((n, a) => n + a.length, 0);
    expect(count(mapped)).toBe(count(params));
    const xs = [Float64Array.from({ length: 3 }, (_, i) => i - 1)];
    const y = forward(learner.program, params, xs, 1).outputs[0];
    expect(Array.from(forward(target.program, mapped, xs, 1).outputs[0])).toEqual(Array.from(y));
  });

  it('sums two biases into one where the target has one, and splits none into two', () => {
    const learner = compiled(splitLinear(rnn(), 'lin', 'every'));
    const target = compiled(rnn());
    const result = compareCells(learner, target);
    if (!result.equivalent) throw new Error('not equivalent');
    const bias = result.mapping.tensors.find((t) => t.name === 'b0');
    expect(bias?.learner.length).toBe(2);
    expect(bias?.target.map((b) => `${b.nodeId}.${b.tensor}`)).toEqual(['lin.b']);
  });
});

/** Removes the LSTM's output gate: a_t = tanh(c_t). */
function withoutOutputGate(cell: Cell): Cell {
  return removeNodes(bypass(cell, 'a_new', 'squash'), ['Wo', 'o']);
}

/** Removes the forget gate: c_t = c_{t−1} + u⊙c′. */
function withoutForgetGate(cell: Cell): Cell {
  return removeNodes(bypass(cell, 'keep', 'c'), ['Wf', 'f']);
}

type Expected = { readonly code: Difference['code']; readonly params?: Readonly<Record<string, unknown>> };

/** [name, learner, target, the difference expected]. */
const NEAR_MISSES: readonly (readonly [string, () => Cell, () => Cell, Expected])[] = [
  ['the LSTM candidate through σ instead of tanh', () => withKind(lstm(), 'cc', 'sigmoid'), lstm,
    { code: 'wrong-activation', params: { node: 'candidate', found: 'σ', expected: 'tanh' } }],
  ['the LSTM output gate through tanh instead of σ', () => withKind(lstm(), 'o', 'tanh'), lstm,
    { code: 'wrong-activation', params: { node: 'output', found: 'tanh', expected: 'σ' } }],
  ['the forget gate multiplying the hidden state instead of the cell state', () => wire(lstm(), 'a', 'keep', 'b'), lstm,
    { code: 'wrong-operand', params: { node: 'keep', op: 'multiply', found: 'a_{t−1}', expected: 'c_{t−1}' } }],
  ['the LSTM without an output gate', () => withoutOutputGate(lstm()), lstm,
    { code: 'missing-node', params: { missing: 'o_t' } }],
  ['the LSTM without a forget gate', () => withoutForgetGate(lstm()), lstm,
    { code: 'missing-node', params: { node: 'c_new', op: 'add', found: 'c_{t−1}', missing: 'f_t' } }],
  ['an LSTM with an output-gate bias the target does not have', lstm, () => withParams(lstm(), 'Wo', { bias: false }),
    { code: 'extra-bias', params: { node: 'Wo', target: 'o_t' } }],
  ['an LSTM without the output-gate bias', () => withParams(lstm(), 'Wo', { bias: false }), lstm,
    { code: 'missing-bias', params: { node: 'Wo', target: 'o_t' } }],
  ['the reset-after GRU without the bias inside the reset product', () => withParams(gruAfter(), 'Whn', { bias: false }), gruAfter,
    { code: 'missing-bias', params: { node: 'Whn' } }],
  ['the GRU with 1 − z on the wrong branch', () => wire(wire(gru(), 'flip', 'keep', 'a'), 'z', 'mix', 'a'), gru,
    { code: 'extra-node', params: { node: 'keep', op: 'multiply', found: '(1 − z_t)', expected: 'z_t', extra: '1−' } }],
  ['the reset-before GRU for the reset-after one', gru, gruAfter,
    { code: 'extra-input', params: { node: 'Wh', found: 'r_t ⊙ a_{t−1}' } }],
  ['the reset-after GRU for the reset-before one', gruAfter, gru,
    { code: 'missing-input', params: { expected: 'r_t ⊙ a_{t−1}' } }],
  ['a GRU for an LSTM', gru, lstm,
    { code: 'wrong-state-count', params: { found: 1, expected: 2 } }],
  ['the Elman RNN emitting h_{t−1} instead of h_t', () => wire(rnn(), 'h', 'y', 'y'), rnn,
    { code: 'wrong-operand', params: { node: 'y', op: 'output', found: 'a_{t−1}', expected: 'a_t' } }],
  ['the Elman RNN reading x_t only', () => removeNodes(wire(rnn(), 'x', 'lin', 'in'), ['cat']), rnn,
    { code: 'missing-input', params: { node: 'lin', expected: 'a_{t−1}' } }],
  ['the Elman RNN with a learned initial state', () => withParams(rnn(), 'h', { init: 'learned' }), rnn,
    { code: 'wrong-initial-state', params: { node: 'hidden', found: 'learned', expected: 'zeros' } }],
  ['the Elman RNN with a state twice as large', () => withParams(withParams(rnn(), 'h', { size: '2*hidden' }), 'lin', { out: '2*hidden' }), rnn,
    { code: 'wrong-size', params: { node: 'hidden', found: 8, expected: 4 } }],
  ['the LSTM with an unused gate left on the canvas', () => added(lstm(), 'sigmoid', ['cat']).cell, lstm,
    { code: 'unused-node', params: { node: 'sigmoid-1' } }],
  ['the LSTM whose update gate is its forget gate', () => removeNodes(redirect(lstm(), 'u', 'f'), ['Wu', 'u']), lstm,
    { code: 'different-sharing' }],
  ['the GRU multiplying where it should add the two branches', () => withKind(gru(), 'h_new', 'multiply'), gru,
    { code: 'wrong-operation', params: { node: 'h_new', found: '⊙', expected: '+' } }],
  ['the LSTM subtracting where it should multiply u and c′', () => withKind(lstm(), 'write', 'subtract'), lstm,
    { code: 'wrong-operation', params: { node: 'write', found: '−', expected: '⊙' } }],
  ['the Elman RNN with an extra tanh before its output', () => insertAfter(wire(rnn(), 'act', 'y', 'y'), 'act', 'tanh'), rnn,
    { code: 'extra-node', params: { extra: 'tanh' } }],
  ['the LSTM output gate also reading c_{t−1}', () => {
    const cat3 = added(lstm(), 'concat', ['a', 'x', 'c'], { inputs: 3 });
    return wire(cat3.cell, cat3.id, 'Wo', 'in');
  }, lstm, { code: 'extra-input', params: { node: 'Wo', found: 'c_{t−1}', target: 'o_t' } }],
  ['the LSTM candidate reading [c_{t−1}, x_t]', () => {
    const cat = added(lstm(), 'concat', ['c', 'x']);
    return wire(cat.cell, cat.id, 'Wcc', 'in');
  }, lstm, { code: 'wrong-operand', params: { node: 'Wcc', op: 'linear', found: 'c_{t−1}', expected: 'a_{t−1}' } }],
];

describe('near misses', () => {
  it('are at least twenty', () => expect(NEAR_MISSES.length).toBeGreaterThanOrEqual(20));

  it.each(NEAR_MISSES)('%s is refused, naming the first difference', (_name, learnerCell, targetCell, expected) => {
    const result = compareCells(compiled(learnerCell()), compiled(targetCell()));
    if (result.equivalent) throw new Error('taken as equivalent');
    expect(result.difference.code).toBe(expected.code);
    expect(result.difference.params).toMatchObject(expected.params ?? {});
  });

  it('names the learner\'s node by its label, else its id, and points at it', () => {
    const labelled = compareCells(compiled(withKind(lstm(), 'cc', 'sigmoid')), compiled(lstm()));
    const bare = compareCells(compiled(disguise(withKind(lstm(), 'cc', 'sigmoid')).cell), compiled(lstm()));
    const { rename } = disguise(lstm());
    expect(labelled.equivalent || labelled.difference).toMatchObject({ nodeId: 'cc', params: { node: 'candidate' } });
    expect(bare.equivalent || bare.difference).toMatchObject({ nodeId: rename('cc'), params: { node: rename('cc') } });
  });

  it('reports the difference nearest the inputs when there are several', () => {
    // The forget product reads a_{t−1} (three steps from the inputs), and the candidate uses σ (two steps).
    const learner = wire(withKind(lstm(), 'cc', 'sigmoid'), 'a', 'keep', 'b');
    const result = compareCells(compiled(learner), compiled(lstm()));
    expect(result.equivalent || result.difference.code).toBe('wrong-activation');
  });
});

describe('random cells (every primitive, up to 20 ops)', () => {
  const SEEDS = Array.from({ length: 30 }, (_, i) => 300 + i);

  it.each(SEEDS)('cell %i is equivalent to itself disguised and with every operand swapped', (seed) => {
    const cell = randomCell(seed);
    const target = compiled(cell);
    const learner = compiled(disguise(swapAllOperands(cell)).cell);
    const result = compareCells(learner, target);
    if (!result.equivalent) throw new Error(`not equivalent: ${JSON.stringify(result.difference)}`);
    expect(result.maxDifference).toBeLessThanOrEqual(NUMERICAL_TOLERANCE);
  });

  it('differs from the next random cell, naming a difference', () => {
    for (const seed of SEEDS) {
      const result = compareCells(compiled(randomCell(seed)), compiled(randomCell(seed + 1)));
      expect(result.equivalent, `cells ${seed} and ${seed + 1}`).toBe(false);
    }
  });
});

/** Every compiled pair above, for the timing guard. */
function allPairs(): [Compiled, Compiled][] {
  return [...EQUIVALENT, ...NEAR_MISSES].map(([, l, t]) => [compiled(l()), compiled(t())]);
}

describe('cost', () => {
  it('compares every pair above in well under a second each', () => {
    const pairs = allPairs();
    const start = performance.now();
    for (const [l, t] of pairs) compareCells(l, t);
    expect((performance.now() - start) / pairs.length).toBeLessThan(250);
  });
});
