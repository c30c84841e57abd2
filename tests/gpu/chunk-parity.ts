/**
 * One training chunk on a gpu.js mode against the float64 reference: the relative error
 * of the loss, of y_t at every step and of every gradient. Shared by the Node parity tests
 * (webasm) and the browser lab page (webgl2), so both check the same thing.
 */
import type { GPU } from 'gpu.js';
import type { Compiled } from '../../src/compiler';
import { generateTraining } from '../../src/compiler/codegen';
import { bindingLimit, chunkFor, createStepRunner, type GpuMode } from '../../src/gpu/runner';
import { gradientsByTensor, hyperparameters, initialRows, packParameters, stepInputs } from '../../src/gpu/trainer';
import { initModel } from '../../src/runtime/model';
import { createRng } from '../../src/runtime/rng';
import { DEFAULT_CONFIG } from '../../src/runtime/train';
import type { Batch } from '../../src/runtime/tasks/types';
import { referenceStep } from './reference-step';

/** Largest error relative to the largest reference magnitude (absolute below 1e-2). */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / Math.max(scale, 1e-2);
}

/**
 * A random batch: inputs in [−1, 1] (or one-hot, as text is: then a few rows get a second
 * non-zero and one row is all zeros, so every path of the x_t gradient runs); classes at
 * every step but one (an unscored step tests the masking).
 */
export function randomBatch(seed: number, steps: number, rows: number, input: number, classes: number, oneHot = false): Batch {
  const rng = createRng(seed);
  const row = (t: number, r: number): number[] => {
    if (!oneHot) return Array.from({ length: input }, () => rng.next() * 2 - 1);
    const x = new Array<number>(input).fill(0);
    if (t === 2 && r === 0) return x;
    x[Math.floor(rng.next() * input)] = t === 3 ? 0.5 : 1;
    if (t % 7 === 5) x[Math.floor(rng.next() * input)] += 1;
    return x;
  };
  return {
    xs: Array.from({ length: steps }, (_, t) => Float64Array.from(Array.from({ length: rows }, (_, r) => row(t, r)).flat())),
    targets: Array.from({ length: steps }, (_, t) => (t === 1 ? null : { kind: 'classes' as const, labels: Int32Array.from({ length: rows }, () => Math.floor(rng.next() * classes)) })),
  };
}

export interface ChunkParity {
  /** What was compared (loss, y_t, ∂L/∂W3 …) and its relative error. */
  readonly errors: readonly { readonly what: string; readonly error: number }[];
  readonly executor: string | null;
}

export interface ChunkParityOptions {
  readonly mode: GpuMode;
  /** Lay the kernels out for another mode's limits (its chunk and bindings): WebGPU's gathers run on webasm in Node. */
  readonly layout?: GpuMode;
  readonly steps?: number;
  readonly oneHot?: boolean;
  readonly gpu?: GPU;
}

export async function chunkParity(compiled: Compiled, seed: number, options: ChunkParityOptions): Promise<ChunkParity> {
  const steps = options.steps ?? 6;
  const rows = 3;
  const classes = 5;
  const input = compiled.program.values[compiled.program.input as number].size;
  const params = initModel(compiled, classes, seed);
  const batch = randomBatch(seed, steps, rows, input, classes, options.oneHot ?? false);
  const want = referenceStep(compiled, params, batch, rows, classes);
  const layout = options.layout ?? options.mode;
  const kernels = generateTraining(compiled.program, {
    batch: rows, steps, loss: 'classes', outputs: classes, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor(layout), bindings: bindingLimit(layout),
  });
  const runner = createStepRunner(kernels, { mode: options.mode, inspect: true, ...(options.gpu && { gpu: options.gpu }) });
  try {
    const P = packParameters(kernels, compiled, params);
    const got = await runner.run(stepInputs(kernels, batch, 0, steps, P, hyperparameters(DEFAULT_CONFIG, 0.01, 1), initialRows(compiled, params, rows)));
    const grads = gradientsByTensor(kernels, compiled, got.gradients ?? [], params);
    const names = [...compiled.program.tensors.map((t) => `${t.name}${t.id}`), 'readout W', 'readout b'];
    return {
      errors: [
        { what: 'loss', error: Math.abs(got.loss - want.loss) / want.loss },
        ...want.outputs.map((y, t) => ({ what: `y_${t}`, error: relativeError(got.outputs?.[t] ?? [], y) })),
        ...want.gradients.map((g, i) => ({ what: `∂L/∂${names[i]}`, error: relativeError(grads[i], g) })),
      ],
      executor: runner.executor(),
    };
  } finally {
    await runner.destroy();
  }
}
