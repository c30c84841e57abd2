/**
 * Gradient checks: autodiff against float64 central finite differences.
 * The loss is L = Σ_t ⟨G_t, y_t⟩ with random G, so every output element is probed.
 * Differences use Richardson extrapolation (error O(ε⁴)) so that the check can
 * demand a relative error below 1e-6. Gradients smaller than 1e-3 are compared
 * relative to 1e-3 (an absolute tolerance of 1e-9), since rounding dominates there.
 */
import type { NodeDef } from '../../nodes';
import type { Params } from '../../nodes/types';
import type { BackwardProgram } from '../compiler/autodiff';
import { initParameters, type Parameters } from './init';
import { backward, forward } from './reference';
import { createRng, type Rng } from './rng';

export const GRADCHECK_TOLERANCE = 1e-6;
const EPSILON = 1e-3;
const FLOOR = 1e-3;

export interface GradcheckEntry {
  /** e.g. "Wf.W[3]" or "state a init[0]". */
  readonly name: string;
  readonly analytic: number;
  readonly numeric: number;
  readonly relativeError: number;
}

export interface GradcheckReport {
  readonly maxRelativeError: number;
  readonly worst: GradcheckEntry | undefined;
  readonly checked: number;
  readonly passed: boolean;
}

export function relativeError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), FLOOR);
}

/** ∂f/∂v at the current value of `array[index]`, by extrapolated central differences. */
export function numericDerivative(f: () => number, array: Float64Array, index: number): number {
  const at = (h: number): number => {
    const saved = array[index];
    array[index] = saved + h;
    const up = f();
    array[index] = saved - h;
    const down = f();
    array[index] = saved;
    return (up - down) / (2 * h);
  };
  return (4 * at(EPSILON / 2) - at(EPSILON)) / 3;
}

function report(entries: GradcheckEntry[]): GradcheckReport {
  let worst: GradcheckEntry | undefined;
  for (const e of entries) if (!worst || e.relativeError > worst.relativeError) worst = e;
  const maxRelativeError = worst?.relativeError ?? 0;
  return { maxRelativeError, worst, checked: entries.length, passed: maxRelativeError < GRADCHECK_TOLERANCE };
}

const randomArray = (n: number, rng: Rng, low = -1, high = 1): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(low, high));
const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

export interface CellGradcheckOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
}

/**
 * Checks every parameter and every initial state of a compiled cell over T steps.
 * Parameters are drawn uniformly in [−0.5, 0.5] (biases included), so no gradient is trivially zero.
 */
export function gradcheckCell(b: BackwardProgram, options: CellGradcheckOptions = {}): GradcheckReport {
  const { steps = 4, batch = 2, seed = 1 } = options;
  const p = b.forward;
  const rng = createRng(seed);
  const params: Parameters = initParameters(p, seed);
  for (const tensors of Object.values(params)) for (const t of Object.values(tensors)) t.set(randomArray(t.length, rng, -0.5, 0.5));
  const inputSize = p.input === null ? 0 : p.values[p.input].size;
  const xs = Array.from({ length: steps }, () => randomArray(batch * inputSize, rng));
  // With a learned initial state, h0 comes from that parameter (checked as one);
  // otherwise random h0 are given, and their gradients are checked.
  const learnedInit = p.states.some((s) => s.learnedInit !== undefined);
  const h0 = learnedInit ? undefined : p.states.map((s) => randomArray(batch * s.size, rng, -0.5, 0.5));
  const gs = Array.from({ length: steps }, () => randomArray(batch * p.values[p.output].size, rng));
  const loss = (): number => forward(p, params, xs, batch, h0).outputs.reduce((s, y, t) => s + dot(gs[t], y), 0);

  const run = forward(p, params, xs, batch, h0);
  const grads = backward(b, params, run.tape, gs);
  const entries: GradcheckEntry[] = [];
  for (const [nodeId, tensors] of Object.entries(params)) {
    for (const [name, t] of Object.entries(tensors)) {
      for (let i = 0; i < t.length; i++) {
        const analytic = grads.params[nodeId][name][i];
        const numeric = numericDerivative(loss, t, i);
        entries.push({ name: `${nodeId}.${name}[${i}]`, analytic, numeric, relativeError: relativeError(analytic, numeric) });
      }
    }
  }
  h0?.forEach((state, k) => {
    for (let i = 0; i < state.length; i++) {
      const analytic = grads.initialStates[k][i];
      const numeric = numericDerivative(loss, state, i);
      entries.push({ name: `${p.states[k].nodeId}.h0[${i}]`, analytic, numeric, relativeError: relativeError(analytic, numeric) });
    }
  });
  return report(entries);
}

export interface NodeGradcheckOptions {
  readonly params: Params;
  readonly sizes: Readonly<Record<string, number>>;
  readonly inSizes: readonly number[];
  readonly outSize: number;
  readonly batch?: number;
  readonly seed?: number;
}

/** Checks one primitive's VJP (inputs and weights) against finite differences, inside its domain. */
export function gradcheckNode(def: NodeDef, o: NodeGradcheckOptions): GradcheckReport {
  const forwardFn = def.forward;
  const backwardFn = def.backward;
  if (!forwardFn || !backwardFn) return report([]);
  const batch = o.batch ?? 3;
  const rng = createRng(o.seed ?? 7);
  const { low, high, kinks = [], margin = 0 } = def.gradcheck;
  const draw = (): number => {
    for (;;) {
      const v = rng.uniform(low, high);
      if (kinks.every((k) => Math.abs(v - k) >= margin)) return v;
    }
  };
  const inputs = o.inSizes.map((n) => Float64Array.from({ length: batch * n }, draw));
  const weights: Record<string, Float64Array> = {};
  for (const spec of def.weights?.({ params: o.params, inSizes: o.inSizes, outSize: o.outSize }) ?? []) {
    weights[spec.name] = randomArray(spec.shape.reduce((a, c) => a * c, 1), rng);
  }
  const ctx = { inputs, inSizes: o.inSizes, outSize: o.outSize, batch, params: o.params, sizes: o.sizes, weights };
  const g = randomArray(batch * o.outSize, rng);
  const loss = (): number => dot(g, forwardFn(ctx));
  const d = backwardFn({ ...ctx, output: forwardFn(ctx), gradOutput: g });
  const entries: GradcheckEntry[] = [];
  inputs.forEach((x, k) => {
    for (let i = 0; i < x.length; i++) {
      const numeric = numericDerivative(loss, x, i);
      entries.push({ name: `input ${k}[${i}]`, analytic: d.inputs[k][i], numeric, relativeError: relativeError(d.inputs[k][i], numeric) });
    }
  });
  for (const [name, w] of Object.entries(weights)) {
    for (let i = 0; i < w.length; i++) {
      const analytic = d.weights?.[name]?.[i] ?? 0;
      const numeric = numericDerivative(loss, w, i);
      entries.push({ name: `${name}[${i}]`, analytic, numeric, relativeError: relativeError(analytic, numeric) });
    }
  }
  return report(entries);
}
