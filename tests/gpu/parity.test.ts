/**
 * The gpu.js backend (webasm in Node) against the float64 reference runtime, the
 * specification: for every example and 34 random valid cells, y_t, the loss and
 * every gradient of one training chunk agree to 1e-4 (float32; error measured
 * against the largest magnitude of each tensor), and 20 Adam steps of the same
 * training run give the same losses to 1e-3 relative.
 */
import { GPU } from 'gpu.js';
import { afterAll, describe, it } from 'vitest';
import { compileJson, type Compiled } from '../../src/compiler';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/runtime/train';
import { newerGatesCellJson } from '../fixtures/newer-gates';
import { compileRandomCell } from '../fixtures/random-cells';
import { compareOneChunk, compareTraining } from './webasm-parity';
import { example, task } from './fixtures';

const EXAMPLES = ['lstm', 'gru', 'gru-reset-after', 'rnn'];
// CELDA_PARITY_SEEDS widens the sweep by hand (e.g. 500); the suite runs 34.
const RANDOM_SEEDS = Array.from({ length: Number(process.env.CELDA_PARITY_SEEDS ?? 34) }, (_, i) => 100 + i);
const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

function compiledJson(json: unknown): Compiled {
  const r = compileJson(json);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

describe('gpu.js webasm backend matches the float64 reference', () => {
  it.each(EXAMPLES)('example %s: outputs, loss and every gradient of a chunk agree to 1e-4', async (name) => {
    await compareOneChunk(gpu, example(name, 4, 5), 1);
  });

  it.each(EXAMPLES)('example %s over 37 steps (three chunks of the weight-gradient sums) with one-hot inputs agrees to 1e-4', async (name) => {
    await compareOneChunk(gpu, example(name, 7, 5), 2, 37, true);
  });

  it.each([101, 102, 103])('random cell %i over 37 steps, dense and one-hot inputs, agrees to 1e-4', async (seed) => {
    await compareOneChunk(gpu, compileRandomCell(seed, { input: 4, hidden: 3 }), seed, 37, false);
    await compareOneChunk(gpu, compileRandomCell(seed, { input: 4, hidden: 3 }), seed, 37, true);
  });

  it.each(RANDOM_SEEDS)('random cell %i: outputs, loss and every gradient agree to 1e-4', async (seed) => {
    await compareOneChunk(gpu, compileRandomCell(seed, { input: 2, hidden: 3 }), seed);
  });

  const charlm = task('charlm');
  const adding = task('adding');
  const short: TrainConfig = { ...DEFAULT_CONFIG, steps: 20, batch: 4, length: 8, lr: 0.02 };

  it.each(EXAMPLES)('example %s: 20 Adam steps of char-LM give the same losses (1e-3)', async (name) => {
    await compareTraining(example(name, charlm.inputSize, 6), charlm, short);
  });

  it.each(RANDOM_SEEDS)('random cell %i: 20 Adam steps of the adding task give the same losses (1e-3)', async (seed) => {
    await compareTraining(compileRandomCell(seed, { input: adding.inputSize, hidden: 3 }), adding, { ...short, length: 6 });
  });

  it('softplus and a hard sigmoid driven past its kinks at ±3 agree with the reference to 1e-4', async () => {
    await compareOneChunk(gpu, compiledJson(newerGatesCellJson()), 5, 12);
  });

  it('truncated BPTT (chunks of 3 carrying the state) and gradient clipping agree with the reference trainer', async () => {
    await compareTraining(example('lstm', charlm.inputSize, 6), charlm, { ...short, chunk: 3, clip: 0.05 });
  });

  it.each(['sgd', 'rmsprop'] as const)('the %s optimiser agrees with the reference trainer', async (optimizer) => {
    await compareTraining(example('gru', charlm.inputSize, 6), charlm, { ...short, optimizer, lr: 0.05, momentum: 0.5 });
  });
});
