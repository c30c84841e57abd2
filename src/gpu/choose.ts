/**
 * Which backend trains: the user's choice, or the fastest that really runs here.
 * In Node that is gpu.js's webasm (gl cannot build, the bundled webgpu needs a newer
 * glibc). In a browser (window or worker): WebGPU on a hardware adapter, then a hardware
 * WebGL2, then webasm, then the float64 reference. A software adapter or renderer
 * (SwiftShader, llvmpipe) is correct but slower than webasm (DESIGN §11), so `auto` never
 * takes it; the user may still force it.
 *
 * A backend can fail late: gpu.js compiles WGSL or GLSL when a kernel first runs, so `auto`
 * keeps falling back during the first step too, and its report says which backend runs and
 * why each faster one was passed over (rendered in the UI's language from the report).
 */
import type { Compiled } from '../compiler';
import { createTrainer, NonFiniteError, referenceAsync, StepInterrupted, type AsyncTrainer, type BetweenChunks, type TrainConfig, type TrainerStart } from '../runtime/train';
import type { Task } from '../runtime/tasks/types';
import { BackendLimitError, modeAvailable, type GpuMode } from './runner';
import { CodegenError } from '../compiler/codegen';
import { PlanError } from '../compiler/plan';
import { createGpuTrainer, GpuTrainingError } from './trainer';

export const BACKEND_CHOICES = ['auto', 'reference', 'gpu', 'webasm', 'webgl2', 'webgpu', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A backend a run can end up on. */
export type TrainingBackend = GpuMode | 'reference';

/**
 * Why a backend was passed over: 'not-available' (no adapter, no WebGL2, or gpu.js cannot run
 * it here), 'software' (a software adapter or renderer, slower than webasm; `detail` names it),
 * 'cannot-lay-out' (the cell's plan exceeds the backend's limits), 'failed' (it did not compile
 * or run; `detail` is the error's summary, never a whole compiler dump).
 */
export type SkipReason = 'not-available' | 'software' | 'cannot-lay-out' | 'failed';

export interface SkippedBackend {
  readonly backend: TrainingBackend;
  readonly reason: SkipReason;
  readonly detail?: string;
}

/** Which backend trains and why: what the UI renders (EN/ES) next to the run. */
export interface BackendReport {
  readonly choice: BackendChoice;
  readonly backend: TrainingBackend;
  /** The faster backends passed over, in the order tried. */
  readonly skipped: readonly SkippedBackend[];
}

export type ChosenTrainer = AsyncTrainer & { readonly report: BackendReport };

/** A chosen backend that cannot train this cell (explicit choices do not fall back). */
export class BackendFailure extends GpuTrainingError {
  constructor(message: string, readonly skipped: SkippedBackend) {
    super(message);
  }
}

/** The WebGPU adapter's facts (GPUAdapterInfo and isFallbackAdapter). */
export interface WebGpuAdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** What a browser offers: WebGPU's adapter (null: none answered) and WebGL2's renderer (null: no WebGL2). */
export interface BrowserProbe {
  readonly webgpu: WebGpuAdapterFacts | null;
  /** The unmasked WebGL2 renderer string. */
  readonly webgl2Renderer: string | null;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** Renderer strings of software rasterisers: WebGL there is correct but slow. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/** The name of a software or fallback WebGPU adapter, or undefined for a hardware one. */
export function softwareAdapter(a: WebGpuAdapterFacts): string | undefined {
  const named = [a.description, a.architecture, a.device, a.vendor].find((s) => isSoftwareRenderer(s));
  if (named !== undefined) return named;
  return a.isFallbackAdapter ? a.description || a.architecture || 'fallback adapter' : undefined;
}

/** Whether gpu.js can run a mode here (runner.ts modeAvailable; tests pass their own). */
export type Availability = (mode: GpuMode) => boolean;

/** The gpu.js mode `auto` tries first here. */
export function fastestMode(probe?: BrowserProbe, available: Availability = modeAvailable): GpuMode {
  const first = autoOrder(probe, available).find((c) => c.skip === undefined);
  return first === undefined || first.backend === 'reference' ? 'webasm' : first.backend;
}

export interface Candidate {
  readonly backend: TrainingBackend;
  /** Why it is passed over before trying it. */
  readonly skip?: SkippedBackend;
}

/** `auto`'s order, webgpu → webgl2 → webasm → reference, each with why it is not tried (no probe: Node, webasm first). */
export function autoOrder(probe: BrowserProbe | undefined, available: Availability = modeAvailable): Candidate[] {
  const adapter = probe?.webgpu && softwareAdapter(probe.webgpu);
  const renderer = probe?.webgl2Renderer;
  const gpu: Candidate[] = probe
    ? [
        { backend: 'webgpu', skip: presence('webgpu', probe, available) ?? softwareSkip('webgpu', adapter) },
        { backend: 'webgl2', skip: presence('webgl2', probe, available) ?? softwareSkip('webgl2', renderer && isSoftwareRenderer(renderer) ? renderer : undefined) },
      ]
    : [];
  return [...gpu, { backend: 'webasm', skip: presence('webasm', probe, available) }, { backend: 'reference' }];
}

/** Not available: the probe found no adapter (WebGPU) or no context (WebGL2), or gpu.js cannot run the mode here. */
function presence(mode: GpuMode, probe: BrowserProbe | undefined, available: Availability): SkippedBackend | undefined {
  const absent = (mode === 'webgpu' && probe?.webgpu === null) || (mode === 'webgl2' && probe?.webgl2Renderer === null) || !available(mode);
  return absent ? { backend: mode, reason: 'not-available' } : undefined;
}

function softwareSkip(backend: GpuMode, name: string | false | null | undefined): SkippedBackend | undefined {
  return name ? { backend, reason: 'software', detail: name } : undefined;
}

/** The longest error summary shown: a compiler's whole dump never reaches the UI. */
export const DETAIL_MAX = 200;

/** An error message as one short line: the text before gpu.js's appended source, whitespace folded, capped. */
export function summariseError(message: string): string {
  const text = message.split('--- generated')[0].replace(/\s+/g, ' ').trim();
  return text.length <= DETAIL_MAX ? text : `${text.slice(0, DETAIL_MAX - 1)}…`;
}

/** Errors that mean "this plan does not fit this backend" rather than "it broke". */
const cannotLayOut = (e: unknown) => e instanceof GpuTrainingError || e instanceof PlanError || e instanceof CodegenError || e instanceof BackendLimitError;

function skipFor(backend: TrainingBackend, e: unknown): SkippedBackend {
  return { backend, reason: cannotLayOut(e) ? 'cannot-lay-out' : 'failed', detail: summariseError(e instanceof Error ? e.message : String(e)) };
}

/** The backend in a few English words, as `celda train` prints it and a stored run keeps it. */
export function backendLabel(backend: TrainingBackend): string {
  return backend === 'reference' ? 'reference (float64)' : `gpu.js ${backend}`;
}

/** The report in English (the CLI's line): the backend, then each failure that sent the run on. */
function englishLine(report: BackendReport): string {
  const failures = report.skipped.filter((s) => s.reason === 'cannot-lay-out' || s.reason === 'failed');
  return [backendLabel(report.backend), ...failures.map((s) => `${backendLabel(s.backend)} cannot take this run: ${s.detail}`)].join('; ');
}

export function isBackendChoice(s: string): s is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(s);
}

/**
 * A trainer on the chosen backend. `auto` (and `gpu`, which stops short of the reference) goes
 * down webgpu → webgl2 → webasm → reference, skipping software adapters, and falls back on any
 * failure to create the trainer or to run its first step; `report` says where it landed and why.
 * An explicit backend does not fall back: it throws BackendFailure naming what went wrong.
 * `probe`: what the browser offers (probeBrowser); absent in Node.
 */
export function createTrainerOn(
  choice: BackendChoice, compiled: Compiled, task: Task, config: TrainConfig, start?: TrainerStart, probe?: BrowserProbe, threads?: boolean,
): ChosenTrainer {
  const make = (backend: TrainingBackend): AsyncTrainer => (backend === 'reference'
    ? referenceAsync(createTrainer(compiled, task, config, start))
    : createGpuTrainer(compiled, task, config, start, { mode: backend, ...(threads !== undefined && { threads }) }));
  if (choice === 'auto' || choice === 'gpu') {
    const candidates = autoOrder(probe).filter((c) => choice === 'auto' || c.backend !== 'reference');
    return fallingBack(choice, candidates, make);
  }
  const skip = choice === 'reference' ? undefined : presence(choice, probe, modeAvailable);
  return fallingBack(choice, [{ backend: choice, ...(skip && { skip }) }], make);
}

const inNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/**
 * Why an explicit backend (or the last `gpu` candidate) cannot train, in the CLI's words; a
 * GpuTrainingError already names its option (e.g. "chunk: …") and keeps its message.
 */
function failure(s: SkippedBackend, cause?: unknown): BackendFailure {
  if (cause instanceof GpuTrainingError) return new BackendFailure(cause.message, s);
  const message = s.reason === 'not-available'
    ? `backend: gpu.js cannot run ${s.backend} here${inNode() ? ' (Node has webasm and cpu)' : ''}; use --backend auto or webasm.`
    : s.reason === 'cannot-lay-out'
      ? `backend: the gpu.js backend cannot compile this cell (${s.detail}); train it with --backend reference.`
      : `backend: ${backendLabel(s.backend)} could not compile or run this cell (${s.detail}); train it with --backend auto or reference.`;
  return new BackendFailure(message, s);
}

/**
 * Tries `candidates` in order until one is created, and again during the first step (the
 * first run compiles the kernels): a failure there frees that trainer and takes the next
 * candidate from the same start, so the step, run again, is the one the user asked for.
 */
function fallingBack(choice: BackendChoice, candidates: readonly Candidate[], make: (b: TrainingBackend) => AsyncTrainer): ChosenTrainer {
  const skipped: SkippedBackend[] = [];
  let next = 0;
  let proven = false;
  const open = (): { backend: TrainingBackend; trainer: AsyncTrainer } => {
    while (next < candidates.length) {
      const c = candidates[next++];
      const last = next === candidates.length;
      const skip = c.skip;
      if (skip !== undefined) {
        if (last) throw failure(skip);
        skipped.push(skip);
        continue;
      }
      try {
        return { backend: c.backend, trainer: make(c.backend) };
      } catch (e) {
        // The reference runtime's own errors (a bad hyperparameter) are the user's to fix, not a fallback.
        if (c.backend === 'reference') throw e;
        if (last) throw failure(skipFor(c.backend, e), e);
        skipped.push(skipFor(c.backend, e));
      }
    }
    throw new Error('no backend to train on');
  };
  let current = open();
  const report = (): BackendReport => ({ choice, backend: current.backend, skipped: [...skipped] });

  const firstStep = async (between?: BetweenChunks) => {
    for (;;) {
      try {
        const stats = await current.trainer.step(between);
        proven = true;
        return stats;
      } catch (e) {
        if (e instanceof NonFiniteError) proven = true;
        if (e instanceof NonFiniteError || e instanceof StepInterrupted || current.backend === 'reference') throw e;
        const failed = skipFor(current.backend, e);
        // The caller destroys the trainer it holds: the failed one, until another opens.
        if (next >= candidates.length) throw failure(failed, e);
        const broken = current.trainer;
        skipped.push(failed);
        current = open();
        await broken.destroy().catch(() => undefined);
      }
    }
  };

  return {
    get backend() {
      return englishLine(report());
    },
    get report() {
      return report();
    },
    get config() {
      return current.trainer.config;
    },
    get stepsDone() {
      return current.trainer.stepsDone;
    },
    get params() {
      return current.trainer.params;
    },
    get optimizerState() {
      return current.trainer.optimizerState;
    },
    get optimizerRestored() {
      return current.trainer.optimizerRestored;
    },
    step: (between) => (proven ? current.trainer.step(between) : firstStep(between)),
    evaluate: () => current.trainer.evaluate(),
    destroy: () => current.trainer.destroy(),
  };
}

/** Minimal WebGPU types: the DOM library in use has none. */
interface GpuAdapterLike {
  readonly info?: Partial<WebGpuAdapterFacts>;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<Partial<WebGpuAdapterFacts>>;
}

/**
 * What this browser offers, from a window or a worker: the WebGPU adapter's info (a worker
 * has navigator.gpu too) and WebGL2's unmasked renderer (an OffscreenCanvas in a worker).
 */
export async function probeBrowser(): Promise<BrowserProbe> {
  return { webgpu: await webGpuAdapter(), webgl2Renderer: webgl2Renderer() };
}

async function webGpuAdapter(): Promise<WebGpuAdapterFacts | null> {
  try {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
    const adapter = gpu && (await gpu.requestAdapter());
    if (!adapter) return null;
    // adapter.info is the current API; requestAdapterInfo() the older one.
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const text = (s: unknown) => (typeof s === 'string' ? s : '');
    return {
      vendor: text(info.vendor), architecture: text(info.architecture), device: text(info.device), description: text(info.description),
      isFallbackAdapter: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
    };
  } catch {
    return null;
  }
}

function webgl2Renderer(): string | null {
  try {
    const canvas = typeof document !== 'undefined' ? document.createElement('canvas') : typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : undefined;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    // The probe's context is not needed again: give it back (browsers cap live contexts).
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}
