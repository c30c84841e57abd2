/**
 * The arena's report: per task, one row per cell with its size, the mean ± 95% CI of the
 * final validation loss over seeds, the paired difference from the baseline cell with two
 * tests' p-values, its rank and its wall time. As data (for --json and the app) and as
 * markdown (for the CLI and report.md).
 */
import type { LossKind } from '../runtime/tasks/types';
import { arenaTask } from './grid';
import { pairedTTest, rankByMean, summarize, wilcoxonSignedRank, type PairedTest, type Summary } from './stats';
import { runKeyString, type ArenaSpec, type RunRecord, type TaskName } from './types';

export interface ReportRow {
  readonly cell: string;
  readonly cellName: string;
  /** From the runs (null when none finished). */
  readonly hidden: number | null;
  readonly parameters: number | null;
  /** Runs finished (done or failed) of the spec's seeds, and how many failed. */
  readonly runs: number;
  readonly failed: number;
  /** Of the final validation loss of the runs that finished well. */
  readonly summary: Summary;
  /** Mean of (this cell − baseline) over seeds where both finished well; null for the baseline itself. */
  readonly delta: number | null;
  readonly tTest: PairedTest | null;
  readonly wilcoxon: PairedTest | null;
  readonly rank: number | null;
  /** Mean wall time of a run, in milliseconds (NaN with none). */
  readonly wallMsPerRun: number;
}

export interface TaskReport {
  readonly task: TaskName;
  /** The task's loss, and what the best model without memory scores (the task's baseline). */
  readonly loss: LossKind;
  readonly memoryless: number;
  /** Sorted by rank (unranked last), then in the spec's order. */
  readonly rows: readonly ReportRow[];
  /** Planned runs of this task not finished yet. */
  readonly pending: number;
}

export interface ArenaReport {
  readonly format: 'celda-arena-report';
  readonly version: 1;
  readonly baseline: string;
  readonly seeds: number;
  readonly steps: number;
  readonly sizing: ArenaSpec['sizing'];
  readonly hyperparameters: ArenaSpec['hyperparameters'];
  readonly tasks: readonly TaskReport[];
  readonly failures: readonly { readonly cell: string; readonly task: TaskName; readonly seed: number; readonly error: string }[];
}

export const PAIRED_TEST_NAMES = ['paired t-test', 'Wilcoxon signed-rank (exact)'] as const;

export function buildReport(spec: ArenaSpec, records: readonly RunRecord[]): ArenaReport {
  const byKey = new Map(records.map((r) => [runKeyString(r), r]));
  const seeds = Array.from({ length: spec.seeds }, (_, i) => i + 1);
  const tasks = spec.tasks.map((task): TaskReport => {
    const runsOf = (cell: string) => seeds.map((seed) => byKey.get(runKeyString({ cell, task, seed })));
    const lossesBySeed = (cell: string) => runsOf(cell).map((r) => (r?.status === 'done' ? r.finalValidLoss : null));
    const baseline = lossesBySeed(spec.baseline);
    const rows = spec.cells.map((c) => {
      const runs = runsOf(c.id).filter((r): r is RunRecord => r !== undefined);
      const losses = lossesBySeed(c.id);
      const finished = losses.filter((v): v is number => v !== null);
      const paired = seeds.map((_, i) => [losses[i], baseline[i]] as const).filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
      const isBaseline = c.id === spec.baseline;
      const xs = paired.map((p) => p[0]);
      const ys = paired.map((p) => p[1]);
      return {
        cell: c.id, cellName: c.name, hidden: runs[0]?.hidden ?? null, parameters: runs[0]?.parameters ?? null,
        runs: runs.length, failed: runs.filter((r) => r.status === 'failed').length, summary: summarize(finished),
        delta: isBaseline || paired.length === 0 ? null : xs.reduce((s, x, i) => s + x - ys[i], 0) / paired.length,
        tTest: isBaseline ? null : pairedTTest(xs, ys),
        wilcoxon: isBaseline ? null : wilcoxonSignedRank(xs, ys),
        rank: null as number | null,
        wallMsPerRun: runs.length === 0 ? Number.NaN : runs.reduce((s, r) => s + r.wallMs, 0) / runs.length,
      };
    });
    const ranks = rankByMean(rows.map((r) => r.summary.mean));
    const ranked = rows.map((r, i) => ({ ...r, rank: ranks[i] }));
    const order = ranked.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || i - j);
    const pending = spec.cells.length * spec.seeds - spec.cells.reduce((n, c) => n + runsOf(c.id).filter((r) => r !== undefined).length, 0);
    const made = arenaTask(task, spec);
    const info = 'failed' in made ? { loss: 'mse' as const, memoryless: Number.NaN } : { loss: made.loss, memoryless: made.baseline.loss };
    return { task, ...info, rows: order.map(([r]) => r), pending };
  });
  const failures = records
    .filter((r) => r.status === 'failed' && spec.tasks.includes(r.task) && spec.cells.some((c) => c.id === r.cell) && r.seed <= spec.seeds)
    .map((r) => ({ cell: r.cell, task: r.task, seed: r.seed, error: r.error ?? 'failed' }));
  return {
    format: 'celda-arena-report', version: 1, baseline: spec.baseline, seeds: spec.seeds, steps: spec.steps, sizing: spec.sizing,
    hyperparameters: spec.hyperparameters, tasks, failures,
  };
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/** A loss with four significant figures (exponent form below 0.001). */
export function formatLossValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(2);
  return v.toPrecision(4);
}

export function formatP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Text from a user's file inside a markdown table cell: no control characters, no column breaks. */
export function markdownCellText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return [...s].map((ch) => (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(ch) ? ' ' : ch)).join('').replace(/([\\|`*_[\]<>])/g, '\\$1');
}

function describeSizing(s: ArenaSpec['sizing']): string {
  if (s.kind === 'hidden') return `hidden ${s.hidden}`;
  if (s.kind === 'match-params') return `hidden sizes matched to ${s.params} parameters (±5%)`;
  return 'each cell at its own hidden size';
}

export function renderMarkdown(report: ArenaReport): string {
  const h = report.hyperparameters;
  const baselineName = report.tasks[0]?.rows.find((r) => r.cell === report.baseline)?.cellName ?? report.baseline;
  const lines = [
    '# Arena',
    '',
    `${report.seeds} seed${report.seeds === 1 ? '' : 's'} × ${report.steps} steps per run; ${describeSizing(report.sizing)}; batch ${h.batch}, `
      + `${h.optimizer} lr ${h.lr}, gradient norm clipped to ${h.clip}. A seed gives every cell the same initialisation seed and training batches. `
      + `Final validation loss: mean ± 95% CI (Student t). Δ: mean paired difference from the baseline, ${markdownCellText(baselineName)}, `
      + 'over the seeds both finished (negative: lower loss than the baseline); p: two-sided paired t-test and exact Wilcoxon signed-rank test.',
  ];
  for (const t of report.tasks) {
    lines.push('', `## ${t.task}`, '', `${t.loss === 'mse' ? 'Mean squared error' : 'Cross-entropy (nats)'}; a model without memory scores ${formatLossValue(t.memoryless)}.`, '');
    const header = ['rank', 'cell', 'hidden', 'params', 'final valid loss', 'Δ vs baseline', 'p (paired t)', 'p (Wilcoxon)', 'runs', 'time/run'];
    const rows = t.rows.map((r) => [
      r.rank === null ? '—' : String(r.rank),
      `${markdownCellText(r.cellName)}${r.cell === report.baseline ? ' (baseline)' : ''}`,
      r.hidden === null ? '—' : String(r.hidden),
      r.parameters === null ? '—' : String(r.parameters),
      r.summary.n === 0 ? '—' : `${formatLossValue(r.summary.mean)} ± ${formatLossValue(r.summary.ci95)}`,
      r.delta === null ? '—' : `${r.delta > 0 ? '+' : ''}${formatLossValue(r.delta)}`,
      formatP(r.tTest?.p ?? null),
      formatP(r.wilcoxon?.p ?? null),
      `${r.runs - r.failed}${r.failed > 0 ? ` (+${r.failed} failed)` : ''}`,
      formatMs(r.wallMsPerRun),
    ]);
    const widths = header.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    const numeric = new Set([0, 2, 3, 4, 5, 6, 7, 8, 9]);
    lines.push(line(header), `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line));
    if (t.pending > 0) lines.push('', `${t.pending} run${t.pending === 1 ? '' : 's'} not finished yet.`);
  }
  if (report.failures.length > 0) {
    lines.push('', '## Failed runs', '');
    for (const f of report.failures) lines.push(`- ${markdownCellText(f.cell)}, ${f.task}, seed ${f.seed}: ${markdownCellText(f.error)}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/**
 * One CSV field: quoted when it holds a comma, quote or line break; text that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'task', 'rank', 'cell', 'name', 'baseline', 'hidden', 'parameters', 'seeds', 'mean', 'sd', 'ci95', 'delta', 'p_paired_t', 'p_wilcoxon', 'runs', 'failed', 'wall_ms_per_run',
] as const;

/** Lines of fields as CSV text: CRLF line ends, one after the last line too. */
const csvText = (lines: readonly (readonly (string | number | null)[])[]): string => `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;

/** The report's rows as CSV (one line per task and cell, header first), numbers in full precision. */
export function renderCsv(report: ArenaReport): string {
  const rows = report.tasks.flatMap((t) => t.rows.map((r) => [
    t.task, r.rank, r.cell, r.cellName, r.cell === report.baseline ? 'yes' : 'no', r.hidden, r.parameters, r.summary.n, r.summary.mean, r.summary.sd, r.summary.ci95,
    r.delta, r.tTest?.p ?? null, r.wilcoxon?.p ?? null, r.runs, r.failed, r.wallMsPerRun,
  ]));
  return csvText([CSV_COLUMNS, ...rows]);
}

export const RUNS_CSV_COLUMNS = [
  'cell', 'cell_name', 'task', 'seed', 'status', 'final_valid_loss', 'hidden', 'parameters', 'steps', 'batch', 'length', 'lr', 'optimizer', 'clip',
  'wall_ms', 'backend', 'cell_hash', 'error',
] as const;

/** The runs themselves as CSV (one line per run, header first, in the order given), failed runs with their reason. */
export function renderRunsCsv(runs: readonly RunRecord[]): string {
  const rows = runs.map((r) => {
    const h = r.hyperparameters;
    return [
      r.cell, r.cellName, r.task, r.seed, r.status, r.finalValidLoss, r.hidden, r.parameters, h.steps, h.batch, h.length, h.lr, h.optimizer, h.clip,
      r.wallMs, r.backend, r.cellHash, r.error ?? null,
    ];
  });
  return csvText([RUNS_CSV_COLUMNS, ...rows]);
}
