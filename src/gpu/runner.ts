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
  /** Bytes of wasm memory the plan holds (webasm's fused executor, once it ran; 0 elsewhere). */
  memoryBytes(): number;
  run(inputs: StepInputs): Promise<StepOutputs>;
  destroy(): Promise<void>;
}

export type Handle = unknown;
export type KernelFn = (...args: unknown[]) => Handle;

/** gpu.js kernels of a plan's specs, each created once per (kernel, steps of its call). */
export function kernelMaker(gpu: GPU): (spec: KernelSpec, steps?: number) => KernelFn {
  const cache = new Map<string, KernelFn>();
  return (spec, steps = 1) => {
    const key = `${spec.name}/${steps}`;
    let fn = cache.get(key);
    if (!fn) {
      const output = [...(spec.outputFor?.(steps) ?? spec.output)];
      fn = gpu.createKernel(spec.source(steps), { output, tactic: 'precision', ...(spec.loopMax !== undefined && { loopMaxIterations: spec.loopMax + 1 }) }) as unknown as KernelFn;
      cache.set(key, fn);
    }
    return fn;
  };
}

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
 * What gpu.js's fused webasm pipeline compiles for one plan: a wasm module per program, i.e. per
 * kernel and signature of its operands (which are pipeline arguments, which outputs of earlier
 * calls), each call's buffer offsets passed at run time (patches/gpu.js+2.24.1.patch). A kernel
 * run every step compiles once to three times (the first and last steps read initial states or
 * zeros instead of outputs), so the cost is flat in the plan's length: an LSTM compiles 51
 * modules at T = 64 and at T = 512. Before the patch every call compiled its own module, and a
 * refusal limit (WEBASM_LIMITS) kept V8 under ≈ 1 GB; KERNEL_LIMITS (codegen.ts) now bounds this
 * cost below that (a 400-tanh chain at T = 32: 30 modules, 0.28 million characters, the whole process 0.25 GB).
 * The orchestration is replayed with recording kernels; nothing compiles. An upper bound: gpu.js
 * also shares a module between an argument and an output of the same size (not seen in our plans).
 */
export function webasmCompileCost(k: TrainingKernels): { modules: number; chars: number } {
  // gpu.js tells operands apart by type (argument or call output) and size: a token says both.
  const programs = new Map<string, number>();
  const kernelOf = (spec: KernelSpec, steps = 1): KernelFn => (...operands: unknown[]) => {
    // The last operand is the step number: a scalar, alike for every call.
    const signature = operands.slice(0, -1).join(',');
    programs.set(`${spec.name}/${steps}:${signature}`, spec.source(steps).length);
    return `output ${(spec.outputFor?.(steps) ?? spec.output).join('x')}`;
  };
  orchestrate(k, kernelOf, new Map(argNamesOf(k).map((n) => [n, `argument ${n}`])));
  return { modules: programs.size, chars: [...programs.values()].reduce((s, n) => s + n, 0) };
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
  const gpu = options.gpu ?? new GPU({ mode: options.mode });
  const T = k.shape.steps;
  const argNames = argNamesOf(k);
  const kernelOf = kernelMaker(gpu);
  const zero = new Float32Array(k.zeroLength);

  const plan = (...handles: Handle[]): Handle[] => orchestrate(k, kernelOf, new Map(argNames.map((n, i) => [n, handles[i]])), { inspect: options.inspect === true });
  // gpu.js traces as many arguments as the function declares.
  Object.defineProperty(plan, 'length', { value: argNames.length });
  const pipeline = gpu.createPipeline(plan as never, { threads: options.threads ?? true });

  return {
    mode: options.mode,
    executor: () => (pipeline as unknown as { executorKind?: string }).executorKind ?? null,
    memoryBytes: () => (pipeline as unknown as { pipeline?: { _executor?: { memory?: WebAssembly.Memory | null } } }).pipeline?._executor?.memory?.buffer.byteLength ?? 0,
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

/**
 * The calls of one training step, in order: each kernel called on its operands' handles (pipeline
 * arguments or earlier calls' outputs) and the step number; returns the plan's results.
 * `lossOnly` (validation, evaluator.ts): the forward step and these readout kernels only, no
 * backward and no optimiser; returns the logits, the log-sum-exp (when the loss has one) per chunk,
 * and the final states.
 */
export function orchestrate(
  k: TrainingKernels, kernelOf: (spec: KernelSpec, steps?: number) => KernelFn, args: ReadonlyMap<string, Handle>,
  options: { readonly inspect?: boolean; readonly lossOnly?: ReadonlySet<number> } = {},
): Handle[] {
  const T = k.shape.steps;
  const arg = (n: string): Handle => {
    const h = args.get(n);
    if (h === undefined) throw new Error(`missing pipeline argument ${n}`);
    return h;
  };
  const pre: Handle[] = [];
  const fwd: Handle[][] = [];
  const bwd: Handle[][] = [];
  const post: Handle[] = [];
  // Read by the epilogue only (absent from a loss-only plan's arguments).
  let acc: Handle = args.get('ZERO');
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
        return at < 0 ? arg(ref.initial as string) : fwd[at][ref.kernel];
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
    k.readout.forEach((spec, i) => {
      if (!options.lossOnly || options.lossOnly.has(i)) readout[i].push(kernelOf(spec, steps)(...(spec.refsFor?.(steps) ?? []).map((r) => resolve(r, t0)), t0));
    });
  }
  const finalStates = k.stateOut.map((s) => fwd[T - 1][s.kernel]);
  if (options.lossOnly) {
    const { logits, logSumExp } = k.lossReads;
    return [...readout[logits], ...(logSumExp === undefined ? [] : readout[logSumExp]), ...finalStates];
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
  const results = [post[k.optimizerKernel], post[k.lossKernel], post[k.normKernel], ...finalStates];
  if (options.inspect) {
    for (const r of k.regions) if (r.grad !== undefined) results.push(post[r.grad]);
    for (let t = 0; t < T; t++) results.push(fwd[t][k.output.kernel]);
  }
  return results;
  }

function argNamesOf(k: TrainingKernels): ArgName[] {
  return [...FIXED_ARGS, ...k.stateOut.map((_, i) => `H0_${i}` as ArgName)];
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

