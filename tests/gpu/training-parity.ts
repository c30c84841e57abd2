/**
 * A short training run on a gpu.js mode against the reference trainer, step by step: the relative
 * difference of each step's loss and whether both clipped. Shared by the Node parity tests (webasm)
 * and the browser lab page (webgl2, webgpu), so both check the same thing; no vitest here.
 */
import type { Compiled } from '../../src/compiler';
import type { GpuMode } from '../../src/gpu/runner';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { createTrainer, type TrainConfig } from '../../src/runtime/train';
import type { Task } from '../../src/runtime/tasks/types';

export interface StepDifference {
  readonly step: number;
  readonly lossError: number;
  readonly clippedAlike: boolean;
}

export async function trainingParity(compiled: Compiled, task: Task, config: TrainConfig, mode: GpuMode): Promise<StepDifference[]> {
  const reference = createTrainer(compiled, task, config);
  const fast = createGpuTrainer(compiled, task, config, undefined, { mode });
  const steps: StepDifference[] = [];
  try {
    for (let i = 0; i < config.steps; i++) {
      const want = reference.step();
      const got = await fast.step();
      steps.push({ step: i + 1, lossError: Math.abs(got.loss - want.loss) / Math.max(Math.abs(want.loss), 1e-6), clippedAlike: got.clipped === want.clipped });
    }
  } finally {
    await fast.destroy();
  }
  return steps;
}
