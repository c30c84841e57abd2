import { describe, expect, it } from 'vitest';
import { meanSquaredError, softmax, softmaxCrossEntropy } from '../../src/runtime/loss';
import { clipByGlobalNorm, createOptimizer, globalNorm, learningRate } from '../../src/runtime/optim';

describe('losses against hand-computed values', () => {
  it('softmax cross-entropy: logits [0, ln 3] for class 1 cost ln(4/3); gradient p − onehot, averaged over rows', () => {
    const r = softmaxCrossEntropy(Float64Array.of(0, Math.log(3), 0, 0), Int32Array.of(1, 0), 2);
    // Row 1: p = [1/4, 3/4] → −ln(3/4). Row 2: p = [1/2, 1/2] → ln 2.
    expect(r.loss).toBeCloseTo((Math.log(4 / 3) + Math.log(2)) / 2, 14);
    expect(Array.from(r.grad)).toEqual([0.25 / 2, -0.25 / 2, -0.5 / 2, 0.5 / 2].map((v) => expect.closeTo(v, 14)));
  });

  it('softmax is stable for huge logits', () => {
    const r = softmaxCrossEntropy(Float64Array.of(1000, 0), Int32Array.of(0), 2);
    expect(r.loss).toBeCloseTo(0, 12);
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
  });

  it('temperature sharpens or flattens the softmax', () => {
    const cold = softmax([1, 0], 0.5);
    const hot = softmax([1, 0], 2);
    expect(cold[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 14);
    expect(hot[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 14);
  });

  it('mean squared error: mean((p − y)²), gradient 2(p − y)/n', () => {
    const r = meanSquaredError(Float64Array.of(1, 2, 4), Float64Array.of(1, 0, 1));
    expect(r.loss).toBeCloseTo((0 + 4 + 9) / 3, 14);
    expect(Array.from(r.grad)).toEqual([0, 4 / 3, 6 / 3].map((v) => expect.closeTo(v, 14)));
  });
});

describe('optimisers against hand-computed updates', () => {
  const one = () => [Float64Array.of(1, -2)];
  const grad = [Float64Array.of(0.5, -1)];

  it('SGD with momentum: v = μv + g; p −= lr·v', () => {
    const p = one();
    const opt = createOptimizer({ name: 'sgd', momentum: 0.9 }, p);
    opt.step(p, grad, 0.1);
    expect(Array.from(p[0])).toEqual([1 - 0.05, -2 + 0.1].map((v) => expect.closeTo(v, 14)));
    opt.step(p, grad, 0.1);
    // v = 0.9·0.5 + 0.5 = 0.95 → p = 0.95 − 0.095.
    expect(p[0][0]).toBeCloseTo(0.95 - 0.095, 14);
  });

  it('RMSProp: s = ρs + (1−ρ)g²; p −= lr·g/(√s + ε)', () => {
    const p = one();
    createOptimizer({ name: 'rmsprop', beta2: 0.9, epsilon: 0 }, p).step(p, grad, 0.01);
    // s = 0.1·0.25 = 0.025 → step = 0.01·0.5/√0.025.
    expect(p[0][0]).toBeCloseTo(1 - (0.01 * 0.5) / Math.sqrt(0.025), 14);
  });

  it('Adam: the first bias-corrected step moves each weight by lr·sign(g)', () => {
    const p = one();
    createOptimizer({ name: 'adam', epsilon: 0 }, p).step(p, grad, 0.001);
    expect(Array.from(p[0])).toEqual([1 - 0.001, -2 + 0.001].map((v) => expect.closeTo(v, 14)));
  });

  it('Adam: the second step follows m̂/√v̂ with β = (0.9, 0.999)', () => {
    const p = [Float64Array.of(0)];
    const opt = createOptimizer({ name: 'adam', epsilon: 0 }, p);
    opt.step(p, [Float64Array.of(1)], 0.1);
    opt.step(p, [Float64Array.of(3)], 0.1);
    const m = 0.9 * 0.1 + 0.1 * 3;
    const v = 0.999 * 0.001 + 0.001 * 9;
    const step2 = (0.1 * (m / (1 - 0.81))) / Math.sqrt(v / (1 - 0.999 ** 2));
    expect(p[0][0]).toBeCloseTo(-0.1 - step2, 14);
  });
});

describe('gradient clipping and schedules', () => {
  it('scales gradients to the global norm only when above it', () => {
    const grads = [Float64Array.of(3), Float64Array.of(4)];
    expect(clipByGlobalNorm(grads, 10)).toEqual({ norm: 5, clipped: false });
    expect(Array.from(grads[0])).toEqual([3]);
    expect(clipByGlobalNorm(grads, 1)).toEqual({ norm: 5, clipped: true });
    expect(Array.from(grads[0])[0]).toBeCloseTo(0.6, 14);
    expect(globalNorm(grads)).toBeCloseTo(1, 14);
  });

  it('a clip of 0 disables clipping', () => {
    const grads = [Float64Array.of(300)];
    expect(clipByGlobalNorm(grads, 0).clipped).toBe(false);
    expect(grads[0][0]).toBe(300);
  });

  it('cosine with warm-up: rises linearly, peaks at the base rate, decays to 0', () => {
    const schedule = { kind: 'cosine', warmup: 10 } as const;
    expect(learningRate(schedule, 1, 0, 110)).toBeCloseTo(0.1, 14);
    expect(learningRate(schedule, 1, 9, 110)).toBeCloseTo(1, 14);
    expect(learningRate(schedule, 1, 60, 110)).toBeCloseTo(0.5, 14);
    expect(learningRate(schedule, 1, 110, 110)).toBeCloseTo(0, 14);
    expect(learningRate({ kind: 'constant' }, 0.3, 50, 100)).toBe(0.3);
  });
});
