/**
 * Every zoo cell, run by the float64 reference runtime, equals an independent
 * implementation of its paper's equations (tests/zoo/papers.ts on the tape of
 * tests/zoo/oracle.ts): outputs, final states, the gradient of every learned tensor
 * and of every initial state, to 1e-9. The tape itself is checked against central
 * finite differences first.
 */
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../src/compiler';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { flat, maxAbsDiff, nested } from '../helpers';
import { runOracle } from './oracle';
import { PAPERS } from './papers';
import { ZOO_IDS, compileZoo } from './zoo';

const X = 3;
const H = 4;
const T = 7;
const B = 2;
const TOLERANCE = 1e-9;

type Seq = number[][][];

/** Random weights (biases and peepholes included), inputs, initial states and output gradients. */
function setup(compiled: Compiled, seed: number) {
  const p = compiled.program;
  const rng = createRng(seed);
  const params: Parameters = initParameters(p, seed);
  for (const tensors of Object.values(params)) for (const t of Object.values(tensors)) t.forEach((_, i) => (t[i] = rng.uniform(-0.6, 0.6)));
  const Y = p.values[p.output].size;
  const xs: Seq = Array.from({ length: T }, () => Array.from({ length: B }, () => Array.from({ length: p.values[p.input as number].size }, () => rng.uniform(-1, 1))));
  const states = p.states.map((s) => Array.from({ length: B }, () => Array.from({ length: s.size }, () => rng.uniform(-0.5, 0.5))));
  const gradOutputs: Seq = Array.from({ length: T }, () => Array.from({ length: B }, () => Array.from({ length: Y }, () => rng.uniform(-1, 1))));
  const initial = Object.fromEntries(p.states.map((s, i) => [s.nodeId, states[i]]));
  return { params, xs, states, initial, gradOutputs };
}

function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(maxAbsDiff(ours, theirs), what).toBeLessThan(TOLERANCE);
}

describe('the oracle tape agrees with central finite differences', () => {
  it.each(['lstm-fgr', 'scrn', 'janet', 'sru', 'gru-reset-after', 'layernorm-lstm'])('%s: every weight and initial-state gradient', (id) => {
    const s = setup(compileZoo(id, { input: 2, hidden: 3 }), 5);
    const run = (params: Parameters, initial: Record<string, number[][]>) => runOracle(PAPERS[id], params, s.xs, initial, s.gradOutputs);
    const loss = (params: Parameters, initial: Record<string, number[][]>) =>
      runOracle(PAPERS[id], params, s.xs, initial).outputs.reduce((acc, step, t) => acc + step.flat().reduce((a, v, k) => a + v * s.gradOutputs[t].flat()[k], 0), 0);
    const analytic = run(s.params, s.initial);
    const eps = 1e-6;
    let checked = 0;
    for (const [node, tensors] of Object.entries(s.params)) {
      for (const [name, tensor] of Object.entries(tensors)) {
        tensor.forEach((v, i) => {
          tensor[i] = v + eps;
          const plus = loss(s.params, s.initial);
          tensor[i] = v - eps;
          const minus = loss(s.params, s.initial);
          tensor[i] = v;
          expect(Math.abs(analytic.grads[node][name][i] - (plus - minus) / (2 * eps)), `${node}.${name}[${i}]`).toBeLessThan(1e-7);
          checked++;
        });
      }
    }
    for (const [state, rows] of Object.entries(s.initial)) {
      rows.forEach((row, b) => row.forEach((v, j) => {
        row[j] = v + eps;
        const plus = loss(s.params, s.initial);
        row[j] = v - eps;
        const minus = loss(s.params, s.initial);
        row[j] = v;
        expect(Math.abs(analytic.initialStateGrads[state][b][j] - (plus - minus) / (2 * eps)), `${state}_0[${b}][${j}]`).toBeLessThan(1e-7);
        checked++;
      }));
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe.each(ZOO_IDS)('zoo cell %s equals its paper (float64, T=7, B=2)', (id) => {
  it('outputs, final states and every gradient agree to 1e-9', () => {
    const compiled = compileZoo(id, { input: X, hidden: H });
    const p = compiled.program;
    const s = setup(compiled, 1000 + ZOO_IDS.indexOf(id));
    const run = forward(p, s.params, s.xs.map(flat), B, s.states.map(flat));
    const grads = backward(compiled.backward, s.params, run.tape, s.gradOutputs.map(flat));
    const oracle = runOracle(PAPERS[id], s.params, s.xs, s.initial, s.gradOutputs);

    run.outputs.forEach((y, t) => expectClose(y, oracle.outputs[t].flat(), `y_${t + 1}`));
    p.states.forEach((st, i) => {
      expectClose(run.finalStates[i], oracle.finalStates[st.nodeId].flat(), `final ${st.nodeId}`);
      expectClose(grads.initialStates[i], oracle.initialStateGrads[st.nodeId].flat(), `∂L/∂${st.nodeId}_0`);
    });
    for (const t of p.tensors) {
      const theirs = oracle.grads[t.nodeId][t.name];
      // The paper's equations use every tensor the cell learns: none may be left out.
      expect(theirs.some((g) => g !== 0), `${t.nodeId}.${t.name} used by the equations`).toBe(true);
      expectClose(grads.params[t.nodeId][t.name], theirs, `∂L/∂${t.nodeId}.${t.name}`);
    }
    // Nonzero, varied outputs: the comparison is not of two zero sequences.
    expect(new Set(nested(run.outputs[T - 1], run.outputs[T - 1].length / B).flat().map((v) => v.toFixed(6))).size).toBeGreaterThan(2);
  });
});
