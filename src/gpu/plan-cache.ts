/**
 * Compiled training plans kept between trainers: an arena's runs of one cell, a study's points,
 * a restarted training session, each used to compile the same plan again (≈ 0.2–1 s on webasm).
 * A trainer leases a plan for its life and hands it back on destroy; the next trainer asking for
 * the same (cell hash, sizes, loss, optimiser, chunk, mode, threads) gets it compiled.
 *
 * A plan holds no training state: parameters, optimiser slots, hyperparameters (the step count
 * of Adam's bias correction included), inputs, targets and initial states are arguments of every
 * call (runner.ts StepInputs), and every buffer a call reads is written earlier in that call. A
 * lease is exclusive (two live trainers never share a runner), a plan whose run failed is
 * destroyed rather than kept, and at most PLAN_CACHE_SIZE idle plans holding at most
 * PLAN_CACHE_BYTES of wasm memory stay, least recently used first out.
 *
 * Only webasm plans are kept: a WebGL2 or WebGPU plan holds a GPU context, and a page has few
 * (Chromium drops the oldest past 16), so an idle one could be lost under a running trainer.
 */
import type { TrainingKernels, TrainingShape } from '../compiler/codegen';
import type { IrProgram } from '../compiler/ir';
import { cellHash } from '../runtime/checkpoint';
import type { GpuMode, StepRunner } from './runner';

export interface Plan {
  readonly kernels: TrainingKernels;
  readonly runner: StepRunner;
}

/** A plan in one trainer's hands until `release`. */
export interface LeasedPlan extends Plan {
  release(): Promise<void>;
}

export interface PlanKey {
  readonly program: IrProgram;
  readonly shape: TrainingShape;
  readonly mode: GpuMode;
  /** The trainer's choice; undefined (decided from the kernels) is a key of its own. */
  readonly threads: boolean | undefined;
}

/** Idle plans kept. */
export const PLAN_CACHE_SIZE = 4;

/**
 * Wasm memory the idle plans may hold. An LSTM plan at batch 32 holds 11 MB at hidden 32 and
 * T = 64, 75 MB at hidden 256 and T = 64, 483 MB at hidden 256 and T = 512 (that one is not kept).
 */
export const PLAN_CACHE_BYTES = 256 * 2 ** 20;

const idle = new Map<string, Plan>();
const stats = { hits: 0, misses: 0 };

/** Whether `mode`'s plans outlive their trainer (see above); a cached plan's runner owns its GPU. */
export function plansCached(mode: GpuMode): boolean {
  return mode === 'webasm';
}

function keyOf(k: PlanKey): string {
  return [k.mode, k.threads ?? 'auto', cellHash(k.program), JSON.stringify(k.shape)].join('|');
}

/** The idle plan for `key`, else a new one from `compile` (which may throw: nothing is kept then). */
export function leasePlan(key: PlanKey, compile: () => Plan): LeasedPlan {
  const cached = plansCached(key.mode);
  const id = keyOf(key);
  let plan = cached ? idle.get(id) : undefined;
  if (plan) {
    idle.delete(id);
    stats.hits += 1;
  } else {
    plan = compile();
    if (cached) stats.misses += 1;
  }
  const { kernels, runner } = plan;
  let failed = false;
  let released = false;
  const watched: StepRunner = {
    mode: runner.mode,
    executor: () => runner.executor(),
    memoryBytes: () => runner.memoryBytes(),
    async run(inputs) {
      try {
        return await runner.run(inputs);
      } catch (e) {
        failed = true;
        throw e;
      }
    },
    destroy: () => runner.destroy(),
  };
  return {
    kernels,
    runner: watched,
    async release() {
      if (released) return;
      released = true;
      if (!cached || failed || idle.has(id) || runner.memoryBytes() > PLAN_CACHE_BYTES) {
        await runner.destroy();
        return;
      }
      idle.set(id, { kernels, runner });
      for (const [oldest, evicted] of idle) {
        if (idle.size <= PLAN_CACHE_SIZE && idleBytes() <= PLAN_CACHE_BYTES) break;
        idle.delete(oldest);
        await evicted.runner.destroy();
      }
    },
  };
}

function idleBytes(): number {
  return [...idle.values()].reduce((sum, { runner }) => sum + runner.memoryBytes(), 0);
}

/** Destroys every idle plan (tests; a page that wants its memory back). */
export async function clearPlanCache(): Promise<void> {
  const plans = [...idle.values()];
  idle.clear();
  for (const { runner } of plans) await runner.destroy();
}

export function planCacheStats(): { readonly idle: number; readonly idleBytes: number; readonly hits: number; readonly misses: number } {
  return { idle: idle.size, idleBytes: idleBytes(), ...stats };
}
