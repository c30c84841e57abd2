/**
 * Optimisers, gradient clipping and learning-rate schedules. Parameters and
 * gradients are lists of flat arrays in a fixed order; optimiser state lives
 * in arrays parallel to them, so a checkpoint can save it.
 */

export type OptimizerName = 'sgd' | 'rmsprop' | 'adam';

/** The defaults every backend uses (the gpu.js optimiser kernel bakes them into its source). */
export const OPTIMIZER_DEFAULTS = { beta1: 0.9, beta2: 0.999, rmsDecay: 0.9, epsilon: 1e-8, momentum: 0.9 } as const;

export interface OptimizerConfig {
  readonly name: OptimizerName;
  /** SGD momentum (0 = plain SGD). */
  readonly momentum?: number;
  /** Adam β₁, β₂; RMSProp decay is β₂. */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** What an optimiser remembers between steps (moments, velocity, step count): saved in checkpoints. */
export interface OptimizerState {
  readonly name: OptimizerName;
  readonly t: number;
  /** Named slots, each parallel to the parameters (e.g. Adam's m and v). */
  readonly slots: Readonly<Record<string, readonly Float64Array[]>>;
}

export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Applies one update in place with learning rate `lr`. */
  step(params: readonly Float64Array[], grads: readonly Float64Array[], lr: number): void;
  /** The state now (slots are live arrays, not copies): serialise it to resume exactly. */
  state(): OptimizerState;
  /** Sets the step count (Adam's bias correction depends on it). */
  setStep(t: number): void;
}

/** Copies a saved state into a fresh optimiser's slots; false when it does not fit (other optimiser or shapes). */
export function restoreOptimizer(optimizer: Optimizer, saved: OptimizerState): boolean {
  const live = optimizer.state();
  const names = Object.keys(live.slots);
  const fits = saved.name === live.name && names.length === Object.keys(saved.slots).length
    && names.every((n) => saved.slots[n]?.length === live.slots[n].length && saved.slots[n].every((a, k) => a.length === live.slots[n][k].length));
  if (!fits) return false;
  for (const n of names) live.slots[n].forEach((a, k) => a.set(saved.slots[n][k]));
  optimizer.setStep(saved.t);
  return true;
}

export function createOptimizer(config: OptimizerConfig, shapes: readonly Float64Array[]): Optimizer {
  const zeros = () => shapes.map((p) => new Float64Array(p.length));
  switch (config.name) {
    case 'sgd': {
      const momentum = config.momentum ?? 0;
      const velocity = zeros();
      let t = 0;
      return {
        config,
        state: () => ({ name: 'sgd', t, slots: { velocity } }),
        setStep: (n: number) => (t = n),
        step(params, grads, lr) {
          t += 1;
          params.forEach((p, k) => {
            for (let i = 0; i < p.length; i++) {
              velocity[k][i] = momentum * velocity[k][i] + grads[k][i];
              p[i] -= lr * velocity[k][i];
            }
          });
        },
      };
    }
    case 'rmsprop': {
      const decay = config.beta2 ?? OPTIMIZER_DEFAULTS.rmsDecay;
      const eps = config.epsilon ?? OPTIMIZER_DEFAULTS.epsilon;
      const meanSquare = zeros();
      let t = 0;
      return {
        config,
        state: () => ({ name: 'rmsprop', t, slots: { meanSquare } }),
        setStep: (n: number) => (t = n),
        step(params, grads, lr) {
          t += 1;
          params.forEach((p, k) => {
            for (let i = 0; i < p.length; i++) {
              const g = grads[k][i];
              meanSquare[k][i] = decay * meanSquare[k][i] + (1 - decay) * g * g;
              p[i] -= (lr * g) / (Math.sqrt(meanSquare[k][i]) + eps);
            }
          });
        },
      };
    }
    case 'adam': {
      // Kingma & Ba 2015, with bias correction.
      const b1 = config.beta1 ?? OPTIMIZER_DEFAULTS.beta1;
      const b2 = config.beta2 ?? OPTIMIZER_DEFAULTS.beta2;
      const eps = config.epsilon ?? OPTIMIZER_DEFAULTS.epsilon;
      const m = zeros();
      const v = zeros();
      let t = 0;
      return {
        config,
        state: () => ({ name: 'adam', t, slots: { m, v } }),
        setStep: (n: number) => (t = n),
        step(params, grads, lr) {
          t += 1;
          const c1 = 1 - b1 ** t;
          const c2 = 1 - b2 ** t;
          params.forEach((p, k) => {
            for (let i = 0; i < p.length; i++) {
              const g = grads[k][i];
              m[k][i] = b1 * m[k][i] + (1 - b1) * g;
              v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
              p[i] -= (lr * (m[k][i] / c1)) / (Math.sqrt(v[k][i] / c2) + eps);
            }
          });
        },
      };
    }
  }
}

export function globalNorm(grads: readonly Float64Array[]): number {
  let sum = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
}

/** Scales all gradients so their global norm is at most `maxNorm` (Pascanu et al. 2013). */
export function clipByGlobalNorm(grads: readonly Float64Array[], maxNorm: number): { norm: number; clipped: boolean } {
  const norm = globalNorm(grads);
  if (!(maxNorm > 0) || norm <= maxNorm) return { norm, clipped: false };
  const factor = maxNorm / norm;
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= factor;
  return { norm, clipped: true };
}

export type Schedule = { readonly kind: 'constant' } | { readonly kind: 'cosine'; readonly warmup: number };

/** Learning rate at step `step` (0-based) of `total`: linear warm-up, then cosine decay to 0. */
export function learningRate(schedule: Schedule, base: number, step: number, total: number): number {
  if (schedule.kind === 'constant') return base;
  if (step < schedule.warmup) return (base * (step + 1)) / schedule.warmup;
  const progress = (step - schedule.warmup) / Math.max(1, total - schedule.warmup);
  return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}
