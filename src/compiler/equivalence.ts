/**
 * Is a learner's cell the target's, wired another way? Two cells are equivalent
 * when their canonical forms (canonical.ts) print the same; then every learned
 * tensor of the target is a block, or a sum of blocks, of the learner's, and the
 * weights map across. Otherwise the answer is the first difference in data-flow
 * order (nearest the inputs and states), named in the learner's terms: their
 * node's label or id, and the target's notation for what was expected.
 *
 * An equivalence is also checked numerically: the learner's weights, mapped onto
 * the target, must give the same outputs and states on random inputs (1e-9),
 * which guards the canonical form against false positives.
 */
import { nodeDef } from '../../nodes';
import type { Compiled } from '.';
import { initParameters, type Parameters } from '../runtime/init';
import { forward } from '../runtime/reference';
import { createRng, type Rng } from '../runtime/rng';
import {
  canonicalForm, operandsOf, permutations, structuralHashes, type Block, type CanonicalForm, type CanonicalTensor, type TermBody, type TermGraph,
} from './canonical';
import { deriveEquations, type Notation } from './equations';
import type { IrProgram } from './ir';

/** How an initial state starts. */
export type InitialState = 'zeros' | 'learned';

/** Every difference, with the params its message needs (difference-messages.ts renders them). */
export type Difference =
  | { readonly code: 'wrong-state-count'; readonly params: { readonly found: number; readonly expected: number } }
  | Located<'wrong-size', { readonly found: number; readonly expected: number; readonly target: string }>
  | Located<'wrong-initial-state', { readonly found: InitialState; readonly expected: InitialState; readonly target: string }>
  | Located<'wrong-activation', { readonly found: string; readonly expected: string; readonly target: string }>
  | Located<'wrong-operation', { readonly found: string; readonly expected: string; readonly target: string }>
  | Located<'wrong-operand', { readonly op: string; readonly found: string; readonly expected: string }>
  | Located<'missing-node', { readonly op: string; readonly found: string; readonly expected: string; readonly missing: string }>
  | Located<'extra-node', { readonly op: string; readonly found: string; readonly expected: string; readonly extra: string }>
  | Located<'missing-input', { readonly expected: string; readonly target: string }>
  | Located<'extra-input', { readonly found: string; readonly target: string }>
  | Located<'missing-bias', { readonly target: string }>
  | Located<'extra-bias', { readonly target: string }>
  | Located<'different-sharing', { readonly target: string }>
  | Located<'unused-node', Record<never, never>>
  | { readonly code: 'unlocated-difference'; readonly params: Record<never, never> }
  | { readonly code: 'computes-differently'; readonly params: { readonly difference: number } };

/** A difference at one of the learner's nodes: `node` is its label, or its id when it has none. */
type Located<C extends string, P> = { readonly code: C; readonly nodeId: string; readonly params: P & { readonly node: string } };

export type DifferenceCode = Difference['code'];

/** Where the target's learned tensors come from in the learner's, tensor by canonical tensor. */
export interface WeightMapping {
  readonly tensors: readonly {
    readonly name: string;
    readonly shape: CanonicalTensor['shape'];
    readonly learner: readonly Block[];
    readonly target: readonly Block[];
  }[];
  /** For each target state (program order), the learner's state holding the same value. */
  readonly states: readonly number[];
}

export type Comparison =
  | { readonly equivalent: true; readonly mapping: WeightMapping; readonly maxDifference: number }
  | { readonly equivalent: false; readonly difference: Difference };

export interface CompareOptions {
  /** How the target's values are written in messages. */
  readonly notation?: Notation;
  /** Seed of the numerical check. */
  readonly seed?: number;
}

/** Largest difference the numerical check accepts (float64, values of order one). */
export const NUMERICAL_TOLERANCE = 1e-9;

/** Compares two cells compiled at the same sizes. */
export function compareCells(learner: Compiled, target: Compiled, options: CompareOptions = {}): Comparison {
  const learnerForm = canonicalForm(learner);
  const targetForm = canonicalForm(target);
  if (learnerForm.text !== targetForm.text) {
    const [found, expected] = [learner.program.states.length, target.program.states.length];
    const difference: Difference = found !== expected
      ? { code: 'wrong-state-count', params: { found, expected } }
      : new DifferenceFinder(learner, learnerForm, target, targetForm, options.notation ?? 'tutorial').find();
    return { equivalent: false, difference };
  }
  return confirm(learner, learnerForm, target, targetForm, options.seed ?? 1);
}

/** The weight mapping when the cells are equivalent, else undefined: compareCells without naming a difference. */
export function equivalenceMapping(learner: Compiled, target: Compiled): WeightMapping | undefined {
  const learnerForm = canonicalForm(learner);
  const targetForm = canonicalForm(target);
  if (learnerForm.text !== targetForm.text) return undefined;
  const result = confirm(learner, learnerForm, target, targetForm, 1);
  return result.equivalent ? result.mapping : undefined;
}

/** Equal canonical forms: equivalent unless the numbers disagree. */
function confirm(learner: Compiled, learnerForm: CanonicalForm, target: Compiled, targetForm: CanonicalForm, seed: number): Comparison {
  const mapping = weightMapping(learnerForm, targetForm);
  const maxDifference = numericalDifference(learner.program, target.program, mapping, seed);
  if (!(maxDifference <= NUMERICAL_TOLERANCE)) return { equivalent: false, difference: { code: 'computes-differently', params: { difference: maxDifference } } };
  return { equivalent: true, mapping, maxDifference };
}

function nodeName(c: Compiled, id: string): string {
  return c.shaped.nodes.get(id)?.node.label?.trim() || id;
}

// ---------------------------------------------------------------------------
// Weights across an equivalence
// ---------------------------------------------------------------------------

function weightMapping(learner: CanonicalForm, target: CanonicalForm): WeightMapping {
  const tensors = target.tensors.map((t, i) => ({ name: t.name, shape: t.shape, learner: learner.tensors[i].sources, target: t.sources }));
  const states = new Array<number>(target.stateOrder.length);
  target.stateOrder.forEach((targetIndex, k) => (states[targetIndex] = learner.stateOrder[k]));
  return { tensors, states };
}

function readBlock(params: Parameters, b: Block): Float64Array {
  const source = params[b.nodeId][b.tensor];
  const out = new Float64Array(b.rows[1] * b.cols[1]);
  for (let r = 0; r < b.rows[1]; r++) {
    const from = (b.rows[0] + r) * b.width + b.cols[0];
    out.set(source.subarray(from, from + b.cols[1]), r * b.cols[1]);
  }
  return out;
}

function writeBlock(params: Parameters, b: Block, values: Float64Array): void {
  const into = params[b.nodeId][b.tensor];
  for (let r = 0; r < b.rows[1]; r++) into.set(values.subarray(r * b.cols[1], (r + 1) * b.cols[1]), (b.rows[0] + r) * b.width + b.cols[0]);
}

/**
 * The target's parameters holding the learner's weights. Blocks map one to one;
 * where the two cells split a canonical bias into different numbers of biases,
 * the target's first gets their sum and the others zero (the total is what counts).
 */
export function mapWeights(mapping: WeightMapping, learnerParams: Parameters, target: IrProgram): Parameters {
  const out: Parameters = {};
  for (const t of target.tensors) (out[t.nodeId] ??= {})[t.name] = new Float64Array(t.shape.reduce((a, b) => a * b, 1));
  for (const entry of mapping.tensors) {
    const values = entry.learner.map((b) => readBlock(learnerParams, b));
    if (values.length === entry.target.length) {
      entry.target.forEach((b, i) => writeBlock(out, b, values[i]));
    } else {
      const total = new Float64Array(entry.shape.reduce((a, b) => a * b, 1));
      for (const v of values) v.forEach((x, i) => (total[i] += x));
      writeBlock(out, entry.target[0], total);
    }
  }
  return out;
}

const NUMERICAL_STEPS = 4;
const NUMERICAL_BATCH = 2;

const uniform = (n: number, rng: Rng, low: number, high: number): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(low, high));

/**
 * Runs both cells (float64 reference runtime) with random learner weights mapped onto
 * the target, random inputs, and both given and default initial states; returns the
 * largest difference in any output or final state.
 */
export function numericalDifference(learner: IrProgram, target: IrProgram, mapping: WeightMapping, seed: number): number {
  const rng = createRng(seed);
  const learnerParams = initParameters(learner, seed);
  for (const t of learner.tensors) learnerParams[t.nodeId][t.name] = uniform(learnerParams[t.nodeId][t.name].length, rng, -0.5, 0.5);
  const targetParams = mapWeights(mapping, learnerParams, target);
  const inputSize = learner.input === null ? 0 : learner.values[learner.input].size;
  const xs = Array.from({ length: NUMERICAL_STEPS }, () => uniform(NUMERICAL_BATCH * inputSize, rng, -1, 1));
  const h0 = learner.states.map((s) => uniform(NUMERICAL_BATCH * s.size, rng, -0.5, 0.5));
  let worst = 0;
  for (const given of [true, false]) {
    const l = forward(learner, learnerParams, xs, NUMERICAL_BATCH, given ? h0 : undefined);
    const t = forward(target, targetParams, xs, NUMERICAL_BATCH, given ? mapping.states.map((i) => h0[i]) : undefined);
    l.outputs.forEach((y, step) => (worst = Math.max(worst, maxAbsDifference(y, t.outputs[step]))));
    mapping.states.forEach((learnerIndex, i) => (worst = Math.max(worst, maxAbsDifference(l.finalStates[learnerIndex], t.finalStates[i]))));
  }
  return worst;
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) ? Infinity : m;
}

// ---------------------------------------------------------------------------
// The first difference
// ---------------------------------------------------------------------------

/** One cell as the difference finder sees it. */
interface Side {
  readonly graph: TermGraph;
  readonly hashes: readonly string[];
  /** Longest path from an input or state: data-flow order. */
  readonly depth: readonly number[];
  /** Terms that are the whole output of a node named in the equations: that name. */
  readonly names: ReadonlyMap<number, string>;
  /** h_{t−1} of each state (program order), in the target's notation. */
  readonly stateNames: readonly string[];
  /** Unnamed values read by a named activation (a gate's pre-activation): the gate's name. */
  readonly readerNames: ReadonlyMap<number, string>;
}

/** Who reads a pair of values: the learner's node, its op kind (for the verb), and both terms (none for y_t and the states). */
interface Reader {
  readonly nodeId: string;
  readonly op: string;
  readonly learner?: number;
  readonly target?: number;
}

type Inside = Required<Reader>;

/** What being the same op adds to the likeness of two values (each shared operand adds one). */
const SAME_KIND = 2;

type WeightOf = Extract<TermBody, { tag: 'sum' }>['weights'][number];

/** Above this many states, states pair in canonical order rather than by trying every pairing. */
const MAX_PAIRED_STATES = 6;

function depths(graph: TermGraph): number[] {
  const depth = new Array<number>(graph.terms.length);
  for (const t of graph.terms) depth[t.id] = operandsOf(t.body).reduce((d, o) => Math.max(d, depth[o] + 1), 0);
  return depth;
}

/** Each named node's name at time t (the left-hand sides of the equations). */
function equationNames(c: Compiled, graph: TermGraph, notation: Notation): { names: Map<number, string>; byNode: Map<string, string> } {
  const resultOf = new Map(c.program.ops.map((op) => [op.nodeId, op.result]));
  const names = new Map<number, string>();
  const byNode = new Map<string, string>();
  for (const line of deriveEquations(c.shaped, notation)) {
    const lhs = line.text.slice(0, line.text.indexOf(' = '));
    byNode.set(line.nodeId, lhs);
    const value = resultOf.get(line.nodeId);
    const term = value === undefined ? undefined : graph.ofValue.get(value);
    if (term !== undefined && !names.has(term)) names.set(term, lhs);
  }
  return { names, byNode };
}

/** c_t → c_{t−1}: a state's previous value, named after the line that writes it. */
function previousName(c: Compiled, byNode: ReadonlyMap<string, string>, stateIndex: number): string {
  const s = c.program.states[stateIndex];
  const writer = c.shaped.nodes.get(s.nodeId)?.sources[0]?.from ?? '';
  const now = byNode.get(s.nodeId) ?? byNode.get(writer) ?? `s${stateIndex}_t`;
  return `${now.endsWith('_t') ? now.slice(0, -2) : now}_{t−1}`;
}

const isLeaf = (b: TermBody): boolean => b.tag === 'input' || b.tag === 'state' || b.tag === 'constant';
const isActivation = (b: TermBody): boolean => b.tag === 'op' && b.operands.length === 1 && b.learned.length === 0;

/** The op kind a term stands for, to choose a verb and a symbol. */
function kindOf(b: TermBody): string {
  switch (b.tag) {
    case 'op': return b.kind;
    case 'sum': return 'add';
    default: return b.tag;
  }
}

const symbolOf = (b: TermBody): string => nodeDef(kindOf(b))?.symbol ?? kindOf(b);

function sameHead(a: TermBody, b: TermBody): boolean {
  switch (a.tag) {
    case 'op':
      return b.tag === 'op' && a.kind === b.kind && a.params === b.params && a.learned.length === b.learned.length
        && (a.commutative || a.operands.length === b.operands.length);
    case 'concat': return b.tag === 'concat' && a.parts.length === b.parts.length;
    case 'slice': return b.tag === 'slice' && a.start === b.start;
    case 'constant': return b.tag === 'constant' && a.value === b.value;
    case 'input': return b.tag === 'input';
    case 'sum': return b.tag === 'sum';
    case 'state': return false;
  }
}

const MAX_RENDER_DEPTH = 3;

interface Rendered {
  readonly text: string;
  /** 0: a sum, 1: a product, 2: an atom (name, call, bracket). */
  readonly binding: number;
}

/** A term as text in the side's notation: names where the equations give one, else the expression. */
function render(side: Side, t: number, depth = 0, expand = false): Rendered {
  const name = side.names.get(t);
  if (name && !expand) return { text: name, binding: 2 };
  const { body, size } = side.graph.terms[t];
  if (depth > MAX_RENDER_DEPTH) return { text: '…', binding: 2 };
  const sub = (o: number, binding: number): string => {
    const r = render(side, o, depth + 1);
    return r.binding < binding ? `(${r.text})` : r.text;
  };
  switch (body.tag) {
    case 'input': return { text: 'x_t', binding: 2 };
    case 'state': return { text: side.stateNames[body.index], binding: 2 };
    case 'constant': return { text: String(body.value), binding: 2 };
    case 'concat': return { text: `[${body.parts.map((p) => sub(p, 0)).join(', ')}]`, binding: 2 };
    case 'slice': return { text: `${sub(body.of, 2)}[${body.start}:${body.start + size}]`, binding: 2 };
    case 'sum': {
      const pieces = [...body.weights.map((w) => `W·${sub(w.operand, 2)}`), ...body.others.map((o) => sub(o, 0)), ...(body.biases.length > 0 ? ['b'] : [])];
      return { text: pieces.join(' + '), binding: 0 };
    }
    case 'op': {
      const symbol = symbolOf(body);
      if (body.commutative) return { text: body.operands.map((o) => sub(o, 1)).join(` ${symbol} `), binding: 1 };
      if (body.kind === 'one-minus') return { text: `(1 − ${sub(body.operands[0], 1)})`, binding: 2 };
      if (body.kind === 'subtract') return { text: `${sub(body.operands[0], 0)} − ${sub(body.operands[1], 1)}`, binding: 0 };
      if (body.learned.length > 0 && body.operands.length === 1) return { text: `p ⊙ ${sub(body.operands[0], 1)}`, binding: 1 };
      return { text: `${symbol}(${body.operands.map((o) => sub(o, 0)).join(', ')})`, binding: 2 };
    }
  }
}

const describe = (side: Side, t: number): string => render(side, t).text;

/** What `whole` has besides `part`: its other operands, or its own op when it has no others. */
function rest(side: Side, whole: number, part: number): string {
  const body = side.graph.terms[whole].body;
  const others = operandsOf(body).filter((o) => side.hashes[o] !== side.hashes[part]).map((o) => describe(side, o));
  if (body.tag === 'sum' && body.biases.length > 0) others.push('b');
  return others.length > 0 ? others.join(', ') : symbolOf(body);
}

/** The operand of `t` that computes the same as `hash`, if any (weights' operands are not the value itself). */
function operandWithHash(side: Side, t: number, hash: string): number | undefined {
  const body = side.graph.terms[t].body;
  const direct = body.tag === 'sum' ? body.others : body.tag === 'op' ? body.operands : [];
  return direct.find((o) => side.hashes[o] === hash);
}

class DifferenceFinder {
  private readonly found: { depth: number; difference: Difference }[] = [];
  private readonly seen = new Set<string>();
  private readonly partnerOfLearner = new Map<number, number>();
  private readonly partnerOfTarget = new Map<number, number>();
  /** For each target state (program order), the learner's state paired with it. */
  private readonly learnerOfTarget: number[];
  private readonly L: Side;
  private readonly T: Side;

  /** Both cells have as many states. They pair so that most learner values match a target value. */
  constructor(
    private readonly learner: Compiled, learnerForm: CanonicalForm,
    private readonly target: Compiled, private readonly targetForm: CanonicalForm,
    private readonly notation: Notation,
  ) {
    const targetPosition = new Map(targetForm.stateOrder.map((index, k) => [index, k]));
    const targetHashes = structuralHashes(targetForm.graph, (i) => String(targetPosition.get(i)));
    const targetSet = new Set(targetHashes);
    const order = learnerForm.stateOrder;
    let best = { score: -1, hashes: [] as string[], pairing: order };
    // pairing[k]: the learner's state at the target's canonical position k.
    for (const pairing of order.length <= MAX_PAIRED_STATES ? permutations(order) : [[...order]]) {
      const position = new Map(pairing.map((index, k) => [index, k]));
      const hashes = structuralHashes(learnerForm.graph, (i) => String(position.get(i)));
      const score = hashes.filter((h) => targetSet.has(h)).length;
      if (score > best.score) best = { score, hashes, pairing };
    }
    this.learnerOfTarget = new Array<number>(order.length);
    targetForm.stateOrder.forEach((targetIndex, k) => (this.learnerOfTarget[targetIndex] = best.pairing[k]));
    this.T = this.side(target, targetForm.graph, targetHashes);
    const learnerStateNames = new Array<string>(order.length);
    this.learnerOfTarget.forEach((learnerIndex, targetIndex) => (learnerStateNames[learnerIndex] = this.T.stateNames[targetIndex]));
    this.L = this.side(learner, learnerForm.graph, best.hashes, learnerStateNames);
  }

  find(): Difference {
    this.compareInputs();
    this.compareStates();
    this.visit(this.L.graph.output, this.T.graph.output, { nodeId: this.outputNode(), op: 'output' });
    for (const targetIndex of this.targetForm.stateOrder) {
      const learnerIndex = this.learnerOfTarget[targetIndex];
      const reader = { nodeId: this.learner.program.states[learnerIndex].nodeId, op: 'state' };
      this.visit(this.L.graph.stateNext[learnerIndex], this.T.graph.stateNext[targetIndex], reader);
    }
    let first = this.found[0];
    for (const f of this.found) if (f.depth < first.depth) first = f;
    return first?.difference ?? this.unusedNode() ?? { code: 'unlocated-difference', params: {} };
  }

  /** With everything live alike, a node the learner left unused that the target has no match for. */
  private unusedNode(): Difference | undefined {
    const { L, T } = this;
    const theirs = T.graph.unused.map((t) => T.hashes[t]);
    const extra = L.graph.unused.find((l) => !theirs.includes(L.hashes[l]));
    if (extra === undefined) return undefined;
    const nodeId = L.graph.terms[extra].origin;
    return { code: 'unused-node', nodeId, params: { node: this.name(nodeId) } };
  }

  private side(c: Compiled, graph: TermGraph, hashes: readonly string[], stateNames?: readonly string[]): Side {
    const { names, byNode } = equationNames(c, graph, this.notation);
    const own = c.program.states.map((_, i) => previousName(c, byNode, i));
    const readerNames = new Map<number, string>();
    for (const t of graph.terms) {
      const name = names.get(t.id);
      if (name && isActivation(t.body) && !readerNames.has(operandsOf(t.body)[0])) readerNames.set(operandsOf(t.body)[0], name);
    }
    return { graph, hashes, depth: depths(graph), names, stateNames: stateNames ?? own, readerNames };
  }

  private outputNode(): string {
    const { shaped } = this.learner;
    return shaped.order.find((id) => shaped.nodes.get(id)?.def.role === 'output') as string;
  }

  private report(depth: number, difference: Difference): void {
    this.found.push({ depth, difference });
  }

  private name(nodeId: string): string {
    return nodeName(this.learner, nodeId);
  }

  /** How to point at a target value: its name, else the name of the gate it feeds, else its expression. */
  private targetName(t: number): string {
    return this.T.names.get(t) ?? this.T.readerNames.get(t) ?? describe(this.T, t);
  }

  private compareInputs(): void {
    const lp = this.learner.program;
    const tp = this.target.program;
    const size = (p: IrProgram) => (p.input === null ? 0 : p.values[p.input].size);
    if (lp.input === null || size(lp) === size(tp)) return;
    const nodeId = this.L.graph.terms[this.L.graph.ofValue.get(lp.input) as number].origin;
    this.report(0, { code: 'wrong-size', nodeId, params: { node: this.name(nodeId), found: size(lp), expected: size(tp), target: 'x_t' } });
  }

  private compareStates(): void {
    this.learnerOfTarget.forEach((learnerIndex, targetIndex) => {
      const l = this.learner.program.states[learnerIndex];
      const t = this.target.program.states[targetIndex];
      const params = { node: this.name(l.nodeId), target: this.T.stateNames[targetIndex] };
      if (l.size !== t.size) this.report(0, { code: 'wrong-size', nodeId: l.nodeId, params: { ...params, found: l.size, expected: t.size } });
      const start = (learned: boolean): InitialState => (learned ? 'learned' : 'zeros');
      const [found, expected] = [start(l.learnedInit !== undefined), start(t.learnedInit !== undefined)];
      if (found !== expected) this.report(0, { code: 'wrong-initial-state', nodeId: l.nodeId, params: { ...params, found, expected } });
    });
  }

  /** Compares a learner value with the target value in the same place. */
  private visit(l: number, t: number, reader: Reader): void {
    const key = `${l},${t}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { L, T } = this;
    if (L.hashes[l] === T.hashes[t]) {
      // Equal values: only what is shared can still differ, deeper down.
      if (this.checkSharing(l, t)) this.descend(l, t);
      return;
    }
    const lt = L.graph.terms[l];
    const tt = T.graph.terms[t];
    if (lt.size !== tt.size) {
      this.report(L.depth[l], { code: 'wrong-size', nodeId: lt.origin, params: { node: this.name(lt.origin), found: lt.size, expected: tt.size, target: this.targetName(t) } });
    }
    if (this.oneStepApart(l, t, reader)) return;
    if (sameHead(lt.body, tt.body)) this.descend(l, t);
    else this.differentHeads(l, t, reader);
  }

  /** Equal values must pair one to one: one value used twice is not two values computed apart. Reports it when not. */
  private checkSharing(l: number, t: number): boolean {
    const { L } = this;
    const otherT = this.partnerOfLearner.get(l);
    const otherL = this.partnerOfTarget.get(t);
    if ((otherT !== undefined && otherT !== t) || (otherL !== undefined && otherL !== l)) {
      const origin = L.graph.terms[l].origin;
      this.report(L.depth[l], { code: 'different-sharing', nodeId: origin, params: { node: this.name(origin), target: this.targetName(t) } });
      return false;
    }
    this.partnerOfLearner.set(l, t);
    this.partnerOfTarget.set(t, l);
    return true;
  }

  private descend(l: number, t: number): void {
    const a = this.L.graph.terms[l].body;
    const b = this.T.graph.terms[t].body;
    const reader: Inside = { nodeId: this.L.graph.terms[l].origin, op: kindOf(a), learner: l, target: t };
    if (a.tag === 'sum' && b.tag === 'sum') {
      this.sums(l, t, a, b);
    } else if (a.tag === 'op' && a.commutative) {
      this.pairItems(a.operands, operandsOf(b), reader);
    } else {
      const bs = operandsOf(b);
      operandsOf(a).forEach((o, i) => this.visit(o, bs[i], reader));
    }
  }

  private sums(l: number, t: number, a: Extract<TermBody, { tag: 'sum' }>, b: Extract<TermBody, { tag: 'sum' }>): void {
    const { L, T } = this;
    const sumNode = new Set(a.weights.map((w) => w.block.nodeId)).size === 1 ? a.weights[0].block.nodeId : L.graph.terms[l].origin;
    const target = this.targetName(t);
    const restL = [...a.weights];
    const restT = [...b.weights];
    const visitOperands = (lw: WeightOf, tw: WeightOf) => this.visit(lw.operand, tw.operand, { nodeId: lw.block.nodeId, op: 'linear', learner: l, target: t });
    this.matchEqual(restL, restT, (w) => L.hashes[w.operand], (w) => T.hashes[w.operand], visitOperands);
    this.matchAlike(restL, restT, (lw, tw) => this.similarity(lw.operand, tw.operand), 0, visitOperands);
    for (const tw of restT) this.report(L.depth[l], { code: 'missing-input', nodeId: sumNode, params: { node: this.name(sumNode), expected: describe(T, tw.operand), target } });
    for (const lw of restL) this.report(L.depth[l], { code: 'extra-input', nodeId: lw.block.nodeId, params: { node: this.name(lw.block.nodeId), found: describe(L, lw.operand), target } });
    this.pairItems(a.others, b.others, { nodeId: L.graph.terms[l].origin, op: 'add', learner: l, target: t });
    if (a.biases.length === 0 && b.biases.length > 0) this.report(L.depth[l], { code: 'missing-bias', nodeId: sumNode, params: { node: this.name(sumNode), target } });
    if (a.biases.length > 0 && b.biases.length === 0) {
      const nodeId = a.biases[0].block.nodeId;
      this.report(L.depth[l], { code: 'extra-bias', nodeId, params: { node: this.name(nodeId), target } });
    }
  }

  /**
   * Operands of commutative ops: equal values pair first, then the most alike; the rest are
   * missing or extra. Under a different op (`loose` false) only values of the same kind pair,
   * and nothing is missing or extra: the op itself is the difference.
   */
  private pairItems(ls: readonly number[], ts: readonly number[], reader: Inside, loose = true): void {
    const { L, T } = this;
    const restL = [...ls];
    const restT = [...ts];
    this.matchEqual(restL, restT, (o) => L.hashes[o], (o) => T.hashes[o], (l, t) => this.visit(l, t, reader));
    const least = loose ? 0 : SAME_KIND;
    this.matchAlike(restL, restT, (l, t) => this.similarity(l, t), least, (l, t) => this.visit(l, t, reader));
    if (!loose) return;
    const depth = L.depth[reader.learner];
    const found = describe(L, reader.learner);
    const expected = render(T, reader.target, 0, true).text;
    for (const t of restT) this.report(depth, { code: 'missing-node', nodeId: reader.nodeId, params: { node: this.name(reader.nodeId), op: reader.op, found, expected, missing: describe(T, t) } });
    for (const l of restL) this.report(depth, { code: 'extra-node', nodeId: reader.nodeId, params: { node: this.name(reader.nodeId), op: reader.op, found, expected, extra: describe(L, l) } });
  }

  /** Removes pairs with equal keys from both lists (a multiset intersection). */
  private matchEqual<X, Y>(xs: X[], ys: Y[], keyX: (x: X) => string, keyY: (y: Y) => string, onPair?: (x: X, y: Y) => void): void {
    for (let i = 0; i < xs.length;) {
      const j = ys.findIndex((y) => keyY(y) === keyX(xs[i]));
      if (j < 0) {
        i++;
        continue;
      }
      onPair?.(xs[i], ys[j]);
      xs.splice(i, 1);
      ys.splice(j, 1);
    }
  }

  /** Pairs each remaining x, in order, with the most alike remaining y scoring at least `least` (ties: earliest). */
  private matchAlike<X, Y>(xs: X[], ys: Y[], score: (x: X, y: Y) => number, least: number, onPair: (x: X, y: Y) => void): void {
    for (let i = 0; i < xs.length && ys.length > 0;) {
      let best = { j: -1, score: least - 1 };
      ys.forEach((y, j) => {
        const s = score(xs[i], y);
        if (s > best.score) best = { j, score: s };
      });
      if (best.j < 0) {
        i++;
        continue;
      }
      onPair(xs[i], ys[best.j]);
      xs.splice(i, 1);
      ys.splice(best.j, 1);
    }
  }

  /** How alike two values look: same op, and how many operands they share. */
  private similarity(l: number, t: number): number {
    const a = this.L.graph.terms[l].body;
    const b = this.T.graph.terms[t].body;
    const theirs = operandsOf(b).map((o) => this.T.hashes[o]);
    const shared = operandsOf(a).filter((o) => {
      const i = theirs.indexOf(this.L.hashes[o]);
      if (i >= 0) theirs.splice(i, 1);
      return i >= 0;
    }).length;
    return (sameHead(a, b) ? SAME_KIND : 0) + shared;
  }

  /** Where a difference in what a reader reads sits in data-flow order: at the reader. */
  private depthAt(reader: Reader, l: number): number {
    return reader.learner === undefined ? this.L.depth[l] + 1 : this.L.depth[reader.learner];
  }

  /** One value is the other plus one more step (a missing gate, an extra tanh): reports it and says so. */
  private oneStepApart(l: number, t: number, reader: Reader): boolean {
    const { L, T } = this;
    const twin = operandWithHash(T, t, L.hashes[l]);
    const inner = twin === undefined ? operandWithHash(L, l, T.hashes[t]) : undefined;
    if (twin === undefined && inner === undefined) return false;
    const depth = this.depthAt(reader, l);
    const params = { node: this.name(reader.nodeId), op: reader.op, found: render(L, l, 0, true).text };
    if (twin !== undefined) this.report(depth, { code: 'missing-node', nodeId: reader.nodeId, params: { ...params, expected: render(T, t, 0, true).text, missing: rest(T, t, twin) } });
    if (inner !== undefined) this.report(depth, { code: 'extra-node', nodeId: reader.nodeId, params: { ...params, expected: describe(T, t), extra: rest(L, l, inner) } });
    return true;
  }

  private differentHeads(l: number, t: number, reader: Reader): void {
    const { L, T } = this;
    const a = L.graph.terms[l].body;
    const b = T.graph.terms[t].body;
    const origin = L.graph.terms[l].origin;
    if (isActivation(a) && isActivation(b)) {
      this.report(L.depth[l], { code: 'wrong-activation', nodeId: origin, params: { node: this.name(origin), found: symbolOf(a), expected: symbolOf(b), target: this.targetName(t) } });
      this.visit(operandsOf(a)[0], operandsOf(b)[0], { nodeId: origin, op: kindOf(a), learner: l, target: t });
      return;
    }
    if (isLeaf(a) || isLeaf(b)) {
      this.report(this.depthAt(reader, l), { code: 'wrong-operand', nodeId: reader.nodeId, params: { node: this.name(reader.nodeId), op: reader.op, found: describe(L, l), expected: describe(T, t) } });
      return;
    }
    this.report(L.depth[l], { code: 'wrong-operation', nodeId: origin, params: { node: this.name(origin), found: symbolOf(a), expected: symbolOf(b), target: this.targetName(t) } });
    this.pairItems(operandsOf(a), operandsOf(b), { nodeId: origin, op: kindOf(a), learner: l, target: t }, false);
  }
}
