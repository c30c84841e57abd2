/**
 * The arena's plots as plain data: axes with ticks, one series per cell (mean curve with a
 * 95% CI band over seeds) and box plots of the final validation loss. The app draws this
 * model with Svelte elements and src/arena/svg.ts writes it as an SVG file; both map data
 * to pixels with `project`, so they draw the same picture. Names stay plain text here:
 * each renderer escapes them its own way.
 */
import { summarize } from './stats';
import { runKeyString, type ArenaSpec, type RunRecord, type TaskName } from './types';

export interface Tick {
  readonly value: number;
  readonly label: string;
}

export interface Axis {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly Tick[];
}

export interface LegendEntry {
  readonly cell: string;
  readonly name: string;
  readonly color: string;
}

export interface BandPoint {
  readonly x: number;
  readonly mean: number;
  /** The 95% CI band (low = high = mean with one seed). */
  readonly low: number;
  readonly high: number;
}

export interface CurveSeries extends LegendEntry {
  readonly points: readonly BandPoint[];
}

export interface CurvesPlot {
  readonly kind: 'curves';
  readonly task: TaskName;
  readonly title: string;
  /** Which loss the curves show: validation where every point has one, else training. */
  readonly metric: 'training' | 'validation';
  readonly x: Axis;
  readonly y: Axis;
  /** Bands may reach past `y`'s range: draw them clipped to the plot area. */
  readonly series: readonly CurveSeries[];
  readonly legend: readonly LegendEntry[];
}

/** Five-number summary of one cell's final losses, and the losses themselves (few seeds: show every one). */
export interface Box extends LegendEntry {
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly values: readonly number[];
}

export interface BoxPlot {
  readonly kind: 'box';
  readonly task: TaskName;
  readonly title: string;
  /** One category per cell, in the spec's order; null where no run of the cell finished well. */
  readonly boxes: readonly (Box | null)[];
  readonly categories: readonly LegendEntry[];
  readonly y: Axis;
  readonly legend: readonly LegendEntry[];
}

/** Tableau 10: distinct on white, readable for most colour vision. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** Maps `value` on `axis` to a pixel between `from` (the axis minimum) and `to` (its maximum). */
export function project(axis: Axis, value: number, from: number, to: number): number {
  const span = axis.max - axis.min;
  return span > 0 ? from + ((value - axis.min) / span) * (to - from) : (from + to) / 2;
}

/** About `count` round ticks (1, 2 or 5 × 10^k apart) covering [low, high]; the axis spans whole ticks. */
export function niceAxis(label: string, low: number, high: number, count = 5): Axis {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { label, min: 0, max: 1, ticks: [{ value: 0, label: '0' }, { value: 1, label: '1' }] };
  if (high === low) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    return niceAxis(label, low - pad, high + pad, count);
  }
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) as number;
  const min = Math.floor(low / step) * step;
  const max = Math.ceil(high / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: Tick[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++) {
    const value = Number((min + i * step).toFixed(decimals));
    ticks.push({ value, label: value.toFixed(decimals) });
  }
  return { label, min, max, ticks };
}

const legendOf = (spec: ArenaSpec): LegendEntry[] => spec.cells.map((c, i) => ({ cell: c.id, name: c.name, color: PALETTE[i % PALETTE.length] }));

/** The records of a task's cell over the spec's seeds that finished well. */
function doneRuns(spec: ArenaSpec, records: readonly RunRecord[], task: TaskName, cell: string): RunRecord[] {
  const byKey = new Map(records.map((r) => [runKeyString(r), r]));
  return Array.from({ length: spec.seeds }, (_, i) => byKey.get(runKeyString({ cell, task, seed: i + 1 })))
    .filter((r): r is RunRecord => r?.status === 'done');
}

/**
 * Mean curve and 95% CI band per cell over seeds: the validation loss where every point has
 * one (--eval-every), else the training loss (mean since the previous point).
 */
export function curvesPlot(spec: ArenaSpec, records: readonly RunRecord[], task: TaskName): CurvesPlot {
  const legend = legendOf(spec);
  const runsByCell = legend.map((l) => doneRuns(spec, records, task, l.cell));
  const validation = runsByCell.flat().every((r) => r.curve.every((p) => p.validLoss !== undefined));
  const series = legend.map((l, i): CurveSeries => {
    const runs = runsByCell[i];
    const steps = runs[0]?.curve.map((p) => p.step) ?? [];
    const points = steps.map((step, k) => {
      const values = runs.map((r) => (validation ? r.curve[k]?.validLoss : r.curve[k]?.trainLoss)).filter((v): v is number => v !== undefined && Number.isFinite(v));
      const s = summarize(values);
      const half = Number.isFinite(s.ci95) ? s.ci95 : 0;
      // Losses are never negative: a band below 0 says nothing.
      return { x: step, mean: s.mean, low: Math.max(0, s.mean - half), high: s.mean + half };
    }).filter((p) => Number.isFinite(p.mean));
    return { ...l, points };
  });
  const all = series.flatMap((s) => s.points);
  return {
    kind: 'curves', task, metric: validation ? 'validation' : 'training', title: `${task}: ${validation ? 'validation' : 'training'} loss (mean and 95% CI over ${spec.seeds} seed${spec.seeds === 1 ? '' : 's'})`,
    x: niceAxis('step', 0, spec.steps),
    // The axis follows the mean curves (and the bands' lower edges): early steps' wide bands would flatten every curve, so renderers clip bands to the plot.
    y: niceAxis(validation ? 'validation loss' : 'training loss', Math.min(...all.map((p) => p.low)), Math.max(...all.map((p) => p.mean))),
    series, legend,
  };
}

/** The q-quantile by linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

export function boxPlot(spec: ArenaSpec, records: readonly RunRecord[], task: TaskName): BoxPlot {
  const legend = legendOf(spec);
  const boxes = legend.map((l): Box | null => {
    const values = doneRuns(spec, records, task, l.cell).map((r) => r.finalValidLoss as number);
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return { ...l, min: sorted[0], q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75), max: sorted[sorted.length - 1], values };
  });
  const present = boxes.filter((b): b is Box => b !== null);
  return {
    kind: 'box', task, title: `${task}: final validation loss over ${spec.seeds} seed${spec.seeds === 1 ? '' : 's'}`,
    boxes, categories: legend, legend,
    y: niceAxis('final validation loss', Math.min(...present.map((b) => b.min)), Math.max(...present.map((b) => b.max))),
  };
}
