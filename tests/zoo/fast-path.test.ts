/**
 * Every zoo cell runs on the gpu.js fast path (webasm in Node) as the float64
 * reference computes it: one chunk's outputs, loss and every gradient to 1e-4
 * (float32), through fused kernels (tests/gpu/webasm-parity.ts). The one cell with a
 * layer norm (a reduction the fast path has no kernel for) is refused by the planner,
 * naming the node, and `auto` trains it on the reference runtime instead.
 */
import { GPU } from 'gpu.js';
import { afterAll, describe, expect, it } from 'vitest';
import { PlanError, planStep } from '../../src/compiler/plan';
import { createTrainerOn } from '../../src/gpu/choose';
import { GpuTrainingError } from '../../src/gpu/trainer';
import { createTask } from '../../src/runtime/tasks';
import { DEFAULT_CONFIG } from '../../src/runtime/train';
import { compareOneChunk } from '../gpu/webasm-parity';
import { ZOO_IDS, compileZoo } from './zoo';

const REFERENCE_ONLY = new Set(['layernorm-lstm']);
const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

describe('zoo cells on the webasm fast path', () => {
  it.each(ZOO_IDS.filter((id) => !REFERENCE_ONLY.has(id)))('%s: outputs, loss and every gradient of a chunk agree with the reference to 1e-4', async (id) => {
    await compareOneChunk(gpu, compileZoo(id, { input: 3, hidden: 4 }), 7);
  });

  it('layernorm-lstm: the planner refuses it naming the layer norm; auto trains it on the reference, an explicit webasm says why not', async () => {
    const task = createTask('adding', {});
    if ('error' in task) throw new Error(task.error);
    const compiled = compileZoo('layernorm-lstm', { input: task.inputSize, hidden: 4 });
    expect(() => planStep(compiled.program)).toThrow(PlanError);
    expect(() => planStep(compiled.program)).toThrow(/node "LN[hxc]" is a layer-norm, which reads its whole vector; this cell trains on the reference runtime/);
    const config = { ...DEFAULT_CONFIG, steps: 2, batch: 2, length: 5 };
    const trainer = createTrainerOn('auto', compiled, task, config);
    try {
      expect(trainer.backend).toMatch(/^reference .*cannot take this run: .*layer-norm/);
      expect(Number.isFinite((await trainer.step()).loss)).toBe(true);
    } finally {
      await trainer.destroy();
    }
    expect(() => createTrainerOn('webasm', compiled, task, config)).toThrow(GpuTrainingError);
  });
});
