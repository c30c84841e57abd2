/**
 * Pass 6 — codegen: a step plan (plan.ts) becomes the kernels of one training
 * step, as gpu.js kernel source strings, plus the wiring the backend replays:
 * a prologue (pack weights, hoisted input products), T forward steps, T backward
 * steps, an epilogue (weight gradients as large products over the steps, loss,
 * gradient norm, the optimiser update).
 *
 * Safety (DESIGN §8): generated source holds only names we make (a0, q3, …), numbers
 * we checked, and node kernel templates. No id, label or name from the cell reaches it.
 */
import type { IrOp, IrProgram } from './ir';
import { planStep, type GradTarget, type LinearGroup, type StepPlan } from './plan';
import type { KernelCode } from '../../nodes/types';
import { OPTIMIZER_DEFAULTS } from '../runtime/optim';
import { CodegenError } from './codegen-error';
import { fitBindings, type BindingLimit } from './bindings';

/** Pipeline arguments, uploaded once per call. */
export type ArgName = 'X' | 'P' | 'LBL' | 'RW' | 'HP' | 'ZERO' | 'XR' | `H0_${number}`;

/** Where a kernel operand comes from. */
export type Ref =
  | { readonly kind: 'arg'; readonly name: ArgName }
  /** A prologue kernel's output. */
  | { readonly kind: 'pre'; readonly kernel: number }
  /** A forward-step kernel's output at step t + dt; before step 0, the `initial` argument. */
  | { readonly kind: 'fwd'; readonly kernel: number; readonly dt: 0 | -1; readonly initial?: ArgName; readonly step?: number }
  /** A backward-step kernel's output at step t + dt; past the last step, zeros. */
  | { readonly kind: 'bwd'; readonly kernel: number; readonly dt: 0 | 1; readonly step?: number }
  /** The previous chunk's output of this epilogue kernel (zeros for the first chunk). */
  | { readonly kind: 'acc' }
  /** An epilogue kernel's final output. */
  | { readonly kind: 'post'; readonly kernel: number }
  /** A chunked epilogue kernel's output for the chunk being summed (e.g. gradients stacked over its steps). */
  | { readonly kind: 'chunk'; readonly kernel: number }
  /** A readout kernel's output for the chunk holding step t (readout kernels run chunk by chunk after the forward sweep). */
  | { readonly kind: 'mid'; readonly kernel: number }
  /** The output of one of this kernel's own gathers (KernelSpec.gathers), run just before it. */
  | { readonly kind: 'pack'; readonly index: number };

export type KernelRole = 'pack' | 'product' | 'fused' | 'readout' | 'weight-grad' | 'loss' | 'norm' | 'optimizer';

export interface KernelSpec {
  readonly name: string;
  readonly role: KernelRole;
  /** gpu.js output size: [x], [x, y] or [x, y, z]. */
  readonly output: readonly number[];
  readonly operands: readonly Ref[];
  /** Epilogue kernels that sum over steps: operands repeated once per step of a chunk. */
  readonly perStep?: readonly Ref[];
  /** Source for a call covering `steps` steps (1 for every per-step kernel). */
  source(steps: number): string;
  /** Epilogue sums over steps: called chunk by chunk with the operands of `refsFor(steps)`. */
  readonly chunked?: boolean;
  /** Longest data-dependent loop (backends that unroll loops need the bound). */
  readonly loopMax?: number;
  /** The output size of a chunk of `steps` steps, where it depends on them. */
  outputFor?(steps: number): readonly number[];
  refsFor?(steps: number): readonly Ref[];
  /**
   * Kernels run just before this one, at the same step, each copying a few operands into one
   * buffer where a backend binds too few buffers per kernel (bindings.ts); `pack` refs read them.
   */
  readonly gathers?: readonly KernelSpec[];
}

/** Where a tensor (or one part of a linear's W) lives in the flat parameter vector P. */
export interface Region {
  /** Index of the tensor in program.tensors, or 'readout-W' / 'readout-b'. */
  readonly tensor: number | 'readout-W' | 'readout-b';
  readonly offset: number;
  readonly length: number;
  /** For a part of a linear's W [out × in]: its columns. The region holds W[:, column : column + width] row-major. */
  readonly column?: number;
  readonly width?: number;
  /** A part reading x_t is stored transposed, [width × out], so its products can skip zero inputs (one-hot text). */
  readonly transposed?: boolean;
  /** The epilogue kernel holding this region's gradient; undefined: the gradient is zero. */
  readonly grad?: number;
  /** A fixed tensor's region (a decomposition's matrix, never learned): every element holds this value (packParameters writes it). */
  readonly fixed?: number;
}

export type LossKind = 'classes' | 'values';

export interface TrainingShape {
  readonly batch: number;
  readonly steps: number;
  /** Classes (softmax cross-entropy) or values (mean squared error), and how many. */
  readonly loss: LossKind;
  readonly outputs: number;
  readonly optimizer: 'sgd' | 'rmsprop' | 'adam';
  /** Whether the learned initial states get a gradient (false when the caller gives the states). */
  readonly learnInitialStates: boolean;
  /**
   * Steps per epilogue call (default 16). A call reads up to 2·chunk + 3 buffers: WebGL2 binds at
   * most 16 textures per kernel, so it needs 6 (runner.ts chunkFor).
   */
  readonly chunk?: number;
  /** Buffers one kernel may read on the backend (runner.ts bindingLimit); kernels reading more get gathers. */
  readonly bindings?: BindingLimit;
}

export interface TrainingKernels {
  readonly plan: StepPlan;
  readonly shape: TrainingShape;
  readonly prologue: readonly KernelSpec[];
  readonly forward: readonly KernelSpec[];
  /** The readout and the loss gradient, chunk by chunk, between the forward and the backward sweep. */
  readonly readout: readonly KernelSpec[];
  readonly backward: readonly KernelSpec[];
  readonly epilogue: readonly KernelSpec[];
  /** Steps summed per call by the epilogue's per-step kernels. */
  readonly chunk: number;
  readonly regions: readonly Region[];
  /** Length of one section of P (parameters); P holds [parameters | slot 1 | slot 2]. */
  readonly paramLength: number;
  readonly blockSize: number;
  /** Per state: the forward kernel and offset holding h_t ([Wmax × batch × segments] layout). */
  readonly stateOut: readonly { readonly kernel: number; readonly base: number; readonly stride: number; readonly size: number }[];
  /** Where y_t is written (a forward kernel's output). */
  readonly output: { readonly kernel: number; readonly base: number; readonly stride: number; readonly size: number };
  /** Length of the H0 argument of each state (the layout of its forward kernel's output). */
  readonly stateArgLength: readonly number[];
  readonly zeroLength: number;
  /** Length of the XR argument (rows of x_t by their single non-zero column, chunk by chunk; see inputRows). */
  readonly rowListLength: number;
  /** Epilogue kernels giving the loss (sum over steps and rows, weighted) and the squared gradient norm. */
  readonly lossKernel: number;
  readonly normKernel: number;
  readonly optimizerKernel: number;
  /** Readout kernels holding each row's logits and, for classes, its log-sum-exp: what a forward-only run (validation) reads. */
  readonly lossReads: { readonly logits: number; readonly logSumExp?: number };
  /** Counts for tests and the printed plan. */
  readonly perStep: { readonly forward: number; readonly backward: number };
}

const BLOCK = 256;

/**
 * Length of one chunk's block of the XR argument: for X input columns and R rows,
 * [X + 1 offsets | R rows sorted by their single non-zero column | count | R rows with several].
 */
export function rowListBlock(X: number, R: number): number {
  return X + 1 + R + 1 + R;
}
/** Steps summed per call of the epilogue's per-step kernels, by default (each step adds operands). */
export const DEFAULT_CHUNK = 16;
/** Adam and RMSProp constants: the reference optimiser's (src/runtime/optim.ts). */
const { beta1: BETA1, beta2: BETA2, rmsDecay: RMS_DECAY, epsilon: EPSILON } = OPTIMIZER_DEFAULTS;

export { CodegenError };

/**
 * Bounds on the program one training step compiles to, on every backend. Source grows linearly
 * with the cell (each value is one local), but a small cell can still ask for a lot: a value read
 * at many column offsets (slices of slices) is a local per offset, and every linear adds kernels.
 * gpu.js parses, type-checks and translates each kernel before the first step, and a browser or
 * V8 compiles the result, in time and memory that grow faster than the kernel (measured in Node:
 * a 400-tanh chain's forward kernel, 1,201 locals, peaks at 0.7 GB while webasm compiles it once).
 * A program past these bounds is refused (CodegenError) before gpu.js sees it; `auto` then trains
 * on the reference. src/gpu/runner.ts adds webasm's own bound (it compiles per-step kernels per step).
 */
export const KERNEL_LIMITS = {
  /** Characters of source over all the kernels of one training step (an LSTM needs 20,000; a 400-tanh chain 250,000). */
  sourceChars: 1_000_000,
  /** Locals in one kernel (an LSTM's forward kernel has 30; a 400-tanh chain's 1,201). */
  locals: 2_000,
  /** Kernels in one training step, each compiled on its own (an LSTM needs 31; 50 linear → tanh pairs in a row 463). */
  kernels: 600,
} as const;

export function generateTraining(program: IrProgram, shape: TrainingShape): TrainingKernels {
  return new TrainingWriter(planStep(program), shape).write();
}

/** A float literal from a finite number (gpu.js reads `1` as an integer). */
export function floatLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new CodegenError(`cannot write ${value} into a kernel`);
  const s = String(value);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const tooLarge = (what: string, limit: keyof typeof KERNEL_LIMITS): CodegenError =>
  new CodegenError(`the cell's generated kernels are too large for the gpu backend: ${what}; the limit is ${KERNEL_LIMITS[limit]} (KERNEL_LIMITS.${limit})`);

/** Characters of generated source spent so far, checked as they are spent (a runaway cell stops early). */
class SourceBudget {
  private spent = 0;
  spend(chars: number, kernel: string): void {
    this.spent += chars;
    if (this.spent > KERNEL_LIMITS.sourceChars) throw tooLarge(`their source passes ${KERNEL_LIMITS.sourceChars} characters by kernel ${kernel}`, 'sourceChars');
  }
}

/**
 * The straight-line code of one kernel: every intermediate value is written once, as a local,
 * and memoised per (value, offset), so later values and other segments of the same kernel
 * read the local instead of recomputing its expression (the source stays linear in the cell).
 */
class Body {
  /** j runs over [0, width): the kernel's widest segment. Locals are named <prefix><n>. */
  constructor(readonly width: number, private readonly budget: SourceBudget, private readonly kernel: string, private readonly prefix = 'q') {}
  readonly lines: string[] = [];
  private count = 0;
  readonly memo = new Map<string, string>();
  local(expr: string): string {
    if (/^[a-z]\w*$/.test(expr) || /^-?\d[\d.e+-]*$/.test(expr)) return expr;
    if (this.count >= KERNEL_LIMITS.locals) throw tooLarge(`kernel ${this.kernel} needs more than ${KERNEL_LIMITS.locals} locals`, 'locals');
    const name = `${this.prefix}${this.count++}`;
    const line = `const ${name} = ${expr};`;
    this.budget.spend(line.length, this.kernel);
    this.lines.push(line);
    return name;
  }
  /** Thread z returns `value` once it is computed; the values after it are left to the other segments. */
  returnFor(z: number, value: string): void {
    this.lines.push(`if (z == ${z}) { return ${value}; }`);
  }
  code(): KernelCode {
    return {
      local: (e) => this.local(e),
      num: floatLiteral,
      tanh: (x) => fastTanh(this, x),
      sigmoid: (x) => {
        const half = this.local(`0.5 * ${x}`);
        return this.local(`0.5 * ${fastTanh(this, half)} + 0.5`);
      },
    };
  }
}

// Eigen's float32 tanh (rational 13/6 on [-7.905, 7.905], clamped outside): no library call.
const TANH_CLAMP = 7.90531110763549805;
const TANH_P = [4.89352455891786e-3, 6.37261928875436e-4, 1.48572235717979e-5, 5.12229709037114e-8, -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16];
const TANH_Q = [4.89352518554385e-3, 2.268434632439e-3, 1.18534705686654e-4, 1.19825839466702e-6];
/** e^x for x ≤ 0 as (1 + tanh(x/2)) / (1 − tanh(x/2)): absolute error below 1e-7, no library call (softmax terms). */
function fastExpNonPositive(body: Body, x: string): string {
  const t = fastTanh(body, body.local(`0.5 * ${x}`));
  return body.local(`(1.0 + ${t}) / (1.0 - ${t})`);
}

function fastTanh(body: Body, x: string): string {
  const c = body.local(`(${x} > ${TANH_CLAMP} ? ${TANH_CLAMP} : (${x} < -${TANH_CLAMP} ? -${TANH_CLAMP} : ${x}))`);
  const c2 = body.local(`${c} * ${c}`);
  const horner = (coef: number[]) => coef.slice(0, -1).reduceRight((acc, k) => `(${floatLiteral(k)} + ${c2} * ${acc})`, floatLiteral(coef[coef.length - 1]));
  return body.local(`${c} * ${horner(TANH_P)} / ${horner(TANH_Q)}`);
}

/** A stored vector: read element j (+ offset) of row b at step t as arg[base + t·tStride + b·stride + j]. */
interface Loc {
  readonly ref: Ref;
  readonly base: number;
  readonly stride: number;
  readonly tStride: number;
  /** Rows of a per-chunk buffer: step t sits at (t mod chunk)·rows, read as part of the index. */
  readonly chunkRows?: { readonly chunk: number; readonly rows: number };
}

/** Operand list of a kernel being written: each distinct ref becomes one argument a<k>. */
class Operands {
  readonly refs: Ref[] = [];
  private readonly names = new Map<string, string>();
  name(ref: Ref): string {
    const key = JSON.stringify(ref);
    let n = this.names.get(key);
    if (!n) {
      n = `a${this.refs.length}`;
      this.refs.push(ref);
      this.names.set(key, n);
    }
    return n;
  }
}

const readAt = (ops: Operands, loc: Loc, row: string, index: string, t = 't'): string => {
  const inChunk = loc.chunkRows ? `(${t} - Math.floor(${t} / ${loc.chunkRows.chunk}) * ${loc.chunkRows.chunk}) * ${loc.chunkRows.rows * loc.stride}` : '';
  const terms = [loc.base ? String(loc.base) : '', loc.tStride ? `${t} * ${loc.tStride}` : '', inChunk, `${row} * ${loc.stride}`, index].filter(Boolean);
  return `${ops.name(loc.ref)}[${terms.join(' + ')}]`;
};
const jPlus = (k: number): string => (k === 0 ? 'j' : k > 0 ? `(j + ${k})` : `(j - ${-k})`);

/**
 * Element j + k of a vector of `size`, for j in [0, width): clamped into the vector where
 * some j would fall outside it (padding lanes and the unused arm of a concat read stay in bounds).
 */
function column(k: number, size: number, width: number): string {
  const e = jPlus(k);
  if (k >= 0 && width + k <= size) return e;
  // Arms built from j keep the index an integer in every backend (a literal arm reads as a float in GLSL).
  return `(${e} < 0 ? j - j : (${e} > ${size - 1} ? j - j + ${size - 1} : ${e}))`;
}

class TrainingWriter {
  private readonly p: IrProgram;
  private readonly B: number;
  private readonly prologue: KernelSpec[] = [];
  private readonly forward: KernelSpec[] = [];
  private readonly readout: KernelSpec[] = [];
  private readonly backward: KernelSpec[] = [];
  private readonly epilogue: KernelSpec[] = [];
  /** Forward location of each stored value (x, states, products, fused outputs). */
  private readonly fwdLoc = new Map<number, Loc>();
  /** Where each fused kernel writes its values (differs from fwdLoc for x_t and h_{t−1} copied out as y_t or h_t). */
  private readonly segLoc = new Map<number, Loc>();
  /** Backward location of each gradient target segment, by target key. */
  private readonly gradLoc = new Map<string, Loc>();
  /** Input-gradient product of each group (per step): [Kstep × batch]. */
  private readonly gInLoc = new Map<number, Loc>();
  private readonly regions: Region[] = [];
  private readonly regionOf = new Map<string, Region>();
  private readonly packW = new Map<number, number>();
  /** The same stacked step weights transposed, [width × K]: the input-gradient product's lanes (k) read adjacent elements. */
  private readonly packWT = new Map<number, number>();
  private readonly packBias = new Map<number, number>();
  private yLoc: Loc | undefined;
  private gyLoc: Loc | undefined;
  /** Readout kernels (per chunk): y stacked, logits, log-sum-exp, ∂L/∂logits, ∂L/∂y. */
  private stackY = -1;
  private logitsKernel = -1;
  private lseKernel = -1;
  private gLogitsKernel = -1;
  private readonly stateOut: { kernel: number; base: number; stride: number; size: number }[] = [];
  private readonly stateArgLength: number[] = [];

  private readonly chunk: number;
  private readonly budget = new SourceBudget();

  constructor(private readonly plan: StepPlan, private readonly shape: TrainingShape) {
    this.p = plan.program;
    this.B = shape.batch;
    this.chunk = shape.chunk ?? DEFAULT_CHUNK;
  }

  write(): TrainingKernels {
    if (this.p.input === null) throw new CodegenError('the cell has no input node');
    this.layoutParameters();
    this.writePrologue();
    this.writeForwardStep();
    this.writeReadout();
    this.writeBackwardStep();
    const epi = this.writeEpilogue();
    this.fitBindings();
    this.checkLimits();
    const maxOut = Math.max(...[...this.backward, ...this.forward, ...this.readout, ...this.epilogue].map((k) => k.output.reduce((a, b) => a * b, 1)));
    return {
      plan: this.plan,
      shape: this.shape,
      prologue: this.prologue,
      forward: this.forward,
      readout: this.readout,
      backward: this.backward,
      epilogue: this.epilogue,
      chunk: this.chunk,
      regions: this.regions,
      paramLength: this.paramLength,
      blockSize: BLOCK,
      stateOut: this.stateOut,
      stateArgLength: this.stateArgLength,
      output: this.outputAt(),
      zeroLength: maxOut,
      rowListLength: rowListBlock(this.inputSize(), this.chunk * this.B) * Math.ceil(this.shape.steps / this.chunk),
      ...epi,
      lossReads: { logits: this.logitsKernel, ...(this.lseKernel >= 0 && { logSumExp: this.lseKernel }) },
      perStep: { forward: this.forward.length, backward: this.backward.length },
    };
  }

  /** Every kernel within the backend's bindings: kernels reading too many buffers get gathers (bindings.ts). */
  private fitBindings(): void {
    const limit = this.shape.bindings;
    if (!limit) return;
    const lastChunk = this.shape.steps - (Math.ceil(this.shape.steps / this.chunk) - 1) * this.chunk;
    const length = (spec: KernelSpec): number => (spec.outputFor?.(lastChunk) ?? spec.output).reduce((a, b) => a * b, 1);
    // Outputs of other kernels: at step 0 an h_{t−1} read is H0 and past the last step a gradient read is ZERO,
    // both at least as long. Arguments and per-chunk buffers stay bound (large, or shorter in the last chunk).
    const lengthOf = (ref: Ref): number | undefined => {
      switch (ref.kind) {
        case 'fwd': return length(this.forward[ref.kernel]);
        case 'bwd': return length(this.backward[ref.kernel]);
        case 'pre': return length(this.prologue[ref.kernel]);
        case 'post': return length(this.epilogue[ref.kernel]);
        default: return undefined;
      }
    };
    for (const list of [this.prologue, this.forward, this.readout, this.backward, this.epilogue]) {
      list.forEach((spec, i) => (list[i] = fitBindings(spec, limit, lengthOf, this.chunk)));
    }
  }

  /** The whole program against KERNEL_LIMITS (the fused bodies were checked as they were written). */
  private checkLimits(): void {
    const kernels = [...this.prologue, ...this.forward, ...this.readout, ...this.backward, ...this.epilogue];
    if (kernels.length > KERNEL_LIMITS.kernels) {
      throw tooLarge(`one training step needs ${kernels.length} kernels`, 'kernels');
    }
    const chars = kernels.reduce((sum, spec) => sum + spec.source(spec.chunked ? this.chunk : 1).length, 0);
    if (chars > KERNEL_LIMITS.sourceChars) {
      throw tooLarge(`their source is ${chars} characters`, 'sourceChars');
    }
  }

  private outputAt(): TrainingKernels['output'] {
    const y = this.yLoc as Loc;
    return { kernel: (y.ref as { kernel: number }).kernel, base: y.base, stride: y.stride, size: this.p.values[this.p.output].size };
  }

  // ---------------------------------------------------------------- parameters

  private paramLength = 0;

  private addRegion(key: string, r: Omit<Region, 'offset'>): Region {
    const region = { ...r, offset: this.paramLength };
    this.paramLength += Math.ceil(r.length / BLOCK) * BLOCK;
    this.regions.push(region);
    this.regionOf.set(key, region);
    return region;
  }

  /** P holds every tensor, linear W split by parts, each region padded to a whole block. */
  private layoutParameters(): void {
    this.p.tensors.forEach((t, ti) => {
      const op = this.p.ops.find((o) => o.nodeId === t.nodeId && o.tensors[t.name] === ti);
      const info = op && this.plan.linears.get(op.index);
      if (info && t.name === 'W') {
        info.parts.forEach((part, q) => this.addRegion(`W${ti}:${q}`, {
          tensor: ti, length: info.out * part.size, column: part.column, width: part.size, ...(part.value === this.p.input && { transposed: true }),
          ...(t.fixed && t.init.kind === 'constant' && { fixed: t.init.value }),
        }));
      } else {
        this.addRegion(`T${ti}`, { tensor: ti, length: t.shape.reduce((a, b) => a * b, 1) });
      }
    });
    const ny = this.p.values[this.p.output].size;
    this.addRegion('RW', { tensor: 'readout-W', length: this.shape.outputs * ny });
    this.addRegion('Rb', { tensor: 'readout-b', length: this.shape.outputs });
  }

  private region(key: string): Region {
    const r = this.regionOf.get(key);
    if (!r) throw new CodegenError(`no parameter region ${key}`);
    return r;
  }

  private tensorIndex(op: IrOp, name: string): number {
    return op.tensors[name];
  }

  // ---------------------------------------------------------------- prologue

  private writePrologue(): void {
    const X = this.inputSize();
    for (const g of this.plan.groups) {
      this.packBias.set(g.index, this.addPre(this.packBiasKernel(g)));
      if (g.stepParts.length > 0) {
        const w = this.addPre(this.packWeightKernel(g, 'step'));
        this.packW.set(g.index, w);
        this.packWT.set(g.index, this.addPre(this.transposeKernel(`pack_step_t_${g.index}`, { kind: 'pre', kernel: w }, 0, this.stepK(g), g.width)));
      }
      if (g.readsInput) {
        const wx = this.addPre(this.packWeightKernel(g, 'input'));
        const hoisted = this.addPre(this.hoistedProduct(g, wx, X));
        let off = 0;
        for (const o of g.linears) {
          this.fwdLoc.set(this.p.ops[o].result, { ref: { kind: 'pre', kernel: hoisted }, base: off, stride: g.width, tStride: this.B * g.width });
          off += this.out(o);
        }
        this.hoisted.set(g.index, hoisted);
      }
    }
  }

  private readonly hoisted = new Map<number, number>();
  private singleNonZeroKernel = -1;

  /** Per row of X: the index of its only non-zero element, or −1 (none, or several). */
  private singleNonZero(): number {
    if (this.singleNonZeroKernel >= 0) return this.singleNonZeroKernel;
    const ops = new Operands();
    const xs = ops.name({ kind: 'arg', name: 'X' });
    const X = this.inputSize();
    const src = `function($ARGS) { const r = this.thread.x; let count = 0; let at = -1.0; for (let k = 0; k < ${X}; k++) { if (${xs}[r * ${X} + k] != 0.0) { count += 1; at = k; } } return count == 1 ? at : -1.0; }`;
    this.singleNonZeroKernel = this.addPre(this.spec('input_single_nonzero', 'pack', [this.shape.steps * this.B], ops, () => src));
    return this.singleNonZeroKernel;
  }

  private addPre(k: KernelSpec): number {
    this.prologue.push(k);
    return this.prologue.length - 1;
  }

  private out(op: number): number {
    return this.p.values[this.p.ops[op].result].size;
  }

  private inputSize(): number {
    return this.p.values[this.p.input as number].size;
  }

  private linearRegions(op: number): { W: (q: number) => Region; b?: Region } {
    const o = this.p.ops[op];
    const wi = this.tensorIndex(o, 'W');
    const bi = o.tensors.b;
    return { W: (q) => this.region(`W${wi}:${q}`), ...(bi !== undefined && { b: this.region(`T${bi}`) }) };
  }

  /** The stacked bias [width] of a group (zeros where a linear has none). */
  private packBiasKernel(g: LinearGroup): KernelSpec {
    const ops = new Operands();
    const P = ops.name({ kind: 'arg', name: 'P' });
    const branches: string[] = [];
    let off = 0;
    for (const o of g.linears) {
      const r = this.linearRegions(o).b;
      const n = this.out(o);
      branches.push(`if (n < ${off + n}) { return ${r ? `${P}[${r.offset} + n - ${off}]` : '0.0'}; }`);
      off += n;
    }
    const src = `function(${'$ARGS'}) { const n = this.thread.x; ${branches.join(' ')} return 0.0; }`;
    return this.spec(`pack_bias_${g.index}`, 'pack', [g.width], ops, () => src);
  }

  /**
   * The stacked weights of a group as [K × width] (column n of the stack = row of one linear's W):
   * `step` stacks the step-dependent parts, `input` sums the parts reading x_t.
   */
  private packWeightKernel(g: LinearGroup, which: 'step' | 'input'): KernelSpec {
    const ops = new Operands();
    const P = ops.name({ kind: 'arg', name: 'P' });
    const K = which === 'step' ? g.stepParts.reduce((s, v) => s + this.p.values[v].size, 0) : this.inputSize();
    const perLinear: string[] = [];
    let off = 0;
    for (const o of g.linears) {
      const info = this.plan.linears.get(o);
      if (!info) throw new CodegenError('linear without parts');
      const regions = this.linearRegions(o);
      const n = info.out;
      let body: string;
      if (which === 'input') {
        const terms = info.parts.map((part, q) => [part, q] as const).filter(([part]) => part.value === this.p.input)
          .map(([, q]) => `${P}[${regions.W(q).offset} + k * ${n} + r]`);
        body = `return ${terms.length ? terms.join(' + ') : '0.0'};`;
      } else {
        const stepParts = info.parts.map((part, q) => [part, q] as const).filter(([part]) => part.value !== this.p.input);
        let kOff = 0;
        body = stepParts.map(([part, q]) => {
          const s = `if (k < ${kOff + part.size}) { return ${P}[${regions.W(q).offset} + r * ${part.size} + k - ${kOff}]; }`;
          kOff += part.size;
          return s;
        }).join(' ') + ' return 0.0;';
      }
      perLinear.push(`if (n < ${off + n}) { const r = n - ${off}; ${body} }`);
      off += n;
    }
    const src = `function($ARGS) { const n = this.thread.x; const k = this.thread.y; ${perLinear.join(' ')} return 0.0; }`;
    return this.spec(`pack_${which}_${g.index}`, 'pack', [g.width, K], ops, () => src);
  }

  /**
   * A [rows × cols] matrix (at `offset` in `from`) transposed, [cols × rows]: products run one output
   * per thread along thread.x, and gpu.js's webasm SIMD loads 4 adjacent elements at once where the
   * thread.x lanes read adjacent addresses, so each product reads its weights with j fastest.
   */
  private transposeKernel(name: string, from: Ref, offset: number, rows: number, cols: number): KernelSpec {
    const ops = new Operands();
    const a = ops.name(from);
    const src = `function($ARGS) { const i = this.thread.x; const j = this.thread.y; return ${a}[${offset ? `${offset} + ` : ''}i * ${cols} + j]; }`;
    return this.spec(name, 'pack', [rows, cols], ops, () => src);
  }

  /** All T steps of a group's x_t share at once: [T·batch × width] = bias + X · Wx. */
  private hoistedProduct(g: LinearGroup, wx: number, X: number): KernelSpec {
    const ops = new Operands();
    const xs = ops.name({ kind: 'arg', name: 'X' });
    const w = ops.name({ kind: 'pre', kernel: wx });
    const bias = ops.name({ kind: 'pre', kernel: this.packBias.get(g.index) as number });
    const N = g.width;
    // x is the same for every lane (thread.x is the column), so these are real branches: a row with one
    // non-zero input (one-hot text) costs one term, other rows skip their zeros.
    const single = ops.name({ kind: 'pre', kernel: this.singleNonZero() });
    const src = `function($ARGS) { const n = this.thread.x; const r = this.thread.y; let s = ${bias}[n]; const f = ${single}[r]; `
      + `if (f >= 0.0) { s += ${xs}[r * ${X} + f] * ${w}[f * ${N} + n]; } else { for (let k = 0; k < ${X}; k++) { const x = ${xs}[r * ${X} + k]; if (x != 0.0) { s += x * ${w}[k * ${N} + n]; } } } return s; }`;
    return this.spec(`hoisted_${g.index}`, 'product', [N, this.shape.steps * this.B], ops, () => src);
  }

  // ---------------------------------------------------------------- forward

  private writeForwardStep(): number {
    const p = this.p;
    const X = this.inputSize();
    this.fwdLoc.set(p.input as number, { ref: { kind: 'arg', name: 'X' }, base: 0, stride: X, tStride: this.B * X });
    // States are read from the kernel that writes their next value: known once the rounds are laid out.
    const fusedKernels: { values: readonly number[]; index: number; width: number }[] = [];
    const given = new Set([p.input as number, ...p.states.map((s) => s.prev)]);
    const start = this.forward.length;
    let k = start;
    for (const r of this.plan.forward) {
      if (r.kind === 'product') {
        k++;
      } else {
        const width = Math.max(...r.values.map((v) => p.values[v].size));
        fusedKernels.push({ values: r.values, index: k, width });
        r.values.forEach((v, seg) => {
          const loc: Loc = { ref: { kind: 'fwd', kernel: k, dt: 0 }, base: seg * this.B * width, stride: width, tStride: 0 };
          this.segLoc.set(v, loc);
          // x_t and h_{t−1} stay readable where they are; their copy here is y_t or a state's next value.
          if (!given.has(v) && this.p.ops[this.plan.producer[v]]?.def.kind !== 'linear') this.fwdLoc.set(v, loc);
        });
        k++;
      }
    }
    p.states.forEach((s, i) => {
      const at = this.segLoc.get(s.next);
      const kernel = at?.ref.kind === 'fwd' ? at.ref.kernel : -1;
      const fk = fusedKernels.find((f) => f.index === kernel);
      if (!at || !fk) throw new CodegenError(`state ${i} has no stored next value`);
      this.stateOut.push({ kernel, base: at.base, stride: at.stride, size: s.size });
      this.stateArgLength.push(fk.width * this.B * fk.values.length);
      // h_{t−1} is the buffer that held h_t one step back (the H0 argument at step 0).
      this.fwdLoc.set(s.prev, { ref: { kind: 'fwd', kernel, dt: -1, initial: `H0_${i}` }, base: at.base, stride: at.stride, tStride: 0 });
    });
    for (const r of this.plan.forward) {
      if (r.kind === 'product') this.forward.push(this.stepProduct(this.plan.groups[r.group]));
      else this.forward.push(this.fusedForward(r.values));
    }
    this.yLoc = this.segLoc.get(p.output);
    return this.forward.length - start;
  }

  /** One step of a group: [batch × width] = hoisted(t) or bias, + Σ parts · W. */
  private stepProduct(g: LinearGroup): KernelSpec {
    const ops = new Operands();
    const N = g.width;
    const hoisted = this.hoisted.get(g.index);
    const init = hoisted !== undefined
      ? `${ops.name({ kind: 'pre', kernel: hoisted })}[(t * ${this.B} + b) * ${N} + n]`
      : `${ops.name({ kind: 'pre', kernel: this.packBias.get(g.index) as number })}[n]`;
    const w = ops.name({ kind: 'pre', kernel: this.packW.get(g.index) as number });
    let kOff = 0;
    const loops = g.stepParts.map((v) => {
      const loc = this.mustLoc(v);
      const size = this.p.values[v].size;
      const loop = `for (let k = 0; k < ${size}; k++) { s += ${readAt(ops, loc, 'b', 'k')} * ${w}[(k + ${kOff}) * ${N} + n]; }`;
      kOff += size;
      return loop;
    });
    const src = `function($ARGS) { const n = this.thread.x; const b = this.thread.y; let s = ${init}; ${loops.join(' ')} return s; }`;
    const index = this.forward.length;
    g.linears.reduce((off, o) => {
      this.fwdLoc.set(this.p.ops[o].result, { ref: { kind: 'fwd', kernel: index, dt: 0 }, base: off, stride: N, tStride: 0 });
      return off + this.out(o);
    }, 0);
    return this.spec(`step_product_${g.index}`, 'product', [N, this.B], ops, () => src);
  }

  private mustLoc(v: number): Loc {
    const loc = this.fwdLoc.get(v);
    if (!loc) throw new CodegenError(`value v${v} is read before it is stored`);
    return loc;
  }

  /** One kernel writing several values, one segment (z) each: [width × batch × segments]. */
  private fusedForward(values: readonly number[]): KernelSpec {
    const ops = new Operands();
    const index = this.forward.length;
    const width = Math.max(...values.map((v) => this.p.values[v].size));
    const name = `fused_forward_${index}`;
    const body = new Body(width, this.budget, name);
    values.forEach((v, seg) => {
      // Values of this kernel are not yet readable here: they are computed in it, each once.
      body.returnFor(seg, this.fwdExpr(body, ops, v, 0, (u) => this.readableForward(u, index)));
    });
    const src = `function($ARGS) { const j = this.thread.x; const b = this.thread.y; const z = this.thread.z; ${body.lines.join(' ')} return 0.0; }`;
    return this.spec(name, 'fused', [width, this.B, values.length], ops, () => src);
  }

  /** Whether a stored value can be read (rather than recomputed) by forward kernel `index`. */
  private readableForward(v: number, index: number): Loc | undefined {
    const loc = this.fwdLoc.get(v);
    if (!loc) return undefined;
    if (loc.ref.kind === 'fwd' && loc.ref.dt === 0 && loc.ref.kernel >= index) return undefined;
    return loc;
  }

  /** Element j + k of value v (forward), as a local of `body`. */
  private fwdExpr(body: Body, ops: Operands, v: number, k: number, readable: (v: number) => Loc | undefined, t = 't'): string {
    const key = `f${v}@${k}`;
    const hit = body.memo.get(key);
    if (hit) return hit;
    const loc = readable(v);
    let result: string;
    if (loc) {
      result = body.local(readAt(ops, loc, 'b', column(k, this.p.values[v].size, body.width), t));
    } else {
      const i = this.plan.producer[v];
      if (i < 0) throw new CodegenError(`value v${v} has no producer and is not stored`);
      const op = this.p.ops[i];
      result = this.opForward(body, ops, op, k, readable, t);
    }
    body.memo.set(key, result);
    return result;
  }

  private opForward(body: Body, ops: Operands, op: IrOp, k: number, readable: (v: number) => Loc | undefined, t: string): string {
    switch (op.def.kind) {
      case 'slice':
        return this.fwdExpr(body, ops, op.inputs[0], k + op.sizes.start, readable, t);
      case 'concat': {
        // Parts are stored (plan.ts), so each branch is a plain read.
        let off = 0;
        const arms = op.inputs.map((u) => {
          const size = this.p.values[u].size;
          const loc = readable(u);
          if (!loc) throw new CodegenError(`concat part v${u} is not stored`);
          const arm = { end: off + size, read: readAt(ops, loc, 'b', column(k - off, size, body.width), t) };
          off += size;
          return arm;
        });
        const expr = arms.slice(0, -1).reduceRight((acc, a) => `(${jPlus(k)} < ${a.end} ? ${a.read} : ${acc})`, arms[arms.length - 1].read);
        return body.local(expr);
      }
      case 'linear':
        throw new CodegenError(`product v${op.result} is read before it is computed`);
      default: {
        const tpl = op.def.kernel;
        if (!tpl) throw new CodegenError(`no kernel template for ${op.def.kind}`);
        const inputs = op.inputs.map((u) => this.fwdExpr(body, ops, u, k, readable, t));
        return body.local(tpl.forward({ inputs, params: op.params, weights: this.vectorWeights(body, ops, op, k), code: body.code() }));
      }
    }
  }

  /** Element j + k of each learned vector of an elementwise op (scale's p). */
  private vectorWeights(body: Body, ops: Operands, op: IrOp, k: number): Record<string, string> {
    const P = ops.name({ kind: 'arg', name: 'P' });
    const out: Record<string, string> = {};
    const size = this.p.values[op.result].size;
    for (const [name, ti] of Object.entries(op.tensors)) out[name] = body.local(`${P}[${this.region(`T${ti}`).offset} + ${column(k, size, body.width)}]`);
    return out;
  }

  // ---------------------------------------------------------------- readout

  /**
   * The readout does not feed the recurrence, so it runs after the forward sweep, a chunk of
   * steps per call (rows r = s·batch + b): y stacked, logits, log-sum-exp, ∂L/∂logits, ∂L/∂y.
   */
  private writeReadout(): void {
    const y = this.yLoc;
    if (!y) throw new CodegenError('y_t is not stored');
    const ny = this.p.values[this.p.output].size;
    const V = this.shape.outputs;
    const B = this.B;
    const Wr = this.region('RW').offset;
    const br = this.region('Rb').offset;
    const mid = (kernel: number): Ref => ({ kind: 'mid', kernel });
    const add = (name: string, output: (steps: number) => number[], body: (steps: number, ops: ChunkOperands) => string): number => {
      const index = this.readout.length;
      this.readout.push(this.chunkedSpec(name, 'readout', output, body));
      return index;
    };
    this.stackY = add('readout_stack_y', (steps) => [ny, B, steps], (steps, ops) => {
      const arms = Array.from({ length: steps }, (_, s) => `if (z == ${s}) { return ${readAt(ops, this.stepRef(y, s), 'b', 'k')}; }`);
      return `const k = this.thread.x; const b = this.thread.y; const z = this.thread.z; ${arms.join(' ')} return 0.0;`;
    });
    const WrT: Ref = { kind: 'pre', kernel: this.addPre(this.transposeKernel('readout_w_t', { kind: 'arg', name: 'P' }, Wr, V, ny)) };
    this.logitsKernel = add('readout_logits', (steps) => [V, steps * B], (_steps, ops) => {
      const P = ops.name({ kind: 'arg', name: 'P' });
      const Y = ops.name(mid(this.stackY));
      const W = ops.name(WrT);
      return `const v = this.thread.x; const r = this.thread.y; let s = ${P}[${br} + v]; for (let k = 0; k < ${ny}; k++) { s += ${Y}[r * ${ny} + k] * ${W}[k * ${V} + v]; } return s;`;
    });
    if (this.shape.loss === 'classes') {
      this.lseKernel = add('readout_logsumexp', (steps) => [steps * B], (_steps, ops) => {
        const L = ops.name(mid(this.logitsKernel));
        // Rebuilt on every source() call, so not spent from the step's budget (checkLimits counts it once).
        const term = new Body(1, new SourceBudget(), 'readout_logsumexp', 'e');
        const e = fastExpNonPositive(term, term.local(`${L}[r * ${V} + v] - m`));
        return `const r = this.thread.x; let m = ${L}[r * ${V}]; for (let v = 1; v < ${V}; v++) { const l = ${L}[r * ${V} + v]; if (l > m) { m = l; } } let s = 0.0; for (let v = 0; v < ${V}; v++) { ${term.lines.join(' ')} s += ${e}; } return m + Math.log(s);`;
      });
    }
    this.gLogitsKernel = add('readout_grad_logits', (steps) => [V, steps * B], (_steps, ops) => {
      const L = ops.name(mid(this.logitsKernel));
      const RW = ops.name({ kind: 'arg', name: 'RW' });
      const LBL = ops.name({ kind: 'arg', name: 'LBL' });
      const head = `const v = this.thread.x; const r = this.thread.y; const w = ${RW}[t + Math.floor(r / ${B})];`;
      if (this.shape.loss !== 'classes') {
        return `${head} const d = ${L}[r * ${V} + v] - ${LBL}[(t * ${B} + r) * ${V} + v]; return 2.0 * d * w * ${floatLiteral(1 / (B * V))};`;
      }
      const body = new Body(1, new SourceBudget(), 'readout_grad_logits', 'e');
      const p = fastExpNonPositive(body, body.local(`${L}[r * ${V} + v] - ${ops.name(mid(this.lseKernel))}[r]`));
      return `${head} ${body.lines.join(' ')} const hit = ${LBL}[t * ${B} + r] == v ? 1.0 : 0.0; return (${p} - hit) * w * ${floatLiteral(1 / B)};`;
    });
    const gy = add('readout_grad_y', (steps) => [ny, steps * B], (_steps, ops) => {
      const P = ops.name({ kind: 'arg', name: 'P' });
      const G = ops.name(mid(this.gLogitsKernel));
      return `const k = this.thread.x; const r = this.thread.y; let s = 0.0; for (let v = 0; v < ${V}; v++) { s += ${G}[r * ${V} + v] * ${P}[${Wr} + v * ${ny} + k]; } return s;`;
    });
    this.gyLoc = { ref: mid(gy), base: 0, stride: ny, tStride: 0, chunkRows: { chunk: this.chunk, rows: B } };
  }

  /** A kernel run chunk by chunk, its source and output depending on the chunk's steps; t is the chunk's first step. */
  private chunkedSpec(name: string, role: KernelRole, output: (steps: number) => number[], body: (steps: number, ops: ChunkOperands) => string): KernelSpec {
    return {
      name,
      role,
      output: output(this.chunk),
      outputFor: output,
      operands: [],
      chunked: true,
      refsFor: (steps) => {
        const ops = new ChunkOperands();
        body(steps, ops);
        return ops.refs;
      },
      source: (steps) => {
        const ops = new ChunkOperands();
        const b = body(steps, ops);
        return `function(${[...ops.refs.map((_, i) => `a${i}`), 't'].join(', ')}) { ${b} }`;
      },
    };
  }

  // ---------------------------------------------------------------- backward

  private writeBackwardStep(): void {
    // Lay out every backward kernel first: gradients read kernels that run later in the
    // same step only through `dt: 1` (the carried state gradients).
    let k = 0;
    for (const r of this.plan.backward) {
      if (r.kind === 'fused') {
        const width = Math.max(...r.targets.map((t) => this.targetSize(t)));
        r.targets.forEach((t, seg) => this.gradLoc.set(targetKey(t), { ref: { kind: 'bwd', kernel: k, dt: 0 }, base: seg * this.B * width, stride: width, tStride: 0 }));
      } else {
        const g = this.plan.groups[r.group];
        this.gInLoc.set(g.index, { ref: { kind: 'bwd', kernel: k, dt: 0 }, base: 0, stride: this.stepK(g), tStride: 0 });
      }
      k++;
    }
    for (const r of this.plan.backward) {
      this.backward.push(r.kind === 'fused' ? this.fusedBackward(r.targets) : this.inputGradProduct(this.plan.groups[r.group]));
    }
  }

  private stepK(g: LinearGroup): number {
    return g.stepParts.reduce((s, v) => s + this.p.values[v].size, 0);
  }

  private targetSize(t: GradTarget): number {
    if (t.kind === 'linear-out') return this.out(t.op);
    if (t.kind === 'state') return this.p.states[t.state].size;
    return this.p.values[this.p.ops[t.op].result].size;
  }

  /** Reads (at step t + dt) whose sum is ∂L/∂h_{t−1} of a state. */
  private stateGradReads(state: number, dt: 0 | 1): Loc[] {
    const s = this.p.states[state];
    const at = (loc: Loc): Loc => ({ ...loc, ref: { ...(loc.ref as Extract<Ref, { kind: 'bwd' }>), dt } });
    const own = this.gradLoc.get(targetKey({ kind: 'state', state }));
    // The state's own kernel segment (its elementwise users) plus the products reading it.
    const reads: Loc[] = own ? [at(own)] : [];
    for (const g of this.plan.groups) {
      let off = 0;
      for (const v of g.stepParts) {
        const gin = this.gInLoc.get(g.index);
        if (v === s.prev && gin) reads.push(at({ ...gin, base: gin.base + off }));
        off += this.p.values[v].size;
      }
    }
    return reads;
  }

  private fusedBackward(targets: readonly GradTarget[]): KernelSpec {
    const ops = new Operands();
    const index = this.backward.length;
    const width = Math.max(...targets.map((t) => this.targetSize(t)));
    const readable = (u: number) => this.fwdLoc.get(u);
    const name = `fused_backward_${index}`;
    const body = new Body(width, this.budget, name);
    targets.forEach((target, seg) => {
      let result: string;
      if (target.kind === 'linear-out') result = this.gradExpr(body, ops, this.p.ops[target.op].result, 0, readable, index);
      else if (target.kind === 'state') result = this.gradExpr(body, ops, this.p.states[target.state].prev, 0, readable, index, false);
      else {
        const op = this.p.ops[target.op];
        const tpl = op.def.kernel;
        if (!tpl?.weightGrads) throw new CodegenError(`no weight gradient template for ${op.def.kind}`);
        const grads = tpl.weightGrads(this.backwardContext(body, ops, op, 0, readable, index));
        result = body.local(grads[target.weight]);
      }
      body.returnFor(seg, result);
    });
    const src = `function($ARGS) { const j = this.thread.x; const b = this.thread.y; const z = this.thread.z; ${body.lines.join(' ')} return 0.0; }`;
    return this.spec(name, 'fused', [width, this.B, targets.length], ops, () => src);
  }

  private backwardContext(body: Body, ops: Operands, op: IrOp, k: number, readable: (v: number) => Loc | undefined, index: number) {
    return {
      inputs: op.inputs.map((u) => this.fwdExpr(body, ops, u, k, readable)),
      params: op.params,
      weights: this.vectorWeights(body, ops, op, k),
      code: body.code(),
      output: this.fwdExpr(body, ops, op.result, k, readable),
      grad: this.gradExpr(body, ops, op.result, k, readable, index),
    };
  }

  /** ∂L/∂(element j + k of v) at step t, as a local: the sum over v's users (VJPs), sinks and products. */
  private gradExpr(body: Body, ops: Operands, v: number, k: number, readable: (v: number) => Loc | undefined, index: number, ownParts = true): string {
    const key = `g${v}@${k}${ownParts ? '' : '-'}`;
    const hit = body.memo.get(key);
    if (hit) return hit;
    const p = this.p;
    const terms: string[] = [];
    const size = p.values[v].size;
    if (v === p.output && this.gyLoc) terms.push(readAt(ops, this.gyLoc, 'b', column(k, size, body.width)));
    p.states.forEach((s, i) => {
      if (s.next === v) for (const loc of this.stateGradReads(i, 1)) terms.push(readAt(ops, loc, 'b', column(k, size, body.width)));
    });
    const isConcat = this.plan.producer[v] >= 0 && p.ops[this.plan.producer[v]].def.kind === 'concat';
    // Products reading v (as one of their flattened parts) sent their input gradient back already.
    if (!isConcat && ownParts) {
      for (const g of this.plan.groups) {
        const gin = this.gInLoc.get(g.index);
        let off = 0;
        for (const u of g.stepParts) {
          if (u === v && gin) {
            if (!this.gInProducedBefore(gin, index)) throw new CodegenError(`the gradient of v${v} is needed before group ${g.index} sends it back`);
            terms.push(readAt(ops, { ...gin, base: gin.base + off }, 'b', column(k, size, body.width)));
          }
          off += p.values[u].size;
        }
      }
    }
    for (const [c, port] of this.plan.uses[v]) {
      const op = p.ops[c];
      switch (op.def.kind) {
        case 'linear':
          break;
        case 'concat': {
          const off = op.inputs.slice(0, port).reduce((s, u) => s + p.values[u].size, 0);
          terms.push(this.gradExpr(body, ops, op.result, k + off, readable, index));
          break;
        }
        case 'slice': {
          const { start, length } = op.sizes;
          const g = this.gradExpr(body, ops, op.result, k - start, readable, index);
          terms.push(body.local(`(${jPlus(k)} >= ${start} && ${jPlus(k)} < ${start + length} ? ${g} : 0.0)`));
          break;
        }
        default: {
          const tpl = op.def.kernel;
          if (!tpl) throw new CodegenError(`no kernel template for ${op.def.kind}`);
          if (!this.reachesLoss(op.result)) break;
          const contributions = tpl.backward(this.backwardContext(body, ops, op, k, readable, index));
          terms.push(body.local(contributions[port]));
        }
      }
    }
    const result = body.local(terms.length ? terms.join(' + ') : '0.0');
    body.memo.set(key, result);
    return result;
  }

  private readonly reach = new Map<number, boolean>();
  private reachesLoss(v: number): boolean {
    const cached = this.reach.get(v);
    if (cached !== undefined) return cached;
    const sinks = new Set([this.p.output, ...this.p.states.map((s) => s.next)]);
    this.reach.set(v, false);
    const r = sinks.has(v) || this.plan.uses[v].some(([c]) => this.reachesLoss(this.p.ops[c].result));
    this.reach.set(v, r);
    return r;
  }

  private gInProducedBefore(gin: Loc, index: number): boolean {
    return gin.ref.kind === 'bwd' && gin.ref.kernel < index;
  }

  /** ∂L/∂(step parts) of a group: [batch × K] = Σ over its linears of gOut · W. */
  private inputGradProduct(g: LinearGroup): KernelSpec {
    const ops = new Operands();
    const K = this.stepK(g);
    const w = ops.name({ kind: 'pre', kernel: this.packWT.get(g.index) as number });
    let off = 0;
    const loops: string[] = [];
    for (const o of g.linears) {
      const n = this.out(o);
      const loc = this.gradLoc.get(targetKey({ kind: 'linear-out', op: o }));
      if (loc) loops.push(`for (let r = 0; r < ${n}; r++) { s += ${readAt(ops, loc, 'b', 'r')} * ${w}[(${off} + r) * ${K} + k]; }`);
      off += n;
    }
    const src = `function($ARGS) { const k = this.thread.x; const b = this.thread.y; let s = 0.0; ${loops.join(' ')} return s; }`;
    return this.spec(`input_grad_${g.index}`, 'product', [K, this.B], ops, () => src);
  }

  // ---------------------------------------------------------------- epilogue

  private writeEpilogue(): { lossKernel: number; normKernel: number; optimizerKernel: number } {
    const B = this.B;
    // The gradients of each backward fused kernel, stacked over the steps of a chunk: the weight
    // gradients below read rows r = s·batch + b of one buffer instead of one buffer per step.
    const stacks = new Map<number, number>();
    const stacked = (loc: Loc): { ref: Ref; base: (steps: number) => number; stride: number } => {
      const kernel = (loc.ref as Extract<Ref, { kind: 'bwd' }>).kernel;
      if (!stacks.has(kernel)) stacks.set(kernel, this.stackKernel(kernel));
      const spec = this.backward[kernel];
      const [width] = spec.output;
      const segment = loc.base / (this.B * width);
      return { ref: { kind: 'chunk', kernel: stacks.get(kernel) as number }, base: (steps) => segment * steps * this.B * width, stride: width };
    };
    const X = this.inputSize();
    const R = this.chunk * B;
    // Weight gradients: one product per (linear, part) summed over the steps, chunk by chunk.
    for (const info of this.plan.linears.values()) {
      const gOut = this.gradLoc.get(targetKey({ kind: 'linear-out', op: info.op }));
      const o = this.p.ops[info.op];
      const regions = this.linearRegions(info.op);
      if (!gOut) continue;
      const G = stacked(gOut);
      info.parts.forEach((part, q) => {
        const region = regions.W(q);
        // A fixed matrix gets no gradient: its region keeps its value (the optimiser adds 0).
        if (region.fixed !== undefined) return;
        const partLoc = this.mustLoc(part.value);
        const K = part.size;
        if (region.transposed) {
          // x_t's part, [K × out]: each column k sums only the rows whose single non-zero input is k
          // (the XR lists: one term per row for one-hot text), then the rows with several non-zeros.
          // Every loop counts up from 0 in an integer: WGSL has no ++ on a float counter.
          this.setGrad(region, this.epilogueSum(`weight_grad_${o.index}_${q}`, [info.out, K], (steps, ops) => {
            const g = ops.name(G.ref);
            const xs = ops.name({ kind: 'arg', name: 'X' });
            const xr = ops.name({ kind: 'arg', name: 'XR' });
            const term = `${g}[${G.base(steps)} + row * ${G.stride} + r] * ${xs}[(t * ${B} + row) * ${X} + k]`;
            const block = `Math.floor(t / ${this.chunk}) * ${rowListBlock(X, R)}`;
            return `const r = this.thread.x; const k = this.thread.y; let s = ${ops.acc()}[k * ${info.out} + r]; const at = ${block}; `
              + `const first = ${xr}[at + k]; const listed = ${xr}[at + k + 1] - first; for (let i = 0; i < listed; i++) { const row = ${xr}[at + ${X + 1} + first + i]; s += ${term}; } `
              + `const dense = ${xr}[at + ${X + 1 + R}]; for (let d = 0; d < dense; d++) { const row2 = ${xr}[at + ${X + 2 + R} + d]; s += ${term.replaceAll('row', 'row2')}; } return s;`;
          }, R));
          return;
        }
        const kernel = this.epilogueSum(`weight_grad_${o.index}_${q}`, [K, info.out], (steps, ops) => {
          const g = ops.name(G.ref);
          const lines: string[] = [];
          for (let s = 0; s < steps; s++) {
            const x = readAt(ops, this.stepRef(partLoc, s), 'b', 'k', `(t + ${s})`);
            lines.push(`for (let b = 0; b < ${B}; b++) { s += ${g}[${G.base(steps) + s * B * G.stride} + b * ${G.stride} + r] * ${x}; }`);
          }
          return `const k = this.thread.x; const r = this.thread.y; let s = ${ops.acc()}[r * ${K} + k]; ${lines.join(' ')} return s;`;
        });
        this.setGrad(region, kernel);
      });
      if (regions.b) {
        this.setGrad(regions.b, this.epilogueSum(`bias_grad_${o.index}`, [info.out], (steps, ops) => {
          const g = ops.name(G.ref);
          return `const j = this.thread.x; let s = ${ops.acc()}[j]; for (let row = 0; row < ${steps * B}; row++) { s += ${g}[${G.base(steps)} + row * ${G.stride} + j]; } return s;`;
        }));
      }
    }
    for (const r of this.plan.backward) {
      if (r.kind !== 'fused') continue;
      for (const t of r.targets) {
        if (t.kind !== 'weight') continue;
        const op = this.p.ops[t.op];
        this.setGrad(this.region(`T${op.tensors[t.weight]}`), this.columnSum(`vector_grad_${t.op}_${t.weight}`, this.targetSize(t), this.gradLoc.get(targetKey(t)) as Loc));
      }
    }
    if (this.shape.learnInitialStates) {
      this.p.states.forEach((s, i) => {
        if (s.learnedInit === undefined) return;
        const reads = this.stateGradReads(i, 0);
        const ops = new Operands();
        const terms = reads.map((loc) => `for (let b = 0; b < ${B}; b++) { s += ${readAt(ops, loc, 'b', 'j')}; }`);
        const src = `function($ARGS) { const j = this.thread.x; let s = 0.0; ${terms.join(' ')} return s; }`;
        // Not chunked: its bwd refs are read at step 0, where they hold ∂L/∂h_0.
        this.epilogue.push(this.spec(`initial_state_grad_${i}`, 'weight-grad', [s.size], ops, () => src));
        this.setGrad(this.region(`T${s.learnedInit}`), this.epilogue.length - 1);
      });
    }
    this.readoutGrads();
    const lossKernel = this.lossSum();
    const normKernel = this.normKernel();
    const optimizerKernel = this.optimizerKernel(normKernel);
    return { lossKernel, normKernel, optimizerKernel };
  }

  private setGrad(region: Region, kernel: number): void {
    const i = this.regions.indexOf(region);
    this.regions[i] = { ...region, grad: kernel };
  }

  /** The same location with its `bwd`/`fwd` ref taken at chunk step s (resolved by the backend). */
  private stepRef(loc: Loc, s: number): Loc {
    return loc.ref.kind === 'fwd' || loc.ref.kind === 'bwd' ? { ...loc, ref: { ...loc.ref, step: s } } : loc;
  }

  /**
   * An epilogue kernel summing over the steps of a chunk; `acc` is its previous chunk's output.
   * Operands at chunk step s are refs tagged with `step: s`; the backend resolves them at t0 + s.
   */
  private epilogueSum(
    name: string, output: number[], body: (steps: number, ops: ChunkOperands) => string, loopMax?: number, role: KernelRole = 'weight-grad', outputFor?: (steps: number) => number[],
  ): number {
    const spec = this.chunkedSpec(name, role, outputFor ?? (() => output), body);
    this.epilogue.push(loopMax === undefined ? spec : { ...spec, loopMax });
    return this.epilogue.length - 1;
  }

  /**
   * A backward fused kernel's output for every step of a chunk in one buffer:
   * [width × batch × (segments · steps)], segment z, step s at z·steps + s.
   */
  private stackKernel(kernel: number): number {
    const [width, , segments] = this.backward[kernel].output;
    return this.epilogueSum(`stack_gradients_${kernel}`, [width, this.B, segments * this.chunk], (steps, ops) => {
      const arms = Array.from({ length: steps }, (_, s) => {
        const g = ops.name({ kind: 'bwd', kernel, dt: 0, step: s });
        return `if (s == ${s}) { return ${g}[(z * ${this.B} + b) * ${width} + j]; }`;
      });
      return `const j = this.thread.x; const b = this.thread.y; const z = Math.floor(this.thread.z / ${steps}); const s = this.thread.z - z * ${steps}; ${arms.join(' ')} return 0.0;`;
    }, undefined, 'pack', (steps) => [width, this.B, segments * steps]);
  }

  private columnSum(name: string, n: number, loc: Loc): number {
    const B = this.B;
    return this.epilogueSum(name, [n], (steps, ops) => {
      const lines: string[] = [];
      for (let s = 0; s < steps; s++) lines.push(`for (let b = 0; b < ${B}; b++) { s += ${readAt(ops, this.stepRef(loc, s), 'b', 'j')}; }`);
      return `const j = this.thread.x; let s = ${ops.acc()}[j]; ${lines.join(' ')} return s;`;
    });
  }

  private readoutGrads(): void {
    const ny = this.p.values[this.p.output].size;
    const V = this.shape.outputs;
    const B = this.B;
    const w = this.epilogueSum('readout_weight_grad', [ny, V], (steps, ops) => {
      const G = ops.name({ kind: 'mid', kernel: this.gLogitsKernel });
      const Y = ops.name({ kind: 'mid', kernel: this.stackY });
      return `const k = this.thread.x; const v = this.thread.y; let s = ${ops.acc()}[v * ${ny} + k]; for (let r = 0; r < ${steps * B}; r++) { s += ${G}[r * ${V} + v] * ${Y}[r * ${ny} + k]; } return s;`;
    });
    this.setGrad(this.region('RW'), w);
    this.setGrad(this.region('Rb'), this.epilogueSum('readout_bias_grad', [V], (steps, ops) => {
      const G = ops.name({ kind: 'mid', kernel: this.gLogitsKernel });
      return `const v = this.thread.x; let s = ${ops.acc()}[v]; for (let r = 0; r < ${steps * B}; r++) { s += ${G}[r * ${V} + v]; } return s;`;
    }));
  }

  /** Σ over steps and rows of the weighted loss (one thread). */
  private lossSum(): number {
    const B = this.B;
    const V = this.shape.outputs;
    return this.epilogueSum('loss', [1], (steps, ops) => {
      const RW = ops.name({ kind: 'arg', name: 'RW' });
      const LBL = ops.name({ kind: 'arg', name: 'LBL' });
      const L = ops.name({ kind: 'mid', kernel: this.logitsKernel });
      const scale = this.shape.loss === 'classes' ? 1 / B : 1 / (B * V);
      const rows = `for (let r = 0; r < ${steps * B}; r++) { const w = ${RW}[t + Math.floor(r / ${B})];`;
      const body = this.shape.loss === 'classes'
        ? `${rows} const label = ${LBL}[t * ${B} + r]; s += w * (${ops.name({ kind: 'mid', kernel: this.lseKernel })}[r] - ${L}[r * ${V} + label]); }`
        : `${rows} for (let v = 0; v < ${V}; v++) { const d = ${L}[r * ${V} + v] - ${LBL}[(t * ${B} + r) * ${V} + v]; s += w * d * d; } }`;
      return `let s = 0.0; ${body} return ${ops.acc()}[0] + s * ${floatLiteral(scale)};`;
    });
  }

  /** Σ of squared gradients over every region (one thread). */
  private normKernel(): number {
    const ops = new Operands();
    const loops = this.regions.filter((r) => r.grad !== undefined).map((r) => {
      const g = ops.name({ kind: 'post', kernel: r.grad as number });
      return `for (let i = 0; i < ${r.length}; i++) { const g = ${g}[i]; s += g * g; }`;
    });
    const src = `function($ARGS) { let s = 0.0; ${loops.join(' ')} return s; }`;
    this.epilogue.push(this.spec('grad_norm', 'norm', [1], ops, () => src));
    return this.epilogue.length - 1;
  }

  /**
   * One kernel updates P = [parameters | slot 1 | slot 2] block by block (y = section · blocks + block),
   * clipping by the global norm first. HP = [lr, 1 − β₁ᵗ, 1 − β₂ᵗ, clip].
   */
  private optimizerKernel(normKernel: number): number {
    const ops = new Operands();
    const P = ops.name({ kind: 'arg', name: 'P' });
    const HP = ops.name({ kind: 'arg', name: 'HP' });
    const norm = ops.name({ kind: 'post', kernel: normKernel });
    const blocks = this.paramLength / BLOCK;
    const L = this.paramLength;
    const branches = this.regions.map((r) => {
      const first = r.offset / BLOCK;
      const last = first + Math.ceil(r.length / BLOCK);
      const g = r.grad === undefined ? '0.0' : `(i - ${r.offset} < ${r.length} ? ${ops.name({ kind: 'post', kernel: r.grad })}[i - ${r.offset}] : 0.0)`;
      return `if (blk >= ${first} && blk < ${last}) { g = ${g}; }`;
    });
    const update = {
      adam: `const m = ${BETA1} * ${P}[${L} + i] + ${floatLiteral(1 - BETA1)} * g; const v = ${BETA2} * ${P}[${2 * L} + i] + ${floatLiteral(1 - BETA2)} * g * g; if (section == 1) { return m; } if (section == 2) { return v; } return ${P}[i] - ${HP}[0] * (m / ${HP}[1]) / (Math.sqrt(v / ${HP}[2]) + ${EPSILON});`,
      rmsprop: `const v = ${RMS_DECAY} * ${P}[${2 * L} + i] + ${floatLiteral(1 - RMS_DECAY)} * g * g; if (section == 1) { return 0.0; } if (section == 2) { return v; } return ${P}[i] - ${HP}[0] * g / (Math.sqrt(v) + ${EPSILON});`,
      sgd: `const m = ${HP}[4] * ${P}[${L} + i] + g; if (section == 1) { return m; } if (section == 2) { return 0.0; } return ${P}[i] - ${HP}[0] * m;`,
    }[this.shape.optimizer];
    const src = `function($ARGS) { const section = this.thread.z; const blk = this.thread.y; const i = blk * ${BLOCK} + this.thread.x; `
      + `const norm = Math.sqrt(${norm}[0]); const clip = ${HP}[3]; const factor = clip > 0.0 && norm > clip ? clip / norm : 1.0; `
      + `let g = 0.0; ${branches.join(' ')} g = g * factor; ${update} }`;
    this.epilogue.push(this.spec('optimizer', 'optimizer', [BLOCK, blocks, 3], ops, () => src));
    return this.epilogue.length - 1;
  }

  // ---------------------------------------------------------------- helpers

  /** Every kernel takes its operands a0, a1, … and the step index t last. */
  private spec(name: string, role: KernelRole, output: readonly number[], ops: Operands, src: () => string): KernelSpec {
    return { name, role, output, operands: ops.refs, source: () => src().replace('$ARGS', [...ops.refs.map((_, i) => `a${i}`), 't'].join(', ')) };
  }
}

/** Operands of a chunked kernel: refs carry their chunk step themselves (`step` in fwd/bwd refs). */
class ChunkOperands extends Operands {
  acc(): string {
    return this.name({ kind: 'acc' });
  }
}

export function targetKey(t: GradTarget): string {
  return t.kind === 'linear-out' ? `L${t.op}` : t.kind === 'state' ? `S${t.state}` : `W${t.op}:${t.weight}`;
}
