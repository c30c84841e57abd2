/** Deterministic parameter initialisation from a seed (the nodes name the initialiser). */
import type { Initializer } from '../../nodes/types';
import type { IrProgram } from '../compiler/ir';
import { deriveRng, type Rng } from './rng';

/** Learned tensors by node id, then by weight name; matrices row-major. */
export type Parameters = Record<string, Record<string, Float64Array>>;

export function initParameters(program: IrProgram, seed: number): Parameters {
  const params: Parameters = {};
  for (const t of program.tensors) {
    const rng = deriveRng(seed, 'init', t.nodeId, t.name);
    (params[t.nodeId] ??= {})[t.name] = initialValues(t.init, t.shape, rng);
  }
  return params;
}

export function initialValues(init: Initializer, shape: readonly number[], rng: Rng): Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (init.kind) {
    case 'zeros':
      return new Float64Array(n);
    case 'constant':
      return new Float64Array(n).fill(init.value);
    case 'uniform':
      return Float64Array.from({ length: n }, () => rng.uniform(init.low, init.high));
    case 'xavier': {
      // Glorot & Bengio 2010, uniform: limit = sqrt(6 / (fan_in + fan_out)).
      const [rows, cols] = shape.length === 2 ? shape : [shape[0], 1];
      const limit = Math.sqrt(6 / (rows + cols));
      return Float64Array.from({ length: n }, () => rng.uniform(-limit, limit));
    }
    case 'orthogonal':
      return orthogonal(shape.length === 2 ? shape[0] : 1, shape.length === 2 ? shape[1] : shape[0], rng);
  }
}

/**
 * A rows × cols matrix with orthonormal rows (or columns, when rows > cols),
 * by Gram–Schmidt on a Gaussian matrix (Saxe et al. 2014).
 */
function orthogonal(rows: number, cols: number, rng: Rng): Float64Array {
  const tall = rows > cols;
  const [m, n] = tall ? [cols, rows] : [rows, cols];
  const q = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      const d = dot(q[i], q[j]);
      for (let k = 0; k < n; k++) q[i][k] -= d * q[j][k];
    }
    const norm = Math.sqrt(dot(q[i], q[i])) || 1;
    for (let k = 0; k < n; k++) q[i][k] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) out[tall ? k * cols + i : i * cols + k] = q[i][k];
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
