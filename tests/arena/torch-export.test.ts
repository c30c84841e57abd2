/**
 * `celda arena … --export-torch DIR` on a 2-run grid (MGU × adding × 2 seeds): the exported runs
 * are trained by PyTorch (/usr/bin/python3, Debian's python3-torch) through the launcher, a
 * job-array index and torchrun, merged by merge.py, and read back by the arena's own results
 * parser and report. "The same grid" is checked number for number: the first step's training
 * loss equals Celda's reference trainer's within 1e-4 in float32, and in float64 every curve
 * point and the final validation loss equal the reference arena run's within 1e-9 (same data,
 * same initial weights, same update). Then the folder rules and hostile cell names.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arenaTask, planArena, runConfig, sizeCell, type PlannedRun } from '../../src/arena/grid';
import { buildReport } from '../../src/arena/report';
import { finishedRuns, parseResults } from '../../src/arena/results';
import { runOne } from '../../src/arena/run';
import type { ArenaSpec, RunRecord } from '../../src/arena/types';
import { buildTorchGrid, type DataFile, type DataLayout } from '../../src/arena/torch-grid';
import { exportTorchGrid } from '../../src/cli/arena-export';
import type { Context } from '../../src/cli/command';
import { CliError } from '../../src/cli/io';
import type { Cell } from '../../src/model/cell';
import { loadCellText } from '../../src/model/load';
import { deriveRng } from '../../src/runtime/rng';
import type { Task } from '../../src/runtime/tasks/types';
import { createTrainer } from '../../src/runtime/train';
import { PYTHON, RUN_TIMEOUT_MS, describeRun, requireTorch, run, torchrun } from '../export/python';

const mgu = ((): Cell => {
  const loaded = loadCellText(readFileSync(new URL('../../examples/zoo/mgu.json', import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error('examples/zoo/mgu.json does not load');
  return loaded.value;
})();

const spec: ArenaSpec = {
  cells: [{ id: 'mgu', name: 'MGU', cell: mgu }], tasks: ['adding'], seeds: 2, sizing: { kind: 'hidden', hidden: 3 }, steps: 3,
  // A small clip, so the clipping is part of what must agree.
  hyperparameters: { batch: 4, lr: 0.05, optimizer: 'adam', clip: 0.05, length: 12, evalEvery: 0 }, baseline: 'mgu', backend: 'reference',
};

function planned(s: ArenaSpec): readonly PlannedRun[] {
  const plan = planArena(s);
  if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
  return plan.value;
}

function context(): Context & { lines: string[] } {
  const lines: string[] = [];
  return { io: { out: () => undefined, err: () => undefined }, json: false, lines, print: (line = '') => lines.push(line), printJson: () => undefined, note: (line) => lines.push(line) };
}

const exportInto = (dir: string, s: ArenaSpec = spec, force = false) => {
  const ctx = context();
  exportTorchGrid(s, planned(s), dir, force, ctx);
  return ctx.lines.join('\n');
};

/** What the export refuses, as its message. */
const refusal = (dir: string, s: ArenaSpec = spec, force = false): string => {
  try {
    exportInto(dir, s, force);
  } catch (e) {
    if (e instanceof CliError) return e.message;
    throw e;
  }
  throw new Error('the export was not refused');
};

const python = (dir: string, args: readonly string[]) => run(PYTHON, args, { cwd: dir });
const shell = (dir: string, args: readonly string[]) => run('/bin/sh', args, { cwd: dir, env: { PYTHON } });

const results = (dir: string): RunRecord[] => parseResults(readFileSync(join(dir, 'results.jsonl'), 'utf8')).records.slice();
const resultOf = (dir: string, id: string): RunRecord => JSON.parse(readFileSync(join(dir, 'results', `${id}.jsonl`), 'utf8')) as RunRecord;

/** Celda's reference trainer: the loss of the first step of (cell, task, seed). */
function referenceFirstLoss(seed: number): number {
  const task = arenaTask('adding', spec) as Task;
  const sized = sizeCell(spec, mgu, task);
  if (!sized.ok) throw new Error('mgu does not size');
  return createTrainer(sized.cell.compiled, task, runConfig(spec, task, seed)).step().loss;
}

let root = '';
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'celda-arena-torch-')); });
afterAll(() => { if (root) rmSync(root, { recursive: true, force: true }); });

describe('the exported grid', () => {
  let dir = '';
  beforeAll(() => {
    dir = join(root, 'grid');
    exportInto(dir);
  });

  it('holds per run a config, Celda\'s initial weights and a result path; per seed the batches; one module; one launcher line per run', () => {
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['r0001.json', 'r0002.json']);
    expect(readdirSync(join(dir, 'init')).sort()).toEqual(['r0001.json', 'r0002.json']);
    expect(readdirSync(join(dir, 'cells'))).toEqual(['cell_1.py']);
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['adding-seed1.bin', 'adding-seed2.bin', 'adding-valid.bin']);
    expect(readFileSync(join(dir, 'runs.txt'), 'utf8')).toBe('runs/r0001.json\nruns/r0002.json\n');
    const commands = readFileSync(join(dir, 'run_all.sh'), 'utf8').split('\n').filter((l) => l.includes('train.py'));
    expect(commands).toEqual(['"${PYTHON:-python3}" train.py runs/r0001.json', '"${PYTHON:-python3}" train.py runs/r0002.json']);
    expect(statSync(join(dir, 'run_all.sh')).mode & 0o111).not.toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'runs', 'r0002.json'), 'utf8')) as { record: Record<string, unknown>; train: { records: number; inputs: string } };
    const plan = planned(spec);
    expect(config.record).toMatchObject({ cell: 'mgu', task: 'adding', seed: 2, cellHash: plan[1].cellHash, hidden: 3, hyperparameters: plan[1].hyperparameters });
    expect(config.train).toMatchObject({ records: 3, inputs: 'dense' });
    for (const script of ['train.py', 'merge.py', 'README.md']) expect(existsSync(join(dir, script))).toBe(true);
  });

  it('a job-array task trains its line of runs.txt only; the launcher then trains the rest and skips it; merge.py hands the arena finished runs', async () => {
    requireTorch();
    const one = await python(dir, ['train.py', '--index', '1']);
    expect(one.code, describeRun(one)).toBe(0);
    expect(readdirSync(join(dir, 'results'))).toEqual(['r0002.jsonl']);

    const all = await shell(dir, ['run_all.sh']);
    expect(all.code, describeRun(all)).toBe(0);
    expect(all.output).toMatch(/r0002: already done/);
    expect(all.output).toMatch(/r0001: final validation loss/);

    const merged = await python(dir, ['merge.py']);
    expect(merged.code, describeRun(merged)).toBe(0);
    expect(merged.output).toContain('2 runs added');
    const records = results(dir);
    expect(records.map((r) => [r.cell, r.task, r.seed, r.status, r.backend])).toEqual([
      ['mgu', 'adding', 1, 'done', 'pytorch (float32, cpu)'], ['mgu', 'adding', 2, 'done', 'pytorch (float32, cpu)'],
    ]);
    // The arena counts them as its own finished runs (it would train nothing) and reports them.
    expect(finishedRuns(records, planned(spec))).toMatchObject({ done: new Set(planned(spec).map((p) => JSON.stringify([p.key.cell, p.key.task, p.key.seed]))), stale: [] });
    const row = buildReport(spec, records).tasks[0].rows[0];
    expect(row).toMatchObject({ cell: 'mgu', runs: 2, failed: 0, hidden: 3 });
    expect(row.summary.n).toBe(2);

    for (const r of records) {
      expect(r.curve.map((p) => p.step)).toEqual([1, 2, 3]);
      expect(Math.abs(r.curve[0].trainLoss - referenceFirstLoss(r.seed))).toBeLessThan(1e-4);
    }
    // Merging again adds nothing and keeps what is there.
    const again = await python(dir, ['merge.py']);
    expect(again.output).toContain('0 runs added');
    expect(results(dir)).toEqual(records);
  }, 3 * RUN_TIMEOUT_MS);

  it('under torchrun each rank trains the runs i ≡ rank (mod 2); in float64 every record is the reference arena run\'s to 1e-9', async () => {
    requireTorch();
    rmSync(join(dir, 'results'), { recursive: true });
    mkdirSync(join(dir, 'results'));
    const r = await torchrun('train.py', ['--all', '--dtype', 'float64'], dir);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.output).toMatch(/rank 0\/2 r0001: final validation loss/);
    expect(r.output).toMatch(/rank 1\/2 r0002: final validation loss/);
    expect(r.output).not.toMatch(/rank 0\/2 r0002|rank 1\/2 r0001/);
    for (const [id, seed] of [['r0001', 1], ['r0002', 2]] as const) {
      const torch = resultOf(dir, id);
      const celda = await runOne(spec, { cell: 'mgu', task: 'adding', seed });
      expect(torch.backend).toBe('pytorch (float64, cpu)');
      expect({ ...torch, backend: '', wallMs: 0, curve: [], finalValidLoss: 0 }).toEqual({ ...celda, backend: '', wallMs: 0, curve: [], finalValidLoss: 0 });
      expect(torch.curve.map((p) => p.step)).toEqual(celda.curve.map((p) => p.step));
      torch.curve.forEach((p, i) => expect(Math.abs(p.trainLoss - celda.curve[i].trainLoss)).toBeLessThan(1e-9));
      expect(Math.abs((torch.finalValidLoss as number) - (celda.finalValidLoss as number))).toBeLessThan(1e-9);
    }
  }, 2 * RUN_TIMEOUT_MS);
});

describe('the export folder', () => {
  it('refuses a file, and a non-empty folder that is no export unless --force', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(refusal(file)).toMatch(/--export-torch .*a-file is a file, not a folder/);

    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expect(refusal(busy)).toMatch(/is not empty and holds no celda arena export \(1 entry\).*--force/);
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    exportInto(busy, spec, true);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(busy, 'runs', 'r0002.json'))).toBe(true);
  });

  it('writes over an export of the same grid keeping its results; refuses another grid unless --force, whose merge leaves the old result out', async () => {
    const dir = join(root, 'again');
    exportInto(dir);
    const kept = '{"a result": true}\n';
    writeFileSync(join(dir, 'results', 'r0001.jsonl'), kept);
    expect(exportInto(dir)).toContain('over an export of the same grid (its results kept)');
    expect(readFileSync(join(dir, 'results', 'r0001.jsonl'), 'utf8')).toBe(kept);

    const longer: ArenaSpec = { ...spec, steps: 4 };
    expect(refusal(dir, longer)).toMatch(/holds the export of another grid \(2 runs; .*--force/);
    exportInto(dir, longer, true);
    const old = { ...resultOfConfig(dir, 'r0001'), hyperparameters: { ...planned(spec)[0].hyperparameters } };
    writeFileSync(join(dir, 'results', 'r0001.jsonl'), `${JSON.stringify(old)}\n`);
    const merged = await python(dir, ['merge.py']);
    expect(merged.code, describeRun(merged)).toBe(0);
    expect(merged.output).toContain('0 runs added');
    expect(merged.output).toMatch(/r0001 \(results\/r0001\.jsonl was made with other settings/);
  });

  it('refuses a grid whose data and weights could be too large, before writing anything', () => {
    const huge: ArenaSpec = { ...spec, seeds: 1, steps: 1_000_000, hyperparameters: { ...spec.hyperparameters, batch: 1024, length: 1000 } };
    const dir = join(root, 'huge');
    expect(refusal(dir, huge)).toMatch(/the grid's data and initial weights could take .* GB, more than the 4\.00 GB an export writes; use fewer --steps/);
    expect(existsSync(dir)).toBe(false);
  });
});

/** A done record as train.py would write it for the run's current config. */
function resultOfConfig(dir: string, id: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(dir, 'runs', `${id}.json`), 'utf8')) as { record: Record<string, unknown> };
  return { ...config.record, backend: 'pytorch (float32, cpu)', curve: [{ step: 1, trainLoss: 1, validLoss: 1 }], finalValidLoss: 1, wallMs: 1, status: 'done' };
}

describe('a run that diverges', () => {
  it('is recorded as failed, in the arena\'s words, and the arena\'s parser takes the record', async () => {
    const dir = join(root, 'diverges');
    exportInto(dir, { ...spec, seeds: 1 });
    const initFile = join(dir, 'init', 'r0001.json');
    const init = JSON.parse(readFileSync(initFile, 'utf8')) as { readout: { weight: { data: number[] } } };
    init.readout.weight.data = init.readout.weight.data.map(() => 1e300);
    writeFileSync(initFile, JSON.stringify(init));
    requireTorch();
    const r = await python(dir, ['train.py', '--all']);
    expect(r.code, describeRun(r)).toBe(0);
    const [record] = parseResults(readFileSync(join(dir, 'results', 'r0001.jsonl'), 'utf8')).records;
    expect(record).toMatchObject({ status: 'failed', finalValidLoss: null, curve: [], error: 'diverged at step 1: the loss is not finite (NaN or ∞)' });
  }, RUN_TIMEOUT_MS);
});

describe('buildTorchGrid', () => {
  // The same cell under two ids, on a task of dense inputs and one of one-hot inputs.
  const twice: ArenaSpec = { ...spec, seeds: 1, tasks: ['adding', 'order'], cells: [{ id: 'a', name: 'A', cell: mgu }, { id: 'b', name: 'B', cell: mgu }], baseline: 'a',
    hyperparameters: { ...spec.hyperparameters, length: 20 },
  };
  const grid = buildTorchGrid(twice, planned(twice));
  if ('tooLarge' in grid) throw new Error('too large');
  const config = (id: string) => JSON.parse(grid.texts.find((f) => f.path === `runs/${id}.json`)?.text() ?? 'null') as { module: string; train: DataLayout; valid: DataLayout };

  it('lists the runs in the plan\'s order, writes one module per distinct cell source and one data file per (task, seed)', () => {
    expect(grid.runs.map((r) => [r.id, r.key.cell, r.key.task])).toEqual([['r0001', 'a', 'adding'], ['r0002', 'b', 'adding'], ['r0003', 'a', 'order'], ['r0004', 'b', 'order']]);
    expect(grid.texts.filter((f) => f.path.startsWith('cells/')).map((f) => f.path)).toEqual(['cells/cell_1.py', 'cells/cell_2.py']);
    expect([config('r0001').module, config('r0002').module, config('r0003').module]).toEqual(['cells/cell_1.py', 'cells/cell_1.py', 'cells/cell_2.py']);
    expect(grid.data.map((f) => f.path)).toEqual(['data/adding-seed1.bin', 'data/adding-valid.bin', 'data/order-seed1.bin', 'data/order-valid.bin']);
  });

  it('stores one-hot inputs as symbol ids, and a record decodes to the batch Celda trains on at that step', () => {
    const adding = config('r0001').train;
    const order = config('r0003').train;
    expect([adding.inputs, adding.targets, order.inputs, order.targets]).toEqual(['dense', 'values', 'one-hot', 'classes']);
    expect(order.recordBytes).toBe(20 * (4 * 4 + 4 * 4 + 1));
    const task = arenaTask('order', twice) as Task;
    const records = [...(grid.data.find((f) => f.path === 'data/order-seed1.bin') as DataFile).records()];
    expect(records).toHaveLength(3);
    const view = new DataView(records[2].buffer);
    const celda = task.trainBatch(deriveRng(1, 'data', '2'), 4, 20);
    const ids = Array.from({ length: 20 * 4 }, (_, i) => view.getInt32(4 * i, true));
    expect(ids).toEqual(celda.xs.flatMap((x) => Array.from({ length: 4 }, (_, r) => Array.from(x.subarray(r * 8, r * 8 + 8)).indexOf(1))));
    const labels = Array.from({ length: 4 }, (_, r) => view.getInt32(4 * (20 * 4 + 19 * 4 + r), true));
    expect(labels).toEqual(Array.from((celda.targets[19] as { labels: Int32Array }).labels));
    expect(Array.from(records[2].subarray(records[2].length - 20))).toEqual(celda.targets.map((t) => (t ? 1 : 0)));
  });
});

describe('hostile cell ids and names', () => {
  const id = '../../evil"""\nimport os; os.system("touch pwned") #\'';
  const name = 'x\u2028"); exec("1") # \\ ${PYTHON} `id`';
  const hostile: ArenaSpec = { ...spec, seeds: 1, cells: [{ id, name, cell: mgu }], baseline: id };

  it('reach no generated code or file name, only JSON, and come back whole in the record', async () => {
    const dir = join(root, 'hostile');
    exportInto(dir, hostile);
    const files = (sub: string): string[] => readdirSync(join(dir, sub)).map((f) => join(sub, f));
    const code = ['train.py', 'merge.py', 'run_all.sh', ...files('cells')];
    for (const f of code) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const piece of ['evil', 'pwned', 'exec(', '`id`']) expect(text, f).not.toContain(piece);
    }
    expect([...files('runs'), ...files('init'), ...files('data')].every((f) => /^[a-z]+\/[a-z0-9-]+\.(json|bin)$/.test(f))).toBe(true);

    requireTorch();
    const r = await python(dir, ['train.py', 'runs/r0001.json']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(resultOf(dir, 'r0001')).toMatchObject({ cell: id, cellName: name, status: 'done' });
  }, RUN_TIMEOUT_MS);
});
