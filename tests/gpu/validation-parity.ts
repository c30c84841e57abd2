/**
 * The validation loss of a short training run on a gpu.js mode against the reference's evaluateLoss
 * on the same parameters (the run's own, after its steps). Shared by the Node tests (webasm) and the
 * browser lab page (webgl2, webgpu), so both check the same thing; no vitest here.
 */
import type { Compiled } from '../../src/compiler';
import type { GpuMode } from '../../src/gpu/runner';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { EVAL_BATCH, evaluateLoss, type TrainConfig, type TrainerStart } from '../../src/runtime/train';
import type { Task } from '../../src/runtime/tasks/types';

export interface ValidationDifference {
  /** The trainer's validation loss (its backend) and the reference's on the same parameters. */
  readonly fast: number;
  readonly reference: number;
}

export async function validationParity(
  compiled: Compiled, task: Task, config: TrainConfig, mode: GpuMode, options: { threads?: boolean; start?: TrainerStart } = {},
): Promise<ValidationDifference> {
  const trainer = createGpuTrainer(compiled, task, config, options.start, { mode, ...(options.threads !== undefined && { threads: options.threads }) });
  try {
    for (let i = 0; i < config.steps; i++) await trainer.step();
    const fast = await trainer.evaluate();
    return { fast, reference: evaluateLoss(compiled, trainer.params, task, EVAL_BATCH, config.length) };
  } finally {
    await trainer.destroy();
  }
}
