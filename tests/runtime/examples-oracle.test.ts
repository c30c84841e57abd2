/**
 * The promise: a cell wired from primitives computes exactly what the textbook
 * cell computes, forward and backward through time. Oracles are independent
 * float64 implementations with hand-derived BPTT (tests/oracles/textbook.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Parameters } from '../../src/runtime/init';
import { initParameters } from '../../src/runtime/init';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { elman, gruResetAfter, gruResetBefore, lstm, type GruResetAfterWeights, type Matrix } from '../oracles/textbook';
import { compileExample, flat, maxAbsDiff, nested } from '../helpers';

const X = 5;
const H = 6;
const T = 9;
const B = 3;
const TOLERANCE = 1e-9;

/** Random parameters (biases included, so every path is exercised), inputs, initial states and output gradients. */
function setup(name: string, seed: number) {
  const { program, backward: bw } = compileExample(name, { input: X, hidden: H });
  const rng = createRng(seed);
  const params: Parameters = initParameters(program, seed);
  for (const tensors of Object.values(params)) for (const t of Object.values(tensors)) t.forEach((_, i) => (t[i] = rng.uniform(-0.6, 0.6)));
  const xs = Array.from({ length: T }, () => Array.from({ length: B }, () => Array.from({ length: X }, () => rng.uniform(-1, 1))));
  const states = program.states.map(() => Array.from({ length: B }, () => Array.from({ length: H }, () => rng.uniform(-0.5, 0.5))));
  const gradOutputs = Array.from({ length: T }, () => Array.from({ length: B }, () => Array.from({ length: H }, () => rng.uniform(-1, 1))));
  const run = forward(program, params, xs.map(flat), B, states.map(flat));
  const grads = backward(bw, params, run.tape, gradOutputs.map(flat));
  const stateIndex = (nodeId: string) => program.states.findIndex((s) => s.nodeId === nodeId);
  return { params, xs, states, gradOutputs, run, grads, stateIndex };
}

const matrix = (params: Parameters, node: string, cols: number): Matrix => nested(params[node].W, cols);
const vector = (params: Parameters, node: string, name = 'b'): number[] => Array.from(params[node][name]);

function expectClose(ours: Float64Array, theirs: number[][] | number[], what: string): void {
  const diff = maxAbsDiff(ours, Array.isArray(theirs[0]) ? (theirs as number[][]).flat() : (theirs as number[]));
  expect(diff, what).toBeLessThan(TOLERANCE);
}

describe('examples equal independent textbook cells (float64, T=9, B=3)', () => {
  it('lstm.json equals a textbook LSTM: outputs, final states and every gradient', () => {
    const s = setup('lstm', 11);
    const weights = {
      Wf: matrix(s.params, 'Wf', H + X), Wu: matrix(s.params, 'Wu', H + X), Wc: matrix(s.params, 'Wcc', H + X), Wo: matrix(s.params, 'Wo', H + X),
      bf: vector(s.params, 'Wf'), bu: vector(s.params, 'Wu'), bc: vector(s.params, 'Wcc'), bo: vector(s.params, 'Wo'),
    };
    const [a, c] = [s.stateIndex('a'), s.stateIndex('c')];
    const oracle = lstm(weights, s.xs, s.states[a], s.states[c], s.gradOutputs);
    s.run.outputs.forEach((y, t) => expectClose(y, oracle.outputs[t], `a_${t + 1}`));
    expectClose(s.run.finalStates[a], oracle.finalA, 'final a');
    expectClose(s.run.finalStates[c], oracle.finalC, 'final c');
    const g = oracle.grads!;
    for (const [node, gate] of [['Wf', 'f'], ['Wu', 'u'], ['Wcc', 'c'], ['Wo', 'o']] as const) {
      expectClose(s.grads.params[node].W, g[`W${gate}`], `dW_${gate}`);
      expectClose(s.grads.params[node].b, g[`b${gate}`], `db_${gate}`);
    }
    expectClose(s.grads.initialStates[a], g.a0, 'da_0');
    expectClose(s.grads.initialStates[c], g.c0, 'dc_0');
  });

  it('gru.json equals a textbook reset-before GRU', () => {
    const s = setup('gru', 12);
    const weights = {
      Wz: matrix(s.params, 'Wz', H + X), Wr: matrix(s.params, 'Wr', H + X), Wh: matrix(s.params, 'Wh', H + X),
      bz: vector(s.params, 'Wz'), br: vector(s.params, 'Wr'), bh: vector(s.params, 'Wh'),
    };
    const oracle = gruResetBefore(weights, s.xs, s.states[0], s.gradOutputs);
    s.run.outputs.forEach((y, t) => expectClose(y, oracle.outputs[t], `h_${t + 1}`));
    expectClose(s.run.finalStates[0], oracle.finalH, 'final h');
    const g = oracle.grads!;
    for (const gate of ['z', 'r', 'h'] as const) {
      expectClose(s.grads.params[`W${gate}`].W, g[`W${gate}`], `dW_${gate}`);
      expectClose(s.grads.params[`W${gate}`].b, g[`b${gate}`], `db_${gate}`);
    }
    expectClose(s.grads.initialStates[0], g.h0, 'dh_0');
  });

  it('gru-reset-after.json equals a PyTorch-convention reset-after GRU', () => {
    const s = setup('gru-reset-after', 13);
    const gates = ['r', 'z', 'n'] as const;
    const weights = Object.fromEntries(gates.flatMap((gate) => [
      [`Wi${gate}`, matrix(s.params, `Wi${gate}`, X)], [`Wh${gate}`, matrix(s.params, `Wh${gate}`, H)],
      [`bi${gate}`, vector(s.params, `Wi${gate}`)], [`bh${gate}`, vector(s.params, `Wh${gate}`)],
    ])) as unknown as GruResetAfterWeights;
    const oracle = gruResetAfter(weights, s.xs, s.states[0], s.gradOutputs);
    s.run.outputs.forEach((y, t) => expectClose(y, oracle.outputs[t], `h_${t + 1}`));
    expectClose(s.run.finalStates[0], oracle.finalH, 'final h');
    const g = oracle.grads! as unknown as Record<string, number[][] | number[]>;
    for (const gate of gates) {
      for (const side of ['i', 'h']) {
        expectClose(s.grads.params[`W${side}${gate}`].W, g[`W${side}${gate}`], `dW_${side}${gate}`);
        expectClose(s.grads.params[`W${side}${gate}`].b, g[`b${side}${gate}`], `db_${side}${gate}`);
      }
    }
    expectClose(s.grads.initialStates[0], g.h0 as number[][], 'dh_0');
  });

  it('rnn.json equals a textbook Elman RNN', () => {
    const s = setup('rnn', 14);
    const oracle = elman({ W: matrix(s.params, 'lin', H + X), b: vector(s.params, 'lin') }, s.xs, s.states[0], s.gradOutputs);
    s.run.outputs.forEach((y, t) => expectClose(y, oracle.outputs[t], `h_${t + 1}`));
    const g = oracle.grads!;
    expectClose(s.grads.params.lin.W, g.W, 'dW');
    expectClose(s.grads.params.lin.b, g.b, 'db');
    expectClose(s.grads.initialStates[0], g.h0, 'dh_0');
  });
});
