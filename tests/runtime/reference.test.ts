import { describe, expect, it } from 'vitest';
import { initParameters, initialValues } from '../../src/runtime/init';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { compileExample, maxAbsDiff } from '../helpers';

const randomSeq = (steps: number, n: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from({ length: steps }, () => Float64Array.from({ length: n }, () => rng.uniform(-1, 1)));
};

describe('initialisation', () => {
  const { program } = compileExample('lstm', { input: 5, hidden: 7 });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = initParameters(program, 42);
    const b = initParameters(program, 42);
    const c = initParameters(program, 43);
    expect(a).toEqual(b);
    expect(maxAbsDiff(a.Wf.W, c.Wf.W)).toBeGreaterThan(0);
  });

  it('sets the LSTM forget bias to 1 and the other biases to 0', () => {
    const p = initParameters(program, 1);
    expect(Array.from(p.Wf.b)).toEqual(new Array(7).fill(1));
    expect(Array.from(p.Wu.b)).toEqual(new Array(7).fill(0));
  });

  it('draws Xavier weights within ±sqrt(6 / (fan_in + fan_out))', () => {
    const W = initParameters(program, 1).Wf.W;
    const limit = Math.sqrt(6 / (7 + 12));
    expect(Math.max(...W.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...W.map(Math.abs))).toBeGreaterThan(limit / 2);
  });

  it.each([[4, 4], [3, 6], [6, 3]])('makes orthogonal %i×%i matrices (orthonormal rows, or columns when tall)', (rows, cols) => {
    const W = initialValues({ kind: 'orthogonal' }, [rows, cols], createRng(5));
    const tall = rows > cols;
    const k = tall ? cols : rows;
    const at = (i: number, j: number) => (tall ? W[j * cols + i] : W[i * cols + j]);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let m = 0; m < (tall ? rows : cols); m++) dot += at(i, m) * at(j, m);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});

describe('reference runtime through time', () => {
  const { program, backward: bw } = compileExample('lstm', { input: 3, hidden: 4 });
  const params = initParameters(program, 9);
  const B = 2;
  const xs = randomSeq(10, B * 3, 1);
  const gs = randomSeq(10, B * 4, 2);

  it('starts from zero states, so the first output depends only on x_1', () => {
    const one = forward(program, params, xs.slice(0, 1), B);
    const again = forward(program, params, xs.slice(0, 1), B, program.states.map((s) => new Float64Array(B * s.size)));
    expect(Array.from(one.outputs[0])).toEqual(Array.from(again.outputs[0]));
  });

  it('carries state across chunks (truncated BPTT) exactly as one long run', () => {
    const whole = forward(program, params, xs, B);
    const first = forward(program, params, xs.slice(0, 6), B);
    const second = forward(program, params, xs.slice(6), B, first.finalStates);
    const joined = [...first.outputs, ...second.outputs];
    joined.forEach((y, t) => expect(maxAbsDiff(y, whole.outputs[t])).toBe(0));
  });

  it('chains gradients across chunks through ∂L/∂h_T: two chunks give the full BPTT gradient', () => {
    const whole = forward(program, params, xs, B);
    const full = backward(bw, params, whole.tape, gs);
    const first = forward(program, params, xs.slice(0, 6), B);
    const second = forward(program, params, xs.slice(6), B, first.finalStates);
    const late = backward(bw, params, second.tape, gs.slice(6));
    const early = backward(bw, params, first.tape, gs.slice(0, 6), late.initialStates);
    for (const [node, tensors] of Object.entries(full.params)) {
      for (const [name, g] of Object.entries(tensors)) {
        const chunked = g.map((_, i) => early.params[node][name][i] + late.params[node][name][i]);
        expect(maxAbsDiff(g, chunked), `${node}.${name}`).toBeLessThan(1e-12);
      }
    }
    full.initialStates.forEach((g, k) => expect(maxAbsDiff(g, early.initialStates[k])).toBeLessThan(1e-12));
  });

  it('is deterministic: the same inputs give bit-identical outputs and gradients', () => {
    const a = forward(program, params, xs, B);
    const b = forward(program, params, xs, B);
    expect(a.outputs).toEqual(b.outputs);
    expect(backward(bw, params, a.tape, gs)).toEqual(backward(bw, params, b.tape, gs));
  });
});
