/**
 * The reference runtime: runs the IR in float64 with plain loops. It is the
 * specification every fast path is tested against, so it favours clarity.
 * Layout: every vector value is [batch × size], row-major.
 */
import type { BackwardProgram } from '../compiler/autodiff';
import type { IrOp, IrProgram } from '../compiler/ir';
import type { Parameters } from './init';

export interface Tape {
  readonly batch: number;
  /** values[t][v]: value v at step t (states' h_{t−1} included). */
  readonly values: readonly (readonly Float64Array[])[];
  /** Whether the initial states came from the caller (then learned inits get no gradient). */
  readonly givenInitialStates: boolean;
}

export interface ForwardResult {
  /** y_t for each step, [batch × outputSize]. */
  readonly outputs: Float64Array[];
  /** h_T of each state, in program state order. */
  readonly finalStates: Float64Array[];
  readonly tape: Tape;
}

export interface GradientResult {
  /** ∂L/∂parameter, same layout as the parameters. */
  readonly params: Parameters;
  /** ∂L/∂h_0 of each state, [batch × size]. */
  readonly initialStates: Float64Array[];
}

/** Initial value of each state: the caller's, else the learned vector (per row), else zeros. */
export function initialStates(p: IrProgram, params: Parameters, batch: number): Float64Array[] {
  return p.states.map((s) => {
    const h0 = new Float64Array(batch * s.size);
    if (s.learnedInit !== undefined) {
      const learned = params[s.nodeId][p.tensors[s.learnedInit].name];
      for (let b = 0; b < batch; b++) h0.set(learned, b * s.size);
    }
    return h0;
  });
}

export function forward(p: IrProgram, params: Parameters, xs: readonly Float64Array[], batch: number, given?: readonly Float64Array[]): ForwardResult {
  let states = given ? given.map((s) => s.slice()) : initialStates(p, params, batch);
  const values: Float64Array[][] = [];
  const outputs: Float64Array[] = [];
  for (const x of xs) {
    const step = new Array<Float64Array>(p.values.length);
    if (p.input !== null) step[p.input] = x;
    p.states.forEach((s, i) => (step[s.prev] = states[i]));
    for (const op of p.ops) step[op.result] = runOp(op, step, params, p, batch);
    values.push(step);
    outputs.push(step[p.output]);
    states = p.states.map((s) => step[s.next]);
  }
  return { outputs, finalStates: states, tape: { batch, values, givenInitialStates: given !== undefined } };
}

function runOp(op: IrOp, step: readonly Float64Array[], params: Parameters, p: IrProgram, batch: number): Float64Array {
  const forwardFn = op.def.forward as NonNullable<IrOp['def']['forward']>;
  return forwardFn(opContext(op, step, params, p, batch));
}

function opContext(op: IrOp, step: readonly Float64Array[], params: Parameters, p: IrProgram, batch: number) {
  return {
    inputs: op.inputs.map((v) => step[v]),
    inSizes: op.inputs.map((v) => p.values[v].size),
    outSize: p.values[op.result].size,
    batch,
    params: op.params,
    sizes: op.sizes,
    weights: params[op.nodeId] ?? {},
  };
}

/**
 * Backpropagation through time. `gradOutputs[t]` is ∂L/∂y_t; `gradFinalStates`
 * (optional) is ∂L/∂h_T, e.g. from a later chunk in truncated BPTT.
 */
export function backward(
  b: BackwardProgram, params: Parameters, tape: Tape, gradOutputs: readonly Float64Array[], gradFinalStates?: readonly Float64Array[],
  /** Sees ∂L/∂h_{t−1} of every state as the sweep passes step t (gradient-flow plots). */
  observe?: (t: number, gradPrevStates: readonly Float64Array[]) => void,
): GradientResult {
  const p = b.forward;
  const { batch } = tape;
  const grads = zerosLike(params);
  let carried: Float64Array[] = p.states.map((s, i) => gradFinalStates?.[i]?.slice() ?? new Float64Array(batch * s.size));
  for (let t = tape.values.length - 1; t >= 0; t--) {
    const step = tape.values[t];
    const g = new Array<Float64Array | undefined>(p.values.length);
    const accumulate = (v: number, d: Float64Array) => {
      const into = g[v];
      if (into) for (let i = 0; i < d.length; i++) into[i] += d[i];
      else g[v] = d.slice();
    };
    accumulate(p.output, gradOutputs[t]);
    p.states.forEach((s, i) => accumulate(s.next, carried[i]));
    for (const { op: index, needInput } of b.ops) {
      const op = p.ops[index];
      const gradOutput = g[op.result];
      if (!gradOutput) continue;
      const backwardFn = op.def.backward as NonNullable<IrOp['def']['backward']>;
      const d = backwardFn({ ...opContext(op, step, params, p, batch), output: step[op.result], gradOutput });
      op.inputs.forEach((v, k) => needInput[k] && accumulate(v, d.inputs[k]));
      for (const [name, dw] of Object.entries(d.weights ?? {})) addInto(grads[op.nodeId][name], dw);
    }
    carried = p.states.map((s) => g[s.prev] ?? new Float64Array(batch * s.size));
    observe?.(t, carried);
  }
  p.states.forEach((s, i) => {
    if (s.learnedInit === undefined || tape.givenInitialStates) return;
    const into = grads[s.nodeId][p.tensors[s.learnedInit].name];
    for (let r = 0; r < batch; r++) for (let j = 0; j < s.size; j++) into[j] += carried[i][r * s.size + j];
  });
  return { params: grads, initialStates: carried };
}

export function zerosLike(params: Parameters): Parameters {
  const out: Parameters = {};
  for (const [node, tensors] of Object.entries(params)) {
    out[node] = {};
    for (const [name, t] of Object.entries(tensors)) out[node][name] = new Float64Array(t.length);
  }
  return out;
}

function addInto(into: Float64Array, d: Float64Array): void {
  for (let i = 0; i < d.length; i++) into[i] += d[i];
}
