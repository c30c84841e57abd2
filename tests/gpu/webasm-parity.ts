/**
 * The two checks every webasm parity suite makes against the float64 reference: one chunk's
 * outputs, loss and every gradient to 1e-4, and a training run's losses step by step to 1e-3.
 * (chunk-parity.ts holds the comparison itself; it also runs in the browser lab, so no vitest there.)
 */
import type { GPU } from 'gpu.js';
import { expect } from 'vitest';
import type { Compiled } from '../../src/compiler';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { createTrainer, type TrainConfig } from '../../src/runtime/train';
import type { Task } from '../../src/runtime/tasks/types';
import { chunkParity } from './chunk-parity';

export async function compareOneChunk(gpu: GPU, compiled: Compiled, seed: number, steps = 6, oneHot = false): Promise<void> {
  const r = await chunkParity(compiled, seed, { mode: 'webasm', gpu, steps, oneHot });
  expect(r.executor).toMatch(/^fused/);
  for (const { what, error } of r.errors) expect(error, what).toBeLessThan(1e-4);
}

export async function compareTraining(compiled: Compiled, task: Task, config: TrainConfig): Promise<void> {
  const reference = createTrainer(compiled, task, config);
  const fast = createGpuTrainer(compiled, task, config, undefined, { mode: 'webasm' });
  try {
    for (let i = 0; i < config.steps; i++) {
      const want = reference.step();
      const got = await fast.step();
      expect(Math.abs(got.loss - want.loss) / Math.max(Math.abs(want.loss), 1e-6), `loss at step ${i + 1}`).toBeLessThan(1e-3);
      expect(got.clipped).toBe(want.clipped);
    }
  } finally {
    await fast.destroy();
  }
}
