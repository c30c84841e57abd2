/**
 * Every zoo cell runs on the gpu.js fast path (webasm in Node) as the float64
 * reference computes it: one chunk's outputs, loss and every gradient to 1e-4
 * (float32), through fused kernels (tests/gpu/webasm-parity.ts). The layer-norm LSTM
 * trains there too, its layer norms decomposed into fixed products and elementwise ops
 * (src/compiler/decompose.ts): `auto` picks webasm, and Adam steps give the reference's losses.
 */
import { GPU } from 'gpu.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrainerOn } from '../../src/gpu/choose';
import { createTask } from '../../src/runtime/tasks';
import { DEFAULT_CONFIG } from '../../src/runtime/train';
import { compareOneChunk, compareTraining } from '../gpu/webasm-parity';
import { ZOO_IDS, compileZoo } from './zoo';

const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

describe('zoo cells on the webasm fast path', () => {
  it.each(ZOO_IDS)('%s: outputs, loss and every gradient of a chunk agree with the reference to 1e-4', async (id) => {
    await compareOneChunk(gpu, compileZoo(id, { input: 3, hidden: 4 }), 7);
  });

  it('layernorm-lstm: auto trains it on webasm, and 10 Adam steps of the adding task give the reference\'s losses (1e-3)', async () => {
    const task = createTask('adding', {});
    if ('error' in task) throw new Error(task.error);
    const compiled = compileZoo('layernorm-lstm', { input: task.inputSize, hidden: 4 });
    const config = { ...DEFAULT_CONFIG, steps: 10, batch: 4, length: 6, lr: 0.02 };
    const trainer = createTrainerOn('auto', compiled, task, { ...config, steps: 2 });
    try {
      expect(trainer.backend).toMatch(/^gpu\.js webasm/);
      expect(Number.isFinite((await trainer.step()).loss)).toBe(true);
    } finally {
      await trainer.destroy();
    }
    await compareTraining(compiled, task, config);
  });
});
