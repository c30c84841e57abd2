/**
 * The ablation generator: from a cell whose gates are labelled, the one-change
 * variants of Greff et al. (2017), "LSTM: A search space odyssey", made by graph
 * edits (edit.ts), each compiled before it is handed out:
 *
 * - NIG, NFG, NOG: a gate is dropped: its sigmoid becomes the constant 1, and a
 *   product by that 1 is taken out (its other operand is read instead);
 * - NIAF: the candidate's activation becomes the identity;
 * - NOAF: the activation the output gate multiplies (tanh(c_t)) is taken out;
 * - NP: each peephole (a learned vector, a scale node, times a state added into a gate's
 *   pre-activation) is taken out with its sum;
 * - CIFG: the forget gate becomes 1 − the input gate (Greff's f_t = 1 − i_t);
 * - FGR: every gate also reads the previous step's gates: one new state per gate,
 *   appended to what each gate's linear reads.
 *
 * A node that becomes a pass-through is removed when it has no label and kept as an
 * identity node when it has one (its name stays in the equations); nodes an edit leaves
 * unused are removed. So the vanilla LSTM's variants are the zoo's hand-wired ones.
 *
 * Gates are recognised by label, on sigmoid (or hard-sigmoid) nodes only, in any case
 * and with or without accents; a label naming a role anywhere as a word counts:
 *   input  — "input", "entrada", "update", "actualización", Γ_i, Γ_u (the tutorial's update gate is the input gate)
 *   forget — "forget", "olvido", Γ_f
 *   output — "output", "salida", Γ_o
 *   reset  — "reset", "reinicio", "reseteo", Γ_r (only full gate recurrence uses it)
 * The candidate is the activation node (tanh, sigmoid, relu, softplus, hard-sigmoid)
 * labelled "candidate" (or "candidato", "candidata").
 * A variant that does not apply (no peepholes, no output gate, a gate used as 1 − gate)
 * is skipped with a reason; a cell with no gate at all is an error (no-labelled-gates).
 */
import { compile } from '../compiler';
import type { Cell, CellNode, Connection } from './cell';
import { LIMITS } from './cell';
import { error, renderDiagnostic, type Diagnostic, type Result } from './diagnostics';
import { addNode, bypassNode, connect, removeNewlyUnused, replaceKind, setMetadata, type Source } from './edit';
import type { Lang } from './messages';
import { formatSize } from './sizes';

export type GateRole = 'input' | 'forget' | 'output' | 'reset';

/** Greff et al.'s order. */
export const ABLATION_IDS = ['nig', 'nfg', 'nog', 'niaf', 'noaf', 'np', 'cifg', 'fgr'] as const;
export type AblationId = (typeof ABLATION_IDS)[number];

export type Text = Readonly<Record<Lang, string>>;

export interface Ablation {
  readonly id: AblationId;
  /** The variant, its name and description in the language asked for. */
  readonly cell: Cell;
  readonly name: Text;
  /** One line: what changed. */
  readonly change: Text;
}

/** Why a variant does not apply to a cell. `node` and `gate` are labels (or ids) from the cell. */
export type SkipReason =
  | { readonly code: 'no-gate'; readonly role: GateRole }
  | { readonly code: 'several-gates'; readonly role: GateRole; readonly count: number }
  | { readonly code: 'coupled-gate'; readonly role: GateRole; readonly gate: string }
  | { readonly code: 'no-candidate' }
  | { readonly code: 'no-output-activation' }
  | { readonly code: 'no-peepholes' }
  | { readonly code: 'gate-sizes-differ'; readonly input: string; readonly forget: string }
  | { readonly code: 'no-gate-product' }
  | { readonly code: 'shared-product'; readonly node: string }
  | { readonly code: 'invalid'; readonly diagnostics: readonly Diagnostic[] };

export interface Skipped {
  readonly id: AblationId;
  readonly reason: SkipReason;
}

export interface Ablations {
  readonly ablations: readonly Ablation[];
  readonly skipped: readonly Skipped[];
}

// ---------------------------------------------------------------------------
// Recognising gates
// ---------------------------------------------------------------------------

const GATE_KINDS: ReadonlySet<string> = new Set(['sigmoid', 'hard-sigmoid']);
const ACTIVATION_KINDS: ReadonlySet<string> = new Set(['tanh', 'sigmoid', 'hard-sigmoid', 'relu', 'softplus']);

/** Tried in order; a Γ label is the tutorial's notation (normalised to lower case γ). */
const GATE_LABELS: readonly (readonly [GateRole, RegExp])[] = [
  ['forget', /\b(forget|olvido)\b|^γ_?\{?f\}?$/],
  ['input', /\b(input|entrada|update|actualizacion)\b|^γ_?\{?[iu]\}?$/],
  ['output', /\b(output|salida)\b|^γ_?\{?o\}?$/],
  ['reset', /\b(reset|reinicio|reseteo)\b|^γ_?\{?r\}?$/],
];
const CANDIDATE_LABEL = /\b(candidate|candidato|candidata)\b/;

/** Lower case without accents or surrounding blanks: "Actualización " reads "actualizacion". */
const normalise = (label: string): string => label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

export function gateRole(node: CellNode): GateRole | undefined {
  if (!GATE_KINDS.has(node.kind) || !node.label) return undefined;
  const plain = normalise(node.label);
  return GATE_LABELS.find(([, pattern]) => pattern.test(plain))?.[0];
}

const isCandidate = (node: CellNode): boolean =>
  ACTIVATION_KINDS.has(node.kind) && gateRole(node) === undefined && node.label !== undefined && CANDIDATE_LABEL.test(normalise(node.label));

/** How a message names a node of the cell: its label, else its id. */
const nameOf = (node: CellNode): string => node.label?.trim() || node.id;
const quotedNames = (nodes: readonly CellNode[]): string => nodes.map((n) => `"${nameOf(n)}"`).join(', ');

// ---------------------------------------------------------------------------
// Reading the graph
// ---------------------------------------------------------------------------

/** A cell's nodes by id and connections by end, so that walks stay linear in the cell's size (a file may hold 1,000 nodes). */
interface Index {
  readonly nodes: ReadonlyMap<string, CellNode>;
  readonly readers: ReadonlyMap<string, Connection[]>;
  readonly inputs: ReadonlyMap<string, Connection[]>;
}

/** Cells are never changed (each edit makes a new one), so an index stays true for its cell. */
const indexes = new WeakMap<Cell, Index>();

function indexOf(cell: Cell): Index {
  const known = indexes.get(cell);
  if (known) return known;
  const readers = new Map<string, Connection[]>();
  const inputs = new Map<string, Connection[]>();
  const add = (into: Map<string, Connection[]>, key: string, c: Connection) => {
    const list = into.get(key);
    if (list) list.push(c);
    else into.set(key, [c]);
  };
  for (const c of cell.connections) {
    add(readers, c.from, c);
    add(inputs, c.to, c);
  }
  const index = { nodes: new Map(cell.nodes.map((n) => [n.id, n])), readers, inputs };
  indexes.set(cell, index);
  return index;
}

const nodeById = (cell: Cell, id: string): CellNode | undefined => indexOf(cell).nodes.get(id);
const readersOf = (cell: Cell, id: string): readonly Connection[] => indexOf(cell).readers.get(id) ?? [];
const inputsOf = (cell: Cell, id: string): readonly Connection[] => indexOf(cell).inputs.get(id) ?? [];
const sourceInto = (cell: Cell, id: string, port: string): Connection | undefined => inputsOf(cell, id).find((c) => c.toPort === port);
const asSource = (c: Connection): Source => ({ node: c.from, port: c.fromPort });

/** A gate also used as 1 − gate (GRU's update, CIFG's input): dropping it would drop both gates. */
function isCoupled(cell: Cell, gate: string): boolean {
  return readersOf(cell, gate).some((c) => {
    const kind = nodeById(cell, c.to)?.kind;
    return kind === 'one-minus' || (kind === 'subtract' && c.toPort === 'b');
  });
}

/** Whether node `id` is a state or the value written into one (c_{t−1} or c_t). */
function isStateValue(cell: Cell, id: string): boolean {
  return nodeById(cell, id)?.kind === 'state' || readersOf(cell, id).some((c) => nodeById(cell, c.to)?.kind === 'state');
}

// ---------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------

/**
 * Node `id` now passes on what comes into its port `port`: without a label it is
 * removed (its readers read that value); with one it becomes an identity node.
 */
function passThrough(cell: Cell, id: string, port: string): Cell {
  const node = nodeById(cell, id);
  const into = sourceInto(cell, id, port);
  if (!node || !into) return cell;
  if (!node.label?.trim()) return bypassNode(cell, id, port);
  return connect(replaceKind(cell, id, 'identity', {}, []), { from: into.from, fromPort: into.fromPort, to: id, toPort: 'in' });
}

type Outcome = { readonly cell: Cell; readonly change: Text } | { readonly skip: SkipReason };

/** Size expressions of the original cell's nodes ("hidden", "2*hidden"…). */
type SizeOf = (id: string) => string;

const ROLE_WORDS: Readonly<Record<GateRole, Text>> = {
  input: { en: 'input', es: 'entrada' },
  forget: { en: 'forget', es: 'olvido' },
  output: { en: 'output', es: 'salida' },
  reset: { en: 'reset', es: 'reinicio' },
};

function dropGates(cell: Cell, role: GateRole, gates: readonly CellNode[], sizeOf: SizeOf): Outcome {
  if (gates.length === 0) return { skip: { code: 'no-gate', role } };
  const coupled = gates.find((g) => isCoupled(cell, g.id));
  if (coupled) return { skip: { code: 'coupled-gate', role, gate: nameOf(coupled) } };
  let edited = cell;
  for (const gate of gates) {
    edited = replaceKind(edited, gate.id, 'constant', { value: 1, size: sizeOf(gate.id) }, []);
    for (const read of readersOf(edited, gate.id)) {
      if (nodeById(edited, read.to)?.kind !== 'multiply') continue;
      const other = inputsOf(edited, read.to).find((c) => c.toPort !== read.toPort);
      if (other && other.from !== gate.id) edited = passThrough(edited, read.to, other.toPort);
    }
  }
  const names = quotedNames(gates);
  const words = ROLE_WORDS[role];
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `The ${words.en} gate ${names} is replaced by the constant 1.`,
      es: `La puerta de ${words.es} ${names} se sustituye por la constante 1.`,
    },
  };
}

function linearCandidate(cell: Cell, candidates: readonly CellNode[]): Outcome {
  if (candidates.length === 0) return { skip: { code: 'no-candidate' } };
  const edited = candidates.reduce((c, n) => passThrough(c, n.id, 'in'), cell);
  const names = quotedNames(candidates);
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `The candidate ${names} is linear: its ${candidates[0].kind} becomes the identity.`,
      es: `El candidato ${names} es lineal: su ${candidates[0].kind} pasa a ser la identidad.`,
    },
  };
}

/** The activations an output gate multiplies (tanh(c_t) in the LSTM). */
function outputActivations(cell: Cell, outputGates: readonly CellNode[]): CellNode[] {
  const found = new Map<string, CellNode>();
  for (const gate of outputGates) {
    for (const read of readersOf(cell, gate.id)) {
      if (nodeById(cell, read.to)?.kind !== 'multiply') continue;
      const other = inputsOf(cell, read.to).find((c) => c.toPort !== read.toPort);
      const node = other && nodeById(cell, other.from);
      if (node && ACTIVATION_KINDS.has(node.kind) && gateRole(node) === undefined) found.set(node.id, node);
    }
  }
  return [...found.values()];
}

function linearOutput(cell: Cell, outputGates: readonly CellNode[]): Outcome {
  if (outputGates.length === 0) return { skip: { code: 'no-gate', role: 'output' } };
  const activations = outputActivations(cell, outputGates);
  if (activations.length === 0) return { skip: { code: 'no-output-activation' } };
  const edited = activations.reduce((c, n) => passThrough(c, n.id, 'in'), cell);
  const kind = activations[0].kind;
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `The ${kind} the output gate multiplies is taken out: the gate reads the cell state itself.`,
      es: `Se quita la ${kind} que multiplica la puerta de salida: la puerta lee el propio estado de la celda.`,
    },
  };
}

/** A peephole of one of `gates`: the add it feeds, the add's other port, and the scale node. */
function findPeephole(cell: Cell, gates: readonly CellNode[]): { add: string; keep: string } | undefined {
  const seen = new Set<string>();
  const stack = gates.flatMap((g) => inputsOf(cell, g.id).map((c) => c.from));
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const node = nodeById(cell, id);
    if (!node || seen.has(id) || (node.kind !== 'add' && node.kind !== 'identity')) continue;
    seen.add(id);
    for (const into of inputsOf(cell, id)) {
      const operand = nodeById(cell, into.from);
      const reads = operand?.kind === 'scale' ? sourceInto(cell, operand.id, 'in')?.from : undefined;
      if (node.kind === 'add' && reads !== undefined && isStateValue(cell, reads)) return { add: id, keep: into.toPort === 'a' ? 'b' : 'a' };
      stack.push(into.from);
    }
  }
  return undefined;
}

function dropPeepholes(cell: Cell, gates: readonly CellNode[]): Outcome {
  let edited = cell;
  const removed: CellNode[] = [];
  for (let found = findPeephole(edited, gates); found && removed.length < cell.nodes.length; found = findPeephole(edited, gates)) {
    const scale = sourceInto(edited, found.add, found.keep === 'a' ? 'b' : 'a')?.from as string;
    edited = passThrough(edited, found.add, found.keep);
    removed.push(nodeById(cell, scale) as CellNode);
  }
  if (removed.length === 0) return { skip: { code: 'no-peepholes' } };
  const names = quotedNames(cell.nodes.filter((n) => removed.includes(n)));
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `The peepholes ${names} (a learned vector times the cell state, into a gate) are removed.`,
      es: `Se quitan las conexiones de mirilla ${names} (un vector aprendido por el estado de la celda, hacia una puerta).`,
    },
  };
}

function coupleGates(cell: Cell, inputs: readonly CellNode[], forgets: readonly CellNode[], sizeOf: SizeOf): Outcome {
  const pair = [['input', inputs], ['forget', forgets]] as const;
  for (const [role, gates] of pair) {
    if (gates.length === 0) return { skip: { code: 'no-gate', role } };
    if (gates.length > 1) return { skip: { code: 'several-gates', role, count: gates.length } };
  }
  for (const [role, [gate]] of pair) if (isCoupled(cell, gate.id)) return { skip: { code: 'coupled-gate', role, gate: nameOf(gate) } };
  const [input, forget] = [inputs[0], forgets[0]];
  if (sizeOf(input.id) !== sizeOf(forget.id)) return { skip: { code: 'gate-sizes-differ', input: nameOf(input), forget: nameOf(forget) } };
  const edited = connect(replaceKind(cell, forget.id, 'one-minus', {}, ['in']), { from: input.id, fromPort: 'out', to: forget.id, toPort: 'in' });
  const [i, f] = [`"${nameOf(input)}"`, `"${nameOf(forget)}"`];
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `The forget gate ${f} becomes 1 − the input gate ${i}; its own weights are removed.`,
      es: `La puerta de olvido ${f} pasa a ser 1 − la puerta de entrada ${i}; sus propios pesos se quitan.`,
    },
  };
}

/** The linears a gate's pre-activation is made from (walking back, stopping at linears, inputs, gates, states and values written into states). */
function gateLinears(cell: Cell, gate: CellNode): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack = inputsOf(cell, gate.id).map((c) => c.from);
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const node = nodeById(cell, id);
    if (!node || seen.has(id)) continue;
    seen.add(id);
    if (node.kind === 'linear') found.push(id);
    else if (node.kind !== 'input' && !isStateValue(cell, id) && gateRole(node) === undefined) stack.push(...inputsOf(cell, id).map((c) => c.from));
  }
  return found;
}

/** Whether a linear's value reaches anything (a state, the output) other than through a gate. */
function feedsMoreThanGates(cell: Cell, linear: string): boolean {
  const seen = new Set<string>();
  const stack = [linear];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const read of readersOf(cell, id)) {
      const node = nodeById(cell, read.to);
      if (!node || seen.has(node.id) || gateRole(node) !== undefined) continue;
      if (node.kind === 'state' || node.kind === 'output') return true;
      seen.add(node.id);
      stack.push(node.id);
    }
  }
  return false;
}

const MAX_CONCAT_INPUTS = 8;

function fullGateRecurrence(cell: Cell, gates: readonly CellNode[], sizeOf: SizeOf): Outcome {
  const linears = [...new Set(gates.flatMap((g) => gateLinears(cell, g)))];
  if (linears.length === 0) return { skip: { code: 'no-gate-product' } };
  const shared = linears.find((id) => feedsMoreThanGates(cell, id));
  if (shared) return { skip: { code: 'shared-product', node: nameOf(nodeById(cell, shared) as CellNode) } };

  let edited = cell;
  const previous: Source[] = [];
  for (const gate of gates) {
    const size = sizeOf(gate.id);
    const added = addNode(edited, 'state', { x: gate.position.x, y: gate.position.y + 90 }, size === 'hidden' ? {} : { size }, { id: `${gate.id}_prev`, label: gate.label });
    edited = connect(added.cell, { from: gate.id, fromPort: 'out', to: added.id, toPort: 'next' });
    previous.push({ node: added.id, port: 'prev' });
  }
  // One new concat per vector the gates' linears read: that vector's parts, then the previous gates.
  const reads = new Map<string, { source: Source; linears: string[] }>();
  for (const id of linears) {
    const into = sourceInto(cell, id, 'in') as Connection;
    const key = `${into.from}\u0000${into.fromPort}`;
    reads.set(key, { source: asSource(into), linears: [...(reads.get(key)?.linears ?? []), id] });
  }
  for (const { source, linears: readers } of reads.values()) {
    const from = nodeById(cell, source.node) as CellNode;
    const parts = from.kind === 'concat' ? concatParts(cell, from.id) : [source];
    const inputs = [...(parts.length + previous.length <= MAX_CONCAT_INPUTS ? parts : [source]), ...previous];
    const added = addNode(edited, 'concat', { x: from.position.x + 40, y: from.position.y + 60 }, inputs.length === 2 ? {} : { inputs: inputs.length }, { id: `${from.id}g` });
    edited = inputs.reduce((c, s, k) => connect(c, { from: s.node, fromPort: s.port, to: added.id, toPort: `in${k}` }), added.cell);
    for (const id of readers) edited = connect(edited, { from: added.id, fromPort: 'out', to: id, toPort: 'in' });
  }
  const names = quotedNames(gates);
  return {
    cell: removeNewlyUnused(cell, edited),
    change: {
      en: `Every gate also reads the previous step's gates ${names}, kept in ${gates.length} new states.`,
      es: `Cada puerta lee también las puertas del paso anterior ${names}, guardadas en ${gates.length} estados nuevos.`,
    },
  };
}

/** What a concat joins, in port order. */
function concatParts(cell: Cell, concat: string): Source[] {
  const into = [...inputsOf(cell, concat)].sort((a, b) => Number(a.toPort.slice(2)) - Number(b.toPort.slice(2)));
  return into.map(asSource);
}

// ---------------------------------------------------------------------------
// The family
// ---------------------------------------------------------------------------

/** What each variant is called after the cell's name, as in the zoo ("LSTM, no input gate (NIG)"). */
const VARIANT_NAMES: Readonly<Record<AblationId, Text>> = {
  nig: { en: 'no input gate', es: 'sin puerta de entrada' },
  nfg: { en: 'no forget gate', es: 'sin puerta de olvido' },
  nog: { en: 'no output gate', es: 'sin puerta de salida' },
  niaf: { en: 'no input activation', es: 'sin activación de entrada' },
  noaf: { en: 'no output activation', es: 'sin activación de salida' },
  np: { en: 'no peepholes', es: 'sin mirillas' },
  cifg: { en: 'coupled input and forget gate', es: 'puertas de entrada y olvido acopladas' },
  fgr: { en: 'full gate recurrence', es: 'recurrencia completa de puertas' },
};

const FALLBACK_NAME: Text = { en: 'Cell', es: 'Celda' };

/** "<cell name>, <variant> (<ID>)", the cell's name cut to fit the name limit. */
function variantName(base: string, id: AblationId, lang: Lang): string {
  const tail = `, ${VARIANT_NAMES[id][lang]} (${id.toUpperCase()})`;
  const room = LIMITS.labelLength - tail.length;
  const start = base.trim() || FALLBACK_NAME[lang];
  return `${start.length > room ? `${start.slice(0, room - 1).trimEnd()}…` : start}${tail}`;
}

function describeVariant(change: string, base: string, lang: Lang): string {
  const from = base.trim() || FALLBACK_NAME[lang];
  return lang === 'es'
    ? `${change}\n\nAblación de "${from}" hecha por Celda (Greff et al., 2017, LSTM: A search space odyssey).`
    : `${change}\n\nAblation of "${from}" made by Celda (Greff et al., 2017, LSTM: A search space odyssey).`;
}

/**
 * The Greff family of `cell`, named and described in `lang`. Fails when the cell does not
 * compile or has no recognisable gate; a variant that does not apply is in `skipped`.
 */
export function ablate(cell: Cell, lang: Lang = 'en'): Result<Ablations> {
  const compiled = compile(cell);
  if (!compiled.ok) return compiled;
  const gates = cell.nodes.filter((n) => gateRole(n) !== undefined);
  if (gates.length === 0) {
    const sigmoids = cell.nodes.filter((n) => GATE_KINDS.has(n.kind)).map(nameOf).slice(0, 10);
    return { ok: false, diagnostics: [error('no-labelled-gates', { sigmoids })] };
  }
  const sizes = compiled.value.shaped.sizes;
  const sizeOf: SizeOf = (id) => formatSize(sizes.get(id) as NonNullable<ReturnType<typeof sizes.get>>);
  const byRole = (role: GateRole) => gates.filter((g) => gateRole(g) === role);
  const outcomes: Readonly<Record<AblationId, () => Outcome>> = {
    nig: () => dropGates(cell, 'input', byRole('input'), sizeOf),
    nfg: () => dropGates(cell, 'forget', byRole('forget'), sizeOf),
    nog: () => dropGates(cell, 'output', byRole('output'), sizeOf),
    niaf: () => linearCandidate(cell, cell.nodes.filter(isCandidate)),
    noaf: () => linearOutput(cell, byRole('output')),
    np: () => dropPeepholes(cell, gates),
    cifg: () => coupleGates(cell, byRole('input'), byRole('forget'), sizeOf),
    fgr: () => fullGateRecurrence(cell, gates, sizeOf),
  };
  const ablations: Ablation[] = [];
  const skipped: Skipped[] = [];
  for (const id of ABLATION_IDS) {
    const outcome = outcomes[id]();
    if ('skip' in outcome) {
      skipped.push({ id, reason: outcome.skip });
      continue;
    }
    const base = cell.metadata.name;
    const name: Text = { en: variantName(base, id, 'en'), es: variantName(base, id, 'es') };
    const variant = setMetadata(outcome.cell, { name: name[lang], description: describeVariant(outcome.change[lang], base, lang) });
    const check = compile(variant);
    if (check.ok) ablations.push({ id, cell: variant, name, change: outcome.change });
    else skipped.push({ id, reason: { code: 'invalid', diagnostics: check.diagnostics } });
  }
  return { ok: true, value: { ablations, skipped }, diagnostics: compiled.diagnostics.slice() };
}

/** Why a variant was skipped, in `lang` (one sentence, no full stop: it follows the variant's id). */
export function renderSkipReason(r: SkipReason, lang: Lang): string {
  const es = lang === 'es';
  switch (r.code) {
    case 'no-gate':
      return es ? `la celda no tiene puerta de ${ROLE_WORDS[r.role].es}` : `the cell has no ${r.role} gate`;
    case 'several-gates':
      return es ? `la celda tiene ${r.count} puertas de ${ROLE_WORDS[r.role].es}; acoplar necesita una` : `the cell has ${r.count} ${r.role} gates; coupling needs one`;
    case 'coupled-gate':
      return es
        ? `la puerta de ${ROLE_WORDS[r.role].es} "${r.gate}" también se usa como 1 − puerta (ya está acoplada)`
        : `the ${r.role} gate "${r.gate}" is also used as 1 − gate (it is already coupled)`;
    case 'no-candidate':
      return es ? 'ningún nodo de activación tiene la etiqueta "candidato"' : 'no activation node is labelled "candidate"';
    case 'no-output-activation':
      return es ? 'la puerta de salida no multiplica ninguna activación' : 'the output gate multiplies no activation';
    case 'no-peepholes':
      return es ? 'ninguna puerta suma un vector aprendido por un estado (una mirilla)' : 'no gate adds a learned vector times a state (a peephole)';
    case 'gate-sizes-differ':
      return es ? `las puertas "${r.input}" y "${r.forget}" no tienen el mismo tamaño` : `the gates "${r.input}" and "${r.forget}" differ in size`;
    case 'no-gate-product':
      return es ? 'ninguna puerta se calcula con un nodo lineal' : 'no gate is computed by a linear node';
    case 'shared-product':
      return es ? `el producto "${r.node}" de las puertas también alimenta otros valores` : `the gates' product "${r.node}" also feeds other values`;
    case 'invalid':
      return (es ? 'la variante no compila: ' : 'the variant does not compile: ') + r.diagnostics.map((d) => renderDiagnostic(d, lang)).join(' ');
  }
}
