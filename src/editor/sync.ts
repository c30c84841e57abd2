/**
 * Keeps a Rete NodeEditor in line with the cell model, which is the source of
 * truth. Pure and DOM-free: it talks to rete's core `NodeEditor` only, so it
 * runs under Node in tests. Rete ids are our ids (node ids as they are, and a
 * connection id built from its two ends), so a view rebuilt from the same cell
 * is the same view. Positions are not touched here: `sync` reports which nodes
 * must move and the area (src/editor/index.ts) moves them.
 */
import { ClassicPreset, NodeEditor, type GetSchemes } from 'rete';
import { nodeDef } from '../../nodes';
import type { NodeDef, ParamDef } from '../../nodes/types';
import type { Cell, CellNode, Connection, ParamValue } from '../model/cell';
import { renderDiagnostic, type Diagnostic } from '../model/diagnostics';
import { displaySize } from '../model/sizes';

export type Lang = 'en' | 'es';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** One socket type: sizes are checked by the compiler, not by socket types. */
const VECTOR = new ClassicPreset.Socket('vector');

/** A hostile file could ask for a million ports; the registry caps real ones far lower. */
const MAX_PORTS = 64;

/** What the node component draws about one port. */
export interface PortView {
  readonly key: string;
  readonly label: string;
  /** What the port is, in the UI language (its tooltip). */
  readonly title: string;
}

/** A node as the canvas shows it. Every field is plain data copied from the model and the analysis. */
export class CeldaNode extends ClassicPreset.Node {
  /** Measured by the area (auto-arrange, minimap and zoom read them). */
  width = 120;
  height = 56;
  kind: string;
  /** The glyph drawn big: σ, tanh, ⊙, +, 1−, [·,·], W·v+b, z⁻¹… */
  symbol = '?';
  role: NodeDef['role'] | 'unknown' = 'unknown';
  /** The node's own label (free text from the file: shown as text only), or ''. */
  caption = '';
  /** The primitive's name in the UI language, e.g. "Sigmoid". */
  kindLabel = '';
  inputPorts: readonly PortView[] = [];
  outputPort: PortView | null = null;
  /** Inferred output size in the UI language, e.g. "hidden + input" ("oculto + entrada"), or ''. */
  size = '';
  /** Error messages about this node, one per line, or ''. */
  error = '';
  warning = '';
  /** The node's values at the scrubbed time step (teaching mode), or ''. */
  values = '';
  /** How active the node is while a cell trains (mean activation scaled to [0, 1]), or null. */
  activity: number | null = null;
  /** Bumped on every change that re-renders the node. */
  version = 0;

  constructor(node: CellNode, lang: Lang) {
    super(node.label ?? node.kind);
    this.id = node.id;
    this.kind = node.kind;
    describe(this, node, lang);
  }
}

export class CeldaConnection extends ClassicPreset.Connection<CeldaNode, CeldaNode> {
  /** The model connection this stands for. */
  readonly model: Connection;
  /** Feeds a state's "next": the value crosses to the next time step. */
  readonly recurrent: boolean;

  constructor(source: CeldaNode, target: CeldaNode, c: Connection) {
    super(source, c.fromPort, target, c.toPort);
    this.id = connectionId(c);
    this.model = { from: c.from, fromPort: c.fromPort, to: c.to, toPort: c.toPort };
    this.recurrent = target.role === 'state';
  }
}

export type Schemes = GetSchemes<CeldaNode, CeldaConnection>;

/**
 * Our connection id: both ends. Node ids never contain "|" (ID_PATTERN), and
 * port names come from the registry, so the id is unambiguous and stable.
 */
export function connectionId(c: Connection): string {
  return `${c.from}|${c.fromPort}|${c.to}|${c.toPort}`;
}

function withDefaults(defs: Readonly<Record<string, ParamDef>>, given: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(defs)) params[name] = Object.hasOwn(given, name) ? given[name] : spec.default;
  return params;
}

/** Input port names of a model node (concat's `inputs` param decides how many). */
export function inputPortsOf(node: CellNode): readonly string[] {
  const def = nodeDef(node.kind);
  if (!def) return [];
  try {
    const ports = def.inputPorts(withDefaults(def.params, node.params));
    return Array.isArray(ports) ? ports.slice(0, MAX_PORTS) : [];
  } catch {
    // Invalid params (the compiler reports them): no ports until they are fixed.
    return [];
  }
}

const STATE_LABELS: Readonly<Record<string, string>> = { next: 'h_t', prev: 'h_t−1' };

const PORT_WORDS = {
  en: { input: 'input', output: 'output', next: 'next value, h_t', prev: 'previous value, h_t−1' },
  es: { input: 'entrada', output: 'salida', next: 'valor siguiente, h_t', prev: 'valor anterior, h_t−1' },
} as const;

/** A port's tooltip: the registry's port names are identifiers ("in", "out", "in0"…), read out in the UI language. */
function portTitle(key: string, lang: Lang): string {
  const words = PORT_WORDS[lang];
  if (key === 'in') return words.input;
  if (key === 'out') return words.output;
  if (key === 'next' || key === 'prev') return words[key];
  const numbered = /^in(\d+)$/.exec(key);
  return numbered ? `${words.input} ${Number(numbered[1]) + 1}` : key;
}

function portView(key: string, role: string, lang: Lang): PortView {
  return { key, label: role === 'state' ? (STATE_LABELS[key] ?? key) : key, title: portTitle(key, lang) };
}

const samePort = (a: PortView | null, b: PortView | null): boolean => a?.key === b?.key && a?.label === b?.label && a?.title === b?.title;

/** Copies what the node component shows from the model node; says whether anything changed. */
function describe(view: CeldaNode, node: CellNode, lang: Lang): boolean {
  const def = nodeDef(node.kind);
  const role = def?.role ?? 'unknown';
  const inputs = inputPortsOf(node).map((key) => portView(key, role, lang));
  const outKey = def?.outputPort ?? null;
  const output = outKey === null ? null : portView(outKey, role, lang);
  const caption = node.label ?? '';
  const symbol = def?.symbol ?? '?';
  const kindLabel = def ? def.label[lang] : node.kind;
  const samePorts = view.inputPorts.length === inputs.length && view.inputPorts.every((p, i) => samePort(p, inputs[i])) && samePort(view.outputPort, output);
  const same = samePorts && view.caption === caption && view.symbol === symbol && view.kindLabel === kindLabel && view.role === role;
  if (same) return false;
  view.caption = caption;
  view.label = caption || kindLabel;
  view.symbol = symbol;
  view.kindLabel = kindLabel;
  view.role = role;
  if (!samePorts) {
    view.inputPorts = inputs;
    view.outputPort = output;
    for (const key of Object.keys(view.inputs)) if (!inputs.some((p) => p.key === key)) view.removeInput(key);
    inputs.forEach((p, index) => {
      const existing = view.inputs[p.key];
      if (existing) {
        existing.label = p.label;
        existing.index = index;
      } else {
        const input = new ClassicPreset.Input(VECTOR, p.label, false);
        input.index = index;
        view.addInput(p.key, input);
      }
    });
    for (const key of Object.keys(view.outputs)) if (key !== output?.key) view.removeOutput(key);
    if (output) {
      const existing = view.outputs[output.key];
      if (existing) existing.label = output.label;
      else view.addOutput(output.key, new ClassicPreset.Output(VECTOR, output.label, true));
    }
  }
  return true;
}

/** What the compiler says about each node, as the canvas shows it. */
export interface Decorations {
  /** Inferred output size per node id (Analysis.sizes). */
  readonly sizes?: ReadonlyMap<string, string>;
  readonly diagnostics?: readonly Diagnostic[];
  /** Values shown under nodes (the inside view's time scrubber, teaching mode), as text. */
  readonly values?: ReadonlyMap<string, string>;
  /** Live training: each gate's mean activation scaled to [0, 1], drawn as a fill. */
  readonly activity?: ReadonlyMap<string, number>;
}

/** What one sync changed, so the area can follow. */
export interface SyncChanges {
  readonly addedNodes: string[];
  readonly removedNodes: string[];
  /** Nodes whose drawing changed (label, ports, size, error): the area re-renders them. */
  readonly updatedNodes: string[];
  readonly addedConnections: string[];
  readonly removedConnections: string[];
  /** Where nodes must be moved to: new nodes, and nodes the model moved (undo, arrange, another view). */
  readonly moves: Map<string, Point>;
}

const samePoint = (a: Point | undefined, b: Point): boolean => a !== undefined && a.x === b.x && a.y === b.y;

function messagesByNode(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity'], lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.severity !== severity || !d.nodeId) continue;
    const before = out.get(d.nodeId);
    const message = renderDiagnostic(d, lang);
    out.set(d.nodeId, before ? `${before}\n${message}` : message);
  }
  return out;
}

/**
 * Diffs cells against one NodeEditor. Calls are serialised: a call made while
 * another runs waits for it, and calls that pile up meanwhile collapse into one
 * (the latest cell wins), so a 60 fps drag never queues work.
 */
export class ViewSync {
  readonly editor: NodeEditor<Schemes>;
  #lang: () => Lang;
  #lastLang: Lang;
  /** The model node each Rete node was last built from (identity tells "unchanged"). */
  #nodes = new Map<string, CellNode>();
  #connections: readonly Connection[] | null = null;
  #sizes: ReadonlyMap<string, string> | undefined;
  #values: ReadonlyMap<string, string> | undefined;
  #activity: ReadonlyMap<string, number> | undefined;
  #diagnostics: readonly Diagnostic[] | undefined;
  /** Where each node is in the view, as far as the model knows. */
  #positions = new Map<string, Point>();
  /** Connection ids this class is adding or removing right now (their events are not gestures). */
  #own = new Set<string>();
  /** Connection ids being removed by anyone (a gesture and a sync can race). */
  #removing = new Set<string>();
  #running: Promise<void> = Promise.resolve();
  #queued: { cell: Cell; decorations: Decorations; done: Promise<SyncChanges> } | null = null;

  constructor(editor: NodeEditor<Schemes>, lang: () => Lang = () => 'en') {
    this.editor = editor;
    this.#lang = lang;
    this.#lastLang = lang();
    // Rete's removeConnection splices at indexOf(connection) after an await: two removals of one
    // connection in flight would splice at -1 and drop the last connection. The second one is refused.
    editor.addPipe((context) => {
      if (context.type === 'connectionremove') {
        if (this.#removing.has(context.data.id)) return undefined;
        this.#removing.add(context.data.id);
      } else if (context.type === 'connectionremoved') {
        this.#removing.delete(context.data.id);
      }
      return context;
    });
  }

  /** Whether an event about this connection comes from a sync (and so is no user gesture). */
  owns(connectionId: string): boolean {
    return this.#own.has(connectionId);
  }

  /** The view moved these nodes (a drag) and the model is being told: they are where the model will say. */
  noteViewPositions(positions: ReadonlyMap<string, Point>): void {
    for (const [id, p] of positions) this.#positions.set(id, { x: p.x, y: p.y });
  }

  /** Brings the editor in line with `cell`. Resolves once a sync that includes this cell has finished. */
  sync(cell: Cell, decorations: Decorations = {}): Promise<SyncChanges> {
    if (this.#queued) {
      this.#queued.cell = cell;
      this.#queued.decorations = decorations;
      return this.#queued.done;
    }
    const entry = { cell, decorations, done: undefined as unknown as Promise<SyncChanges> };
    entry.done = this.#running.then(() => {
      this.#queued = null;
      return this.#apply(entry.cell, entry.decorations);
    });
    this.#queued = entry;
    this.#running = entry.done.then(
      () => undefined,
      () => undefined,
    );
    return entry.done;
  }

  async #apply(cell: Cell, decorations: Decorations): Promise<SyncChanges> {
    const editor = this.editor;
    const lang = this.#lang();
    const langChanged = lang !== this.#lastLang;
    this.#lastLang = lang;
    const changes: SyncChanges = { addedNodes: [], removedNodes: [], updatedNodes: [], addedConnections: [], removedConnections: [], moves: new Map() };
    const wanted = new Map(cell.nodes.map((n) => [n.id, n]));

    // Decorations per node, only when the analysis changed.
    const decorationsChanged = decorations.sizes !== this.#sizes || decorations.diagnostics !== this.#diagnostics || decorations.values !== this.#values || decorations.activity !== this.#activity;
    this.#sizes = decorations.sizes;
    this.#values = decorations.values;
    this.#activity = decorations.activity;
    this.#diagnostics = decorations.diagnostics;
    // Messages are worded in the UI language, so a language change rewords them.
    const reword = decorationsChanged || langChanged;
    const errors = reword ? messagesByNode(decorations.diagnostics ?? [], 'error', lang) : undefined;
    const warnings = reword ? messagesByNode(decorations.diagnostics ?? [], 'warning', lang) : undefined;

    // 1. Nodes to rebuild: gone from the model, or of another kind now.
    const rebuilt = new Set<string>();
    for (const view of editor.getNodes()) {
      const node = wanted.get(view.id);
      if (!node || node.kind !== view.kind) rebuilt.add(view.id);
    }

    // 2. Describe (and port) surviving nodes from the new model before touching connections.
    const updated = new Set<string>();
    for (const node of cell.nodes) {
      const view = editor.getNode(node.id);
      if (!view || rebuilt.has(node.id)) continue;
      if ((this.#nodes.get(node.id) !== node || langChanged) && describe(view, node, lang)) updated.add(node.id);
    }

    // 3. Connections: the model's, kept where both ends and ports exist.
    const portsChanged = updated.size > 0 || rebuilt.size > 0 || cell.nodes.length !== this.#nodes.size;
    if (cell.connections !== this.#connections || portsChanged) {
      const desired = new Map<string, Connection>();
      for (const c of cell.connections) {
        const from = wanted.get(c.from);
        const to = wanted.get(c.to);
        if (!from || !to) continue;
        if (nodeDef(from.kind)?.outputPort !== c.fromPort || !inputPortsOf(to).includes(c.toPort)) continue;
        desired.set(connectionId(c), c);
      }
      for (const c of editor.getConnections()) {
        if (desired.has(c.id) && !rebuilt.has(c.source) && !rebuilt.has(c.target)) continue;
        await this.#removeConnection(c.id);
        changes.removedConnections.push(c.id);
      }
      this.#connections = cell.connections;
      // Nodes first (below), then the connections that are still missing.
      await this.#syncNodes(cell, wanted, rebuilt, updated, changes, lang, errors, warnings);
      for (const [id, c] of desired) {
        if (editor.getConnection(id)) continue;
        const source = editor.getNode(c.from);
        const target = editor.getNode(c.to);
        if (!source || !target) continue;
        this.#own.add(id);
        try {
          await editor.addConnection(new CeldaConnection(source, target, c));
        } finally {
          this.#own.delete(id);
        }
        changes.addedConnections.push(id);
      }
    } else {
      await this.#syncNodes(cell, wanted, rebuilt, updated, changes, lang, errors, warnings);
    }
    changes.updatedNodes.push(...[...updated].filter((id) => editor.getNode(id) && !changes.addedNodes.includes(id)));
    return changes;
  }

  async #syncNodes(
    cell: Cell,
    wanted: Map<string, CellNode>,
    rebuilt: Set<string>,
    updated: Set<string>,
    changes: SyncChanges,
    lang: Lang,
    errors: Map<string, string> | undefined,
    warnings: Map<string, string> | undefined,
  ): Promise<void> {
    const editor = this.editor;
    for (const id of rebuilt) {
      for (const c of editor.getConnections()) {
        if (c.source !== id && c.target !== id) continue;
        await this.#removeConnection(c.id);
        changes.removedConnections.push(c.id);
      }
      await editor.removeNode(id);
      this.#nodes.delete(id);
      this.#positions.delete(id);
      if (!wanted.has(id)) changes.removedNodes.push(id);
    }
    for (const node of cell.nodes) {
      let view = editor.getNode(node.id);
      if (!view) {
        view = new CeldaNode(node, lang);
        this.#decorate(view, errors, warnings, true);
        await editor.addNode(view);
        changes.addedNodes.push(node.id);
        changes.moves.set(node.id, node.position);
        this.#positions.set(node.id, node.position);
        this.#nodes.set(node.id, node);
        continue;
      }
      if (this.#nodes.get(node.id) !== node) {
        if (!samePoint(this.#positions.get(node.id), node.position)) {
          changes.moves.set(node.id, node.position);
          this.#positions.set(node.id, node.position);
        }
        this.#nodes.set(node.id, node);
      }
      if (this.#decorate(view, errors, warnings, false)) updated.add(node.id);
      if (updated.has(node.id)) view.version += 1;
    }
  }

  /** Copies size (in the UI language) and diagnostics onto a node; says whether they changed. */
  #decorate(view: CeldaNode, errors: Map<string, string> | undefined, warnings: Map<string, string> | undefined, fresh: boolean): boolean {
    if (!errors || !warnings) {
      if (!fresh) return false;
      // A node added while the analysis stayed the same (cannot happen with a derived analysis, but be exact).
      errors = messagesByNode(this.#diagnostics ?? [], 'error', this.#lastLang);
      warnings = messagesByNode(this.#diagnostics ?? [], 'warning', this.#lastLang);
    }
    const size = displaySize(this.#sizes?.get(view.id) ?? '', this.#lastLang);
    const error = errors.get(view.id) ?? '';
    const warning = warnings.get(view.id) ?? '';
    const values = this.#values?.get(view.id) ?? '';
    const activity = this.#activity?.get(view.id) ?? null;
    if (size === view.size && error === view.error && warning === view.warning && values === view.values && activity === view.activity) return false;
    view.size = size;
    view.error = error;
    view.warning = warning;
    view.values = values;
    view.activity = activity;
    return true;
  }

  async #removeConnection(id: string): Promise<void> {
    if (!this.editor.getConnection(id) || this.#removing.has(id)) return;
    this.#own.add(id);
    try {
      await this.editor.removeConnection(id);
    } finally {
      this.#own.delete(id);
    }
  }
}

/** The view read back as model data (ids, kinds, labels and connections): tests compare it with the cell. */
export function readView(editor: NodeEditor<Schemes>): { nodes: { id: string; kind: string; label?: string; inputs: string[]; output: string | null }[]; connections: Connection[] } {
  return {
    nodes: editor.getNodes().map((n) => ({
      id: n.id,
      kind: n.kind,
      ...(n.caption && { label: n.caption }),
      inputs: n.inputPorts.map((p) => p.key),
      output: n.outputPort?.key ?? null,
    })),
    connections: editor.getConnections().map((c) => ({ ...c.model })),
  };
}
