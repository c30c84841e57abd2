/**
 * Training progress on stderr: a live one-line bar on a terminal (redrawn with
 * \r, at most ~10 times a second), plain lines every ~10% of the steps when
 * stderr is a file or a pipe. `renderProgress` is pure, so tests can call it.
 */

export interface ProgressState {
  /** Steps done so far (counting steps done before a resume). */
  readonly step: number;
  /** The step training stops at. */
  readonly total: number;
  /** The latest training loss (NaN before the first step). */
  readonly loss: number;
  /** Steps per second in this run; 0 or NaN when not known yet. */
  readonly stepsPerSecond: number;
  /** Seconds since this run started. */
  readonly elapsed: number;
  /** Terminal columns available; the line never gets longer. */
  readonly width: number;
  /** Shown first, e.g. "LSTM seed 2/3". */
  readonly label?: string;
  /** Draw the bar (default true); plain log lines leave it out. */
  readonly bar?: boolean;
}

const BAR_MIN = 10;
const BAR_MAX = 40;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * One progress line, at most `width` characters:
 * `label  120/500 [█████▌      ]  24%  loss 0.1234  41.2 steps/s  ETA 0:09`.
 * The bar shrinks first, then the label, steps/s and ETA are dropped, when the terminal is narrow.
 */
export function renderProgress(s: ProgressState): string {
  const total = Math.max(0, s.total);
  const step = Math.min(Math.max(0, s.step), total);
  const fraction = total > 0 ? step / total : 1;
  const counter = `${String(step).padStart(String(total).length)}/${total}`;
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const loss = `loss ${formatLoss(s.loss)}`;
  const rate = Number.isFinite(s.stepsPerSecond) && s.stepsPerSecond > 0 ? `${formatRate(s.stepsPerSecond)} steps/s` : '';
  const timing = step >= total ? `in ${formatDuration(s.elapsed)}` : `ETA ${eta(total - step, s.stepsPerSecond)}`;
  const label = s.label ?? '';
  const withBar = s.bar ?? true;

  // Optional parts, most important first; drop from the end until the line fits.
  const candidates: string[][] = [
    [label, counter, '<bar>', percent, loss, rate, timing],
    [label, counter, '<bar>', percent, loss, timing],
    [counter, '<bar>', percent, loss, timing],
    [counter, '<bar>', percent, loss],
    [counter, percent, loss],
    [counter, percent],
  ];
  for (const parts of candidates) {
    const shown = parts.filter((p) => p !== '' && (withBar || p !== '<bar>'));
    const fixed = shown.filter((p) => p !== '<bar>').join('  ');
    if (!shown.includes('<bar>')) {
      if (fixed.length <= s.width) return fixed;
      continue;
    }
    const room = s.width - fixed.length - 2 /* separator */ - 2 /* brackets */;
    if (room < BAR_MIN) continue;
    const bar = `[${drawBar(fraction, Math.min(BAR_MAX, room))}]`;
    return shown.map((p) => (p === '<bar>' ? bar : p)).join('  ');
  }
  return `${step}/${total}`.slice(0, Math.max(0, s.width));
}

function drawBar(fraction: number, width: number): string {
  const eighths = Math.round(fraction * width * 8);
  const full = Math.floor(eighths / 8);
  const part = full < width ? EIGHTHS[eighths % 8] : '';
  return ('█'.repeat(full) + part).padEnd(width);
}

function eta(remaining: number, stepsPerSecond: number): string {
  if (!(Number.isFinite(stepsPerSecond) && stepsPerSecond > 0)) return '?';
  return formatDuration(remaining / stepsPerSecond);
}

/** A loss for progress lines and summaries: 4 decimals, or 3 significant digits when tiny. */
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : String(v);
  if (v === 0) return '0';
  return Math.abs(v) >= 1e-3 ? v.toFixed(4) : v.toExponential(2);
}

function formatRate(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** 0:09, 12:34, 1:02:03; "?" when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Where progress goes: stderr, and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width; 80 when unknown. */
  readonly columns?: number;
}

export const stderrSink = (): ProgressSink => ({
  write: (text) => void process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  get columns() {
    return process.stderr.columns;
  },
});

/** A sink that drops everything (e.g. under --json). */
export const silentSink: ProgressSink = { write: () => undefined, isTTY: false };

const REDRAW_MS = 100;

/**
 * Follows one training run from `start` to `total` steps. On a terminal it
 * keeps one line redrawn in place; elsewhere it prints a line every ~10%.
 */
export class ProgressReporter {
  private readonly t0: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private nextMark: number;
  private step: number;
  private loss = Number.NaN;

  constructor(
    private readonly sink: ProgressSink,
    private readonly start: number,
    private readonly total: number,
    private readonly label?: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
    this.step = start;
    this.nextMark = 1;
  }

  /** Seconds since the run started. */
  get elapsed(): number {
    return (this.now() - this.t0) / 1000;
  }

  /** Steps per second over this run so far. */
  get stepsPerSecond(): number {
    const e = this.elapsed;
    return e > 0 ? (this.step - this.start) / e : 0;
  }

  update(step: number, loss: number): void {
    this.step = step;
    this.loss = loss;
    if (this.sink.isTTY) {
      const t = this.now();
      if (t - this.lastDraw >= REDRAW_MS || step >= this.total) {
        this.lastDraw = t;
        this.draw();
      }
      return;
    }
    // Plain lines at ~10%, 20%, … of this run's steps.
    const run = this.total - this.start;
    let crossed = false;
    while (this.nextMark <= 10 && step - this.start >= Math.ceil((run * this.nextMark) / 10)) {
      this.nextMark += 1;
      crossed = true;
    }
    if (crossed) this.sink.write(`${this.line(Number.MAX_SAFE_INTEGER, false)}\n`);
  }

  /** Prints a whole line (an evaluation, a notice) without mangling the bar. */
  log(text: string): void {
    if (this.sink.isTTY && this.drawn) {
      this.sink.write(`\r\u001b[2K${text}\n`);
      this.draw();
    } else {
      this.sink.write(`${text}\n`);
    }
  }

  /** Ends the bar's line (a terminal) so later output starts on a fresh line. */
  finish(): void {
    if (!this.sink.isTTY) return;
    this.draw();
    this.sink.write('\n');
    this.drawn = false;
  }

  private draw(): void {
    // One column short of the terminal's width, so the cursor never wraps.
    const columns = this.sink.columns !== undefined && this.sink.columns > 0 ? this.sink.columns : 80;
    const width = Math.max(20, columns - 1);
    this.sink.write(`\r\u001b[2K${this.line(width)}`);
    this.drawn = true;
  }

  private line(width: number, bar = true): string {
    return renderProgress({
      step: this.step, total: this.total, loss: this.loss, stepsPerSecond: this.stepsPerSecond,
      elapsed: this.elapsed, width, bar, ...(this.label !== undefined && { label: this.label }),
    });
  }
}
