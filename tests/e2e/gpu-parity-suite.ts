/**
 * The parity suite every browser backend passes (gpu-webgl2.test.ts, gpu-webgpu.test.ts), on the
 * lab page (bench/browser/lab.ts) against the float64 reference in the same page: the 4 examples,
 * 30 random cells, the LSTM over 37 steps with one-hot inputs, the zoo's layer-normalised LSTM and a
 * chain of 10 gates — y_t, the loss and every gradient of one chunk to 1e-4 — 20 Adam steps of each
 * example to 1e-3, and the LSTM's validation loss (char-LM, adding) to 1e-4.
 * Software adapters are slow to call into, so each test sends its cells in one page evaluation
 * (the random cells in batches of 6).
 */
import { expect, it } from 'vitest';
import type { App } from './browser';
import type { CeldaLab, ParityCell } from '../../bench/browser/lab';
import type { GpuMode } from '../../src/gpu/runner';

declare global {
  interface Window {
    celdaLab: CeldaLab;
  }
}

const EXAMPLES = ['lstm', 'gru', 'gru-reset-after', 'rnn'];
/** 30 random cells, 6 per page evaluation: few round trips, and a slow software adapter on a busy machine stays within each test's time. */
const RANDOM_BATCHES = Array.from({ length: 5 }, (_, b) => Array.from({ length: 6 }, (_, i) => 100 + 6 * b + i));
const SLOW = 180_000;

/** The lab page on `app`, ready. */
export async function openLab(app: App): Promise<void> {
  await app.page.waitForFunction(() => window.celdaLab?.ready === true, undefined, { timeout: 60_000 });
}

/** Each cell that does not agree to 1e-4, as "cell: the worst error" (or why it failed). */
async function disagreements(app: App, cells: ParityCell[], mode: GpuMode): Promise<string[]> {
  const results = await app.page.evaluate(([c, m]) => window.celdaLab.parityAll(c, m), [cells, mode] as const);
  expect(results).toHaveLength(cells.length);
  return results.filter((r) => !(r.worst < 1e-4)).map((r) => `${JSON.stringify(r.cell)}: ${r.error ?? `${r.what} off by ${r.worst}`}`);
}

export function parityTests(mode: 'webgl2' | 'webgpu', app: () => App): void {
  it(`${mode}: the 4 examples match the reference (outputs, loss and every gradient to 1e-4)`, async () => {
    expect(await disagreements(app(), EXAMPLES.map((example) => ({ example })), mode)).toEqual([]);
  }, SLOW);

  it.each(RANDOM_BATCHES.map((seeds) => [seeds[0], seeds[seeds.length - 1], seeds]))(`${mode}: random cells %i to %i match the reference to 1e-4`, async (_first, _last, seeds) => {
    expect(await disagreements(app(), seeds.map((randomSeed) => ({ randomSeed })), mode)).toEqual([]);
  }, SLOW);

  it(`${mode}: the LSTM over 37 steps (chunks of weight-gradient sums), one-hot inputs, matches to 1e-4`, async () => {
    expect(await disagreements(app(), [{ example: 'lstm', steps: 37, oneHot: true }], mode)).toEqual([]);
  }, SLOW);

  it(`${mode}: the layer-normalised LSTM, its layer norms decomposed into products with a fixed 1/n matrix, matches to 1e-4`, async () => {
    expect(await disagreements(app(), [{ example: 'layernorm-lstm' }], mode)).toEqual([]);
  }, SLOW);

  it(`${mode}: a chain of 10 gates, whose optimiser and gradient norm read more buffers than a kernel binds, matches to 1e-4`, async () => {
    expect(await disagreements(app(), [{ gateChain: 10 }], mode)).toEqual([]);
  }, SLOW);

  it.each(EXAMPLES)(`${mode}: example %s trains 20 Adam steps of char-LM with the reference's losses (1e-3)`, async (example) => {
    const steps = await app().page.evaluate(([e, m]) => window.celdaLab.trainingParity(e, m), [example, mode] as const);
    expect(steps).toHaveLength(20);
    for (const { step, lossError, clippedAlike } of steps) {
      expect(lossError, `loss at step ${step}`).toBeLessThan(1e-3);
      expect(clippedAlike, `clipping at step ${step}`).toBe(true);
    }
  }, SLOW);

  // The LSTM only (two states, the most kernels): a software WebGL2 takes ≈ 40 s per example; Node checks all four.
  it(`${mode}: the LSTM validates on ${mode} with the reference's loss (1e-4), char-LM and adding`, async () => {
    const results = await app().page.evaluate((m) => window.celdaLab.validationParity('lstm', m), mode);
    expect(results.map((r) => r.task)).toEqual(['charlm', 'adding']);
    for (const { task, fast, reference } of results) {
      expect(Math.abs(fast - reference), task).toBeLessThan(1e-4);
      // float32's own number: a trainer validating on the reference would give the reference's exactly.
      expect(fast, task).not.toBe(reference);
    }
  }, SLOW);
}
