/**
 * The arena's plot model (plots.ts) as a standalone SVG file, for the CLI. Every text —
 * cell names come from users' files — goes through escapeXml; nothing else from a file
 * reaches the markup (colours come from the palette, numbers are formatted here).
 */
import { project, type Axis, type BoxPlot, type CurvesPlot, type LegendEntry } from './plots';
import { escapeXml, oneLine } from '../export/svg-text';

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 200, top: 40, bottom: 56 };
const PLOT = { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
const FONT_FAMILY = 'font-family="system-ui, sans-serif"';
const FONT = `${FONT_FAMILY} font-size="12"`;



const n = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 10) / 10) : '0');
const px = (axis: Axis, v: number) => project(axis, v, PLOT.left, PLOT.right);
const py = (axis: Axis, v: number) => project(axis, v, PLOT.bottom, PLOT.top);

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" ${FONT_FAMILY} font-size="14">${escapeXml(oneLine(title, 100))}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function yAxis(y: Axis): string[] {
  return [
    ...y.ticks.map((t) => `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${n(py(y, t.value))}" y2="${n(py(y, t.value))}" stroke="#e6e6e6"/>`
      + `<text x="${PLOT.left - 6}" y="${n(py(y, t.value) + 4)}" text-anchor="end" ${FONT}>${escapeXml(t.label)}</text>`),
    `<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<text transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" ${FONT}>${escapeXml(y.label)}</text>`,
  ];
}

function legend(entries: readonly LegendEntry[]): string[] {
  return entries.map((e, i) => {
    const y = PLOT.top + 8 + i * 18;
    return `<rect x="${PLOT.right + 16}" y="${y - 9}" width="12" height="12" fill="${e.color}"/>`
      + `<text x="${PLOT.right + 34}" y="${y + 1}" ${FONT}>${escapeXml(oneLine(e.name, 24))}</text>`;
  });
}

export function curvesSvg(plot: CurvesPlot): string {
  const { x, y } = plot;
  const body = [
    ...yAxis(y),
    ...x.ticks.map((t) => `<text x="${n(px(x, t.value))}" y="${PLOT.bottom + 18}" text-anchor="middle" ${FONT}>${escapeXml(t.label)}</text>`),
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 14}" text-anchor="middle" ${FONT}>${escapeXml(x.label)}</text>`,
    `<clipPath id="plot-area"><rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}"/></clipPath>`,
    '<g clip-path="url(#plot-area)">',
    ...plot.series.filter((s) => s.points.length > 0).flatMap((s) => {
      const upper = s.points.map((p) => `${n(px(x, p.x))},${n(py(y, p.high))}`);
      const lower = [...s.points].reverse().map((p) => `${n(px(x, p.x))},${n(py(y, p.low))}`);
      const line = s.points.map((p) => `${n(px(x, p.x))},${n(py(y, p.mean))}`);
      return [
        `<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="0.2" stroke="none"/>`,
        `<polyline points="${line.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      ];
    }),
    '</g>',
    ...legend(plot.legend),
  ];
  return frame(plot.title, body);
}

export function boxSvg(plot: BoxPlot): string {
  const { y } = plot;
  const slot = (PLOT.right - PLOT.left) / Math.max(1, plot.categories.length);
  const half = Math.min(24, slot * 0.3);
  const body = [
    ...yAxis(y),
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    ...plot.categories.map((c, i) => `<text x="${n(PLOT.left + slot * (i + 0.5))}" y="${PLOT.bottom + 18}" text-anchor="middle" ${FONT}>${escapeXml(oneLine(c.name, Math.max(4, Math.floor(slot / 7))))}</text>`),
    ...plot.boxes.flatMap((b, i) => {
      if (b === null) return [];
      const cx = PLOT.left + slot * (i + 0.5);
      const dots = b.values.map((v, k) => `<circle cx="${n(cx + (k - (b.values.length - 1) / 2) * Math.min(6, (half * 2) / b.values.length))}" cy="${n(py(y, v))}" r="2.5" fill="#333333" fill-opacity="0.7"/>`);
      return [
        `<line x1="${n(cx)}" x2="${n(cx)}" y1="${n(py(y, b.min))}" y2="${n(py(y, b.max))}" stroke="${b.color}"/>`,
        `<rect x="${n(cx - half)}" y="${n(py(y, b.q3))}" width="${n(half * 2)}" height="${n(Math.max(1, py(y, b.q1) - py(y, b.q3)))}" fill="${b.color}" fill-opacity="0.35" stroke="${b.color}"/>`,
        `<line x1="${n(cx - half)}" x2="${n(cx + half)}" y1="${n(py(y, b.median))}" y2="${n(py(y, b.median))}" stroke="${b.color}" stroke-width="2.5"/>`,
        ...dots,
      ];
    }),
    ...legend(plot.legend),
  ];
  return frame(plot.title, body);
}
