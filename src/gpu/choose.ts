/**
 * Which backend trains: the user's choice, or the fastest that really exists here.
 * In Node that is gpu.js's webasm (gl cannot build, the bundled webgpu needs a newer
 * glibc). In a browser: WebGPU if an adapter answers, then a hardware WebGL2, else
 * webasm — a software WebGL (SwiftShader, llvmpipe) is 2–3× slower than webasm, so
 * the renderer string decides (DESIGN §11).
 */
import type { Compiled } from '../compiler';
import { createTrainer, referenceAsync, type AsyncTrainer, type TrainConfig, type TrainerStart } from '../runtime/train';
import type { Task } from '../runtime/tasks/types';
import { BackendLimitError, modeAvailable, type GpuMode } from './runner';
import { CodegenError } from '../compiler/codegen';
import { PlanError } from '../compiler/plan';
import { createGpuTrainer, GpuTrainingError } from './trainer';

export const BACKEND_CHOICES = ['auto', 'reference', 'gpu', 'webasm', 'webgl2', 'webgpu', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Renderer strings of software rasterisers: WebGL there is correct but slow. */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(renderer);
}

interface BrowserProbe {
  /** The unmasked WebGL2 renderer string, or null without WebGL2. */
  readonly webgl2Renderer: string | null;
  readonly webgpu: boolean;
}

/** The gpu.js mode `auto` and `gpu` mean here. */
export function fastestMode(probe?: BrowserProbe): GpuMode {
  if (!probe) return 'webasm';
  if (probe.webgpu) return 'webgpu';
  if (probe.webgl2Renderer !== null && !isSoftwareRenderer(probe.webgl2Renderer)) return 'webgl2';
  return 'webasm';
}

/** Looks at the browser's WebGL2 renderer and WebGPU adapter (call only where `document` exists). */
export async function probeBrowser(): Promise<BrowserProbe> {
  let webgl2Renderer: string | null = null;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      webgl2Renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
  } catch {
    webgl2Renderer = null;
  }
  return { webgl2Renderer, webgpu: await hasWebGpuAdapter() };
}

async function hasWebGpuAdapter(): Promise<boolean> {
  try {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return gpu !== undefined && (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

export function isBackendChoice(s: string): s is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(s);
}

/**
 * A trainer on the chosen backend (`auto` and `gpu`: the fastest gpu.js mode here). `auto` falls
 * back to the reference runtime where the fast path cannot take the run (a chunk longer than a
 * plan unrolls, a plan it cannot lay out, kernels past KERNEL_LIMITS or WEBASM_LIMITS), and its
 * `backend` says why; an explicit choice reports why instead. `threads: false` keeps the webasm plan
 * on one thread (the arena runs one trainer per worker and wants no nested threads).
 */
export function createTrainerOn(
  choice: BackendChoice, compiled: Compiled, task: Task, config: TrainConfig, start?: TrainerStart, probe?: BrowserProbe, threads?: boolean,
): AsyncTrainer {
  const reference = (why?: string): AsyncTrainer => {
    const trainer = referenceAsync(createTrainer(compiled, task, config, start));
    // Not a spread: the trainer's getters (stepsDone, params) must stay live.
    return why === undefined ? trainer : Object.defineProperty(trainer, 'backend', { value: `${trainer.backend}; ${why}` });
  };
  if (choice === 'reference') return reference();
  const mode: GpuMode = choice === 'auto' || choice === 'gpu' ? fastestMode(probe) : choice;
  if (!modeAvailable(mode)) {
    if (choice === 'auto') return reference(`gpu.js cannot run ${mode} here`);
    throw new GpuTrainingError(`backend: gpu.js cannot run ${mode} here${typeof document === 'undefined' ? ' (Node has webasm and cpu)' : ''}; use --backend auto or webasm.`);
  }
  try {
    return createGpuTrainer(compiled, task, config, start, { mode, ...(threads !== undefined && { threads }) });
  } catch (e) {
    const planProblem = e instanceof GpuTrainingError || e instanceof PlanError || e instanceof CodegenError || e instanceof BackendLimitError;
    if (choice === 'auto' && planProblem) return reference(`gpu.js ${mode} cannot take this run: ${e.message}`);
    if (planProblem && !(e instanceof GpuTrainingError)) throw new GpuTrainingError(`backend: the gpu.js backend cannot compile this cell (${e.message}); train it with --backend reference.`);
    throw e;
  }
}
