/**
 * `celda arena <cells…|--zoo GROUP> --tasks … --seeds N [--match-params N | --hidden H] --steps S`:
 * every (cell, task, seed) trained with the same data order, initialisation and settings, in
 * parallel on worker threads; each finished run appended to DIR/results.jsonl (a re-run skips
 * the finished ones), then the report (markdown, --json) and SVG plots per task.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZOO, ZOO_GROUPS } from '../../../examples/zoo';
import { ARENA_LIMITS, planArena, type PlannedRun } from '../../arena/grid';
import { renderArenaIssue, type ArenaIssue } from '../../arena/messages';
import { boxPlot, curvesPlot } from '../../arena/plots';
import { buildReport, formatLossValue, renderCsv, renderMarkdown, type ArenaReport } from '../../arena/report';
import { ResultsError, finishedRuns, parseResults, recordLine } from '../../arena/results';
import { boxSvg, curvesSvg } from '../../arena/svg';
import { runKeyString, type ArenaCell, type ArenaSizing, type ArenaSpec, type RunRecord, type TaskName } from '../../arena/types';
import type { BackendChoice } from '../../gpu/choose';
import { loadCellText } from '../../model/load';
import { OPTIMIZERS } from '../../runtime/train';
import { EXPORT_TORCH_OPTIONS, exportTorchGrid } from '../arena-export';
import { startPool } from '../arena-pool';
import { choiceOption, stringOption, type Args, type Command, type Context } from '../command';
import { CliError, EXIT, MAX_CELL_FILE, UsageError, describeFsError, fail, inFile, plural, readTextFile, type ExitCode, type FileDiagnostic } from '../io';
import { ProgressReporter, silentSink, stderrSink } from '../progress';
import { EXIT_INTERRUPTED, formatSeconds, writeFileAtomic } from '../training';

export const ARENA_DEFAULTS = { tasks: 'adding', seeds: 5, steps: 500, hidden: 16, batch: 16, lr: 0.01, clip: 1, out: 'arena' } as const;
/** The backends Node has (gpu.js webgl2 and webgpu need a browser). */
const ARENA_BACKENDS: readonly BackendChoice[] = ['auto', 'webasm', 'reference'];
const ZOO_DIR = fileURLToPath(new URL('../../../examples/zoo/', import.meta.url));

/** The option each spec field comes from, for messages. */
const OPTION_OF: Readonly<Record<string, string>> = {
  cells: 'cells', tasks: '--tasks', seeds: '--seeds', steps: '--steps', baseline: '--baseline', 'sizing.hidden': '--hidden', 'sizing.params': '--match-params',
  'hyperparameters.batch': '--batch', 'hyperparameters.lr': '--lr', 'hyperparameters.optimizer': '--optimizer', 'hyperparameters.clip': '--clip',
  'hyperparameters.length': '--seq', 'hyperparameters.delay': '--delay', 'hyperparameters.evalEvery': '--eval-every',
};

export const arenaCommand: Command = {
  name: 'arena',
  summary: 'Train cells on tasks over seeds with the same data and settings; report which wins, with confidence.',
  args: '[cells…]',
  minPositionals: 0,
  maxPositionals: ARENA_LIMITS.cells,
  options: {
    zoo: { type: 'string', value: 'GROUP', help: `Add the zoo's cells of a group: ${ZOO_GROUPS.map((g) => g.id).join(', ')}, or all.` },
    tasks: { type: 'string', value: 'LIST', help: `Comma-separated tasks, e.g. adding,copy,order,charlm (default ${ARENA_DEFAULTS.tasks}).` },
    seeds: { type: 'string', value: 'N', help: `Seeds 1 … N, 1 to ${ARENA_LIMITS.seeds} (default ${ARENA_DEFAULTS.seeds}).` },
    'match-params': { type: 'string', value: 'N', help: 'Pick each cell\'s hidden size so its whole model (cell + readout) has N parameters, within 5%.' },
    hidden: { type: 'string', value: 'H', help: `One hidden size for every cell (default ${ARENA_DEFAULTS.hidden} unless --match-params).` },
    steps: { type: 'string', value: 'S', help: `Training steps per run (default ${ARENA_DEFAULTS.steps}).` },
    baseline: { type: 'string', value: 'CELL', help: 'The cell the others are compared with (default: the first).' },
    batch: { type: 'string', value: 'B', help: `Sequences per step (default ${ARENA_DEFAULTS.batch}).` },
    lr: { type: 'string', value: 'X', help: `Learning rate (default ${ARENA_DEFAULTS.lr}).` },
    optimizer: { type: 'string', value: 'NAME', help: `${OPTIMIZERS.join(', ')} (default adam).` },
    clip: { type: 'string', value: 'X', help: `Clip the global gradient norm (default ${ARENA_DEFAULTS.clip}; 0: off).` },
    seq: { type: 'string', value: 'T', help: 'Sequence length of adding, order, charlm … (default 32, moved into each task\'s range).' },
    delay: { type: 'string', value: 'N', help: 'copy: steps between the data and the delimiter (default 100; sequences are N + 20 long).' },
    'eval-every': { type: 'string', value: 'N', help: 'Also measure the validation loss every N steps, for the curves (default 0: at the end).' },
    out: { type: 'string', short: 'o', value: 'DIR', help: `Where results.jsonl, report.md and the plots go (default ${ARENA_DEFAULTS.out}).` },
    workers: { type: 'string', value: 'K', help: 'Worker threads (default: the number of cores).' },
    backend: { type: 'string', value: 'NAME', help: `${ARENA_BACKENDS.join(', ')} (default auto: the gpu.js fast path where it takes the cell, else the reference).` },
    ...EXPORT_TORCH_OPTIONS,
  },
  details: [
    'Cells are cell files, or the zoo\'s (--zoo). A seed fixes the initial parameters and the training batches, the same for every',
    'cell; every run shares the settings. Everything is checked before the first run: a bad cell file, an unknown task, --seeds 0,',
    'a --match-params no hidden size reaches within 5% (the nearest count is named).',
    'Each finished run is appended to DIR/results.jsonl as one line (flushed to disk); a re-run with the same settings skips the runs',
    'already there, and a torn last line left by a kill is dropped with a warning. Runs made with other settings are refused.',
    'DIR/.arena.lock keeps two arenas from writing the same folder at once (a killed arena\'s lock is taken over).',
    'The report: per task, the mean ± 95% CI (Student t) of the final validation loss, the mean paired difference from the baseline',
    'cell with the two-sided paired t-test and exact Wilcoxon signed-rank p-values, the rank, sizes and wall time; written to',
    'DIR/report.md and DIR/report.csv, with DIR/curves-<task>.svg and DIR/box-<task>.svg. Results are the same with any number of --workers.',
    'With --json: {"ok", "out", "runs": {"planned", "skipped", "ran"}, "report", "files"}.',
    'With --export-torch DIR it trains nothing and writes the same grid as PyTorch runs (cells, initial weights, data, run_all.sh,',
    'train.py for a job array or torchrun, merge.py to bring the results back into DIR/results.jsonl); see DIR/README.md.',
  ].join('\n'),
  run: (args, ctx) => arena(args, ctx),
};

async function arena(args: Args, ctx: Context): Promise<ExitCode> {
  const spec = readSpec(args);
  const plan = planArena(spec);
  if (!plan.ok) throw issuesError(plan.issues, spec);
  const exportDir = stringOption(args, 'export-torch');
  if (exportDir !== undefined) return exportTorchGrid(spec, plan.value, exportDir, args.values.force === true, ctx);
  if (args.values.force === true) throw new UsageError('--force applies only with --export-torch.');
  const out = stringOption(args, 'out') ?? ARENA_DEFAULTS.out;
  const workers = wholeOption(args, 'workers') ?? availableParallelism();
  if (!(workers >= 1 && workers <= 256)) throw new UsageError(`--workers must be a whole number from 1 to 256, got ${workers}.`);
  const results = openResults(out, plan.value, ctx);

  const pending = plan.value.filter((r) => !results.done.has(runKeyString(r.key)));
  const steps = spec.steps;
  ctx.note(`Arena: ${plural(spec.cells.length, 'cell')} × ${plural(spec.tasks.length, 'task')} × ${plural(spec.seeds, 'seed')} = ${plural(plan.value.length, 'run')}`
    + ` of ${plural(steps, 'step')}; ${results.done.size} already in ${results.file}, `
    + `${pending.length === 0 ? 'nothing to run' : `${pending.length} to run on ${plural(Math.min(workers, pending.length), 'worker')}`}.`);

  let interrupted: boolean;
  try {
    interrupted = await runPending(spec, pending, workers, results.append, ctx);
  } finally {
    results.close();
  }
  if (interrupted) {
    ctx.note(`Interrupted: the finished runs are in ${results.file}; run the same command again to go on.`);
    return EXIT_INTERRUPTED;
  }

  const records = readResults(results.file).parsed.records;
  const report = buildReport(spec, records);
  const files = writeOutputs(out, spec, records, report);
  ctx.printJson({ ok: true, out, runs: { planned: plan.value.length, skipped: plan.value.length - pending.length, ran: pending.length }, report, files });
  if (!ctx.json) {
    for (const line of renderMarkdown(report).trimEnd().split('\n')) ctx.print(line);
    ctx.print('');
    ctx.print(`Wrote ${files.join(', ')}.`);
  }
  // A diverged run is a result of the study (the report lists it), not a failure of the command.
  return EXIT.ok;
}

// ---------------------------------------------------------------------------
// The spec from the command line
// ---------------------------------------------------------------------------

function wholeOption(args: Args, name: string): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!/^-?\d{1,12}$/.test(text)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(raw.slice(0, 40))}.`);
  return Number(text);
}

function numberOption(args: Args, name: string, fallback: number): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const text = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw.slice(0, 40))}.`);
  return Number(text);
}

function readSpec(args: Args): ArenaSpec {
  const cells = readCells(args);
  const hidden = wholeOption(args, 'hidden');
  const params = wholeOption(args, 'match-params');
  if (hidden !== undefined && params !== undefined) throw new UsageError('Give --hidden or --match-params, not both.');
  const sizing: ArenaSizing = params !== undefined ? { kind: 'match-params', params } : { kind: 'hidden', hidden: hidden ?? ARENA_DEFAULTS.hidden };
  const tasks = (stringOption(args, 'tasks') ?? ARENA_DEFAULTS.tasks).split(',').map((t) => t.trim()) as TaskName[];
  const length = wholeOption(args, 'seq');
  const delay = wholeOption(args, 'delay');
  if (delay !== undefined && !tasks.includes('copy')) throw new UsageError('--delay applies only to the copy task.');
  return {
    cells, tasks, sizing,
    seeds: wholeOption(args, 'seeds') ?? ARENA_DEFAULTS.seeds,
    steps: wholeOption(args, 'steps') ?? ARENA_DEFAULTS.steps,
    hyperparameters: {
      batch: wholeOption(args, 'batch') ?? ARENA_DEFAULTS.batch,
      lr: numberOption(args, 'lr', ARENA_DEFAULTS.lr),
      optimizer: choiceOption(args, 'optimizer', OPTIMIZERS, 'adam'),
      clip: numberOption(args, 'clip', ARENA_DEFAULTS.clip),
      ...(length !== undefined && { length }),
      ...(delay !== undefined && { delay }),
      evalEvery: wholeOption(args, 'eval-every') ?? 0,
    },
    baseline: stringOption(args, 'baseline') ?? cells[0]?.id ?? '',
    backend: choiceOption<BackendChoice>(args, 'backend', ARENA_BACKENDS, 'auto'),
  };
}

/** The cell files given, then the zoo group's cells; every file that does not load is reported at once. */
function readCells(args: Args): ArenaCell[] {
  const problems: FileDiagnostic[] = [];
  const cells: ArenaCell[] = [];
  const add = (id: string, file: string, name?: string) => {
    const loaded = loadCellText(readTextFile(file, 'cell file', MAX_CELL_FILE));
    if (!loaded.ok) problems.push(...inFile(file, loaded.diagnostics));
    else cells.push({ id, name: name ?? (loaded.value.metadata.name.trim() || basename(file)), cell: loaded.value });
  };
  for (const file of args.positionals) add(file, file);
  const group = stringOption(args, 'zoo');
  if (group !== undefined) {
    const groups = [...ZOO_GROUPS.map((g) => g.id), 'all'];
    if (!groups.includes(group)) throw new UsageError(`--zoo must be one of ${groups.join(', ')}; got ${JSON.stringify(group.slice(0, 40))}.`);
    for (const e of ZOO.filter((z) => group === 'all' || z.group === group)) add(e.id, join(ZOO_DIR, `${e.id}.json`), e.name);
  }
  if (problems.length > 0) throw new CliError(problems);
  if (cells.length === 0) throw new UsageError('celda arena needs cells: cell files, or --zoo GROUP. See "celda arena --help".');
  return cells;
}

/** Every issue, worded under the option the user typed (or the cell file at fault); a bad cell file is exit 1, the rest exit 2. */
function issuesError(issues: readonly ArenaIssue[], spec: ArenaSpec): CliError {
  const cellFiles = new Set(spec.cells.map((c) => c.id));
  const diagnostics = issues.map((issue): FileDiagnostic => {
    const option = OPTION_OF[issue.field.replace(/\[\d+\]$/, '')] ?? OPTION_OF[issue.field];
    const aboutCell = issue.field.startsWith('cells[') && issue.cell !== undefined && cellFiles.has(issue.cell);
    const message = renderArenaIssue(aboutCell ? { ...issue, field: 'cell' } : { ...issue, field: option ?? issue.field }, 'en');
    return { code: 'arena-spec', severity: 'error', message, ...(aboutCell && { file: issue.cell }) };
  });
  return new CliError(diagnostics, issues.some((i) => i.field.startsWith('cells[')) ? EXIT.failed : EXIT.usage);
}

// ---------------------------------------------------------------------------
// results.jsonl
// ---------------------------------------------------------------------------

interface OpenResults {
  readonly file: string;
  readonly done: Set<string>;
  append(r: RunRecord): void;
  close(): void;
}

/** The text of results.jsonl ('' when there is none yet) and its records; a line arena did not write is an error naming it. */
function readResults(file: string): { text: string; parsed: ReturnType<typeof parseResults> } {
  let text = '';
  try {
    if (statSync(file, { throwIfNoEntry: false })) text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${describeFsError(e)}.`, 'cannot-read', file);
  }
  try {
    return { text, parsed: parseResults(text) };
  } catch (e) {
    if (e instanceof ResultsError) throw fail('bad-results', `${file}, ${e.message}: it is not a line celda arena wrote. Fix or remove that line, or use another --out.`, { file });
    throw e;
  }
}

/**
 * Opens DIR/results.jsonl for appending: the finished runs it holds are skipped, a torn last
 * line (a kill while it was written) is cut off, and runs made with other settings are refused.
 */
function openResults(dir: string, plan: readonly PlannedRun[], ctx: Context): OpenResults {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`Cannot make the --out folder ${dir}: ${describeFsError(e)}.`, 'cannot-write', dir);
  }
  const file = join(dir, 'results.jsonl');
  const { text, parsed } = readResults(file);
  const { done, stale } = finishedRuns(parsed.records, plan);
  if (stale.length > 0) {
    const s = stale[0];
    throw fail('stale-results', `${file} holds ${plural(stale.length, 'run')} made with other settings than these (first: ${s.record.cell}, ${s.record.task}, seed ${s.record.seed}, `
      + `hidden ${s.record.hidden} and ${s.record.hyperparameters.steps} steps, now hidden ${s.planned.hidden} and ${s.planned.hyperparameters.steps} steps, or a changed cell). Use another --out.`, { file });
  }
  const unlock = lockFolder(dir);
  let fd: number;
  try {
    fd = openSync(file, 'a+');
    if (parsed.tornLastLine) {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, parsed.wholeLength), 'utf8'));
      ctx.note(`warning: ${file} ended in a torn line ${parsed.tornLastLine.line} (a run stopped while it was written); it was dropped and that run will run again.`);
    }
  } catch (e) {
    unlock();
    throw new UsageError(`Cannot write ${file}: ${describeFsError(e)}.`, 'cannot-write', file);
  }
  return {
    file,
    done,
    append(r) {
      // One write per line, flushed to disk before the run counts as done: a kill loses at most the run in flight.
      writeSync(fd, recordLine(r));
      fsyncSync(fd);
    },
    close: () => {
      closeSync(fd);
      unlock();
    },
  };
}

/**
 * Claims DIR for this process (DIR/.arena.lock holds its pid), so that two arenas never append
 * to, or cut a torn line off, the same results.jsonl. A lock whose process is gone (killed) is taken over.
 */
function lockFolder(dir: string): () => void {
  const lock = join(dir, '.arena.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`Cannot write in ${dir}: ${describeFsError(e)}.`, 'cannot-write', dir);
    }
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw new UsageError(`Another celda arena (process ${holder}) is writing ${dir}; wait for it, or use another --out.`, 'arena-busy', dir);
    }
    rmSync(lock, { force: true });
  }
  throw new UsageError(`Cannot lock ${dir}: ${lock} keeps coming back; is another celda arena starting there?`, 'arena-busy', dir);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

/** Runs the pending runs on the pool with a progress bar; true when stopped by Ctrl-C. */
async function runPending(spec: ArenaSpec, pending: readonly PlannedRun[], workers: number, append: (r: RunRecord) => void, ctx: Context): Promise<boolean> {
  if (pending.length === 0) return false;
  const steps = spec.steps;
  const reporter = new ProgressReporter(ctx.json ? silentSink : stderrSink(), 0, pending.length * steps, 'arena');
  const inFlight = new Map<string, number>();
  let finishedSteps = 0;
  let finished = 0;
  const pool = startPool(spec, pending.map((r) => r.key), workers, {
    onProgress(p) {
      inFlight.set(runKeyString(p.key), p.step);
      reporter.update(finishedSteps + [...inFlight.values()].reduce((a, b) => a + b, 0), p.loss);
    },
    onRecord(r) {
      append(r);
      inFlight.delete(runKeyString(r));
      finishedSteps += steps;
      finished += 1;
      const outcome = r.status === 'done' ? `final validation loss ${formatLossValue(r.finalValidLoss as number)}` : `FAILED: ${r.error ?? ''}`;
      reporter.log(`[${finished}/${pending.length}] ${r.cell}, ${r.task}, seed ${r.seed} (hidden ${r.hidden}, ${r.parameters} parameters): ${outcome} in ${formatSeconds(r.wallMs / 1000)}`);
    },
  });
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    void pool.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    await pool.finished;
  } finally {
    process.off('SIGINT', onSigint);
    reporter.finish();
  }
  return interrupted;
}

/** report.md, report.csv and two SVGs per task, each written atomically; returns their paths. */
function writeOutputs(dir: string, spec: ArenaSpec, records: readonly RunRecord[], report: ArenaReport): string[] {
  const files: [string, string][] = [[join(dir, 'report.md'), renderMarkdown(report)], [join(dir, 'report.csv'), renderCsv(report)]];
  for (const task of spec.tasks) {
    files.push([join(dir, `curves-${task}.svg`), curvesSvg(curvesPlot(spec, records, task))]);
    files.push([join(dir, `box-${task}.svg`), boxSvg(boxPlot(spec, records, task))]);
  }
  for (const [file, text] of files) writeFileAtomic(file, text, 'arena output');
  return files.map(([file]) => file);
}
