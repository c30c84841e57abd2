/**
 * One-step forecasting of a noisy mixture of sines.
 *
 * Each sequence draws 3 components, a_k ~ U[0.2, 1], ω_k ~ U[0.05, 0.5] rad/step,
 * φ_k ~ U[0, 2π), and is
 *   x_t = Σ_k a_k sin(ω_k t + φ_k) / Σ_k a_k + ε_t,   ε_t ~ N(0, noise²),
 * so the clean signal stays within [−1, 1] and `noise` is in the same units.
 * Input at step t (size 1) is x_t; the target (MSE, one value, every step) is
 * x_{t+1}. A batch of length L uses x_0 … x_L.
 */
import type { Rng } from '../rng';
import { buildTask, MAX_LENGTH, numberError, optionsError, zeroSteps, type TaskError } from './errors';
import type { Batch, Task, TaskInfo } from './types';

export interface SineOptions {
  /** Standard deviation of the Gaussian noise added to every sample. Default 0.05. */
  readonly noise?: number;
}

export const SINE_COMPONENTS = 3;
export const SINE_AMPLITUDE: readonly [number, number] = [0.2, 1];
export const SINE_FREQUENCY: readonly [number, number] = [0.05, 0.5];
export const SINE_DEFAULT_NOISE = 0.05;
export const SINE_MAX_NOISE = 1;
export const SINE_MIN_LENGTH = 2;

/** E[Σ_k (a_k / Σ_j a_j)²] for a_k iid U[0.2, 1]: a 3-D composite Simpson quadrature. */
function meanSquaredWeight(): number {
  const [lo, hi] = SINE_AMPLITUDE;
  const n = 32; // intervals per axis (even); the integrand is smooth, error ≪ 1e-8
  const h = (hi - lo) / n;
  const w = Array.from({ length: n + 1 }, (_, i) => (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2));
  const wSum = w.reduce((s, v) => s + v, 0);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const a = lo + i * h;
    for (let j = 0; j <= n; j++) {
      const b = lo + j * h;
      for (let k = 0; k <= n; k++) {
        const c = lo + k * h;
        const s = a + b + c;
        total += w[i] * w[j] * w[k] * ((a * a + b * b + c * c) / (s * s));
      }
    }
  }
  return total / (wSum * wSum * wSum);
}

/** E[cos ω] for ω ~ U[0.05, 0.5]. */
function meanCos(): number {
  const [lo, hi] = SINE_FREQUENCY;
  return (Math.sin(hi) - Math.sin(lo)) / (hi - lo);
}

let weightCache: number | undefined;

/**
 * The persistence forecast's expected MSE, E[(x_{t+1} − x_t)²], at any step:
 * with c_k = a_k / Σa, the independent uniform phases cancel the cross terms and
 * leave Σ_k c_k² (1 − cos ω_k); the noise adds 2·noise².
 */
export function sinePersistenceMse(noise: number): number {
  weightCache ??= meanSquaredWeight();
  return weightCache * (1 - meanCos()) + 2 * noise * noise;
}

export function createSineTask(options: SineOptions = {}): Task | TaskError {
  const bad = optionsError('sine', options, ['noise']);
  if (bad) return bad;
  const noise = options.noise === undefined ? SINE_DEFAULT_NOISE : options.noise;
  const badNoise = numberError('noise', noise, 0, SINE_MAX_NOISE);
  if (badNoise) return badNoise;

  weightCache ??= meanSquaredWeight();
  const persistence = sinePersistenceMse(noise);
  // Best linear memoryless rule x̂ = ρ·x_t, for comparison in the explanation.
  const variance = weightCache / 2 + noise * noise;
  const covariance = (weightCache * meanCos()) / 2;
  const linear = variance - (covariance * covariance) / variance;

  const info: TaskInfo = {
    name: 'sine',
    description:
      `One-step forecasting of a noisy mixture of sines (a common synthetic time-series benchmark with ` +
      `no single canonical source; the persistence reference is the naive forecast of time-series ` +
      `evaluation). Each ` +
      `sequence is the sum of 3 sines with random amplitudes in [0.2, 1], frequencies in [0.05, 0.5] ` +
      `rad/step and phases, divided by the sum of the amplitudes so it stays within ±1, plus Gaussian ` +
      `noise of standard deviation ${noise}. Each step reads the current value and the readout predicts ` +
      `the next (mean squared error, every step). It is hard because a single value says neither the ` +
      `phase nor the direction of the signal: the cell must infer the components from the recent past ` +
      `and extrapolate them, while averaging the noise away.`,
    inputSize: 1,
    outputSize: 1,
    loss: 'mse',
    shape: 'many-to-many',
    baseline: {
      loss: persistence,
      explanation:
        `The persistence forecast (predict x_{t+1} = x_t) scores ${persistence.toFixed(4)}, derived ` +
        `analytically, not measured: E[Σ_k c_k²]·(1 − E[cos ω]) + 2·noise², with c_k = a_k / Σa ` +
        `(the random phases cancel the cross terms; E[Σ c_k²] = ${weightCache.toFixed(4)} by ` +
        `quadrature, 1 − E[cos ω] = ${(1 - meanCos()).toFixed(4)}). It is a reference point, not a ` +
        `bound: a model without memory can shrink toward 0 (the best linear rule x̂ = ρ·x_t scores ` +
        `${linear.toFixed(4)}), and a model with memory that identifies the sines can approach the ` +
        `noise floor noise² = ${(noise * noise).toFixed(4)}.`,
    },
  };
  return buildTask({
    info,
    lengths: { min: SINE_MIN_LENGTH, max: MAX_LENGTH },
    generate: (rng, batch, length) => generate(rng, batch, length, noise),
  });
}

function generate(rng: Rng, batch: number, length: number, noise: number): Batch {
  const xs = zeroSteps(length, batch);
  const next = zeroSteps(length, batch);
  const amplitude = new Float64Array(SINE_COMPONENTS);
  const frequency = new Float64Array(SINE_COMPONENTS);
  const phase = new Float64Array(SINE_COMPONENTS);
  for (let b = 0; b < batch; b++) {
    let total = 0;
    for (let k = 0; k < SINE_COMPONENTS; k++) {
      amplitude[k] = rng.uniform(SINE_AMPLITUDE[0], SINE_AMPLITUDE[1]);
      frequency[k] = rng.uniform(SINE_FREQUENCY[0], SINE_FREQUENCY[1]);
      phase[k] = rng.uniform(0, 2 * Math.PI);
      total += amplitude[k];
    }
    for (let t = 0; t <= length; t++) {
      let x = 0;
      for (let k = 0; k < SINE_COMPONENTS; k++) x += amplitude[k] * Math.sin(frequency[k] * t + phase[k]);
      // Always draw the noise, so a seed gives the same signal at every noise level.
      const value = x / total + noise * rng.normal();
      if (t < length) xs[t][b] = value;
      if (t > 0) next[t - 1][b] = value;
    }
  }
  return { xs, targets: next.map((values) => ({ kind: 'values', values })) };
}
