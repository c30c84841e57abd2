/**
 * What `celda train`, `celda sample` and `celda study` share: reading
 * hyperparameters from options, reporting the trainer's problems under the
 * option names the user typed, text files as UTF-8, and showing characters
 * visibly; and the atomic write every command that writes a file uses.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Compiled } from '../compiler';
import type { Diagnostic } from '../model/diagnostics';
import type { Task } from '../runtime/tasks/types';
import { checkTraining, type TrainConfig } from '../runtime/train';
import type { Args } from './command';
import { CliError, EXIT, UsageError, describeFsError, terminalSafe, type ExitCode, type FileDiagnostic } from './io';

export const EXIT_INTERRUPTED: ExitCode = EXIT.interrupted;

/** The command-line option for each TrainConfig field (and task option) the runtime names. */
export const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  steps: '--steps',
  batch: '--batch',
  length: '--seq',
  chunk: '--chunk',
  optimizer: '--optimizer',
  lr: '--lr',
  momentum: '--momentum',
  clip: '--clip',
  schedule: '--warmup',
  seed: '--seed',
  evalEvery: '--eval-every',
  delay: '--delay',
  noise: '--noise',
  upTo: '--up-to',
};

/** A number option as typed: `value` is NaN when the text is not a number (the runtime then says so). */
export interface RawNumber {
  readonly value: number | undefined;
  readonly raw: string | undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads `--name` as a number without judging it: range checks are the runtime's (validateConfig). */
export function numberOption(args: Args, name: string): RawNumber {
  const v = args.values[name];
  if (v === undefined || typeof v === 'boolean') return { value: undefined, raw: undefined };
  const text = v.trim();
  return { value: NUMBER.test(text) ? Number(text) : Number.NaN, raw: v };
}

/** Rewrites a runtime message about `field` so it names the option, and shows what was typed. */
export function nameOption(
  message: string, field: string, typed?: Readonly<Record<string, string | undefined>>, options: Readonly<Record<string, string>> = OPTION_OF_FIELD,
): string {
  const option = options[field];
  if (option === undefined) return message;
  let out = message.replace(new RegExp(`\\b${field}\\b`), option);
  const raw = typed?.[option];
  if (raw !== undefined && /got NaN\b/.test(out)) out = out.replace(/got NaN\b/, `got ${JSON.stringify(raw.slice(0, 40))}`);
  return out;
}

/**
 * checkTraining, with every problem in the hyperparameters or the task's shape
 * reported under its option name (exit 2), and a cell that cannot take the task
 * as a problem in the cell file (exit 1).
 */
export function checkTrainingOrFail(
  compiled: Compiled, task: Task, config: TrainConfig, cellFile: string, typed: Readonly<Record<string, string | undefined>>,
  options: Readonly<Record<string, string>> = OPTION_OF_FIELD,
): void {
  const problems = checkTraining(compiled, task, config);
  if (problems.length === 0) return;
  const bad = problems.filter((d) => d.code === 'bad-hyperparameter');
  if (bad.length > 0) {
    throw new CliError(bad.map((d) => optionDiagnostic(d, typed, options)), EXIT.usage);
  }
  throw new CliError(problems.map((d) => ({ ...d, file: cellFile })));
}

function optionDiagnostic(d: Diagnostic, typed: Readonly<Record<string, string | undefined>>, options: Readonly<Record<string, string>>): FileDiagnostic {
  const field = d.path ?? '';
  const message = nameOption(d.message, field, typed, options);
  return { code: d.code, severity: d.severity, message: /[.!?]$/.test(message) ? message : `${message}.` };
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/** Before a long run: fails now (exit 2) if `file` cannot be written later. */
export function checkWritable(file: string, what: string): void {
  const dir = dirname(file);
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`The ${what} ${file} is a directory.`, 'cannot-write', file);
    if (!statSync(dir).isDirectory()) throw new UsageError(`Cannot write the ${what} ${file}: ${dir} is not a directory.`, 'cannot-write', file);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new UsageError(`Cannot write the ${what} ${file}: ${describeFsError(e)}.`, 'cannot-write', file);
  }
}

/**
 * Writes `content` (text, or chunks) to a temporary file next to `file`, flushes it to disk and
 * renames it over `file`: a crash leaves the old file or the new one, never half of one.
 */
export function writeFileAtomic(file: string, content: string | Iterable<Uint8Array>, what: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      // A large file comes as chunks, written as they are made (never held whole).
      if (typeof content === 'string') writeSync(fd, content);
      else for (const chunk of content) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was left behind.
    }
    throw new UsageError(`Cannot write the ${what} ${file}: ${describeFsError(e)}.`, 'cannot-write', file);
  }
}


// ---------------------------------------------------------------------------
// Showing text
// ---------------------------------------------------------------------------

/** One character as a table shows it: space ␣, newline ⏎, tab ⇥, other control characters escaped. */
export function visibleChar(ch: string): string {
  switch (ch) {
    case ' ': return '␣';
    case '\n': return '⏎';
    case '\t': return '⇥';
    case '\r': return '␍';
    default: return terminalSafe(ch);
  }
}

/** Seconds for people: 850 ms, 12.3 s, 4 min 05 s, 1 h 02 min. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Lets pending events (a Ctrl-C) run during a synchronous training loop. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
