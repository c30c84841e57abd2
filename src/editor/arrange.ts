/**
 * Auto-arrange with elkjs (layered, left to right). Loaded with import() on
 * first use, so elkjs (≈ 1.5 MB) is a chunk of its own. The layout is computed
 * on plain node boxes and returned as positions; nothing in the view moves
 * here: the caller writes the positions into the model in one edit.
 */
import { ArrangeAppliers, AutoArrangePlugin } from 'rete-auto-arrange-plugin';
import type { ElkNode } from 'elkjs';
import { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { Point, Schemes } from './sync';

/** Collects positions instead of moving nodes. */
class CollectPositions extends ArrangeAppliers.Applier<Schemes, never> {
  readonly positions = new Map<string, Point>();

  async apply(nodes: ElkNode[], offset: Point = { x: 0, y: 0 }): Promise<void> {
    for (const n of nodes) {
      if (n.x === undefined || n.y === undefined) continue;
      const at = { x: Math.round(offset.x + n.x), y: Math.round(offset.y + n.y) };
      this.positions.set(n.id, at);
      if (n.children) await this.apply(n.children, at);
    }
  }
}

/** Where each socket sits inside its node, measured from the DOM (area units). */
export type PortOffsets = ReadonlyMap<string, { x: number; y: number }>;

const portKey = (nodeId: string, side: 'input' | 'output', key: string): string => `${nodeId}\u0000${side}\u0000${key}`;

export function measurePorts<K>(area: AreaPlugin<Schemes, K>): Map<string, { x: number; y: number }> {
  const offsets = new Map<string, { x: number; y: number }>();
  const k = area.area.transform.k || 1;
  for (const [id, view] of area.nodeViews) {
    const box = view.element.getBoundingClientRect();
    for (const el of view.element.querySelectorAll<HTMLElement>('[data-port]')) {
      const side = el.classList.contains('input') ? 'input' : 'output';
      const socket = el.querySelector('.socket-ref') ?? el;
      const s = socket.getBoundingClientRect();
      offsets.set(portKey(id, side, el.dataset.port ?? ''), { x: (s.left + s.width / 2 - box.left) / k, y: (s.top + s.height / 2 - box.top) / k });
    }
  }
  return offsets;
}

const plugins = new WeakMap<object, { plugin: AutoArrangePlugin<Schemes, never>; ports: { current: PortOffsets } }>();

/** Lays the editor's nodes out; returns the new top-left corner of every node. */
export async function arrange<K>(area: AreaPlugin<Schemes, K>, ports: PortOffsets): Promise<Map<string, Point>> {
  let entry = plugins.get(area);
  if (!entry) {
    entry = { plugin: new AutoArrangePlugin<Schemes, never>(), ports: { current: ports } };
    const current = entry.ports;
    entry.plugin.addPreset(() => ({
      port: ({ nodeId, key, side, width, index, ports: count, height }) => {
        const at = current.current.get(portKey(nodeId, side, key));
        const y = at ? at.y : ((index + 1) * height) / (count + 1);
        return { x: side === 'input' ? 0 : width, y, width: 1, height: 1, side: side === 'input' ? 'WEST' : 'EAST' };
      },
      // States and inputs start the step (left column), outputs end it (right column).
      options: (id: string): Record<string, string> => {
        const role = area.parentScope<NodeEditor<Schemes>>(NodeEditor).getNode(id)?.role;
        if (role === 'state' || role === 'input') return { 'elk.layered.layering.layerConstraint': 'FIRST' };
        if (role === 'output') return { 'elk.layered.layering.layerConstraint': 'LAST' };
        return {};
      },
    }));
    area.use(entry.plugin as never);
    plugins.set(area, entry);
  }
  entry.ports.current = ports;
  const applier = new CollectPositions();
  // Wires into a state's "next" go back in time: leaving them out keeps the graph acyclic,
  // so states sit on the left (where h_t−1 comes from) and their inputs on the right.
  await entry.plugin.layout({
    applier,
    connections: area.parentScope<NodeEditor<Schemes>>(NodeEditor).getConnections().filter((c) => !c.recurrent),
    options: {
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      // Room under each node for its label and size, which grow when the view zooms out (components/Node.svelte).
      'elk.spacing.nodeNode': '72',
    },
  });
  return applier.positions;
}
