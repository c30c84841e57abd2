/**
 * `celda arena … --export-torch DIR`: writes a checked, planned grid as PyTorch runs
 * (src/arena/torch-grid.ts) plus the scripts that train and merge them (src/arena/torch/).
 *
 * The folder: created when missing; an empty one is used; one holding an export of the same
 * grid is written again with its results/ kept (resume: finished runs stay finished); anything
 * else (other files, an export of another grid) is refused unless --force, which writes the
 * export over it and deletes nothing — train.py and merge.py take a result only when it was
 * made with its run's current settings, so results of another grid are never mistaken for these.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlannedRun } from '../arena/grid';
import { TORCH_GRID_FORMAT, buildTorchGrid, type TorchManifest } from '../arena/torch-grid';
import type { ArenaSpec } from '../arena/types';
import type { Context, OptionSpec } from './command';
import { EXIT, UsageError, describeFsError, plural, type ExitCode } from './io';
import { writeFileAtomic } from './training';

/** The options the arena command takes for this (merged into its own). */
export const EXPORT_TORCH_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'export-torch': { type: 'string', value: 'DIR', help: 'Train nothing: write the grid as PyTorch runs into DIR, with a launcher and merge.py (see its README.md).' },
  force: { type: 'boolean', help: 'With --export-torch: write into a DIR that is not empty and holds no export of this same grid.' },
};

/** The scripts every export carries, the same for every grid. */
const SCRIPTS_DIR = fileURLToPath(new URL('../arena/torch/', import.meta.url));
const SCRIPTS = ['train.py', 'merge.py', 'README.md'] as const;

export interface TorchExportSummary {
  readonly out: string;
  readonly runs: number;
  readonly cellModules: number;
  readonly dataBytes: number;
  /** An export of the same grid was there: it was written again, its results kept. */
  readonly resumed: boolean;
}

/** Writes the export of `plan` (planArena(spec)'s runs) into `dir`, prints what to run next, and returns exit 0. */
export function exportTorchGrid(spec: ArenaSpec, plan: readonly PlannedRun[], dir: string, force: boolean, ctx: Context): ExitCode {
  const grid = buildTorchGrid(spec, plan);
  if ('tooLarge' in grid) {
    const { bytes, max } = grid.tooLarge;
    throw new UsageError(`--export-torch: the grid's data and initial weights could take ${formatBytes(bytes)}, more than the ${formatBytes(max)} an export writes; use fewer --steps, --seeds or cells, or a smaller --batch or --hidden.`);
  }
  const resumed = checkFolder(dir, grid.manifest, force);
  for (const sub of ['cells', 'init', 'data', 'runs', 'results']) makeFolder(join(dir, sub));
  for (const f of grid.texts) writeFileAtomic(join(dir, f.path), f.text(), `export file ${f.path}`);
  for (const name of SCRIPTS) writeFileAtomic(join(dir, name), readFileSync(join(SCRIPTS_DIR, name), 'utf8'), `export file ${name}`);
  for (const f of grid.data) writeFileAtomic(join(dir, f.path), f.records(), `export file ${f.path}`);
  chmodSync(join(dir, 'run_all.sh'), 0o755);

  const summary: TorchExportSummary = {
    out: dir, runs: grid.runs.length, cellModules: grid.texts.filter((f) => f.path.startsWith('cells/')).length,
    dataBytes: grid.data.reduce((sum, f) => sum + f.bytes, 0), resumed,
  };
  ctx.printJson({ ok: true, export: summary });
  ctx.print(`Wrote ${plural(summary.runs, 'PyTorch run')} (${plural(summary.cellModules, 'cell module')}, ${formatBytes(summary.dataBytes)} of data) to ${dir}`
    + `${resumed ? ', over an export of the same grid (its results kept)' : ''}.`);
  ctx.print(`Train: sh ${join(dir, 'run_all.sh')}, or python3 train.py --index I per job-array task, or torchrun … train.py --all (${join(dir, 'README.md')}).`);
  ctx.print(`Then: python3 ${join(dir, 'merge.py')}, and this celda arena command again with --out ${dir} instead of --export-torch for the report.`);
  return EXIT.ok;
}

/** Whether `dir` may take the export; true when it holds an export of this same grid. */
function checkFolder(dir: string, manifest: TorchManifest, force: boolean): boolean {
  let entries: string[];
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) return false;
    if (!stat.isDirectory()) throw new UsageError(`--export-torch ${dir} is a file, not a folder; give a new or empty folder.`, 'cannot-write', dir);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`Cannot use the --export-torch folder ${dir}: ${describeFsError(e)}.`, 'cannot-write', dir);
  }
  if (entries.length === 0) return false;
  const earlier = earlierExport(join(dir, 'grid.json'));
  if (earlier && JSON.stringify(earlier.runs) === JSON.stringify(manifest.runs)) return true;
  if (force) return false;
  const what = earlier
    ? `holds the export of another grid (${plural(earlier.runs.length, 'run')}; the cells, sizes, tasks, seeds or settings differ)`
    : `is not empty and holds no celda arena export (${plural(entries.length, 'entry', 'entries')})`;
  throw new UsageError(`--export-torch ${dir} ${what}: give a new or empty folder, or add --force to write the export over it.`, 'cannot-write', dir);
}

function earlierExport(file: string): TorchManifest | undefined {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<TorchManifest> | null;
    return json?.format === TORCH_GRID_FORMAT && Array.isArray(json.runs) ? (json as TorchManifest) : undefined;
  } catch {
    return undefined;
  }
}

function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`Cannot make the folder ${dir}: ${describeFsError(e)}.`, 'cannot-write', dir);
  }
}


const formatBytes = (n: number): string => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`);
