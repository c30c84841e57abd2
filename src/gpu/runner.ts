/**
 * Runs the kernels of one training step (src/compiler/codegen.ts) on gpu.js: the whole
 * step — prologue, T forward steps, T backward steps, weight gradients, optimiser —
 * is recorded once as a `gpu.createPipeline` plan and replayed per call, so every
 * intermediate stays in backend memory and one call is one dispatch (DESIGN §4, §5).
 * This folder is the only one importing gpu.js.
 */
import { GPU } from 'gpu.js';
import type { BindingLimit } from '../compiler/bindings';
import type { ArgName, KernelSpec, Ref, TrainingKernels } from '../compiler/codegen';

export type GpuMode = 'webasm' | 'webgl2' | 'webgpu' | 'cpu';

/** What one call needs, as float32 arrays in the layouts codegen.ts describes. */
export interface StepInputs {
  readonly X: Float32Array;
  readonly P: Float32Array;
  readonly LBL: Float32Array;
  readonly RW: Float32Array;
  readonly HP: Float32Array;
  /** Rows of X grouped by their single non-zero column, per chunk (codegen.ts rowListBlock). */
  readonly XR: Float32Array;
  /** One per state, in the layout of the kernel that writes its next value. */
  readonly H0: readonly Float32Array[];
}

export interface StepOutputs {
  readonly P: Float32Array;
  readonly loss: number;
  readonly gradNormSquared: number;
  /** h_T of each state, [batch × size]. */
  readonly finalStates: Float32Array[];
  /** With `inspect`: each region's gradient (before clipping; undefined where it is zero) and y_t per step. */
  readonly gradients?: (Float32Array | undefined)[];
  readonly outputs?: Float32Array[];
}

export interface StepRunner {
  readonly mode: string;
  /** How the plan ran: 'fused-threaded' / 'fused-sync' (webasm), 'fused-encoder' (webgpu) or 'generic'. */
  executor(): string | null;
  run(inputs: StepInputs): Promise<StepOutputs>;
  destroy(): Promise<void>;
}

type Handle = unknown;
type KernelFn = (...args: unknown[]) => Handle;

export interface RunnerOptions {
  readonly mode: GpuMode;
  /** Worker threads for the webasm plan (false: single-threaded, e.g. for benchmarks' peers). */
  readonly threads?: boolean;
  /** An existing gpu.js instance to share (kernels compile once per instance). */
  readonly gpu?: GPU;
  /** Also return every gradient and y_t (for parity tests; costs readbacks). */
  readonly inspect?: boolean;
}

/** Whether gpu.js can run `mode` here (Node: webasm and cpu; WebGPU still needs an adapter to answer). */
export function modeAvailable(mode: GpuMode): boolean {
  const g = GPU as unknown as { isWebGL2Supported: boolean; isWebAssemblySupported: boolean; isWebGPUSupported?: boolean };
  switch (mode) {
    case 'webgl2': return g.isWebGL2Supported;
    case 'webgpu': return g.isWebGPUSupported === true;
    case 'webasm': return g.isWebAssemblySupported;
    case 'cpu': return true;
  }
}

/** Steps per epilogue call a mode can bind: WebGL2 has 16 texture units, WebGPU 8 storage buffers by default. */
export function chunkFor(mode: GpuMode): number {
  if (mode === 'webgl2') return 6;
  if (mode === 'webgpu') return 2;
  return 16;
}

/**
 * WebGPU's storage buffers per shader stage: gpu.js 2.24.1 asks the adapter for larger buffers but
 * not for more of them, so its device has the default, whatever the adapter offers.
 */
const WEBGPU_STORAGE_BUFFERS = 8;

/**
 * Buffers one kernel may read, where the mode limits them (codegen gathers operands to fit):
 * WebGPU's storage buffers, one of them the output; WebGL2's texture units (16 guaranteed).
 */
export function bindingLimit(mode: GpuMode): BindingLimit | undefined {
  if (mode === 'webgpu') {
    return { buffers: WEBGPU_STORAGE_BUFFERS - 1, name: `webgpu binds ${WEBGPU_STORAGE_BUFFERS - 1} buffers per kernel (maxStorageBuffersPerShaderStage ${WEBGPU_STORAGE_BUFFERS}, one of them the output)` };
  }
  if (mode !== 'webgl2') return undefined;
  const units = webgl2TextureUnits();
  return { buffers: units, name: `webgl2 binds ${units} buffers per kernel (MAX_TEXTURE_IMAGE_UNITS)` };
}

function webgl2TextureUnits(): number {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    return gl ? Number(gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS)) : 16;
  } catch {
    return 16;
  }
}

/** The plan needs more than the mode offers (e.g. a kernel reading more buffers than WebGL2 binds). */
export class BackendLimitError extends Error {}

/** The browser's shader compiler refused a kernel (gpu.js's message, less the shader it appends). */
export class KernelCompileError extends Error {}

/**
 * gpu.js's shader compile errors ("Error compiling WGSL compute shader: … --- generated WGSL --- …",
 * "Error compiling fragment shader: <GLSL log>") as a KernelCompileError a person can read: the
 * compiler's first lines, never the generated shader. Other errors pass through.
 */
export function compileFailure(mode: GpuMode, e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (!/^Error (compiling|creating)/.test(message)) return e;
  const log = message.split('\n--- generated')[0].split('\n').map((l) => l.trim()).filter(Boolean);
  const summary = log.slice(0, 4).join(' ');
  return new KernelCompileError(`${mode} could not compile a kernel: ${summary.length > 300 ? `${summary.slice(0, 300)}…` : summary}`);
}

/**
 * gpu.js's fused webasm pipeline compiles one wasm module per kernel call whose buffers differ (it
 * bakes their offsets in), so a kernel run every step compiles once per step of the plan, and V8
 * keeps every module. Measured in Node (T = 32): a 100-tanh chain compiles 1.9 million characters
 * (0.35 GB), a 200-tanh chain 3.8 million (0.9 GB), a 400-tanh chain 7.7 million (2.8 GB, a minute
 * before the first step); an LSTM at T = 512, 2.8 million in 2,700 modules (0.45 GB). A plan past
 * these bounds is refused (BackendLimitError): `auto` trains on the reference, a shorter chunk fits.
 */
export const WEBASM_LIMITS = {
  /** Characters of kernel source compiled over all the modules of one plan. */
  compiledChars: 4_000_000,
  /** Wasm modules one plan compiles. */
  modules: 8_000,
} as const;

/** What webasm compiles for one plan: a module per kernel call, each from the call's source. */
export function webasmCompileCost(k: TrainingKernels): { modules: number; chars: number } {
  const T = k.shape.steps;
  const chunkSteps = Array.from({ length: Math.ceil(T / k.chunk) }, (_, c) => Math.min(k.chunk, T - c * k.chunk));
  let modules = 0;
  let chars = 0;
  const calls = (spec: KernelSpec, steps: readonly number[]) => {
    for (const s of steps) {
      for (const g of [...(spec.gathers ?? []), spec]) {
        modules += 1;
        chars += g.source(s).length;
      }
    }
  };
  const perStep = Array.from({ length: T }, () => 1);
  for (const spec of k.prologue) calls(spec, [1]);
  for (const spec of [...k.forward, ...k.backward]) calls(spec, perStep);
  for (const spec of [...k.readout, ...k.epilogue]) calls(spec, spec.chunked ? chunkSteps : [1]);
  return { modules, chars };
}

function checkWebasmCost(k: TrainingKernels): void {
  const { modules, chars } = webasmCompileCost(k);
  const over = chars > WEBASM_LIMITS.compiledChars
    ? `${chars} characters of kernel source (the limit is ${WEBASM_LIMITS.compiledChars}, WEBASM_LIMITS.compiledChars)`
    : modules > WEBASM_LIMITS.modules ? `${modules} modules (the limit is ${WEBASM_LIMITS.modules}, WEBASM_LIMITS.modules)` : undefined;
  if (over) throw new BackendLimitError(`webasm would compile ${over} for a plan of ${k.shape.steps} steps; a shorter chunk compiles less`);
}

const FIXED_ARGS: readonly ArgName[] = ['X', 'P', 'LBL', 'RW', 'HP', 'ZERO', 'XR'];

export function createStepRunner(k: TrainingKernels, options: RunnerOptions): StepRunner {
  const limit = bindingLimit(options.mode);
  if (limit !== undefined) {
    for (const spec of [...k.prologue, ...k.forward, ...k.readout, ...k.backward, ...k.epilogue].flatMap((s) => [...(s.gathers ?? []), s])) {
      const n = (spec.refsFor?.(k.chunk) ?? spec.operands).length;
      if (n > limit.buffers) throw new BackendLimitError(`kernel ${spec.name} reads ${n} buffers; ${limit.name} (plan it with generateTraining's bindings)`);
    }
  }
  if (options.mode === 'webasm') checkWebasmCost(k);
  const gpu = options.gpu ?? new GPU({ mode: options.mode });
  const T = k.shape.steps;
  const argNames: ArgName[] = [...FIXED_ARGS, ...k.stateOut.map((_, i) => `H0_${i}` as ArgName)];
  const cache = new Map<string, KernelFn>();
  const kernelOf = (spec: KernelSpec, steps = 1): KernelFn => {
    const key = `${spec.name}/${steps}`;
    let fn = cache.get(key);
    if (!fn) {
      const output = [...(spec.outputFor?.(steps) ?? spec.output)];
      fn = gpu.createKernel(spec.source(steps), { output, tactic: 'precision', ...(spec.loopMax !== undefined && { loopMaxIterations: spec.loopMax + 1 }) }) as unknown as KernelFn;
      cache.set(key, fn);
    }
    return fn;
  };
  const zero = new Float32Array(k.zeroLength);

  const plan = function orchestrate(...handles: Handle[]): Handle[] {
    const args = new Map<ArgName, Handle>(argNames.map((n, i) => [n, handles[i]]));
    const arg = (n: ArgName): Handle => {
      const h = args.get(n);
      if (h === undefined) throw new Error(`missing pipeline argument ${n}`);
      return h;
    };
    const pre: Handle[] = [];
    const fwd: Handle[][] = [];
    const bwd: Handle[][] = [];
    const post: Handle[] = [];
    let acc: Handle = arg('ZERO');
    /** Each chunked epilogue kernel's output per chunk, for 'chunk' refs; the readout kernels' for 'mid' refs. */
    const perChunk: Handle[][] = [];
    const readout: Handle[][] = k.readout.map(() => []);
    let chunkIndex = 0;
    let phase: 'readout' | 'backward' | 'epilogue' | 'forward' = 'forward';
    /** The outputs of the gathers of the kernel being called. */
    let packs: Handle[] = [];
    const resolve = (ref: Ref, t: number): Handle => {
      switch (ref.kind) {
        case 'pack': return packs[ref.index];
        case 'arg': return arg(ref.name);
        case 'pre': return pre[ref.kernel];
        case 'post': return post[ref.kernel];
        case 'acc': return acc;
        case 'chunk': return perChunk[ref.kernel][chunkIndex];
        case 'mid': return readout[ref.kernel][phase === 'backward' ? Math.floor(t / k.chunk) : chunkIndex];
        case 'fwd': {
          const at = t + (ref.step ?? 0) + ref.dt;
          return at < 0 ? arg(ref.initial as ArgName) : fwd[at][ref.kernel];
        }
        case 'bwd': {
          const at = t + (ref.step ?? 0) + ref.dt;
          return at >= T ? arg('ZERO') : bwd[at][ref.kernel];
        }
      }
    };
    const call = (spec: KernelSpec, t: number): Handle => {
      packs = [];
      for (const g of spec.gathers ?? []) packs.push(kernelOf(g)(...g.operands.map((r) => resolve(r, t)), t));
      return kernelOf(spec)(...spec.operands.map((r) => resolve(r, t)), t);
    };
    for (const spec of k.prologue) pre.push(call(spec, 0));
    for (let t = 0; t < T; t++) {
      fwd[t] = [];
      for (const spec of k.forward) fwd[t].push(call(spec, t));
    }
    phase = 'readout';
    for (let t0 = 0, c = 0; t0 < T; t0 += k.chunk, c++) {
      const steps = Math.min(k.chunk, T - t0);
      chunkIndex = c;
      k.readout.forEach((spec, i) => readout[i].push(kernelOf(spec, steps)(...(spec.refsFor?.(steps) ?? []).map((r) => resolve(r, t0)), t0)));
    }
    phase = 'backward';
    for (let t = T - 1; t >= 0; t--) {
      bwd[t] = [];
      for (const spec of k.backward) bwd[t].push(call(spec, t));
    }
    phase = 'epilogue';
    k.epilogue.forEach((spec, index) => {
      perChunk[index] = [];
      if (!spec.chunked || !spec.refsFor) {
        post.push(call(spec, 0));
        return;
      }
      acc = arg('ZERO');
      for (let t0 = 0, c = 0; t0 < T; t0 += k.chunk, c++) {
        const steps = Math.min(k.chunk, T - t0);
        chunkIndex = c;
        acc = kernelOf(spec, steps)(...spec.refsFor(steps).map((r) => resolve(r, t0)), t0);
        perChunk[index].push(acc);
      }
      post.push(acc);
    });
    const results = [post[k.optimizerKernel], post[k.lossKernel], post[k.normKernel], ...k.stateOut.map((s) => fwd[T - 1][s.kernel])];
    if (options.inspect) {
      for (const r of k.regions) if (r.grad !== undefined) results.push(post[r.grad]);
      for (let t = 0; t < T; t++) results.push(fwd[t][k.output.kernel]);
    }
    return results;
  };
  // gpu.js traces as many arguments as the function declares.
  Object.defineProperty(plan, 'length', { value: argNames.length });
  const pipeline = gpu.createPipeline(plan as never, { threads: options.threads ?? true });

  return {
    mode: options.mode,
    executor: () => (pipeline as unknown as { executorKind?: string }).executorKind ?? null,
    async run(inputs) {
      const handles = [inputs.X, inputs.P, inputs.LBL, inputs.RW, inputs.HP, zero, inputs.XR, ...inputs.H0];
      let out: unknown[];
      try {
        out = (await pipeline(...(handles as never[]))) as unknown as unknown[];
      } catch (e) {
        throw compileFailure(options.mode, e);
      }
      const [P, loss, norm, ...rest] = out;
      const states = rest.slice(0, k.stateOut.length);
      const extra = rest.slice(k.stateOut.length);
      const rowsOf = (all: Float32Array, at: { base: number; stride: number; size: number }) => {
        const rows = new Float32Array(k.shape.batch * at.size);
        for (let r = 0; r < k.shape.batch; r++) rows.set(all.subarray(at.base + r * at.stride, at.base + r * at.stride + at.size), r * at.size);
        return rows;
      };
      let next = 0;
      const inspected = options.inspect
        ? {
            gradients: k.regions.map((r) => (r.grad === undefined ? undefined : flat(extra[next++]).slice(0, r.length))),
            outputs: Array.from({ length: T }, () => rowsOf(flat(extra[next++]), k.output)),
          }
        : {};
      return {
        P: flat(P),
        loss: flat(loss)[0],
        gradNormSquared: flat(norm)[0],
        finalStates: states.map((s, i) => rowsOf(flat(s), k.stateOut[i])),
        ...inspected,
      };
    },
    async destroy() {
      (pipeline as unknown as { destroy?: () => void }).destroy?.();
      if (!options.gpu) await gpu.destroy();
    },
  };
}

/** A gpu.js result (typed array, or nested arrays of rows) as one flat Float32Array. */
export function flat(result: unknown): Float32Array {
  if (result instanceof Float32Array) return result;
  if (typeof (result as { toArray?: unknown }).toArray === 'function') return flat((result as { toArray: () => unknown }).toArray());
  if (Array.isArray(result)) {
    const parts = result.map(flat);
    const out = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of parts) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  }
  if (typeof result === 'number') return Float32Array.of(result);
  throw new Error('unexpected kernel result');
}

