/**
 * Equations: a cell's step written out from its wiring (DESIGN §6), in the
 * notation an instructor uses. Each node's expression comes from its NodeDef
 * template; this pass only decides which values get a name of their own,
 * what those names are, and where parentheses go.
 *
 * Labels are untrusted text (DESIGN §8): in LaTeX they only ever appear inside
 * `\mathrm{…}` after sanitising, so a label cannot inject commands.
 */
import { PRECEDENCE, type EquationContext } from '../../nodes/types';
import { formatSize } from '../model/sizes';
import type { ShapedCell } from './shapes';
import type { ValidNode } from './validate';

export type Notation = 'tutorial' | 'olah' | 'pytorch';

export const NOTATIONS: readonly Notation[] = ['tutorial', 'olah', 'pytorch'];

/** One whole line, "lhs = rhs", in both formats. */
export interface Equation {
  readonly nodeId: string;
  readonly latex: string;
  readonly text: string;
}

/** The same piece of notation in both output formats. */
export interface Tex {
  readonly latex: string;
  readonly text: string;
}

/** A value's name: a base symbol, indexed by t unless generated (v_{1}). */
interface Name {
  readonly base: Tex;
  readonly timed: boolean;
  /** Subscript for the W/b/p of the nodes that feed it; none for generated states. */
  readonly weight?: Tex;
}

type GateRole = 'forget' | 'update' | 'input' | 'output' | 'candidate' | 'reset';
type StateRole = 'hidden' | 'cell';
type Family = 'lstm' | 'gru';

// ---------------------------------------------------------------------------
// Notation tables
// ---------------------------------------------------------------------------

const tex = (latex: string, text = latex): Tex => ({ latex, text });
const tilde = (letter: string): Tex => tex(`\\tilde{${letter}}`, `${letter}\u0303`);

interface GateSymbol {
  readonly base: Tex;
  readonly weight: Tex;
}
const gate = (base: Tex | string, weight?: string): GateSymbol => {
  const b = typeof base === 'string' ? tex(base) : base;
  return { base: b, weight: weight === undefined ? b : tex(weight) };
};

interface NotationTable {
  readonly hidden: Tex;
  readonly cell: Tex;
  /** Prefix of a weight that reads x_t when a gate has one weight per source. */
  readonly readsInput: string;
  readonly gates: Readonly<Record<Family, Readonly<Record<GateRole, GateSymbol>>>>;
}

const TABLES: Readonly<Record<Notation, NotationTable>> = {
  tutorial: {
    hidden: tex('a'),
    cell: tex('c'),
    readsInput: 'x',
    gates: {
      lstm: { forget: gate('f'), update: gate('u'), input: gate('u'), output: gate('o'), candidate: gate("c'", 'c'), reset: gate('r') },
      gru: { forget: gate('f'), update: gate('z'), input: gate('u'), output: gate('o'), candidate: gate(tilde('a'), 'a'), reset: gate('r') },
    },
  },
  olah: {
    hidden: tex('h'),
    cell: tex('C'),
    readsInput: 'x',
    gates: {
      lstm: { forget: gate('f'), update: gate('i'), input: gate('i'), output: gate('o'), candidate: gate(tilde('C'), 'C'), reset: gate('r') },
      gru: { forget: gate('f'), update: gate('z'), input: gate('i'), output: gate('o'), candidate: gate(tilde('h'), 'h'), reset: gate('r') },
    },
  },
  pytorch: {
    hidden: tex('h'),
    cell: tex('c'),
    readsInput: 'i',
    gates: {
      lstm: { forget: gate('f'), update: gate('i'), input: gate('i'), output: gate('o'), candidate: gate('g'), reset: gate('r') },
      gru: { forget: gate('f'), update: gate('z'), input: gate('i'), output: gate('o'), candidate: gate('n'), reset: gate('r') },
    },
  },
};

// ---------------------------------------------------------------------------
// Roles from labels (English or Spanish, any case, accents optional)
// ---------------------------------------------------------------------------

const GATE_WORDS: readonly (readonly [GateRole, RegExp])[] = [
  ['forget', /\b(forget|olvido)\b/],
  ['update', /\b(update|actualizacion)\b/],
  ['reset', /\b(reset|reseteo|reinicio)\b/],
  ['candidate', /\b(candidate|candidato|candidata)\b/],
  ['input', /\binput gate\b|\bentrada\b/],
  ['output', /\b(output|salida)\b/],
];

const STATE_WORDS: readonly (readonly [StateRole, RegExp])[] = [
  ['hidden', /\b(hidden|oculto|oculta)\b/],
  ['cell', /\b(cell|celda|memoria)\b/],
];

/** Lower case without accents, so "Actualización" matches "actualizacion". */
const normalise = (label: string): string => label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function roleOf<R>(label: string | undefined, words: readonly (readonly [R, RegExp])[]): R | undefined {
  if (!label) return undefined;
  const plain = normalise(label);
  return words.find(([, pattern]) => pattern.test(plain))?.[0];
}

// ---------------------------------------------------------------------------
// Untrusted labels
// ---------------------------------------------------------------------------

const MAX_LABEL_CHARS = 24;

/** Only letters, digits, spaces and hyphens survive: nothing LaTeX could read as a command. */
export function sanitizeLatexLabel(label: string): string {
  const kept = label.replace(/[^\p{L}\p{Nd} -]/gu, '').replace(/\s+/g, ' ').trim();
  return Array.from(kept).slice(0, MAX_LABEL_CHARS).join('').trim();
}

/** Plain text keeps the label, minus control and invisible formatting characters. */
export function sanitizeTextLabel(label: string): string {
  return label.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim();
}

/** A label that names no role, shown as words; undefined when nothing printable is left. */
function labelName(label: string): Tex | undefined {
  const latex = sanitizeLatexLabel(label);
  const text = sanitizeTextLabel(label);
  return latex && text ? tex(`\\mathrm{${latex}}`, text) : undefined;
}

// ---------------------------------------------------------------------------
// The graph as the equations see it
// ---------------------------------------------------------------------------

interface Graph {
  readonly shaped: ShapedCell;
  readonly order: readonly ValidNode[];
  /** Connections leaving each node, as (consumer id, port). */
  readonly consumers: ReadonlyMap<string, readonly { readonly to: string; readonly toPort: string }[]>;
}

function buildGraph(shaped: ShapedCell): Graph {
  const consumers = new Map<string, { to: string; toPort: string }[]>();
  for (const n of shaped.nodes.values()) {
    for (const c of n.sources) {
      const list = consumers.get(c.from) ?? [];
      list.push({ to: c.to, toPort: c.toPort });
      consumers.set(c.from, list);
    }
  }
  const order = shaped.order.map((id) => shaped.nodes.get(id) as ValidNode);
  return { shaped, order, consumers };
}

const node = (g: Graph, id: string): ValidNode => g.shaped.nodes.get(id) as ValidNode;
const consumersOf = (g: Graph, id: string) => g.consumers.get(id) ?? [];
const isOp = (n: ValidNode): boolean => n.def.role === 'op';
const states = (g: Graph): ValidNode[] => g.order.filter((n) => n.def.role === 'state');
const outputNode = (g: Graph): ValidNode | undefined => g.order.find((n) => n.def.role === 'output');
const trimmedLabel = (n: ValidNode): string | undefined => n.node.label?.trim() || undefined;

/** The state whose "next" port this node feeds (the first, if several). */
function stateFedBy(g: Graph, id: string): ValidNode | undefined {
  const edge = consumersOf(g, id).find((c) => node(g, c.to).def.role === 'state');
  return edge && node(g, edge.to);
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

const atTime = (name: Name): Tex => (name.timed ? tex(`${name.base.latex}_t`, `${name.base.text}_t`) : name.base);

/**
 * Hands out names, keeping every line's left-hand side distinct in both formats.
 * A clash numbers the wanted base (f, f^(2), f^(3), …): a numbered name is never numbered
 * again, and each base remembers its next number, so naming n nodes that share one label
 * is linear in n (re-wrapping made it cubic, and a cell of 1,000 alike labels froze the app).
 */
class NameBook {
  private readonly taken = new Set<string>(['L:x_t', 'T:x_t', 'L:y_t', 'T:y_t']);
  private readonly nextNumber = new Map<string, number>();
  private generatedOps = 0;
  private generatedStates = 0;

  claim(wanted: Name): Name {
    let name = wanted;
    if (this.isTaken(name)) {
      const key = `${wanted.timed}\u0000${wanted.base.latex}\u0000${wanted.base.text}`;
      let k = this.nextNumber.get(key) ?? 2;
      do name = { ...wanted, base: numbered(wanted.base, k++) };
      while (this.isTaken(name));
      this.nextNumber.set(key, k);
    }
    const shown = atTime(name);
    this.taken.add(`L:${shown.latex}`).add(`T:${shown.text}`);
    return name;
  }

  op(): Name {
    this.generatedOps += 1;
    const k = this.generatedOps;
    // Its weights share its number (v_{3} = σ(W_{3} …)); the subscript counter skips taken ones.
    return this.claim({ base: tex(`v_{${k}}`, `v_${k}`), timed: false, weight: tex(String(k)) });
  }

  state(): Name {
    this.generatedStates += 1;
    return this.claim({ base: numbered(tex('s'), this.generatedStates), timed: true });
  }

  private isTaken(name: Name): boolean {
    const shown = atTime(name);
    return this.taken.has(`L:${shown.latex}`) || this.taken.has(`T:${shown.text}`);
  }
}

/** `{f}^{(2)}`: braces keep a base such as c' (itself a superscript) valid LaTeX. */
const numbered = (base: Tex, k: number): Tex => tex(`{${base.latex}}^{(${k})}`, `${base.text}^(${k})`);

interface Naming {
  readonly family: Family;
  readonly table: NotationTable;
  readonly names: Map<string, Name>;
  readonly book: NameBook;
}

function nameStates(g: Graph, naming: Naming): void {
  const roles = new Map(states(g).map((s) => [s.node.id, roleOf(trimmedLabel(s), STATE_WORDS)]));
  const hiddenGuess = roles.size > 0 && ![...roles.values()].includes('hidden') ? guessHidden(g, roles) : undefined;
  for (const s of states(g)) {
    const role = s.node.id === hiddenGuess ? 'hidden' : roles.get(s.node.id);
    naming.names.set(s.node.id, stateName(s, role, naming));
  }
}

/** With no state labelled hidden, the unlabelled one that y_t reads (or the only one) is. */
function guessHidden(g: Graph, roles: ReadonlyMap<string, StateRole | undefined>): string | undefined {
  const unlabelled = states(g).filter((s) => !trimmedLabel(s) && roles.get(s.node.id) === undefined);
  const shown = outputNode(g)?.sources[0]?.from;
  const read = unlabelled.find((s) => s.sources[0]?.from === shown || s.node.id === shown);
  return read?.node.id ?? (states(g).length === 1 ? unlabelled[0]?.node.id : undefined);
}

function stateName(s: ValidNode, role: StateRole | undefined, { table, book }: Naming): Name {
  const label = trimmedLabel(s);
  const base = role ? table[role] : label && labelName(label);
  return base ? book.claim({ base, timed: true, weight: base }) : book.state();
}

/**
 * Named values: labelled nodes, values written into a state, gates (sigmoids)
 * and fan-out. A shared layout node whose operands are all names (the LSTM's
 * [a_{t−1}, x_t]) stays inline: readers expect it, and it cannot grow.
 */
function needsName(g: Graph, n: ValidNode, naming: Naming): boolean {
  if (trimmedLabel(n) || stateFedBy(g, n.node.id) || n.def.kind === 'sigmoid') return true;
  if (consumersOf(g, n.node.id).length < 2 || n.sources.length === 0) return false;
  return !(n.def.category === 'layout' && n.sources.every((c) => isLeaf(g, c.from, naming)));
}

const isLeaf = (g: Graph, id: string, naming: Naming): boolean =>
  naming.names.has(id) || !isOp(node(g, id)) || node(g, id).sources.length === 0;

function opName(g: Graph, n: ValidNode, naming: Naming): Name {
  const fed = stateFedBy(g, n.node.id);
  if (fed) return naming.names.get(fed.node.id) as Name;
  const label = trimmedLabel(n);
  const role = roleOf(label, GATE_WORDS);
  if (role) {
    const symbol = naming.table.gates[naming.family][role];
    return naming.book.claim({ base: symbol.base, timed: true, weight: symbol.weight });
  }
  const base = label && labelName(label);
  return base ? naming.book.claim({ base, timed: true, weight: base }) : naming.book.op();
}

function nameValues(g: Graph, notation: Notation): Map<string, Name> {
  const isLstm = states(g).some((s) => roleOf(trimmedLabel(s), STATE_WORDS) === 'cell');
  const naming: Naming = { family: isLstm ? 'lstm' : 'gru', table: TABLES[notation], names: new Map(), book: new NameBook() };
  nameStates(g, naming);
  for (const n of g.order) {
    if (isOp(n) && needsName(g, n, naming)) naming.names.set(n.node.id, opName(g, n, naming));
  }
  return naming.names;
}

// ---------------------------------------------------------------------------
// Weight subscripts (W_f, b_f, p_f)
// ---------------------------------------------------------------------------

const SIMPLE_SUBSCRIPT = /^[A-Za-z0-9]+$/;

/** Joins subscript parts: "i"+"r" → "ir", but "x" + "\mathrm{peep}" → "x,\mathrm{peep}". */
function joinSubscript(a: Tex, b: Tex): Tex {
  const plain = SIMPLE_SUBSCRIPT.test(a.latex) && SIMPLE_SUBSCRIPT.test(b.latex);
  return plain ? tex(a.latex + b.latex, a.text + b.text) : tex(`${a.latex},${b.latex}`, `${a.text},${b.text}`);
}

/** Follows single-consumer links to the first named value (or y_t) and takes its subscript. */
function weightTarget(g: Graph, id: string, names: ReadonlyMap<string, Name>): Tex | undefined {
  let current = id;
  for (let steps = 0; steps <= g.order.length; steps++) {
    const name = names.get(current);
    if (name) return name.weight;
    if (node(g, current).def.role === 'output') return tex('y');
    const next = consumersOf(g, current);
    if (next.length !== 1) return undefined;
    current = next[0].to;
  }
  return undefined;
}

/** What a weighted node reads, as a subscript prefix: x_t → "x" (PyTorch "i"), a state → its letter. */
function readPrefix(g: Graph, n: ValidNode, names: ReadonlyMap<string, Name>, table: NotationTable): Tex | undefined {
  const source = n.sources[0] && node(g, n.sources[0].from);
  if (source?.def.role === 'input') return tex(table.readsInput);
  if (source?.def.role === 'state') return names.get(source.node.id)?.weight;
  return undefined;
}

/**
 * Subscripts for every node with learned tensors (linear, scale). When one
 * gate gets several (reset-after GRU), each is told apart by what it reads:
 * W_{ir}/W_{hr}. Any clash left falls back to a counter; no two nodes of a
 * kind ever share a subscript.
 */
function weightSubscripts(g: Graph, names: ReadonlyMap<string, Name>, notation: Notation): Map<string, Tex> {
  const weighted = g.order.filter((n) => isOp(n) && n.def.weights);
  const wanted = new Map(weighted.map((n) => [n.node.id, weightTarget(g, n.node.id, names)]));
  const groupSize = countBy(weighted, (n) => groupKey(n, wanted.get(n.node.id)));
  const chosen = new Map<string, Tex | undefined>();
  for (const n of weighted) {
    const target = wanted.get(n.node.id);
    const prefix = target && (groupSize.get(groupKey(n, target)) ?? 0) > 1 ? readPrefix(g, n, names, TABLES[notation]) : undefined;
    chosen.set(n.node.id, target && prefix ? joinSubscript(prefix, target) : target);
  }
  return settleSubscripts(weighted, chosen);
}

const groupKey = (n: ValidNode, target: Tex | undefined): string => `${n.def.kind}\u0000${target?.latex ?? ''}`;

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Wanted subscripts first (in order), then a counter for the rest and for clashes. */
function settleSubscripts(weighted: readonly ValidNode[], chosen: ReadonlyMap<string, Tex | undefined>): Map<string, Tex> {
  const taken = new Set<string>();
  const isFree = (kind: string, s: Tex): boolean => !taken.has(`${kind}L:${s.latex}`) && !taken.has(`${kind}T:${s.text}`);
  const take = (kind: string, s: Tex): Tex => (taken.add(`${kind}L:${s.latex}`).add(`${kind}T:${s.text}`), s);
  const result = new Map<string, Tex>();
  for (const n of weighted) {
    const wanted = chosen.get(n.node.id);
    if (wanted && isFree(n.def.kind, wanted)) result.set(n.node.id, take(n.def.kind, wanted));
  }
  // Each (kind, wanted subscript) remembers its next number: linear however many nodes clash.
  const nextNumber = new Map<string, number>();
  for (const n of weighted) {
    if (result.has(n.node.id)) continue;
    const wanted = chosen.get(n.node.id);
    const key = `${n.def.kind}\u0000${wanted?.latex ?? ''}\u0000${wanted?.text ?? ''}`;
    let k = nextNumber.get(key) ?? (wanted ? 2 : 1);
    const candidate = (): Tex => (wanted ? joinSubscript(wanted, tex(String(k))) : tex(String(k)));
    while (!isFree(n.def.kind, candidate())) k++;
    result.set(n.node.id, take(n.def.kind, candidate()));
    nextNumber.set(key, k + 1);
  }
  return result;
}

/** Text templates print `W_${subscript}`: brace anything longer than a plain word. */
const textSubscript = (s: string): string => (/^[\p{L}\p{N}']+$/u.test(s) ? s : `{${s}}`);

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/** What a consumer pastes for a value, and how tightly it binds. */
interface Operand {
  readonly tex: Tex;
  readonly precedence: number;
}

interface Renderer {
  readonly g: Graph;
  readonly names: ReadonlyMap<string, Name>;
  readonly subscripts: ReadonlyMap<string, Tex>;
  readonly operands: Map<string, Operand>;
}

function context(n: ValidNode, inputs: readonly string[], subscript: string, format: keyof Tex): EquationContext {
  const sizeParams = Object.fromEntries(Object.entries(n.sizeParams).map(([k, v]) => [k, sizeText(formatSize(v), format)]));
  return { inputs, params: n.params, subscript, sizeParams };
}

/** Size names may hold "_", which LaTeX would read as a subscript. */
const sizeText = (s: string, format: keyof Tex): string => (format === 'latex' ? s.replace(/_/g, '\\_') : s);

const wrap = (t: Tex): Tex => tex(`\\left(${t.latex}\\right)`, `(${t.text})`);

function operand(r: Renderer, id: string, consumer: ValidNode): Tex {
  const o = r.operands.get(id) as Operand;
  return o.precedence < consumer.def.operandPrecedence ? wrap(o.tex) : o.tex;
}

/** A node's own expression from its templates, operands already rendered. */
function expression(r: Renderer, n: ValidNode): Tex {
  const inputs = n.def.role === 'state' ? [] : n.sources.map((c) => operand(r, c.from, n));
  const subscript = r.subscripts.get(n.node.id) ?? tex('');
  return tex(
    n.def.latex(context(n, inputs.map((i) => i.latex), subscript.latex, 'latex')),
    n.def.text(context(n, inputs.map((i) => i.text), textSubscript(subscript.text), 'text')),
  );
}

/** How consumers refer to a node: a name, x_t, a state's previous value, or the inlined expression. */
function operandFor(r: Renderer, n: ValidNode): Operand {
  const atom = PRECEDENCE.atom;
  const name = r.names.get(n.node.id);
  if (n.def.role === 'state' && name) {
    const ctx = (subscript: string): EquationContext => ({ inputs: [], params: n.params, subscript, sizeParams: {} });
    return { tex: tex(n.def.latex(ctx(name.base.latex)), n.def.text(ctx(name.base.text))), precedence: atom };
  }
  if (name) return { tex: atTime(name), precedence: atom };
  return { tex: expression(r, n), precedence: n.def.precedence };
}

const line = (nodeId: string, lhs: Tex, rhs: Tex): Equation => ({
  nodeId,
  latex: `${lhs.latex} = ${rhs.latex}`,
  text: `${lhs.text} = ${rhs.text}`,
});

/** A state whose new value is not a line of its own (fed by x_t, another state, or a shared value). */
function stateLine(r: Renderer, s: ValidNode): Equation | undefined {
  const source = s.sources[0]?.from;
  const own = r.names.get(s.node.id) as Name;
  if (source === undefined || r.names.get(source) === own) return undefined;
  return line(s.node.id, atTime(own), (r.operands.get(source) as Operand).tex);
}

/** Renders every node's operand in step order; returns the renderer and the graph's lines. */
function render(shaped: ShapedCell, notation: Notation): { r: Renderer; lines: Equation[] } {
  const g = buildGraph(shaped);
  const names = nameValues(g, notation);
  const r: Renderer = { g, names, subscripts: weightSubscripts(g, names, notation), operands: new Map() };
  const lines: Equation[] = [];
  // Leaves first: a state's previous value may be read before anything is computed.
  for (const n of g.order.filter((m) => m.def.role === 'input' || m.def.role === 'state')) r.operands.set(n.node.id, operandFor(r, n));
  for (const n of g.order.filter(isOp)) {
    r.operands.set(n.node.id, operandFor(r, n));
    const name = names.get(n.node.id);
    if (name) lines.push(line(n.node.id, atTime(name), expression(r, n)));
  }
  for (const s of states(g)) {
    const extra = stateLine(r, s);
    if (extra) lines.push(extra);
  }
  const out = outputNode(g);
  if (out) lines.push(line(out.node.id, tex('y_t'), expression(r, out)));
  return { r, lines };
}

/**
 * The cell's step as equations, in `shaped.order` (gates come before the
 * state updates that use them): one line per named value, then y_t.
 */
export function deriveEquations(shaped: ShapedCell, notation: Notation): Equation[] {
  return render(shaped, notation).lines;
}

/**
 * How each node is written in the equations: a named value's whole line ("f_t = σ(…)"), y_t's line,
 * a state's previous value (a_{t−1}), x_t, or the expression an unnamed node contributes (f_t ⊙ c_{t−1}).
 */
export function nodeExpressions(shaped: ShapedCell, notation: Notation): Map<string, Tex> {
  const { r, lines } = render(shaped, notation);
  const written = new Map<string, Tex>([...r.operands].map(([id, o]) => [id, o.tex]));
  // A state's own line (if any) writes its next value; the node shows its previous one.
  for (const l of lines) if (r.g.shaped.nodes.get(l.nodeId)?.def.role !== 'state') written.set(l.nodeId, l);
  return written;
}

/** LaTeX: one aligned environment, aligned at "="; text: one equation per line. */
export function formatEquations(equations: readonly Equation[], format: 'latex' | 'text'): string {
  if (format === 'text') return equations.map((e) => e.text).join('\n');
  const rows = equations.map((e) => alignAtEquals(e.latex));
  return `\\begin{aligned}\n${rows.join(' \\\\\n')}\n\\end{aligned}`;
}

/** Left-hand sides are our names (no "="), so the first " = " is the one to align. */
function alignAtEquals(latex: string): string {
  const at = latex.indexOf(' = ');
  return at < 0 ? latex : `${latex.slice(0, at)} &= ${latex.slice(at + 3)}`;
}
