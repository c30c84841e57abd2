/**
 * The two checks every webasm parity suite makes against the float64 reference: one chunk's
 * outputs, loss and every gradient to 1e-4, and a training run's losses step by step to 1e-3.
 * (chunk-parity.ts and training-parity.ts hold the comparisons; they also run in the browser lab, so no vitest there.)
 */
import type { GPU } from 'gpu.js';
import { expect } from 'vitest';
import type { Compiled } from '../../src/compiler';
import type { TrainConfig } from '../../src/runtime/train';
import type { Task } from '../../src/runtime/tasks/types';
import { chunkParity } from './chunk-parity';
import { trainingParity } from './training-parity';

export async function compareOneChunk(gpu: GPU, compiled: Compiled, seed: number, steps = 6, oneHot = false): Promise<void> {
  const r = await chunkParity(compiled, seed, { mode: 'webasm', gpu, steps, oneHot });
  expect(r.executor).toMatch(/^fused/);
  for (const { what, error } of r.errors) expect(error, what).toBeLessThan(1e-4);
}

export async function compareTraining(compiled: Compiled, task: Task, config: TrainConfig): Promise<void> {
  for (const { step, lossError, clippedAlike } of await trainingParity(compiled, task, config, 'webasm')) {
    expect(lossError, `loss at step ${step}`).toBeLessThan(1e-3);
    expect(clippedAlike, `clipping at step ${step}`).toBe(true);
  }
}
