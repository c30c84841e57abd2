/**
 * What every primitive declares, in one object (DESIGN §3). The compiler,
 * the reference runtime, the equations and the tests all read these facts;
 * nothing about a primitive lives anywhere else.
 */
import type { ParamValue } from '../src/model/cell';
import type { ShapeProblem } from '../src/model/messages';
import type { SizeExpr } from '../src/model/sizes';

export interface Text {
  readonly en: string;
  readonly es: string;
}

export type Category = 'io' | 'elementwise' | 'matmul' | 'layout' | 'parameter';

/** How the compiler treats a node: ops compute, the others frame the step. */
export type Role = 'input' | 'state' | 'output' | 'op';

export type ParamDef =
  | { readonly type: 'size'; readonly default: string | number; readonly doc: Text }
  | { readonly type: 'number'; readonly default: number; readonly min: number; readonly max: number; readonly doc: Text }
  | { readonly type: 'integer'; readonly default: number; readonly min: number; readonly max: number; readonly doc: Text }
  | { readonly type: 'boolean'; readonly default: boolean; readonly doc: Text }
  | { readonly type: 'enum'; readonly options: readonly string[]; readonly default: string; readonly doc: Text };

/** Params after validation: every declared param present, defaults filled in. */
export type Params = Readonly<Record<string, ParamValue>>;

export type Initializer =
  | { readonly kind: 'xavier' }
  | { readonly kind: 'orthogonal' }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number };

/** A learned tensor owned by a node, e.g. linear's W [out × in] and b [out]. */
/**
 * How an op the fused kernels cannot compute element by element (a reduction, such as layer
 * norm's mean and variance) is rewritten for the fast path into ops they can: products with a
 * fixed matrix, and elementwise ops with kernel templates. Values and tensors are the program's
 * numbers; the reference runtime never sees the rewrite (it runs the op's own forward/backward).
 */
export interface DecompositionBuilder {
  /** The op's input values, in port order. */
  readonly inputs: readonly number[];
  /** The op's own learned tensors by weight name: the ops of the rewrite learn them. */
  readonly tensors: Readonly<Record<string, number>>;
  readonly params: Params;
  readonly outSize: number;
  /** W·v with a fixed W [outSize × size of v] whose every element is `value` (never learned). */
  fixedProduct(input: number, value: number): number;
  /** An op of `def` (one with kernel templates) over values of outSize, learning some of the op's tensors under the def's weight names. */
  op(def: NodeDef, inputs: readonly number[], options?: { readonly params?: Params; readonly tensors?: Readonly<Record<string, number>> }): number;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly [number] | readonly [number, number];
  readonly init: Initializer;
}

export interface ShapeContext {
  /** Sizes of the connected inputs, in port order. */
  readonly inputs: readonly SizeExpr[];
  readonly params: Params;
  /** Size params of this node, parsed (only those of type 'size'). */
  readonly sizeParams: Readonly<Record<string, SizeExpr>>;
}

/** A shape rule returns the output size or says what is wrong (as data, worded in src/model/messages.ts), naming the port. */
export type ShapeResult = { readonly size: SizeExpr } | { readonly error: ShapeProblem; readonly port?: string };

export interface ComputeContext {
  /** Input values, one per input port, each [batch × size] row-major. */
  readonly inputs: readonly Float64Array[];
  readonly inSizes: readonly number[];
  readonly outSize: number;
  readonly batch: number;
  readonly params: Params;
  /** Size params evaluated to numbers. */
  readonly sizes: Readonly<Record<string, number>>;
  /** This node's learned tensors by name, row-major. */
  readonly weights: Readonly<Record<string, Float64Array>>;
}

export interface BackwardContext extends ComputeContext {
  /** The forward result (sigmoid and tanh reuse it). */
  readonly output: Float64Array;
  /** ∂L/∂output, [batch × outSize]. */
  readonly gradOutput: Float64Array;
}

export interface Gradients {
  /** ∂L/∂input per port, same shape as the input. */
  readonly inputs: readonly Float64Array[];
  /** ∂L/∂weight per learned tensor. */
  readonly weights?: Readonly<Record<string, Float64Array>>;
}

/** How a node's expression is written; operands arrive already parenthesised. */
export interface EquationContext {
  readonly inputs: readonly string[];
  readonly params: Params;
  /** Subscript naming this node's learned tensors (e.g. "f" gives W_f, b_f). */
  readonly subscript: string;
  /** Size params, printed from their parsed form (never raw file text). */
  readonly sizeParams: Readonly<Record<string, string>>;
}

/** Binding strength of an expression, to decide where parentheses go. */
export const PRECEDENCE = { none: 0, sum: 1, product: 2, atom: 3 } as const;

/** How a node's output is written in exported code; every name in it is one the exporter generated. */
export interface ExportContext {
  readonly inputs: readonly string[];
  /** Generated expressions for this node's learned tensors by weight name (e.g. `self.w_forget`). */
  readonly weights: Readonly<Record<string, string>>;
  readonly params: Params;
  /** Size params evaluated to numbers. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly outSize: number;
  /** A [batch × n] tensor of the step, for ops that must make a new one (constant). */
  readonly batchLike: string;
}

/** One expression per target language. */
export interface ExportTemplates {
  /** PyTorch (TorchScript-compatible), operands [batch × n]. */
  pytorch(ctx: ExportContext): string;
  /** TensorFlow.js, operands [batch × n]; `tf` is in scope. */
  tfjs(ctx: ExportContext): string;
}

/**
 * What a kernel template may use to write generated code. Every operand it gets is
 * a local name the code generator made; every number is a checked finite value.
 */
export interface KernelCode {
  /** Declares a local holding `expr` and returns its name (for operands used twice). */
  local(expr: string): string;
  /** float32 tanh and σ without library calls (rational approximation, |error| < 4e-7). */
  tanh(x: string): string;
  sigmoid(x: string): string;
  /** A float literal for a finite number. */
  num(value: number): string;
}

export interface KernelForwardContext {
  readonly inputs: readonly string[];
  readonly params: Params;
  /** This element of each learned vector (scale's p), by weight name. */
  readonly weights: Readonly<Record<string, string>>;
  readonly code: KernelCode;
}

export interface KernelBackwardContext extends KernelForwardContext {
  readonly output: string;
  /** ∂L/∂output at this element. */
  readonly grad: string;
}

/** One element of an elementwise op, as fused-kernel code (DESIGN §4: fused regions). */
export interface KernelTemplates {
  forward(ctx: KernelForwardContext): string;
  /** ∂L/∂input for each input port at this element. */
  backward(ctx: KernelBackwardContext): readonly string[];
  /** This element's share of ∂L/∂weight (summed over rows and steps by the runtime). */
  weightGrads?(ctx: KernelBackwardContext): Readonly<Record<string, string>>;
  /** Store the output in the forward step for the backward one (its VJP reads it, and recomputing costs more than a read). */
  readonly saveOutput?: boolean;
}

export interface WorkedExample {
  readonly doc: Text;
  readonly params?: Params;
  readonly sizes?: Readonly<Record<string, number>>;
  /** Batch of one: each input a plain vector. */
  readonly inputs: readonly (readonly number[])[];
  readonly weights?: Readonly<Record<string, readonly number[]>>;
  readonly output: readonly number[];
}

export interface GradcheckDomain {
  /** Inputs are drawn uniformly from [low, high]. */
  readonly low: number;
  readonly high: number;
  /** Points where the function has a kink, kept at least `margin` away. */
  readonly kinks?: readonly number[];
  readonly margin?: number;
}

export interface NodeDef {
  readonly kind: string;
  readonly label: Text;
  /** Short glyph drawn on the canvas: σ, tanh, ⊙, +, 1−, [·,·], W·v+b. */
  readonly symbol: string;
  readonly category: Category;
  readonly role: Role;
  readonly params: Readonly<Record<string, ParamDef>>;
  inputPorts(params: Params): readonly string[];
  /** The output port's name, or null for the output node. */
  readonly outputPort: string | null;
  shape(ctx: ShapeContext): ShapeResult;
  /** Checks that need concrete sizes (e.g. a slice must fit its input). */
  checkSizes?(ctx: { inSizes: readonly number[]; outSize: number; sizes: Readonly<Record<string, number>> }): { error: ShapeProblem; port?: string } | undefined;
  weights?(ctx: { params: Params; inSizes: readonly number[]; outSize: number }): readonly WeightSpec[];
  forward?(ctx: ComputeContext): Float64Array;
  backward?(ctx: BackwardContext): Gradients;
  /**
   * Operands may be swapped and regrouped without changing the result
   * (a∘b = b∘a and (a∘b)∘c = a∘(b∘c)), as for add and multiply: the canonical
   * form (src/compiler/canonical.ts) sorts and flattens them.
   */
  readonly commutative?: true;
  /**
   * Params that only set where training starts (initialisers): cells that differ
   * only in these compute the same function, so the canonical form ignores them.
   */
  readonly initParams?: readonly string[];
  readonly precedence: number;
  /** Operands binding looser than this are parenthesised (0: never, e.g. inside σ(…)). */
  readonly operandPrecedence: number;
  latex(ctx: EquationContext): string;
  text(ctx: EquationContext): string;
  /** Code templates for ops (io nodes are framed by the exporter itself). */
  readonly export?: ExportTemplates;
  /** Fused-kernel code for elementwise ops (the gpu.js backend); layout ops and linear are planned structurally. */
  readonly kernel?: KernelTemplates;
  /** For an op without kernel templates: the same function as ops that have them (returns the value holding the result). */
  decompose?(b: DecompositionBuilder): number;
  readonly docs: Text;
  readonly examples: readonly WorkedExample[];
  readonly gradcheck: GradcheckDomain;
}
