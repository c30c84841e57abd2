/**
 * Long cells on gpu.js webasm against the float64 reference, with the tolerances of
 * parity.test.ts: a 25- and a 100-tanh chain (one fused kernel computing every tanh once,
 * each segment returning as it is reached), a residual chain (fan-out at every node) and a
 * chain of gates (gradients sharing one tail) give the same outputs, loss and gradients over a
 * chunk, and the same losses over Adam steps.
 * The residual chain is short on purpose: r grows by about 1 per pair, so past ~10 pairs
 * tanh(r) saturates, its gradient falls below float32's resolution, and Adam (which divides by
 * the gradient's size) turns float32 rounding into whole steps; 20 pairs part from the reference
 * by 17% at step 3, with or without this codegen.
 */
import { GPU } from 'gpu.js';
import { afterAll, describe, it } from 'vitest';
import { compile, type Compiled } from '../../src/compiler';
import type { Cell } from '../../src/model/cell';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/runtime/train';
import { gateChain, residualChain, tanhChain } from '../compiler/chain-cells';
import { compareOneChunk, compareTraining } from './webasm-parity';
import { task } from './fixtures';

const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

function compiled(cell: Cell, input: number, hidden: number): Compiled {
  const c = compile(cell, { input, hidden });
  if (!c.ok) throw new Error(c.diagnostics[0].message);
  return c.value;
}

const cells = [
  ['a 25-tanh chain', () => tanhChain(25)],
  ['a 100-tanh chain', () => tanhChain(100)],
  ['a residual chain of 5 tanh-and-add pairs', () => residualChain(5)],
  ['a chain of 10 gates read through one tail', () => gateChain(10)],
] as const;

describe('long cells on webasm match the float64 reference', () => {
  it.each(cells)('%s: outputs, loss and every gradient of a chunk agree to 1e-4', async (_name, cell) => {
    await compareOneChunk(gpu, compiled(cell(), 4, 5), 3);
  });

  const adding = task('adding');
  const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 10, batch: 4, length: 6, lr: 0.02 };

  it.each(cells)('%s: 10 Adam steps of the adding task give the same losses (1e-3)', async (_name, cell) => {
    await compareTraining(compiled(cell(), adding.inputSize, 3), adding, config);
  });
});
