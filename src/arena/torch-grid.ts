/**
 * An arena grid as PyTorch runs (`celda arena … --export-torch DIR`): the files that let a
 * cluster train every (cell, task, seed) of a checked spec and hand back records the arena's
 * report reads. Nothing about the training is re-derived in Python:
 * - each distinct cell is the PyTorch export (src/export/pytorch.ts) at its planned size;
 * - each run starts from Celda's initial parameters for its seed (initModel), as a weights file;
 * - each (task, seed) trains on Celda's own batches, written as binary files: batch k is
 *   task.trainBatch(deriveRng(seed, 'data', k)) exactly as the trainer draws it, and the
 *   validation set is task.validationBatches(EVAL_BATCH, length). Writing the data (rather than
 *   porting the RNG and four task generators to Python) keeps one definition of each task.
 * No text from a cell file reaches generated code: ids and names travel in JSON only, file
 * names are generated (r0001, cell_1), and the cell modules name things as the export does.
 * Pure: no Node imports; the CLI writes the files (src/cli/arena-export.ts).
 */
import type { Compiled } from '../compiler';
import { exportPytorch, torchWeights, type PytorchExport } from '../export/pytorch';
import { JSON_NUMBER_BYTES } from '../runtime/memory';
import { initModel } from '../runtime/model';
import { OPTIMIZER_DEFAULTS } from '../runtime/optim';
import { deriveRng } from '../runtime/rng';
import type { Batch, Task } from '../runtime/tasks/types';
import { EVAL_BATCH } from '../runtime/train';
import { arenaTask, sizeCell, type PlannedRun } from './grid';
import { curveEvery } from './run';
import { RUN_FORMAT, RUN_FORMAT_VERSION, type ArenaSpec, type RunHyperparameters, type RunKey, type TaskName } from './types';

export const TORCH_GRID_FORMAT = 'celda-arena-torch';
export const TORCH_RUN_FORMAT = 'celda-arena-torch-run';
export const TORCH_GRID_VERSION = 1;

/** The most an export writes (its batch files and initial weights together): beyond it, fewer steps, seeds or cells. */
export const MAX_TORCH_EXPORT_BYTES = 4 * 1024 ** 3;

/** A text file; its text is made when written, so a grid of large cells is never held whole. */
export interface TextFile {
  readonly path: string;
  text(): string;
}

/** A binary file of fixed-size records, made one record at a time so a large one is never held whole. */
export interface DataFile {
  readonly path: string;
  readonly bytes: number;
  records(): Iterable<Uint8Array>;
}

/**
 * How one data file is laid out (little-endian), record after record, a record being one batch:
 * inputs [length][batch] int32 symbol ids ('one-hot') or [length][batch][inputSize] float64
 * ('dense'); targets [length][batch] int32 classes or [length][batch][outputSize] float64 values
 * (zero where a step is not scored); then [length] uint8, 1 where the step is scored.
 */
export interface DataLayout {
  readonly path: string;
  readonly records: number;
  readonly batch: number;
  readonly length: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly inputs: 'one-hot' | 'dense';
  readonly targets: 'classes' | 'values';
  readonly recordBytes: number;
}

/** One run as the grid lists it: its file id and what makes it the same run as the arena's. */
export interface TorchRunIdentity {
  readonly id: string;
  readonly key: RunKey;
  readonly cellHash: string;
  readonly hidden: number;
  readonly parameters: number;
  readonly hyperparameters: RunHyperparameters;
}

export interface TorchGrid {
  readonly texts: readonly TextFile[];
  readonly data: readonly DataFile[];
  readonly runs: readonly TorchRunIdentity[];
  /** The manifest (grid.json) as data: an export of the same grid has an equal `runs`. */
  readonly manifest: TorchManifest;
}

export interface TorchManifest {
  readonly format: typeof TORCH_GRID_FORMAT;
  readonly version: typeof TORCH_GRID_VERSION;
  readonly baseline: string;
  readonly seeds: number;
  readonly steps: number;
  readonly tasks: readonly TaskName[];
  readonly cells: readonly { readonly id: string; readonly name: string }[];
  readonly sizing: ArenaSpec['sizing'];
  readonly hyperparameters: ArenaSpec['hyperparameters'];
  readonly runs: readonly TorchRunIdentity[];
}

/** An export bigger than MAX_TORCH_EXPORT_BYTES (at most `bytes`): nothing was made. */
export interface TooLarge {
  readonly tooLarge: { readonly bytes: number; readonly max: number };
}

const runId = (index: number, count: number): string => `r${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;

/**
 * The export of a planned grid (planArena's runs for `spec`). Every (cell, task) of the plan
 * compiles, since planArena compiled it; the data of each (task, seed) is shared by every cell.
 */
export function buildTorchGrid(spec: ArenaSpec, plan: readonly PlannedRun[]): TorchGrid | TooLarge {
  const tasks = new Map(spec.tasks.map((name) => [name, arenaTask(name, spec) as Task]));
  const modules = new Map<string, string>();
  const texts: TextFile[] = [];
  const data = new Map<string, { layout: DataLayout; file: DataFile }>();
  const dataFor = (task: Task, name: TaskName, seed: number | 'valid', hp: RunHyperparameters): DataLayout => {
    const path = `data/${name}-${seed === 'valid' ? 'valid' : `seed${seed}`}.bin`;
    let entry = data.get(path);
    if (!entry) {
      entry = seed === 'valid'
        ? dataFile(path, task, task.validationBatches(EVAL_BATCH, hp.length).length, () => task.validationBatches(EVAL_BATCH, hp.length))
        : dataFile(path, task, hp.steps, () => trainingBatches(task, seed, hp));
      data.set(path, entry);
    }
    return entry.layout;
  };

  /** The cell of a (cell, task) at its planned size, exported once and written once per distinct module. */
  const exports = new Map<string, { compiled: Compiled; exported: PytorchExport; module: string }>();
  const cellFor = (key: RunKey, task: Task) => {
    const at = JSON.stringify([key.cell, key.task]);
    let entry = exports.get(at);
    if (!entry) {
      const cell = spec.cells.find((c) => c.id === key.cell);
      const sized = cell && sizeCell(spec, cell.cell, task);
      if (!sized?.ok) throw new Error(`run ${JSON.stringify(key)} is not in the plan of this spec`);
      const exported = exportPytorch(sized.cell.compiled);
      const source = exported.files[0].content;
      let module = modules.get(source);
      if (module === undefined) {
        module = `cells/cell_${modules.size + 1}.py`;
        modules.set(source, module);
        texts.push({ path: module, text: () => source });
      }
      entry = { compiled: sized.cell.compiled, exported, module };
      exports.set(at, entry);
    }
    return entry;
  };

  const runs = plan.map((planned, index): TorchRunIdentity => {
    const { key, hyperparameters: hp } = planned;
    const task = tasks.get(key.task) as Task;
    const { compiled, exported, module } = cellFor(key, task);
    const id = runId(index, plan.length);
    const init = `init/${id}.json`;
    texts.push({ path: init, text: () => `${JSON.stringify(torchWeights(compiled.program, exported.names, initModel(compiled, task.outputSize, key.seed)))}\n` });
    const identity = { id, key, cellHash: planned.cellHash, hidden: planned.hidden, parameters: planned.parameters, hyperparameters: hp };
    const config = {
      format: TORCH_RUN_FORMAT,
      version: TORCH_GRID_VERSION,
      id,
      record: {
        format: RUN_FORMAT, version: RUN_FORMAT_VERSION, cell: key.cell, task: key.task, seed: key.seed, cellName: planned.cellName,
        cellHash: planned.cellHash, hidden: planned.hidden, parameters: planned.parameters, hyperparameters: hp,
      },
      module,
      init,
      tensorNames: tensorNames(compiled, exported.names),
      train: dataFor(task, key.task, key.seed, hp),
      valid: dataFor(task, key.task, 'valid', hp),
      optimizer: { ...OPTIMIZER_DEFAULTS, name: hp.optimizer },
      clip: hp.clip,
      lr: hp.lr,
      steps: hp.steps,
      curveEvery: curveEvery(hp.steps, hp.evalEvery),
      evalEvery: hp.evalEvery,
      result: `results/${id}.jsonl`,
    };
    texts.push({ path: `runs/${id}.json`, text: () => `${JSON.stringify(config, null, 1)}\n` });
    return identity;
  });

  // Initial weights at their longest JSON numbers: a bound, so a grid of large cells is refused before it is written.
  const bytes = [...data.values()].reduce((sum, d) => sum + d.file.bytes, 0) + plan.reduce((sum, r) => sum + r.parameters * JSON_NUMBER_BYTES, 0);
  if (bytes > MAX_TORCH_EXPORT_BYTES) return { tooLarge: { bytes, max: MAX_TORCH_EXPORT_BYTES } };
  const manifest: TorchManifest = {
    format: TORCH_GRID_FORMAT, version: TORCH_GRID_VERSION, baseline: spec.baseline, seeds: spec.seeds, steps: spec.steps, tasks: spec.tasks,
    cells: spec.cells.map((c) => ({ id: c.id, name: c.name })), sizing: spec.sizing, hyperparameters: spec.hyperparameters, runs,
  };
  texts.push(
    { path: 'runs.txt', text: () => runs.map((r) => `runs/${r.id}.json\n`).join('') },
    { path: 'run_all.sh', text: () => launcher(runs) },
    { path: 'grid.json', text: () => `${JSON.stringify(manifest, null, 1)}\n` },
  );
  return { texts, data: [...data.values()].map((d) => d.file), runs, manifest };
}

/** Each cell tensor's export name → its Celda name ("node.tensor"), for messages about a diverged run. */
function tensorNames(compiled: Compiled, names: ReadonlyMap<number, string>): Record<string, string> {
  return Object.fromEntries(compiled.program.tensors.map((t) => [names.get(t.id) as string, `${t.nodeId}.${t.name}`]));
}

/** One command per run, in the plan's order (seed by seed), each independent of the others. */
function launcher(runs: readonly TorchRunIdentity[]): string {
  return [
    '#!/bin/sh',
    '# Generated by Celda (celda arena --export-torch): every run of the grid, one command per line.',
    '# The lines are independent: run them in any order, on any machine that holds this folder, or',
    '# split them (runs.txt lists the same runs; see README.md for job arrays and torchrun).',
    '# Then: python3 merge.py, and the arena report (README.md).',
    'set -e',
    'cd "$(dirname "$0")"',
    ...runs.map((r) => `"\${PYTHON:-python3}" train.py runs/${r.id}.json`),
    '',
  ].join('\n');
}

/** Batch k is what the trainer draws at step k + 1 (src/runtime/train.ts: deriveRng(seed, 'data', stepsDone)). */
function* trainingBatches(task: Task, seed: number, hp: RunHyperparameters): Generator<Batch> {
  for (let k = 0; k < hp.steps; k++) yield task.trainBatch(deriveRng(seed, 'data', String(k)), hp.batch, hp.length);
}

/** The layout is read off the first batch; every batch after it must fit it (a task's batches all have one shape). */
function dataFile(path: string, task: Task, records: number, batches: () => Iterable<Batch>): { layout: DataLayout; file: DataFile } {
  const first = batches()[Symbol.iterator]().next().value as Batch;
  const length = first.xs.length;
  const batch = first.xs[0].length / task.inputSize;
  const inputs = first.xs.every((x) => isOneHot(x, task.inputSize)) ? 'one-hot' : 'dense';
  const targets = task.loss === 'cross-entropy' ? 'classes' : 'values';
  const perStep = batch * ((inputs === 'one-hot' ? 4 : 8 * task.inputSize) + (targets === 'classes' ? 4 : 8 * task.outputSize)) + 1;
  const layout: DataLayout = {
    path, records, batch, length, inputSize: task.inputSize, outputSize: task.outputSize, inputs, targets, recordBytes: length * perStep,
  };
  return { layout, file: { path, bytes: records * layout.recordBytes, records: () => encoded(batches(), layout) } };
}

function* encoded(batches: Iterable<Batch>, layout: DataLayout): Generator<Uint8Array> {
  for (const b of batches) yield encodeBatch(b, layout);
}

function isOneHot(x: Float64Array, width: number): boolean {
  for (let row = 0; row < x.length; row += width) {
    let ones = 0;
    for (let i = row; i < row + width; i++) {
      if (x[i] === 1) ones++;
      else if (x[i] !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}

/** One batch as one record of `layout`; a batch of another shape is a bug in a task, not the user's input. */
function encodeBatch(b: Batch, layout: DataLayout): Uint8Array {
  const { length, batch, inputSize: width, outputSize } = layout;
  if (b.xs.length !== length || b.targets.length !== length) throw new Error(`${layout.path}: a batch of ${b.xs.length} steps in a file of ${length}`);
  const out = new Uint8Array(layout.recordBytes);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const x of b.xs) {
    if (x.length !== batch * width) throw new Error(`${layout.path}: a step of ${x.length} inputs where ${batch} × ${width} belong`);
    for (let r = 0; r < batch; r++) {
      if (layout.inputs === 'dense') {
        for (let i = 0; i < width; i++, at += 8) view.setFloat64(at, x[r * width + i], true);
        continue;
      }
      const row = x.subarray(r * width, (r + 1) * width);
      if (!isOneHot(row, width)) throw new Error(`${layout.path}: an input row that is not one-hot in a one-hot file`);
      view.setInt32(at, row.indexOf(1), true);
      at += 4;
    }
  }
  for (const target of b.targets) {
    if (layout.targets === 'classes') {
      if (target && target.kind !== 'classes') throw new Error(`${layout.path}: values where classes belong`);
      for (let r = 0; r < batch; r++, at += 4) view.setInt32(at, target ? target.labels[r] : 0, true);
    } else {
      if (target && target.kind !== 'values') throw new Error(`${layout.path}: classes where values belong`);
      for (let i = 0; i < batch * outputSize; i++, at += 8) view.setFloat64(at, target ? target.values[i] : 0, true);
    }
  }
  for (const target of b.targets) out[at++] = target ? 1 : 0;
  return out;
}
