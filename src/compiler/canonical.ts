/**
 * Canonical form of a cell (DESIGN §5b): one printable text, equal for two
 * wirings of the same equations, and a record of where each learned tensor of
 * the cell lands in it, so that weights can move between equivalent cells.
 *
 * What does not count:
 * - ids, labels, positions and node order: values are named by structure;
 * - initialisers (NodeDef.initParams): they set where training starts, not what is computed;
 * - identity nodes;
 * - order and grouping of the operands of commutative ops (NodeDef.commutative): sorted, flattened;
 * - nested concats (flattened), and slices that take whole parts of a concat;
 * - 1 − v written as a constant 1 minus v (it is the one-minus op).
 *
 * Linears, the canonical choice: **split along concat parts, biases summed.**
 * A linear reading a concat is W·[a, x] + b = W_a·a + W_x·x + b, one weight
 * block per part (a range of W's columns). Adds flatten into one sum holding the
 * blocks of every linear they add, so linear([a, x]), linear([x, a]) and
 * linear(a) + linear(x) give the same sum. The biases of one sum count as one
 * canonical bias (b_ih + b_hh is one bias). A slice of a stacked linear (one
 * [4H × …] product cut into gates) takes the matching rows of every block.
 * A learned block is never copied: a sum whose value is used more than once
 * stays a value of its own rather than being merged into each user.
 *
 * Nodes nothing reads still count (a leftover gate is a difference): they print
 * last, as unused values.
 *
 * States are leaves s0, s1, … in an order fixed by structure: colour refinement
 * on what each state receives and what reads it, then the smallest print over
 * the orders of the states that structure cannot tell apart.
 */
import type { IrOp, IrProgram, IrTensor } from './ir';
import type { ShapedCell } from './shapes';

/** A rectangle of one learned tensor of the cell (vectors are one column). */
export interface Block {
  readonly nodeId: string;
  readonly tensor: string;
  readonly rows: readonly [start: number, count: number];
  readonly cols: readonly [start: number, count: number];
  /** Columns of the whole tensor: the row stride. */
  readonly width: number;
}

/** A learned tensor of the canonical form and the blocks of the cell it comes from. */
export interface CanonicalTensor {
  readonly name: string;
  /** [rows, cols] for a weight matrix, [n] for a vector (bias, learned scale, initial state). */
  readonly shape: readonly [number] | readonly [number, number];
  /** One block; for a bias, every bias added into the sum (their total is the canonical bias). */
  readonly sources: readonly Block[];
}

interface WeightTerm {
  readonly operand: number;
  readonly block: Block;
}

interface BiasTerm {
  readonly block: Block;
  /** What its linear reads: orders several biases of one sum. */
  readonly reads: readonly number[];
}

export type TermBody =
  | { readonly tag: 'input' }
  | { readonly tag: 'state'; readonly index: number; readonly learnedInit?: Block }
  | { readonly tag: 'constant'; readonly value: number }
  | {
    readonly tag: 'op'; readonly kind: string; readonly params: string; readonly operands: readonly number[];
    readonly commutative: boolean; readonly learned: readonly Block[];
  }
  | { readonly tag: 'concat'; readonly parts: readonly number[] }
  | { readonly tag: 'slice'; readonly of: number; readonly start: number }
  | { readonly tag: 'sum'; readonly weights: readonly WeightTerm[]; readonly biases: readonly BiasTerm[]; readonly others: readonly number[] };

/** One value of the normalised cell; operands always have smaller ids. */
export interface Term {
  readonly id: number;
  readonly body: TermBody;
  readonly size: number;
  /** The cell's node whose output this is (or, for a merged sum, the outermost add). */
  readonly origin: string;
}

export interface TermGraph {
  readonly terms: readonly Term[];
  readonly output: number;
  /** By program state index: the term of h_{t−1} and the term written as h_t. */
  readonly statePrev: readonly number[];
  readonly stateNext: readonly number[];
  /** The term of each IR value. */
  readonly ofValue: ReadonlyMap<number, number>;
  /** Values of nodes that reach neither y_t nor a state, outermost only (their operands print with them). */
  readonly unused: readonly number[];
}

export interface CanonicalForm {
  readonly text: string;
  readonly tensors: readonly CanonicalTensor[];
  /** Program state indices in canonical order: s0 is program.states[stateOrder[0]]. */
  readonly stateOrder: readonly number[];
  readonly graph: TermGraph;
}

export function canonicalForm(compiled: { readonly shaped: ShapedCell; readonly program: IrProgram }): CanonicalForm {
  const graph = buildTerms(compiled.shaped, compiled.program);
  let best: Printed | undefined;
  for (const order of candidateStateOrders(graph)) {
    const printed = printTerms(graph, order, compiled.program);
    if (!best || printed.text < best.text) best = printed;
  }
  const chosen = best as Printed;
  return { text: chosen.text, tensors: chosen.tensors, stateOrder: chosen.stateOrder, graph };
}

// ---------------------------------------------------------------------------
// Normalising the IR into terms
// ---------------------------------------------------------------------------

/** linear's learned tensors (nodes/linear.ts). */
const LINEAR_WEIGHT = 'W';
const LINEAR_BIAS = 'b';

function tensorBlock(t: IrTensor): Block {
  const cols = t.shape.length === 2 ? t.shape[1] : 1;
  return { nodeId: t.nodeId, tensor: t.name, rows: [0, t.shape[0]], cols: [0, cols], width: cols };
}

const numeric = (a: number, b: number): number => a - b;
const blockKey = (b: Block): string => JSON.stringify([b.nodeId, b.tensor, b.rows, b.cols]);

/** Identity for hash-consing: equal keys are the same value (learned blocks make a sum unique). */
function keyOf(body: TermBody, size: number): string {
  switch (body.tag) {
    case 'sum':
      return JSON.stringify([size, 'sum', body.weights.map((w) => `${w.operand}:${blockKey(w.block)}`).sort(),
        body.biases.map((b) => blockKey(b.block)).sort(), [...body.others].sort(numeric)]);
    case 'op':
      return JSON.stringify([size, 'op', body.kind, body.params, body.commutative ? [...body.operands].sort(numeric) : body.operands, body.learned.map(blockKey)]);
    default:
      return JSON.stringify([size, body]);
  }
}

class Terms {
  readonly list: Term[] = [];
  private readonly byKey = new Map<string, number>();

  add(body: TermBody, size: number, origin: string): number {
    const key = keyOf(body, size);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.list.length;
    this.list.push({ id, body, size, origin });
    this.byKey.set(key, id);
    return id;
  }
}

type Use = IrOp | 'root';

/** Lowers the program op by op; each IR value gets one term. */
class Lowering {
  readonly terms = new Terms();
  readonly ofValue = new Map<number, number>();
  /** Identity ops: result → operand. */
  private readonly aliases = new Map<number, number>();
  private readonly uses = new Map<number, Use[]>();

  constructor(private readonly p: IrProgram) {
    for (const op of p.ops) if (op.def.kind === 'identity') this.aliases.set(op.result, op.inputs[0]);
    const use = (v: number, u: Use) => {
      const list = this.uses.get(this.resolve(v)) ?? [];
      list.push(u);
      this.uses.set(this.resolve(v), list);
    };
    for (const op of p.ops) if (op.def.kind !== 'identity') for (const v of op.inputs) use(v, op);
    use(p.output, 'root');
    for (const s of p.states) use(s.next, 'root');
  }

  private resolve(v: number): number {
    let current = v;
    for (let next = this.aliases.get(current); next !== undefined; next = this.aliases.get(current)) current = next;
    return current;
  }

  term(v: number): number {
    return this.ofValue.get(this.resolve(v)) as number;
  }

  private body(t: number): TermBody {
    return this.terms.list[t].body;
  }

  private size(t: number): number {
    return this.terms.list[t].size;
  }

  lower(op: IrOp): number {
    const size = this.p.values[op.result].size;
    switch (op.def.kind) {
      case 'identity': return this.term(op.inputs[0]);
      case 'linear': return this.linear(op, size);
      case 'add': return this.sum(op, size);
      case 'concat': return this.concat(op, size);
      case 'slice': return this.slice(this.term(op.inputs[0]), op.sizes.start, size, op.nodeId, this.rowsMaySplit(op.inputs[0]));
      case 'subtract': return this.subtract(op, size);
      case 'constant': return this.terms.add({ tag: 'constant', value: op.params.value as number }, size, op.nodeId);
      default: return this.generic(op, size);
    }
  }

  /** W·[a, x] + b becomes W_a·a + W_x·x + b: one block of W's columns per concat part. */
  private linear(op: IrOp, size: number): number {
    const parts = this.partsOf(this.term(op.inputs[0]));
    const W = this.p.tensors[op.tensors[LINEAR_WEIGHT]];
    let offset = 0;
    const weights = parts.map((operand): WeightTerm => {
      const cols = [offset, this.size(operand)] as const;
      offset += cols[1];
      return { operand, block: { ...tensorBlock(W), cols } };
    });
    const b = op.tensors[LINEAR_BIAS];
    const biases = b === undefined ? [] : [{ block: tensorBlock(this.p.tensors[b]), reads: parts }];
    return this.terms.add({ tag: 'sum', weights, biases, others: [] }, size, op.nodeId);
  }

  /** An add flattens the sums it adds, unless one is used elsewhere too and holds learned blocks. */
  private sum(op: IrOp, size: number): number {
    const weights: WeightTerm[] = [];
    const biases: BiasTerm[] = [];
    const others: number[] = [];
    for (const v of op.inputs) {
      const t = this.term(v);
      const body = this.body(t);
      const learned = body.tag === 'sum' && (body.weights.length > 0 || body.biases.length > 0);
      if (body.tag === 'sum' && (!learned || this.usesOf(v) === 1)) {
        weights.push(...body.weights);
        biases.push(...body.biases);
        others.push(...body.others);
      } else {
        others.push(t);
      }
    }
    return this.terms.add({ tag: 'sum', weights, biases, others }, size, op.nodeId);
  }

  private concat(op: IrOp, size: number): number {
    const parts = op.inputs.flatMap((v) => this.partsOf(this.term(v)));
    return parts.length === 1 ? parts[0] : this.terms.add({ tag: 'concat', parts }, size, op.nodeId);
  }

  private partsOf(t: number): readonly number[] {
    const body = this.body(t);
    return body.tag === 'concat' ? body.parts : [t];
  }

  private slice(t: number, start: number, length: number, origin: string, rowsMaySplit: boolean): number {
    if (start === 0 && length === this.size(t)) return t;
    const body = this.body(t);
    if (body.tag === 'slice') return this.slice(body.of, body.start + start, length, origin, false);
    if (body.tag === 'constant') return this.terms.add(body, length, origin);
    if (body.tag === 'concat') {
      const parts = wholeParts(body.parts.map((part) => this.size(part)), start, length);
      if (parts) return parts.length === 1 ? body.parts[parts[0]] : this.terms.add({ tag: 'concat', parts: parts.map((i) => body.parts[i]) }, length, origin);
    }
    if (body.tag === 'sum' && rowsMaySplit) {
      const rows = (b: Block): Block => ({ ...b, rows: [b.rows[0] + start, length] });
      return this.terms.add({
        tag: 'sum',
        weights: body.weights.map((w) => ({ operand: w.operand, block: rows(w.block) })),
        biases: body.biases.map((b) => ({ block: rows(b.block), reads: b.reads })),
        others: body.others.map((o) => this.slice(o, start, length, origin, false)),
      }, length, origin);
    }
    return this.terms.add({ tag: 'slice', of: t, start }, length, origin);
  }

  /** A stacked product may be cut into row blocks when it is only ever read through slices that do not overlap. */
  private rowsMaySplit(v: number): boolean {
    const uses = this.uses.get(this.resolve(v)) ?? [];
    if (!uses.every((u) => u !== 'root' && u.def.kind === 'slice')) return false;
    const ranges = [...new Set((uses as IrOp[]).map((u) => `${u.sizes.start},${this.p.values[u.result].size}`))]
      .map((r) => r.split(',').map(Number))
      .sort((a, b) => a[0] - b[0]);
    return ranges.every(([start], i) => i === 0 || ranges[i - 1][0] + ranges[i - 1][1] <= start);
  }

  /** 1 − v written with a constant 1 is the one-minus op. */
  private subtract(op: IrOp, size: number): number {
    const first = this.body(this.term(op.inputs[0]));
    if (first.tag === 'constant' && first.value === 1) {
      return this.terms.add({ tag: 'op', kind: 'one-minus', params: '', operands: [this.term(op.inputs[1])], commutative: false, learned: [] }, size, op.nodeId);
    }
    return this.generic(op, size);
  }

  private generic(op: IrOp, size: number): number {
    const { def } = op;
    const commutative = def.commutative === true;
    const direct = op.inputs.map((v) => this.term(v));
    // Associative too: (a ⊙ b) ⊙ c is one product of three.
    const operands = commutative
      ? direct.flatMap((t) => {
        const b = this.body(t);
        return b.tag === 'op' && b.kind === def.kind && b.learned.length === 0 ? b.operands : [t];
      })
      : direct;
    const learned = Object.values(op.tensors).map((id) => tensorBlock(this.p.tensors[id]));
    return this.terms.add({ tag: 'op', kind: def.kind, params: computingParams(op), operands, commutative, learned }, size, op.nodeId);
  }

  private usesOf(v: number): number {
    return this.uses.get(this.resolve(v))?.length ?? 0;
  }
}

/** Indices of the parts that exactly cover [start, start + length), or undefined when the range cuts a part. */
function wholeParts(sizes: readonly number[], start: number, length: number): number[] | undefined {
  const taken: number[] = [];
  let offset = 0;
  sizes.forEach((n, i) => {
    if (offset >= start && offset + n <= start + length) taken.push(i);
    offset += n;
  });
  const covered = taken.reduce((sum, i) => sum + sizes[i], 0);
  const first = sizes.slice(0, taken[0]).reduce((a, b) => a + b, 0);
  return taken.length > 0 && covered === length && first === start ? taken : undefined;
}

/** Params that change what the op computes (not initialisers), and its evaluated sizes. */
function computingParams(op: IrOp): string {
  const initial = new Set(op.def.initParams ?? []);
  const params = Object.keys(op.def.params)
    .filter((k) => !initial.has(k) && op.def.params[k].type !== 'size')
    .sort()
    .map((k) => `${k}=${String(op.params[k])}`);
  const sizes = Object.keys(op.sizes).sort().map((k) => `${k}=${op.sizes[k]}`);
  return [...params, ...sizes].join(',');
}

export function buildTerms(shaped: ShapedCell, p: IrProgram): TermGraph {
  const lowering = new Lowering(p);
  const { terms, ofValue } = lowering;
  if (p.input !== null) {
    const inputNode = shaped.order.find((id) => shaped.nodes.get(id)?.def.role === 'input') as string;
    ofValue.set(p.input, terms.add({ tag: 'input' }, p.values[p.input].size, inputNode));
  }
  for (const s of p.states) {
    const learnedInit = s.learnedInit === undefined ? undefined : tensorBlock(p.tensors[s.learnedInit]);
    ofValue.set(s.prev, terms.add({ tag: 'state', index: s.index, ...(learnedInit && { learnedInit }) }, s.size, s.nodeId));
  }
  for (const op of p.ops) ofValue.set(op.result, lowering.lower(op));
  const output = lowering.term(p.output);
  const stateNext = p.states.map((s) => lowering.term(s.next));
  return {
    terms: terms.list,
    output,
    statePrev: p.states.map((s) => lowering.term(s.prev)),
    stateNext,
    ofValue,
    unused: unusedTerms(terms.list, [output, ...stateNext], unusedOps(p).map((op) => ofValue.get(op.result) as number)),
  };
}

/** Ops whose value reaches neither y_t nor any state. */
function unusedOps(p: IrProgram): IrOp[] {
  const producer = new Map(p.ops.map((op) => [op.result, op]));
  const live = new Set<number>();
  const todo = [p.output, ...p.states.map((s) => s.next)];
  while (todo.length > 0) {
    const v = todo.pop() as number;
    if (live.has(v)) continue;
    live.add(v);
    todo.push(...(producer.get(v)?.inputs ?? []));
  }
  return p.ops.filter((op) => !live.has(op.result));
}

/** The terms of unused ops that compute nothing live does, without those another of them reads. */
function unusedTerms(terms: readonly Term[], roots: readonly number[], ofOps: readonly number[]): number[] {
  const live = reachable(terms, roots);
  const dead = [...new Set(ofOps.filter((t) => !live.has(t)))];
  const readByDead = reachable(terms, dead.flatMap((t) => operandsOf(terms[t].body)));
  return dead.filter((t) => !readByDead.has(t));
}

/** Every term the given ones read, directly or not, and themselves. */
function reachable(terms: readonly Term[], from: readonly number[]): Set<number> {
  const seen = new Set<number>();
  const todo = [...from];
  while (todo.length > 0) {
    const t = todo.pop() as number;
    if (seen.has(t)) continue;
    seen.add(t);
    todo.push(...operandsOf(terms[t].body));
  }
  return seen;
}

/** Every term a term reads, weight operands included. */
export function operandsOf(body: TermBody): readonly number[] {
  switch (body.tag) {
    case 'op': return body.operands;
    case 'concat': return body.parts;
    case 'slice': return [body.of];
    case 'sum': return [...body.weights.map((w) => w.operand), ...body.others];
    default: return [];
  }
}

// ---------------------------------------------------------------------------
// Structural hashes
// ---------------------------------------------------------------------------

/** cyrb53 (public domain): a 53-bit hash of a string, in base 36. */
function digest(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** What a term computes from its operands' hashes, blind to ids and learned values. */
function shapeOf(body: TermBody, h: readonly string[], stateName: (index: number) => string): string {
  const hashes = (ids: readonly number[]) => ids.map((id) => h[id]);
  switch (body.tag) {
    case 'input': return 'x';
    case 'state': return `s${stateName(body.index)}${body.learnedInit ? '*' : ''}`;
    case 'constant': return `k${body.value}`;
    case 'op': {
      const operands = hashes(body.operands);
      if (body.commutative) operands.sort();
      return `${body.kind}{${body.params}}[${body.learned.map((b) => `${b.rows[1]}x${b.cols[1]}`).join()}](${operands.join()})`;
    }
    case 'concat': return `cat(${hashes(body.parts).join()})`;
    case 'slice': return `slice${body.start}(${h[body.of]})`;
    case 'sum': return `sum(${hashes(body.weights.map((w) => w.operand)).sort().join()};${hashes(body.others).sort().join()};${body.biases.length > 0 ? 'b' : ''})`;
  }
}

/** A hash per term: equal hashes compute the same thing, given the states' names. */
export function structuralHashes(graph: TermGraph, stateName: (index: number) => string): string[] {
  const h = new Array<string>(graph.terms.length);
  for (const t of graph.terms) h[t.id] = digest(`${t.size}:${shapeOf(t.body, h, stateName)}`);
  return h;
}

// ---------------------------------------------------------------------------
// Naming the states
// ---------------------------------------------------------------------------

/** Above this many orders of indistinguishable states, the first is taken (two such cells may then compare unequal). */
const MAX_STATE_ORDERS = 720;

function distinct(xs: readonly string[]): number {
  return new Set(xs).size;
}

/** Every order of xs, the given order first. */
export function permutations(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Each operand of a term with its role there: a position where order matters, else how it is read. */
function operandRoles(body: TermBody): (readonly [number, string])[] {
  switch (body.tag) {
    case 'op': return body.operands.map((o, i) => [o, body.commutative ? '' : String(i)]);
    case 'concat': return body.parts.map((o, i) => [o, String(i)]);
    case 'slice': return [[body.of, '']];
    case 'sum': return [...body.weights.map((w) => [w.operand, 'W'] as const), ...body.others.map((o) => [o, '+'] as const)];
    default: return [];
  }
}

/**
 * A hash per live term of everything that reads it, down to y_t and the states' new values:
 * two states whose new values look alike still differ if only one of them reaches y_t.
 */
function readerHashes(graph: TermGraph, h: readonly string[], colours: readonly string[], live: ReadonlySet<number>): string[] {
  const readers: string[][] = graph.terms.map(() => []);
  readers[graph.output].push('y');
  graph.stateNext.forEach((t, k) => readers[t].push(`next ${colours[k]}`));
  const b = new Array<string>(graph.terms.length);
  // Readers have larger ids than what they read: from the last term back, each is complete.
  for (let id = graph.terms.length - 1; id >= 0; id--) {
    b[id] = digest(readers[id].sort().join('|'));
    // Not live: a leftover, or absorbed by normalising (a concat a linear reads).
    if (!live.has(id)) continue;
    for (const [operand, role] of operandRoles(graph.terms[id].body)) readers[operand].push(`${h[id]}:${role}:${b[id]}`);
  }
  return b;
}

/** Orders of the program's states to try: sorted by structural colour, ties in every order. */
function candidateStateOrders(graph: TermGraph): number[][] {
  const n = graph.stateNext.length;
  let colours = graph.statePrev.map((t) => {
    const { body, size } = graph.terms[t];
    return `${size}${body.tag === 'state' && body.learnedInit ? '*' : ''}`;
  });
  // Only what reaches y_t or a state orders the states: a leftover node does not reorder them.
  const live = reachable(graph.terms, [graph.output, ...graph.stateNext]);
  for (let round = 0; round < n; round++) {
    const h = structuralHashes(graph, (i) => colours[i]);
    const b = readerHashes(graph, h, colours, live);
    const next = colours.map((c, i) => digest(`${c}|${h[graph.stateNext[i]]}|${b[graph.statePrev[i]]}`));
    const settled = distinct(next) === distinct(colours);
    colours = next;
    if (settled) break;
  }
  const sorted = colours.map((_, i) => i).sort((a, b) => (colours[a] < colours[b] ? -1 : colours[a] > colours[b] ? 1 : a - b));
  const groups: number[][] = [];
  for (const i of sorted) {
    const last = groups[groups.length - 1];
    if (last && colours[last[0]] === colours[i]) last.push(i);
    else groups.push([i]);
  }
  if (groups.reduce((count, g) => count * factorial(g.length), 1) > MAX_STATE_ORDERS) return [sorted];
  return groups.reduce<number[][]>((orders, g) => orders.flatMap((prefix) => permutations(g).map((p) => [...prefix, ...p])), [[]]);
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

interface Printed {
  readonly text: string;
  readonly tensors: CanonicalTensor[];
  readonly stateOrder: readonly number[];
}

const byHash = (h: readonly string[]) => (a: number, b: number): number => (h[a] < h[b] ? -1 : h[a] > h[b] ? 1 : 0);

/** Operands in canonical order, as the printer visits them. */
function orderedOperands(body: TermBody, h: readonly string[]): number[] {
  switch (body.tag) {
    case 'op': return body.commutative ? [...body.operands].sort(byHash(h)) : [...body.operands];
    case 'concat': return [...body.parts];
    case 'slice': return [body.of];
    case 'sum': return [...sortedWeights(body, h).map((w) => w.operand), ...[...body.others].sort(byHash(h))];
    default: return [];
  }
}

function sortedWeights(body: Extract<TermBody, { tag: 'sum' }>, h: readonly string[]): WeightTerm[] {
  return [...body.weights].sort((a, b) => byHash(h)(a.operand, b.operand));
}

function sortedBiases(body: Extract<TermBody, { tag: 'sum' }>, h: readonly string[]): BiasTerm[] {
  const key = (b: BiasTerm) => b.reads.map((r) => h[r]).sort().join();
  return [...body.biases].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The listing: tensors, then one line per value in post-order from y_t, each state's new value, and unused values. */
function printTerms(graph: TermGraph, order: readonly number[], p: IrProgram): Printed {
  const position = new Map(order.map((stateIndex, k) => [stateIndex, k]));
  const h = structuralHashes(graph, (i) => String(position.get(i)));
  const refs = new Map<number, string>();
  const tensors: CanonicalTensor[] = [];
  const counters = new Map<string, number>();
  const tensor = (prefix: string, shape: CanonicalTensor['shape'], sources: readonly Block[]): string => {
    const k = counters.get(prefix) ?? 0;
    counters.set(prefix, k + 1);
    const name = `${prefix}${k}`;
    tensors.push({ name, shape, sources });
    return name;
  };
  const header: string[] = [`cell (input ${p.input === null ? 0 : p.values[p.input].size})`];
  if (p.input !== null) refs.set(graph.ofValue.get(p.input) as number, 'x');
  order.forEach((stateIndex, k) => {
    const prev = graph.statePrev[stateIndex];
    refs.set(prev, `s${k}`);
    const body = graph.terms[prev].body;
    const learned = body.tag === 'state' && body.learnedInit ? ` learned ${tensor('init', [graph.terms[prev].size], [body.learnedInit])}` : '';
    header.push(`  s${k}: [${graph.terms[prev].size}]${learned}`);
  });
  const lines: string[] = [];
  const visit = (t: number): string => {
    const known = refs.get(t);
    if (known !== undefined) return known;
    for (const o of orderedOperands(graph.terms[t].body, h)) visit(o);
    const ref = `%${lines.length}`;
    lines.push(`  ${ref} = ${printBody(graph.terms[t], h, refs, tensor)} : [${graph.terms[t].size}]`);
    refs.set(t, ref);
    return ref;
  };
  const roots = [`  y = ${visit(graph.output)}`, ...order.map((stateIndex, k) => `  s${k} <- ${visit(graph.stateNext[stateIndex])}`)];
  const unused = [...graph.unused].sort(byHash(h)).map((t) => `  unused ${visit(t)}`);
  const shapes = tensors.map((t) => `  ${t.name}: [${t.shape.join('×')}]`);
  return { text: [...header, ...shapes, ...lines, ...roots, ...unused].join('\n'), tensors, stateOrder: order };
}

function printBody(
  term: Term, h: readonly string[], refs: ReadonlyMap<number, string>,
  tensor: (prefix: string, shape: CanonicalTensor['shape'], sources: readonly Block[]) => string,
): string {
  const { body, size } = term;
  const ref = (t: number) => refs.get(t) as string;
  switch (body.tag) {
    case 'constant': return `constant ${body.value}`;
    case 'concat': return `concat(${body.parts.map(ref).join(', ')})`;
    case 'slice': return `slice[${body.start}:${body.start + size}](${ref(body.of)})`;
    case 'op': {
      const learned = body.learned.map((b) => tensor(b.tensor, b.width === 1 ? [b.rows[1]] : [b.rows[1], b.cols[1]], [b]));
      const operands = orderedOperands(body, h).map(ref);
      return `${body.kind}${learned.length ? `[${learned.join(', ')}]` : ''}${body.params ? `{${body.params}}` : ''}(${operands.join(', ')})`;
    }
    case 'sum': {
      const weights = sortedWeights(body, h).map((w) => `${tensor('W', [w.block.rows[1], w.block.cols[1]], [w.block])}·${ref(w.operand)}`);
      const others = [...body.others].sort(byHash(h)).map(ref);
      const biases = sortedBiases(body, h);
      const bias = biases.length > 0 ? [tensor('b', [size], biases.map((b) => b.block))] : [];
      return [...weights, ...others, ...bias].join(' + ');
    }
    default: return ref(term.id);
  }
}
