/**
 * Compiled webasm plans outlive their trainer (src/gpu/plan-cache.ts): a second trainer of the
 * same cell, sizes and shape reuses the first one's plan, computes exactly what a freshly
 * compiled plan computes (no state carries over: parameters, optimiser slots and step counts are
 * inputs of every call), never shares a plan with a live trainer, and at most PLAN_CACHE_SIZE
 * idle plans holding at most PLAN_CACHE_BYTES of wasm memory stay.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileJson, type Compiled } from '../../src/compiler';
import { clearPlanCache, PLAN_CACHE_BYTES, PLAN_CACHE_SIZE, planCacheStats } from '../../src/gpu/plan-cache';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { createTask } from '../../src/runtime/tasks';
import type { Task } from '../../src/runtime/tasks/types';
import { DEFAULT_CONFIG, type AsyncTrainer, type TrainConfig } from '../../src/runtime/train';

const adding = ((): Task => {
  const t = createTask('adding', {});
  if ('error' in t) throw new Error(t.error);
  return t;
})();

function lstm(hidden = 4): Compiled {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: adding.inputSize, hidden });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

const config = (seed: number, length = 8): TrainConfig => ({ ...DEFAULT_CONFIG, steps: 10, batch: 4, length, seed, optimizer: 'adam' });

async function losses(trainer: AsyncTrainer, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await trainer.step()).loss);
  return out;
}

/** A trainer's losses and final parameters over `steps` steps, destroyed after. */
async function run(compiled: Compiled, c: TrainConfig, steps = 4): Promise<{ losses: number[]; params: unknown }> {
  const trainer = createGpuTrainer(compiled, adding, c, undefined, { mode: 'webasm', threads: false });
  try {
    return { losses: await losses(trainer, steps), params: trainer.params };
  } finally {
    await trainer.destroy();
  }
}

describe('the webasm plan cache', () => {
  afterEach(clearPlanCache);

  it('a second trainer reuses the plan and computes what a freshly compiled plan computes', async () => {
    await clearPlanCache();
    const compiled = lstm();
    // Trains other parameters for other steps first: its Adam slots and step count must not reach the next run.
    await run(compiled, config(1), 6);
    const before = planCacheStats();
    const cached = await run(compiled, config(2));
    expect(planCacheStats().hits).toBe(before.hits + 1);
    expect(planCacheStats().misses).toBe(before.misses);
    await clearPlanCache();
    const fresh = await run(compiled, config(2));
    expect(planCacheStats().misses).toBe(before.misses + 1);
    expect(cached.losses).toEqual(fresh.losses);
    expect(cached.params).toEqual(fresh.params);
  });

  it('another size, length or mode of threads is another plan', async () => {
    await clearPlanCache();
    await run(lstm(4), config(1), 1);
    const { misses } = planCacheStats();
    await run(lstm(5), config(1), 1);
    await run(lstm(4), config(1, 9), 1);
    const trainer = createGpuTrainer(lstm(4), adding, config(1), undefined, { mode: 'webasm', threads: true });
    await trainer.step();
    await trainer.destroy();
    expect(planCacheStats().misses).toBe(misses + 3);
  });

  it('two live trainers of one plan each get their own, and train as if alone', async () => {
    await clearPlanCache();
    const compiled = lstm();
    const alone = await run(compiled, config(3));
    const a = createGpuTrainer(compiled, adding, config(3), undefined, { mode: 'webasm', threads: false });
    const b = createGpuTrainer(compiled, adding, config(4), undefined, { mode: 'webasm', threads: false });
    try {
      const [la, lb] = await Promise.all([losses(a, 4), losses(b, 4)]);
      expect(la).toEqual(alone.losses);
      expect(lb).not.toEqual(la);
    } finally {
      await a.destroy();
      await b.destroy();
    }
    // Both were handed back; one plan per key stays.
    expect(planCacheStats().idle).toBe(1);
  });

  it(`keeps at most ${PLAN_CACHE_SIZE} idle plans, and counts the wasm memory they hold`, async () => {
    await clearPlanCache();
    await run(lstm(), config(1, 4), 1);
    const one = planCacheStats().idleBytes;
    // At least the plan's buffers: T = 4 steps of batch 4 × hidden 4, float32.
    expect(one).toBeGreaterThan(4 * 4 * 4 * 4);
    for (let i = 1; i < PLAN_CACHE_SIZE + 2; i++) await run(lstm(), config(1, 4 + i), 1);
    expect(planCacheStats().idle).toBe(PLAN_CACHE_SIZE);
    expect(planCacheStats().idleBytes).toBeGreaterThan(one);
    expect(planCacheStats().idleBytes).toBeLessThanOrEqual(PLAN_CACHE_BYTES);
    // The least recently used went first: the newest length is still cached, the oldest is not.
    const { hits } = planCacheStats();
    await run(lstm(), config(1, 4 + PLAN_CACHE_SIZE + 1), 1);
    expect(planCacheStats().hits).toBe(hits + 1);
    await run(lstm(), config(1, 4), 1);
    expect(planCacheStats().hits).toBe(hits + 1);
  });
});
