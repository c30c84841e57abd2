/**
 * Recognising a cell as nn.LSTM / nn.GRU for the native export: by equivalence to
 * our examples (src/compiler/equivalence.ts), so other wirings of the same
 * equations are recognised too, and their weights, permuted into PyTorch's
 * layout, make PyTorch's own layer (run by /usr/bin/python3 through
 * tests/export/parity.py) compute what the cell computes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../src/compiler';
import { nativeEquivalent, nativeWeights } from '../../src/export/native';
import { exportPytorch } from '../../src/export/pytorch';
import type { Cell } from '../../src/model/cell';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { forward, type ForwardResult } from '../../src/runtime/reference';
import { createRng, type Rng } from '../../src/runtime/rng';
import { loadExample, maxAbsDiff } from '../helpers';
import { compiled, disguise, mergeLinears, reverseConcat, splitLinear, stackLinears, swapAllOperands, swapInputs } from '../compiler/rewire';

describe('recognising nn.LSTM and nn.GRU', () => {
  it.each(['lstm', 'gru-reset-after'] as const)('%s is recognised whatever its ids, labels, layout and node order, with the same native weights', (name) => {
    const original = compiled(loadExample(name));
    const { cell, rename } = disguise(loadExample(name));
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

// ---------------------------------------------------------------------------
// Other wirings of the same cells, run by PyTorch's own nn.LSTM / nn.GRU
// ---------------------------------------------------------------------------

const PYTHON = '/usr/bin/python3';
const PARITY = fileURLToPath(new URL('./parity.py', import.meta.url));
const T = 5;
const B = 2;
const LSTM_LINEARS = ['Wf', 'Wu', 'Wcc', 'Wo'];

const WIRINGS: readonly (readonly [string, 'lstm' | 'gru', () => Cell])[] = [
  ['an LSTM adding u⊙c′ + f⊙c (add operands swapped)', 'lstm', () => swapInputs(loadExample('lstm'), 'c_new')],
  ['an LSTM computing c⊙f and tanh(c)⊙o (multiply operands swapped)', 'lstm', () => swapInputs(swapInputs(loadExample('lstm'), 'keep'), 'a_new')],
  ['an LSTM reading [x_t, a_{t−1}]', 'lstm', () => reverseConcat(loadExample('lstm'), 'cat')],
  ['an LSTM reading [x_t, a_{t−1}] with every operand swapped, disguised', 'lstm', () => disguise(swapAllOperands(reverseConcat(loadExample('lstm'), 'cat'))).cell],
  ['an LSTM with W_a·a + W_x·x per gate (two biases each)', 'lstm', () => LSTM_LINEARS.reduce((c, id) => splitLinear(c, id, 'every'), loadExample('lstm'))],
  ['an LSTM as one stacked product cut into gates', 'lstm', () => stackLinears(reverseConcat(loadExample('lstm'), 'cat'), ['Wo', 'Wf', 'Wcc', 'Wu'])],
  ['an LSTM with its cell state declared first', 'lstm', () => {
    const lstm = loadExample('lstm');
    return { ...lstm, nodes: [...lstm.nodes].sort((a, b) => Number(b.id === 'c') - Number(a.id === 'c')) };
  }],
  ['a reset-after GRU with every operand swapped, disguised', 'gru', () => disguise(swapAllOperands(loadExample('gru-reset-after'))).cell],
  ['a reset-after GRU with one linear on [x, h] for r and for z (one bias each)', 'gru', () => mergeLinears(mergeLinears(loadExample('gru-reset-after'), 'sum_r'), 'sum_z')],
];

interface NativeCase {
  readonly compiled: Compiled;
  readonly xs: Float64Array[];
  readonly ours: ForwardResult;
  readonly dir: string;
}

const uniform = (n: number, rng: Rng): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(-0.8, 0.8));

/** Exports the cell with random weights and writes a parity.py case that runs its CeldaNativeLSTM/GRU. */
function nativeCase(cell: Cell, dir: string, seed: number): NativeCase {
  const c = compiled(cell);
  const p = c.program;
  const rng = createRng(seed);
  const params = initParameters(p, seed);
  for (const t of p.tensors) params[t.nodeId][t.name] = uniform(params[t.nodeId][t.name].length, rng);
  const X = p.values[p.input as number].size;
  const Y = p.values[p.output].size;
  const xs = Array.from({ length: T }, () => uniform(B * X, rng));
  const rows = (a: Float64Array, n: number) => Array.from({ length: B }, (_, r) => Array.from(a.subarray(r * n, (r + 1) * n)));
  mkdirSync(dir, { recursive: true });
  for (const f of exportPytorch(c, { params: { cell: params } }).files) writeFileSync(join(dir, f.path), f.content);
  const gradOutputs = xs.map(() => rows(new Float64Array(B * Y).fill(1), Y));
  writeFileSync(join(dir, 'case.json'), JSON.stringify({ xs: xs.map((x) => rows(x, X)), h0: null, gradOutputs, dtype: 'float64', native: true }));
  return { compiled: c, xs, ours: forward(p, params, xs, B), dir };
}

let root = '';
let cases: NativeCase[] = [];
let torchRuns: { error?: string; outputs: number[][][]; finalStates: number[][][] }[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'celda-native-'));
  cases = WIRINGS.map(([, , cell], i) => nativeCase(cell(), join(root, `case-${i}`), 20 + i));
  const out = execFileSync(PYTHON, [PARITY, ...cases.map((c) => c.dir)], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  torchRuns = JSON.parse(out) as typeof torchRuns;
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('recognising other wirings of nn.LSTM and nn.GRU', () => {
  it.each(WIRINGS.map(([name, kind], i) => [name, kind, i] as const))('%s is nn.%s, and PyTorch\'s native layer computes what the cell computes', (_name, kind, i) => {
    const { compiled: c, ours } = cases[i];
    const native = nativeEquivalent(c);
    expect(native?.kind).toBe(kind);
    const run = torchRuns[i];
    if (run.error) throw new Error(run.error);
    run.outputs.forEach((y, t) => expect(maxAbsDiff(y.flat(), ours.outputs[t]), `y_${t}`).toBeLessThan(1e-9));
    c.program.states.forEach((_, s) => expect(maxAbsDiff(run.finalStates[s].flat(), ours.finalStates[s]), `final state ${s}`).toBeLessThan(1e-9));
  });

  it('refuses near misses: a σ candidate, a forget gate on the hidden state, a reset-before GRU with split linears', () => {
    const lstm = loadExample('lstm');
    const sigmoidCandidate = { ...lstm, nodes: lstm.nodes.map((n) => (n.id === 'cc' ? { ...n, kind: 'sigmoid' } : n)) };
    const forgetsHidden = { ...lstm, connections: lstm.connections.map((c) => (c.to === 'keep' && c.toPort === 'b' ? { ...c, from: 'a' } : c)) };
    for (const cell of [sigmoidCandidate, forgetsHidden, splitLinear(splitLinear(loadExample('gru'), 'Wz'), 'Wr')]) {
      expect(nativeEquivalent(compiled(cell))).toBeUndefined();
    }
  });
});
