/**
 * Every zoo cell runs on the gpu.js fast path (webasm in Node) as the float64
 * reference computes it: one chunk's outputs, loss and every gradient to 1e-4
 * (float32), through fused kernels (tests/gpu/webasm-parity.ts).
 */
import { GPU } from 'gpu.js';
import { afterAll, describe, it } from 'vitest';
import { compareOneChunk } from '../gpu/webasm-parity';
import { ZOO_IDS, compileZoo } from './zoo';

const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

describe('zoo cells on the webasm fast path', () => {
  it.each(ZOO_IDS)('%s: outputs, loss and every gradient of a chunk agree with the reference to 1e-4', async (id) => {
    await compareOneChunk(gpu, compileZoo(id, { input: 3, hidden: 4 }), 7);
  });
});
