/**
 * The Arena panel's charts as numbers: per task, each cell's mean training curve with a 95%
 * CI band over seeds, and the five-number summary of its final validation losses. The panel
 * draws them as SVG elements (names as text, never markup).
 */
import { summarize } from '../../arena/stats';
import type { ArenaSpec, RunRecord, TaskName } from '../../arena/types';

/** Tableau 10: distinct on white, readable for most colour vision. */
export const CELL_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

export interface BandPoint {
  readonly step: number;
  readonly mean: number;
  /** The 95% CI of the mean over seeds (low = high = mean with one seed). */
  readonly low: number;
  readonly high: number;
}

export interface CellCurve {
  readonly cell: string;
  readonly name: string;
  readonly colour: string;
  readonly points: readonly BandPoint[];
}

export interface CellBox {
  readonly cell: string;
  readonly name: string;
  readonly colour: string;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly values: readonly number[];
}

/** Round ticks (1, 2 or 5 × 10^k apart), about `count` of them, spanning [low, high]. */
export function niceScale(low: number, high: number, count = 5): Scale {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { min: 0, max: 1, ticks: [0, 1] };
  if (high === low) {
    const pad = low !== 0 ? Math.abs(low) * 0.1 : 1;
    return niceScale(low - pad, high + pad, count);
  }
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) as number;
  const min = Math.floor(low / step) * step;
  const max = Math.ceil(high / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let v = min; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { min, max, ticks };
}

/** `value` on `scale` as a pixel between `from` (the scale's min) and `to` (its max). */
export const place = (scale: Scale, value: number, from: number, to: number): number => from + ((value - scale.min) / (scale.max - scale.min)) * (to - from);

/** Each cell's runs of the task that finished well, over the spec's seeds. */
function doneRuns(spec: ArenaSpec, runs: readonly RunRecord[], task: TaskName, cell: string): RunRecord[] {
  return runs.filter((r) => r.cell === cell && r.task === task && r.status === 'done' && r.seed <= spec.seeds);
}

/** Per cell in the spec's order: the mean training loss at each curve point and its 95% CI band. */
export function curveBands(spec: ArenaSpec, runs: readonly RunRecord[], task: TaskName): CellCurve[] {
  return spec.cells.map((c, i) => {
    const done = doneRuns(spec, runs, task, c.id);
    const steps = done[0]?.curve.map((p) => p.step) ?? [];
    const points = steps.map((step, k) => {
      const s = summarize(done.map((r) => r.curve[k]?.trainLoss).filter((v): v is number => v !== undefined && Number.isFinite(v)));
      const half = Number.isFinite(s.ci95) ? s.ci95 : 0;
      // A loss is never negative: a band below 0 says nothing.
      return { step, mean: s.mean, low: Math.max(0, s.mean - half), high: s.mean + half };
    }).filter((p) => Number.isFinite(p.mean));
    return { cell: c.id, name: c.name, colour: CELL_COLOURS[i % CELL_COLOURS.length], points };
  });
}

/** The q-quantile by linear interpolation between order statistics (R's and NumPy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** Per cell in the spec's order: its final validation losses' five numbers, or null with none. */
export function lossBoxes(spec: ArenaSpec, runs: readonly RunRecord[], task: TaskName): (CellBox | null)[] {
  return spec.cells.map((c, i) => {
    const values = doneRuns(spec, runs, task, c.id).map((r) => r.finalValidLoss as number);
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return {
      cell: c.id, name: c.name, colour: CELL_COLOURS[i % CELL_COLOURS.length], values,
      min: sorted[0], q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75), max: sorted[sorted.length - 1],
    };
  });
}
