/**
 * A trainable model: the compiled cell plus a learned readout (linear, from the
 * cell's output y_t to the task's classes or values). The readout is not part
 * of the cell graph: it belongs to the task, so any cell can learn any task.
 */
import type { Compiled } from '../compiler';
import type { IrProgram } from '../compiler/ir';
import { initialValues, initParameters, type Parameters } from './init';
import { deriveRng } from './rng';

export interface Readout {
  /** [outputSize × cellOutputSize], row-major. */
  readonly W: Float64Array;
  readonly b: Float64Array;
}

export interface ModelParameters {
  readonly cell: Parameters;
  readonly readout: Readout;
}

export function cellOutputSize(program: IrProgram): number {
  return program.values[program.output].size;
}

export function initModel(compiled: Compiled, outputSize: number, seed: number): ModelParameters {
  const { program } = compiled;
  const n = cellOutputSize(program);
  return {
    cell: initParameters(program, seed),
    readout: {
      W: initialValues({ kind: 'xavier' }, [outputSize, n], deriveRng(seed, 'readout', 'W')),
      b: new Float64Array(outputSize),
    },
  };
}

/** Every learned array in a fixed order: the cell's tensors in program order, then the readout. */
export function flattenParameters(program: IrProgram, params: ModelParameters): Float64Array[] {
  return [...program.tensors.map((t) => params.cell[t.nodeId][t.name]), params.readout.W, params.readout.b];
}

/** logits/predictions = W·y + b for each row of y [batch × n]. */
export function readoutForward(readout: Readout, y: Float64Array, batch: number): Float64Array {
  const k = readout.b.length;
  const n = readout.W.length / k;
  const out = new Float64Array(batch * k);
  for (let r = 0; r < batch; r++) {
    for (let o = 0; o < k; o++) {
      let sum = readout.b[o];
      for (let i = 0; i < n; i++) sum += readout.W[o * n + i] * y[r * n + i];
      out[r * k + o] = sum;
    }
  }
  return out;
}

/** Accumulates ∂W, ∂b into `grads` and returns ∂y. */
export function readoutBackward(readout: Readout, y: Float64Array, gradOut: Float64Array, batch: number, grads: Readout): Float64Array {
  const k = readout.b.length;
  const n = readout.W.length / k;
  const gy = new Float64Array(batch * n);
  for (let r = 0; r < batch; r++) {
    for (let o = 0; o < k; o++) {
      const g = gradOut[r * k + o];
      if (g === 0) continue;
      grads.b[o] += g;
      for (let i = 0; i < n; i++) {
        grads.W[o * n + i] += g * y[r * n + i];
        gy[r * n + i] += g * readout.W[o * n + i];
      }
    }
  }
  return gy;
}
