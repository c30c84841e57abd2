/**
 * The canvas: a Rete.js v2 view of the cell model, rendered with Svelte 5.
 * The only folder that imports rete*. The model (src/model) is the source of
 * truth: gestures become model edits through `callbacks.apply`, and `sync`
 * brings the view in line with the model (after undo, redo, open, or edits
 * made elsewhere). See DESIGN.md §1 and §10 (Rete's createEditor(el) → { destroy }).
 *
 * Feedback loops: every change `sync` makes to Rete is marked (connection ids
 * in ViewSync.owns, node ids in `moving`, a quiet counter for selection), and
 * events about marked changes are never turned back into edits.
 */
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ClassicFlow, ConnectionPlugin, getSourceTarget, type SocketData } from 'rete-connection-plugin';
import { ContextMenuPlugin, type ContextMenuExtra } from 'rete-context-menu-plugin';
import { MinimapPlugin, type MinimapExtra } from 'rete-minimap-plugin';
import { getDOMSocketPosition } from 'rete-render-utils';
import { Presets, SveltePlugin, type SvelteArea2D } from 'rete-svelte-plugin/5';
import { NODES, nodeDef } from '../../nodes';
import type { Analysis, ConnectionCheck } from '../compiler/analyze';
import type { Cell, Connection } from '../model/cell';
import { addNode, connect, disconnect, moveNodes, removeNodes } from '../model/edit';
import ConnectionView from './components/Connection.svelte';
import NodeView from './components/Node.svelte';
import SocketView from './components/Socket.svelte';
import './editor.css';
import { isBackward, wirePath, type Bounds } from './paths';
import { CeldaConnection, ViewSync, type Lang, type Point, type Schemes } from './sync';

export interface CanvasCallbacks {
  /** The current model. */
  cell(): Cell;
  /** Applies an edit to the model (and records it for undo); `merge` folds it into the last step. */
  apply(edit: (cell: Cell) => Cell, merge?: boolean): void;
  select(ids: readonly string[]): void;
  /** Whether a connection may be made; the reason is shown when not. */
  checkConnection(c: Connection): ConnectionCheck;
  /** A short message for the status line. */
  notify(message: string): void;
}

export interface CanvasHandle {
  /** Brings the view in line with the model: nodes, connections, positions, sizes on sockets, error marks, selection. */
  /**
   * `values`: text shown under nodes (teaching mode), by node id; `activity`: each node's
   * live mean activation in [0, 1] while a cell trains. Neither changes a node's size.
   */
  sync(cell: Cell, analysis: Analysis, selection: readonly string[], values?: ReadonlyMap<string, string>, activity?: ReadonlyMap<string, number>): Promise<void>;
  zoomToFit(): Promise<void>;
  /** Selects and centres a node (clicking a problem). */
  focus(nodeId: string): Promise<void>;
  /** Lays the graph out left to right (elkjs, loaded on first use). */
  arrange(): Promise<void>;
  /** Adds a node of `kind` where the pointer is (palette drop), or at the view's centre. */
  addNode(kind: string, client?: { x: number; y: number }): void;
  /** The view: area point (0,0) is drawn at client offset (x, y) of the canvas, scaled by `zoom`. */
  view(): CanvasViewState;
  /** Moves and scales the view (a saved project's view); non-finite or out-of-range values are ignored. */
  setView(v: CanvasViewState): Promise<void>;
  destroy(): void;
}

export interface CanvasViewState { readonly x: number; readonly y: number; readonly zoom: number }

export interface EditorOptions {
  /** The UI language, read when menus open and on every sync. */
  lang?: () => Lang;
  /** Called after the view was zoomed or panned (by the user or by the app). */
  onView?: (view: CanvasViewState) => void;
}

export type { Lang } from './sync';

type AreaExtra = SvelteArea2D<Schemes> | ContextMenuExtra | MinimapExtra;

const TEXT = {
  en: { delete: 'Delete', deleteMany: (n: number) => `Delete ${n} nodes`, deleteConnection: 'Delete connection' },
  es: { delete: 'Eliminar', deleteMany: (n: number) => `Eliminar ${n} nodos`, deleteConnection: 'Eliminar conexión' },
} as const;

/** Half of a typical node, so a dropped node lands centred on the pointer. */
const DROP_OFFSET = { x: 50, y: 26 };

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

/** Runs `run` one call at a time; calls made meanwhile collapse into one with the latest arguments. */
function latestWins<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let queued: { args: A; done: Promise<void> } | null = null;
  return (...args: A) => {
    if (queued) {
      queued.args = args;
      return queued.done;
    }
    const entry: { args: A; done: Promise<void> } = { args, done: Promise.resolve() };
    entry.done = running.then(() => {
      queued = null;
      return run(...entry.args);
    });
    queued = entry;
    running = entry.done.catch(() => undefined);
    return entry.done;
  };
}

type Entity = { label: string; id: string; unselect(): void | Promise<void>; translate(dx: number, dy: number): void | Promise<void> };

/** Rete's selector, telling us when the user changed the selection. */
class ReportingSelector extends AreaExtensions.Selector<Entity> {
  constructor(private readonly changed: () => void) {
    super();
  }

  override async add(entity: Entity, accumulate: boolean): Promise<void> {
    await super.add(entity, accumulate);
    this.changed();
  }

  override async remove(entity: Pick<Entity, 'label' | 'id'>): Promise<void> {
    await super.remove(entity);
    this.changed();
  }

  nodeIds(): string[] {
    return [...this.entities.values()].filter((e) => e.label === 'node').map((e) => e.id);
  }
}

export async function createEditor(el: HTMLElement, callbacks: CanvasCallbacks, options: EditorOptions = {}): Promise<CanvasHandle> {
  const lang = options.lang ?? ((): Lang => 'en');
  const editor = new NodeEditor<Schemes>();
  const area = new AreaPlugin<Schemes, AreaExtra>(el);
  const connection = new ConnectionPlugin<Schemes, AreaExtra>();
  const render = new SveltePlugin<Schemes, AreaExtra>();
  const view = new ViewSync(editor, lang);
  el.classList.add('celda-canvas');
  const cleanups: (() => void)[] = [];
  let destroyed = false;

  // ---- Gestures: one pointer-down to the next is one gesture; its edits merge into one undo step.
  let gestureApplied = false;
  let accumulate = false;
  /** Pressing on a node that is already selected keeps the selection (to drag it as a group). */
  let pickedSelected: string | null = null;
  let movedSincePick = false;
  const gestureApply = (edit: (cell: Cell) => Cell): void => {
    callbacks.apply(edit, gestureApplied);
    gestureApplied = true;
  };

  // ---- Node drags → moveNodes, batched per frame.
  /** Nodes sync is moving right now, and nodes sync has put in place (only those can be dragged). */
  const moving = new Set<string>();
  const placed = new Set<string>();
  const pendingMoves = new Map<string, Point>();
  let frame = 0;
  const flushMoves = (): void => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (pendingMoves.size === 0) return;
    const model = new Map(callbacks.cell().nodes.map((n) => [n.id, n.position]));
    const positions = new Map<string, Point>();
    for (const [id, p] of pendingMoves) {
      const at = { x: Math.round(p.x), y: Math.round(p.y) };
      const before = model.get(id);
      if (before && (before.x !== at.x || before.y !== at.y)) positions.set(id, at);
    }
    pendingMoves.clear();
    if (positions.size === 0) return;
    view.noteViewPositions(positions);
    gestureApply((cell) => moveNodes(cell, positions));
  };

  const onPointerDown = (e: PointerEvent): void => {
    flushMoves();
    gestureApplied = false;
    accumulate = e.ctrlKey || e.metaKey || e.shiftKey;
  };
  const onPointerUp = (): void => {
    flushMoves();
    selector.release();
    // A plain click (no drag) on a node of a group selection selects that node alone.
    const clicked = pickedSelected;
    pickedSelected = null;
    if (clicked && !accumulate && !movedSincePick) {
      const entity = selector.entities.get(`node_${clicked}`);
      if (entity && selector.nodeIds().length > 1) void selector.add(entity, false);
    }
  };
  el.addEventListener('pointerdown', onPointerDown, { capture: true });
  window.addEventListener('pointerup', onPointerUp, { capture: true });
  cleanups.push(() => {
    el.removeEventListener('pointerdown', onPointerDown, { capture: true });
    window.removeEventListener('pointerup', onPointerUp, { capture: true });
    if (frame) cancelAnimationFrame(frame);
  });

  // ---- Selection: the user's clicks are reported; the model's selection is shown quietly.
  let quiet = 0;
  let reportQueued = false;
  let modelSelection: readonly string[] = [];
  const selector = new ReportingSelector(() => {
    if (quiet > 0 || reportQueued) return;
    reportQueued = true;
    queueMicrotask(() => {
      reportQueued = false;
      if (destroyed) return;
      const ids = selector.nodeIds();
      if (sameIds(ids, modelSelection)) return;
      modelSelection = ids;
      callbacks.select(ids);
    });
  });

  // ---- The model decides what connections exist: validate first, then edit the model.
  const toModel = (source: string, sourceOutput: unknown, target: string, targetInput: unknown): Connection => ({
    from: source,
    fromPort: String(sourceOutput),
    to: target,
    toPort: String(targetInput),
  });
  editor.addPipe((context) => {
    if (context.type === 'connectioncreate') {
      // Our own connections come from sync; anything else is the user's drag.
      const data: unknown = context.data;
      if (data instanceof CeldaConnection) return context;
      const raw = data as { source: string; sourceOutput: unknown; target: string; targetInput: unknown };
      const c = toModel(raw.source, raw.sourceOutput, raw.target, raw.targetInput);
      const check = callbacks.checkConnection(c);
      if (!check.ok) {
        callbacks.notify(check.reason);
        return undefined;
      }
      gestureApply((cell) => connect(cell, c));
      return undefined; // sync adds it, with our id
    }
    if (context.type === 'connectionremoved' && context.data instanceof CeldaConnection && !view.owns(context.data.id)) {
      const c = context.data.model;
      gestureApply((cell) => disconnect(cell, c));
    }
    return context;
  });

  // Checked before the connection plugin drops an input's old connection, so a refused
  // connection leaves the existing one alone.
  // A refused drop lets go of the wire (Rete would keep it on the pointer); a click on the
  // socket the wire started from keeps it, so click-then-click connecting still works.
  const letGo = (): void => {
    setTimeout(() => connection.drop(), 0);
  };
  const canMakeConnection = (from: SocketData, to: SocketData): boolean => {
    const ends = getSourceTarget(from, to);
    if (!ends) {
      if (from.nodeId !== to.nodeId || from.side !== to.side || from.key !== to.key) letGo();
      return false;
    }
    const [source, target] = ends;
    const c = toModel(source.nodeId, source.key, target.nodeId, target.key);
    const existing = callbacks.cell().connections.some((x) => x.from === c.from && x.fromPort === c.fromPort && x.to === c.to && x.toPort === c.toPort);
    if (existing) return true;
    const check = callbacks.checkConnection(c);
    if (!check.ok) {
      callbacks.notify(check.reason);
      letGo();
    }
    return check.ok;
  };
  connection.addPreset(() => new ClassicFlow({ canMakeConnection }));

  // ---- Area: node moves, context menu position, node sizes.
  let menuAt: Point = { x: 0, y: 0 };
  const sizes = new ResizeObserver((entries) => {
    if (destroyed) return;
    for (const entry of entries) {
      const target = entry.target as HTMLElement;
      const id = target.dataset.nodeId;
      const node = id ? editor.getNode(id) : undefined;
      if (!node || !target.isConnected) continue;
      const width = target.offsetWidth;
      const height = target.offsetHeight;
      if (width === node.width && height === node.height) continue;
      node.width = width;
      node.height = height;
      void area.emit({ type: 'noderesized', data: { id: node.id, size: { width, height } } });
    }
  });
  cleanups.push(() => sizes.disconnect());
  const observed = new Map<string, Element>();

  // Top and bottom of all nodes, for wires that loop back around the cell. When they change,
  // the backward wires are redrawn (once per frame at most).
  let bounds: Bounds | null = null;
  let drawnBounds: Bounds | undefined;
  const backWires = new Set<string>();
  let boundsFrame = 0;
  const currentBounds = (): Bounds | undefined => {
    if (bounds) return bounds;
    let top = Infinity;
    let bottom = -Infinity;
    for (const [id, v] of area.nodeViews) {
      const node = editor.getNode(id);
      if (!node) continue;
      top = Math.min(top, v.position.y);
      bottom = Math.max(bottom, v.position.y + node.height);
    }
    if (top > bottom) return undefined;
    bounds = { top, bottom };
    return bounds;
  };
  const boundsChanged = (): void => {
    bounds = null;
    if (boundsFrame) return;
    boundsFrame = requestAnimationFrame(() => {
      boundsFrame = 0;
      const now = currentBounds();
      if (destroyed || !now || (drawnBounds && now.top === drawnBounds.top && now.bottom === drawnBounds.bottom)) return;
      drawnBounds = now;
      for (const id of backWires) if (editor.getConnection(id)) void area.update('connection', id);
    });
  };
  cleanups.push(() => cancelAnimationFrame(boundsFrame));

  area.addPipe((context) => {
    if (context.type === 'zoomed' || context.type === 'translated') {
      const t = area.area.transform;
      // Node labels and sizes read it to stay legible when zoomed out (components/Node.svelte).
      if (context.type === 'zoomed') el.style.setProperty('--celda-zoom', String(t.k));
      options.onView?.({ x: t.x, y: t.y, zoom: t.k });
    }
    if (context.type === 'nodetranslated' || context.type === 'noderesized' || context.type === 'nodecreated' || context.type === 'noderemoved') boundsChanged();
    if (context.type === 'render' && context.data.type === 'contextmenu') {
      const element = context.data.element;
      requestAnimationFrame(() => keepInside(element));
    }
    if (context.type === 'nodepicked') {
      pickedSelected = selector.isSelected({ label: 'node', id: context.data.id }) ? context.data.id : null;
      movedSincePick = false;
    }
    if (context.type === 'nodetranslated') {
      const { id, position, previous } = context.data;
      // Not ours, placed already (a new node view first "moves" to 0,0 by itself), and a real move.
      if (!moving.has(id) && placed.has(id) && (position.x !== previous.x || position.y !== previous.y)) {
        pendingMoves.set(id, position);
        movedSincePick = true;
        if (!frame) frame = requestAnimationFrame(flushMoves);
      }
    } else if (context.type === 'contextmenu') {
      menuAt = clientToArea({ x: context.data.event.clientX, y: context.data.event.clientY });
    } else if (context.type === 'rendered' && context.data.type === 'node') {
      const root = context.data.element.querySelector<HTMLElement>('[data-node-id]');
      const id = context.data.payload.id;
      if (root && observed.get(id) !== root) {
        const before = observed.get(id);
        if (before) sizes.unobserve(before);
        observed.set(id, root);
        sizes.observe(root);
      }
    } else if (context.type === 'noderemoved') {
      const before = observed.get(context.data.id);
      if (before) sizes.unobserve(before);
      observed.delete(context.data.id);
    } else if (context.type === 'connectionremoved') {
      backWires.delete(context.data.id);
    }
    return context;
  });

  render.addPipe((context) => {
    if (context.type === 'connectionpath' && !(context.data.payload as { isPseudo?: boolean }).isPseudo) {
      const [start, end] = context.data.points;
      const around = currentBounds();
      const path = wirePath(start, end, around);
      if (isBackward(start, end)) {
        backWires.add(context.data.payload.id);
        drawnBounds = around;
      } else backWires.delete(context.data.payload.id);
      return { ...context, data: { ...context.data, path } };
    }
    return context;
  });

  render.addPreset(
    Presets.classic.setup({
      // Our sockets are 14 px rings: wires end at the ring's edge.
      socketPositionWatcher: getDOMSocketPosition({ offset: (p, _node, side) => ({ x: p.x + (side === 'input' ? -7 : 7), y: p.y }) }),
      customize: {
        node: () => NodeView,
        socket: () => SocketView,
        connection: () => ConnectionView,
      },
    }),
  );
  render.addPreset(Presets.contextMenu.setup({ delay: 300 }));
  render.addPreset(Presets.minimap.setup({ size: 110 }));

  const contextMenu = new ContextMenuPlugin<Schemes>({
    items: (context) => {
      const t = TEXT[lang()];
      if (context === 'root') {
        // No search bar: the preset builds a RegExp from the typed text, and "[" (as in [·,·]) throws.
        return {
          searchBar: false,
          list: NODES.map((def) => ({
            label: def.label[lang()].toLowerCase().includes(def.symbol.toLowerCase()) ? def.label[lang()] : `${def.symbol}  ${def.label[lang()]}`,
            key: def.kind,
            handler: () => addAt(def.kind, { x: menuAt.x - DROP_OFFSET.x, y: menuAt.y - DROP_OFFSET.y }),
          })),
        };
      }
      if ('source' in context && 'target' in context) {
        const c = (context as unknown as CeldaConnection).model;
        return { searchBar: false, list: [{ label: t.deleteConnection, key: 'delete', handler: () => callbacks.apply((cell) => disconnect(cell, c)) }] };
      }
      const id = context.id;
      const selected = selector.nodeIds();
      const ids = selected.includes(id) ? selected : [id];
      return {
        searchBar: false,
        list: [{ label: ids.length > 1 ? t.deleteMany(ids.length) : t.delete, key: 'delete', handler: () => callbacks.apply((cell) => removeNodes(cell, ids)) }],
      };
    },
  });

  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(contextMenu);
  area.use(throttledMinimap());

  AreaExtensions.selectableNodes(area, selector, { accumulating: { active: () => accumulate || pickedSelected !== null } });
  AreaExtensions.simpleNodesOrder(area);
  AreaExtensions.restrictor(area, { scaling: { min: 0.1, max: 2 } });
  const selectable = { select: (id: string) => selectNode(id), unselect: (id: string) => selector.remove({ label: 'node', id }) };

  // The same entity selectableNodes builds for a picked node, for selecting from the model.
  async function selectNode(id: string): Promise<void> {
    const node = editor.getNode(id);
    if (!node) return;
    await selector.add(
      {
        label: 'node',
        id,
        translate: async (dx, dy) => {
          const v = area.nodeViews.get(id);
          if (v) await v.translate(v.position.x + dx, v.position.y + dy);
        },
        unselect: () => {
          if (node.selected) {
            node.selected = false;
            void area.update('node', id);
          }
        },
      },
      true,
    );
    if (!node.selected) {
      node.selected = true;
      void area.update('node', id);
    }
  }

  // ---- Geometry.
  /** Moves an open context menu (position: fixed at the pointer) back inside the canvas. */
  function keepInside(element: HTMLElement): void {
    const menu = element.firstElementChild;
    if (!(menu instanceof HTMLElement)) return;
    const frame = el.getBoundingClientRect();
    menu.style.maxHeight = `${Math.max(120, frame.height - 16)}px`;
    const box = menu.getBoundingClientRect();
    const dy = Math.min(0, frame.bottom - 8 - box.bottom);
    const dx = Math.min(0, frame.right - 8 - box.right);
    if (dy < 0) element.style.top = `${Math.max(frame.top + 8, parseFloat(element.style.top) + dy)}px`;
    if (dx < 0) element.style.left = `${parseFloat(element.style.left) + dx}px`;
  }

  function clientToArea(client: Point): Point {
    const box = area.area.content.holder.getBoundingClientRect();
    const k = area.area.transform.k || 1;
    return { x: (client.x - box.left) / k, y: (client.y - box.top) / k };
  }

  function viewCentre(): Point {
    const box = el.getBoundingClientRect();
    return clientToArea({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
  }

  function measure(): void {
    for (const [id, v] of area.nodeViews) {
      const node = editor.getNode(id);
      const root = v.element.querySelector<HTMLElement>('[data-node-id]');
      if (node && root && root.offsetWidth > 0) {
        node.width = root.offsetWidth;
        node.height = root.offsetHeight;
      }
    }
  }

  function addAt(kind: string, at: Point): void {
    if (!nodeDef(kind)) return;
    let id = '';
    callbacks.apply((cell) => {
      const added = addNode(cell, kind, { x: Math.round(at.x), y: Math.round(at.y) });
      id = added.id;
      return added.cell;
    });
    if (id) callbacks.select([id]);
  }

  // ---- Model → view.
  let lastAnalysis: Analysis = { diagnostics: [], sizes: new Map() };
  let lastSelection: readonly string[] = [];
  let lastValues: ReadonlyMap<string, string> | undefined;
  let lastActivity: ReadonlyMap<string, number> | undefined;

  const runSync = latestWins(async (cell: Cell, analysis: Analysis, selection: readonly string[], values?: ReadonlyMap<string, string>, activity?: ReadonlyMap<string, number>) => {
    if (destroyed) return;
    const changes = await view.sync(cell, { sizes: analysis.sizes, diagnostics: analysis.diagnostics, ...(values && { values }), ...(activity && { activity }) });
    if (destroyed) return;
    quiet += 1;
    const picked = selector.pickId;
    selector.pickId = null; // a moved node must not drag the rest of the selection along
    try {
      for (const id of changes.removedNodes) {
        placed.delete(id);
        await selector.remove({ label: 'node', id });
      }
      for (const [id, p] of changes.moves) {
        moving.add(id);
        try {
          await area.translate(id, p);
        } finally {
          moving.delete(id);
          if (editor.getNode(id)) placed.add(id);
        }
      }
      for (const id of changes.updatedNodes) await area.update('node', id);
      if (!sameIds(selection, modelSelection) || changes.addedNodes.some((id) => selection.includes(id))) {
        modelSelection = selection;
        const want = new Set(selection);
        for (const id of selector.nodeIds()) if (!want.has(id)) await selectable.unselect(id);
        for (const id of selection) if (!selector.isSelected({ label: 'node', id })) await selectable.select(id);
      }
    } finally {
      selector.pickId = picked;
      quiet -= 1;
    }
  });

  const handle: CanvasHandle = {
    sync(cell, analysis, selection, values, activity) {
      lastAnalysis = analysis;
      lastSelection = selection;
      lastValues = values;
      lastActivity = activity;
      return runSync(cell, analysis, selection, values, activity);
    },

    async zoomToFit() {
      const nodes = editor.getNodes();
      if (destroyed || nodes.length === 0 || el.clientWidth === 0 || el.clientHeight === 0) return;
      measure();
      await AreaExtensions.zoomAt(area, nodes, { scale: 0.85 });
    },

    async focus(nodeId) {
      const node = editor.getNode(nodeId);
      const v = area.nodeViews.get(nodeId);
      if (!node || !v) return;
      callbacks.select([nodeId]);
      measure();
      const k = Math.max(area.area.transform.k, 0.8);
      area.area.transform.x = el.clientWidth / 2 - (v.position.x + node.width / 2) * k;
      area.area.transform.y = el.clientHeight / 2 - (v.position.y + node.height / 2) * k;
      await area.area.zoom(k, 0, 0);
    },

    async arrange() {
      if (editor.getNodes().length === 0) return;
      const layout = await import('./arrange');
      measure();
      const positions = await layout.arrange(area, layout.measurePorts(area));
      if (destroyed || positions.size === 0) return;
      callbacks.apply((cell) => moveNodes(cell, positions));
      await runSync(callbacks.cell(), lastAnalysis, lastSelection, lastValues, lastActivity);
      await handle.zoomToFit();
    },

    addNode(kind, client) {
      const at = client ? clientToArea(client) : viewCentre();
      addAt(kind, { x: at.x - DROP_OFFSET.x, y: at.y - DROP_OFFSET.y });
    },

    view() {
      const t = area.area.transform;
      return { x: t.x, y: t.y, zoom: t.k };
    },

    async setView(v) {
      if (destroyed || ![v.x, v.y, v.zoom].every(Number.isFinite) || v.zoom <= 0.01 || v.zoom > 100) return;
      await area.area.translate(v.x, v.y);
      await area.area.zoom(v.zoom, 0, 0);
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const cleanup of cleanups) cleanup();
      area.destroy();
      el.classList.remove('celda-canvas');
    },
  };
  return handle;
}

/**
 * The minimap redraws every mini-node and measures itself on each node move; on
 * a big cell that alone costs a frame. At most ten redraws a second keep a drag smooth.
 */
function throttledMinimap(): MinimapPlugin<Schemes> {
  const minimap = new MinimapPlugin<Schemes>({ boundViewport: true });
  const target = minimap as unknown as { render(): void };
  const draw = target.render.bind(minimap);
  let timer: ReturnType<typeof setTimeout> | undefined;
  target.render = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      draw();
    }, 100);
  };
  return minimap;
}
