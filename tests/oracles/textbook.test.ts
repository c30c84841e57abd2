/**
 * Proves the textbook oracle right: every hand-derived BPTT gradient entry is
 * compared with float64 central finite differences of
 *   L = sum_t sum_b sum_j gradOutputs[t][b][j] * output_t[b][j].
 */
import { describe, it, expect } from 'vitest';
import {
  elman, gruResetAfter, gruResetBefore, lstm,
  type GruResetAfterWeights, type GruWeights, type LstmWeights, type Matrix, type Vector,
} from './textbook';
import { createRng } from '../../src/runtime/rng';

// ---------------------------------------------------------------------------
// Seeded random tensors
// ---------------------------------------------------------------------------

/** Our seeded generator (src/runtime/rng.ts) as a plain function. */
function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

type Rng = () => number;
const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
const randVec = (rng: Rng, n: number, scale = 0.8): Vector =>
  Array.from({ length: n }, () => uniform(rng, -scale, scale));
const randMat = (rng: Rng, rows: number, cols: number, scale = 0.8): Matrix =>
  Array.from({ length: rows }, () => randVec(rng, cols, scale));
const randSeq = (rng: Rng, T: number, B: number, n: number, scale = 1): number[][][] =>
  Array.from({ length: T }, () => randMat(rng, B, n, scale));

/** L = Σ gradOutputs ⊙ outputs. */
function weightedSum(outputs: number[][][], gradOutputs: number[][][]): number {
  let L = 0;
  outputs.forEach((step, t) => step.forEach((row, b) => row.forEach((v, j) => { L += gradOutputs[t][b][j] * v; })));
  return L;
}

// ---------------------------------------------------------------------------
// Finite-difference check over every entry of every named parameter
// ---------------------------------------------------------------------------

type Tensor = Matrix | Vector;
const EPS = 1e-6;
/** Required relative error |a−n| / max(1e-8, |a|+|n|) for every entry. */
const TOL = 1e-6;
/**
 * Float64 noise floor of the central difference itself: with EPS = 1e-6 the
 * rounding error of (L(+)−L(−)) / 2EPS is ≈ 3e-10 absolute here, whatever the
 * entry's size, so an entry whose true gradient is ~1e-5 cannot reach TOL
 * relative. Such an entry passes when |a−n| stays below this floor instead.
 */
const ABS_FLOOR = 2e-9;

/** Visits each scalar slot of a vector or matrix with get/set access. */
function forEachEntry(x: Tensor, visit: (get: () => number, set: (v: number) => void, label: string) => void): void {
  x.forEach((item: number | Vector, i: number) => {
    if (Array.isArray(item)) {
      item.forEach((_, j) => visit(() => item[j], (v) => { item[j] = v; }, `[${i}][${j}]`));
    } else {
      const vec = x as Vector;
      visit(() => vec[i], (v) => { vec[i] = v; }, `[${i}]`);
    }
  });
}

interface Report {
  entries: number;
  /** Largest relative error over all entries (informational). */
  maxRelErr: number;
  /** Largest absolute error over all entries. */
  maxAbsErr: number;
  /** Entries with relative error ≥ TOL *and* absolute error ≥ ABS_FLOOR. */
  failures: string[];
  /** Entries that missed TOL but stayed under ABS_FLOOR (tiny true gradients). */
  flooredEntries: number;
}

/**
 * params: the tensors L depends on (mutated in place while probing, restored after).
 * analytic: gradients with the same names and shapes.
 */
function finiteDifferenceCheck(
  params: Record<string, Tensor>, analytic: Record<string, Tensor>, loss: () => number,
): Report {
  const report: Report = { entries: 0, maxRelErr: 0, maxAbsErr: 0, failures: [], flooredEntries: 0 };
  for (const [name, tensor] of Object.entries(params)) {
    const gradTensor = analytic[name];
    expect(gradTensor, `gradient for ${name}`).toBeDefined();
    const analyticValues: number[] = [];
    forEachEntry(gradTensor, (get) => analyticValues.push(get()));
    let k = 0;
    forEachEntry(tensor, (get, set, label) => {
      const original = get();
      set(original + EPS);
      const plus = loss();
      set(original - EPS);
      const minus = loss();
      set(original);
      const numeric = (plus - minus) / (2 * EPS);
      const a = analyticValues[k++];
      const abs = Math.abs(a - numeric);
      const rel = abs / Math.max(1e-8, Math.abs(a) + Math.abs(numeric));
      report.entries++;
      report.maxRelErr = Math.max(report.maxRelErr, rel);
      report.maxAbsErr = Math.max(report.maxAbsErr, abs);
      if (rel >= TOL) {
        if (abs < ABS_FLOOR) report.flooredEntries++;
        else report.failures.push(`${name}${label}: analytic ${a}, numeric ${numeric}, rel ${rel}`);
      }
    });
    expect(k, `entry count of ${name}`).toBe(analyticValues.length);
  }
  return report;
}

function expectGradientsMatch(report: Report): void {
  expect(report.failures).toEqual([]);
  // Floored entries are rare stragglers, not a loophole for a wrong gradient.
  expect(report.flooredEntries).toBeLessThanOrEqual(2);
  expect(report.maxAbsErr).toBeLessThan(ABS_FLOOR);
}

const X = 3, H = 4, T = 5, B = 2;

// ---------------------------------------------------------------------------
// Gradient checks
// ---------------------------------------------------------------------------

describe('textbook oracle: hand BPTT vs central finite differences', () => {
  it('LSTM', () => {
    const rng = seeded(1234);
    const w: LstmWeights = {
      Wf: randMat(rng, H, H + X), Wu: randMat(rng, H, H + X), Wc: randMat(rng, H, H + X), Wo: randMat(rng, H, H + X),
      bf: randVec(rng, H), bu: randVec(rng, H), bc: randVec(rng, H), bo: randVec(rng, H),
    };
    const xs = randSeq(rng, T, B, X);
    const a0 = randMat(rng, B, H);
    const c0 = randMat(rng, B, H);
    const gy = randSeq(rng, T, B, H);

    const res = lstm(w, xs, a0, c0, gy);
    expect(res.grads).toBeDefined();
    const params: Record<string, Tensor> = { ...w, a0, c0 };
    const report = finiteDifferenceCheck(params, { ...res.grads! }, () => weightedSum(lstm(w, xs, a0, c0).outputs, gy));
    expect(report.entries).toBe(4 * H * (H + X) + 4 * H + 2 * B * H);
    expectGradientsMatch(report);
  });

  it('GRU (reset before)', () => {
    const rng = seeded(42);
    const w: GruWeights = {
      Wz: randMat(rng, H, H + X), Wr: randMat(rng, H, H + X), Wh: randMat(rng, H, H + X),
      bz: randVec(rng, H), br: randVec(rng, H), bh: randVec(rng, H),
    };
    const xs = randSeq(rng, T, B, X);
    const h0 = randMat(rng, B, H);
    const gy = randSeq(rng, T, B, H);

    const res = gruResetBefore(w, xs, h0, gy);
    expect(res.grads).toBeDefined();
    const report = finiteDifferenceCheck({ ...w, h0 }, { ...res.grads! },
      () => weightedSum(gruResetBefore(w, xs, h0).outputs, gy));
    expect(report.entries).toBe(3 * H * (H + X) + 3 * H + B * H);
    expectGradientsMatch(report);
  });

  it('GRU (reset after, PyTorch/Keras)', () => {
    const rng = seeded(7);
    const w: GruResetAfterWeights = {
      Wir: randMat(rng, H, X), Wiz: randMat(rng, H, X), Win: randMat(rng, H, X),
      Whr: randMat(rng, H, H), Whz: randMat(rng, H, H), Whn: randMat(rng, H, H),
      bir: randVec(rng, H), biz: randVec(rng, H), bin: randVec(rng, H),
      bhr: randVec(rng, H), bhz: randVec(rng, H), bhn: randVec(rng, H),
    };
    const xs = randSeq(rng, T, B, X);
    const h0 = randMat(rng, B, H);
    const gy = randSeq(rng, T, B, H);

    const res = gruResetAfter(w, xs, h0, gy);
    expect(res.grads).toBeDefined();
    const report = finiteDifferenceCheck({ ...w, h0 }, { ...res.grads! },
      () => weightedSum(gruResetAfter(w, xs, h0).outputs, gy));
    expect(report.entries).toBe(3 * H * X + 3 * H * H + 6 * H + B * H);
    expectGradientsMatch(report);
  });

  it('Elman', () => {
    const rng = seeded(2024);
    const w = { W: randMat(rng, H, H + X), b: randVec(rng, H) };
    const xs = randSeq(rng, T, B, X);
    const h0 = randMat(rng, B, H);
    const gy = randSeq(rng, T, B, H);

    const res = elman(w, xs, h0, gy);
    expect(res.grads).toBeDefined();
    const report = finiteDifferenceCheck({ ...w, h0 }, { ...res.grads! },
      () => weightedSum(elman(w, xs, h0).outputs, gy));
    expect(report.entries).toBe(H * (H + X) + H + B * H);
    expectGradientsMatch(report);
  });
});

// ---------------------------------------------------------------------------
// Hand-computable cases and plumbing
// ---------------------------------------------------------------------------

describe('textbook oracle: hand-computable values', () => {
  it('LSTM with T=1, B=1, H=1, X=1 matches the equations computed inline', () => {
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    // Columns [a, x].
    const w: LstmWeights = {
      Wf: [[0.5, -0.3]], Wu: [[-0.2, 0.7]], Wc: [[0.4, 0.1]], Wo: [[0.9, -0.6]],
      bf: [0.1], bu: [-0.1], bc: [0.2], bo: [0.05],
    };
    const a = 0.3, c = -0.4, x = 1.5;
    const f = sig(0.5 * a - 0.3 * x + 0.1);
    const u = sig(-0.2 * a + 0.7 * x - 0.1);
    const cc = Math.tanh(0.4 * a + 0.1 * x + 0.2);
    const o = sig(0.9 * a - 0.6 * x + 0.05);
    const cNew = f * c + u * cc;
    const aNew = o * Math.tanh(cNew);

    const res = lstm(w, [[[x]]], [[a]], [[c]]);
    expect(res.grads).toBeUndefined();
    expect(res.outputs).toHaveLength(1);
    expect(res.outputs[0][0][0]).toBeCloseTo(aNew, 14);
    expect(res.finalA[0][0]).toBeCloseTo(aNew, 14);
    expect(res.finalC[0][0]).toBeCloseTo(cNew, 14);

    // And the one-step gradient of a_1 w.r.t. c_0, by hand: o (1 − tanh²c_1) f.
    const withGrad = lstm(w, [[[x]]], [[a]], [[c]], [[[1]]]);
    expect(withGrad.grads!.c0[0][0]).toBeCloseTo(o * (1 - Math.tanh(cNew) ** 2) * f, 14);
  });

  it('Elman with T=1, B=1, H=1, X=1 matches tanh(w_h h + w_x x + b)', () => {
    const res = elman({ W: [[0.7, -1.2]], b: [0.3] }, [[[0.5]]], [[-0.25]], [[[2]]]);
    const h1 = Math.tanh(0.7 * -0.25 - 1.2 * 0.5 + 0.3);
    expect(res.finalH[0][0]).toBeCloseTo(h1, 14);
    expect(res.grads!.b[0]).toBeCloseTo(2 * (1 - h1 * h1), 14);
    expect(res.grads!.h0[0][0]).toBeCloseTo(2 * (1 - h1 * h1) * 0.7, 14);
  });

  it('final states equal the last outputs and inputs are left untouched', () => {
    const rng = seeded(99);
    const w = { W: randMat(rng, H, H + X), b: randVec(rng, H) };
    const xs = randSeq(rng, T, B, X);
    const h0 = randMat(rng, B, H);
    const h0Copy = h0.map((r) => r.slice());
    const res = elman(w, xs, h0, randSeq(rng, T, B, H));
    expect(res.finalH).toEqual(res.outputs[T - 1]);
    expect(h0).toEqual(h0Copy);
  });
});
