/**
 * The cell as a standalone SVG diagram (export as SVG or PNG): each node a box
 * at its canvas position with its symbol, label and size, each connection a
 * curve from an output to an input port. Pure: text in, text out.
 *
 * Labels, names and ids come from an untrusted file: every piece of text is
 * XML-escaped, and characters XML cannot hold are dropped.
 */
import { nodeDef } from '../../../nodes';
import type { Category } from '../../../nodes/types';
import type { Cell, CellNode } from '../../model/cell';
import { displaySize } from '../../model/sizes';
import { escapeXml, oneLine } from '../../export/svg-text';
import { safeInputPorts } from './node-equation';
import type { Lang } from './strings';

export const NODE_WIDTH = 132;
/** Boxes are about the canvas's size, so example layouts do not overlap. */
const PORT_GAP = 16;
const MIN_HEIGHT = 56;
const MARGIN = 60;
/** How far a backward edge leaves its port before turning, and the spacing of their lanes above the drawing. */
const LOOP = 40;
const LANE_GAP = 10;
const MAX_LABEL = 18;

const COLORS: Readonly<Record<Category | 'unknown', { fill: string; stroke: string }>> = {
  io: { fill: '#e8f0fe', stroke: '#4a6fb5' },
  elementwise: { fill: '#fef3e2', stroke: '#c07a1c' },
  matmul: { fill: '#e7f6ec', stroke: '#2f8a4c' },
  layout: { fill: '#f1ecfa', stroke: '#7656b0' },
  parameter: { fill: '#fdeaf1', stroke: '#b04a75' },
  unknown: { fill: '#eeeeee', stroke: '#888888' },
};

const EDGE = '#7a8294';
const DELAY_EDGE = '#c07a1c';

const marker = (id: string, color: string): string =>
  `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${color}"/></marker>`;



const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
const num = (v: number): string => String(Math.round(v * 10) / 10);

interface Box {
  readonly node: CellNode;
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly ports: readonly string[];
}

function boxes(cell: Cell): Map<string, Box> {
  const result = new Map<string, Box>();
  for (const node of cell.nodes) {
    const def = nodeDef(node.kind);
    const declared = def ? safeInputPorts(def, node.params) : [];
    // Ports a connection uses but the definition does not declare still get drawn.
    const used = cell.connections.filter((c) => c.to === node.id && !declared.includes(c.toPort)).map((c) => c.toPort);
    const ports = [...declared, ...new Set(used)].slice(0, 24);
    const height = Math.max(MIN_HEIGHT, PORT_GAP * (ports.length + 1));
    result.set(node.id, { node, x: finite(node.position.x), y: finite(node.position.y), height, ports });
  }
  return result;
}

const portY = (box: Box, port: string): number => {
  const i = box.ports.indexOf(port);
  return box.y + (i < 0 ? box.height / 2 : (box.height * (i + 1)) / (box.ports.length + 1));
};

/** Width and height of the diagram, and the offset that moves the top-left node to the margin. */
export function diagramBounds(cell: Cell): { width: number; height: number; dx: number; dy: number } {
  const all = [...boxes(cell).values()];
  if (all.length === 0) return { width: 2 * MARGIN, height: 2 * MARGIN, dx: MARGIN, dy: MARGIN };
  const left = Math.min(...all.map((b) => b.x));
  const top = Math.min(...all.map((b) => b.y));
  const right = Math.max(...all.map((b) => b.x + NODE_WIDTH));
  const bottom = Math.max(...all.map((b) => b.y + b.height));
  return { width: right - left + 2 * MARGIN, height: bottom - top + 2 * MARGIN, dx: MARGIN - left, dy: MARGIN - top };
}

function nodeSvg(box: Box, size: string | undefined, lang: Lang): string {
  const def = nodeDef(box.node.kind);
  const color = COLORS[def?.category ?? 'unknown'];
  const title = box.node.label?.trim() || (def ? def.label[lang] : box.node.kind);
  const symbol = def?.symbol ?? '?';
  const { x, y, height } = box;
  const parts = [
    `<g class="node" data-node-id="${escapeXml(box.node.id)}">`,
    `<title>${escapeXml(`${def ? def.label[lang] : box.node.kind} · ${box.node.id}`)}</title>`,
    `<rect x="${num(x)}" y="${num(y)}" width="${NODE_WIDTH}" height="${num(height)}" rx="7" fill="${color.fill}" stroke="${color.stroke}" stroke-width="1.5"/>`,
    `<text x="${num(x + 12)}" y="${num(y + 19)}" font-size="14" font-weight="600" fill="#1d2330">${escapeXml(symbol)}</text>`,
    `<text x="${num(x + NODE_WIDTH - 8)}" y="${num(y + 17)}" font-size="9" fill="#5b6475" text-anchor="end">${escapeXml(oneLine(box.node.id, 12))}</text>`,
    `<text x="${num(x + 12)}" y="${num(y + 35)}" font-size="11" fill="#1d2330">${escapeXml(oneLine(title, MAX_LABEL))}</text>`,
  ];
  if (size !== undefined) {
    parts.push(`<text x="${num(x + NODE_WIDTH - 8)}" y="${num(y + height - 7)}" font-size="9" fill="#5b6475" text-anchor="end">${escapeXml(oneLine(displaySize(size, lang), 20))}</text>`);
  }
  for (const port of box.ports) {
    parts.push(`<circle cx="${num(x)}" cy="${num(portY(box, port))}" r="4" fill="#ffffff" stroke="${color.stroke}" stroke-width="1.5"/>`);
  }
  if (def?.outputPort !== null) {
    parts.push(`<circle cx="${num(x + NODE_WIDTH)}" cy="${num(y + height / 2)}" r="4" fill="${color.stroke}"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/**
 * The diagram as an SVG document. `sizes` maps node ids to their inferred
 * output size ("hidden + input"), as the analysis gives them; `lang` picks the
 * kind names shown on unlabelled nodes and the words for sizes ("oculto + entrada").
 */
export function cellToSvg(cell: Cell, sizes: ReadonlyMap<string, string>, lang: Lang): string {
  const all = boxes(cell);
  const { width, height, dx, dy } = diagramBounds(cell);
  const top = Math.min(...[...all.values()].map((b) => b.y));
  let backward = 0;
  const curves: string[] = [];
  for (const c of cell.connections) {
    const from = all.get(c.from);
    const to = all.get(c.to);
    if (!from || !to) continue;
    const sx = from.x + NODE_WIDTH;
    const sy = from.y + from.height / 2;
    const tx = to.x - 5;
    const ty = portY(to, c.toPort);
    const delay = nodeDef(to.node.kind)?.role === 'state';
    const style = delay ? `stroke="${DELAY_EDGE}" stroke-dasharray="6 4" marker-end="url(#arrow-delay)"` : `stroke="${EDGE}" marker-end="url(#arrow)"`;
    let d: string;
    if (tx >= sx) {
      const bend = Math.max(24, (tx - sx) / 2);
      d = `M ${num(sx)} ${num(sy)} C ${num(sx + bend)} ${num(sy)}, ${num(tx - bend)} ${num(ty)}, ${num(tx)} ${num(ty)}`;
    } else {
      // A backward edge (the delay into a state) loops over the top of the drawing, each one a lane higher.
      const lane = top - 16 - LANE_GAP * Math.min(backward++, 3);
      d = `M ${num(sx)} ${num(sy)} C ${num(sx + LOOP)} ${num(sy)}, ${num(sx + LOOP)} ${num(lane)}, ${num(sx)} ${num(lane)} `
        + `L ${num(tx)} ${num(lane)} C ${num(tx - LOOP)} ${num(lane)}, ${num(tx - LOOP)} ${num(ty)}, ${num(tx)} ${num(ty)}`;
    }
    curves.push(`<path d="${d}" fill="none" stroke-width="2" ${style}/>`);
  }
  const name = cell.metadata.name.trim() || 'Celda cell';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>${escapeXml(name)}</title>`,
    `<defs>${marker('arrow', EDGE)}${marker('arrow-delay', DELAY_EDGE)}</defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g transform="translate(${num(dx)} ${num(dy)})">`,
    `<g class="connections">${curves.join('')}</g>`,
    `<g class="nodes">${[...all.values()].map((b) => nodeSvg(b, sizes.get(b.node.id), lang)).join('')}</g>`,
    '</g>',
    '</svg>',
  ].join('\n');
}
