/**
 * Checkpoints: trained parameters (readout included) with the cell's hash,
 * the task and the training config. JSON numbers round-trip float64 exactly,
 * so save → load is bit-exact. A checkpoint never loads into another cell.
 */
import type { Compiled } from '../compiler';
import type { IrProgram } from '../compiler/ir';
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import type { ModelParameters } from './model';
import { cellOutputSize } from './model';
import type { OptimizerState } from './optim';
import type { TaskInfo } from './tasks/types';
import type { TrainConfig } from './train';

export const CHECKPOINT_FORMAT = 'celda-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointTask {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly loss: TaskInfo['loss'];
  /** Task-specific facts needed to use the model again, e.g. a char-LM's vocabulary. */
  readonly vocabulary?: readonly string[];
}

export interface Checkpoint {
  readonly cellHash: string;
  readonly cellName: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly task: CheckpointTask;
  readonly config: TrainConfig;
  readonly stepsDone: number;
  readonly validationLoss?: number;
  readonly params: ModelParameters;
  /** The optimiser's state, so that resuming continues exactly (absent in older checkpoints). */
  readonly optimizer?: OptimizerState;
}

/**
 * A hash of everything that decides how the cell computes (ops, wiring, sizes,
 * params, node ids that key the parameters) and nothing that does not (labels,
 * positions, metadata). 64-bit FNV-1a, as 16 hex digits.
 */
export function cellHash(program: IrProgram): string {
  const canonical = JSON.stringify({
    sizes: program.sizes,
    input: program.input,
    output: program.output,
    values: program.values.map((v) => v.size),
    states: program.states.map((s) => [s.nodeId, s.prev, s.next, s.size, s.learnedInit ?? null]),
    ops: program.ops.map((op) => [op.def.kind, op.nodeId, op.inputs, op.result, sortedEntries(op.params), sortedEntries(op.sizes)]),
    tensors: program.tensors.map((t) => [t.nodeId, t.name, t.shape]),
  });
  return fnv1a64(canonical);
}

function sortedEntries(o: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.keys(o).sort().map((k) => [k, o[k]]);
}

function fnv1a64(text: string): string {
  // Two 32-bit FNV-1a lanes with different offsets: plenty to tell cells apart (not a security hash).
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function checkpointToJson(program: IrProgram, c: Omit<Checkpoint, 'cellHash'>): Record<string, unknown> {
  const params: Record<string, Record<string, number[]>> = {};
  for (const t of program.tensors) (params[t.nodeId] ??= {})[t.name] = Array.from(c.params.cell[t.nodeId][t.name]);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    cellHash: cellHash(program),
    cellName: c.cellName,
    sizes: c.sizes,
    task: c.task,
    config: c.config,
    stepsDone: c.stepsDone,
    ...(c.validationLoss !== undefined && Number.isFinite(c.validationLoss) && { validationLoss: c.validationLoss }),
    params,
    readout: { W: Array.from(c.params.readout.W), b: Array.from(c.params.readout.b) },
    ...(c.optimizer && {
      optimizer: {
        name: c.optimizer.name,
        t: c.optimizer.t,
        slots: Object.fromEntries(Object.entries(c.optimizer.slots).map(([k, arrays]) => [k, arrays.map((a) => Array.from(a))])),
      },
    }),
  };
}

/** The optimiser state of a checkpoint: slots parallel to the cell's tensors then the readout's W and b. */
function readOptimizer(raw: unknown, lengths: readonly number[], out: Diagnostic[]): OptimizerState | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || !['sgd', 'rmsprop', 'adam'].includes(raw.name as string) || !Number.isInteger(raw.t) || (raw.t as number) < 0 || !isRecord(raw.slots)) {
    out.push(error('bad-checkpoint', 'The checkpoint\'s "optimizer" must be {"name", "t", "slots"}.', { path: 'optimizer' }));
    return undefined;
  }
  const slots: Record<string, Float64Array[]> = {};
  for (const [name, arrays] of Object.entries(raw.slots)) {
    if (!Array.isArray(arrays) || arrays.length !== lengths.length) {
      out.push(error('bad-checkpoint', `optimizer.slots.${name} must hold ${lengths.length} arrays.`, { path: `optimizer.slots.${name}` }));
      return undefined;
    }
    slots[name] = arrays.map((a, k) => readNumbers(a, lengths[k], `optimizer.slots.${name}[${k}]`, out));
  }
  return { name: raw.name as OptimizerState['name'], t: raw.t as number, slots };
}

/** Reads a checkpoint for `compiled`; refuses one made for another cell, with the reason. */
export function checkpointFromJson(compiled: Compiled, json: unknown): Result<Checkpoint> {
  const fail = (code: string, message: string, path = ''): Result<Checkpoint> => ({ ok: false, diagnostics: [error(code, message, { path })] });
  if (!isRecord(json) || json.format !== CHECKPOINT_FORMAT) return fail('not-a-checkpoint', `This is not a Celda checkpoint (its "format" must be "${CHECKPOINT_FORMAT}").`, 'format');
  if (json.version !== CHECKPOINT_VERSION) return fail('bad-version', `Checkpoint version ${String(json.version)} is not supported (this Celda reads version ${CHECKPOINT_VERSION}).`, 'version');
  const { program } = compiled;
  const expected = cellHash(program);
  if (json.cellHash !== expected) {
    return fail('checkpoint-cell-mismatch', `This checkpoint was trained on another cell (${JSON.stringify(String(json.cellName ?? '?').slice(0, 60))}, hash ${String(json.cellHash).slice(0, 16)}); the cell given has hash ${expected}. Its wiring, sizes or params differ.`, 'cellHash');
  }
  const task = json.task;
  if (!isRecord(task) || typeof task.name !== 'string' || !Number.isInteger(task.outputSize) || !Number.isInteger(task.inputSize)) {
    return fail('bad-checkpoint', 'The checkpoint\'s "task" must name the task and its input and output sizes.', 'task');
  }
  const out: Diagnostic[] = [];
  const cell: ModelParameters['cell'] = {};
  const params = isRecord(json.params) ? json.params : {};
  for (const t of program.tensors) {
    const length = t.shape.reduce((a, b) => a * b, 1);
    const node = params[t.nodeId];
    const values = readNumbers(isRecord(node) ? node[t.name] : undefined, length, `params.${t.nodeId}.${t.name}`, out);
    (cell[t.nodeId] ??= {})[t.name] = values;
  }
  const k = task.outputSize as number;
  const readout = isRecord(json.readout) ? json.readout : {};
  const W = readNumbers(readout.W, k * cellOutputSize(program), 'readout.W', out);
  const b = readNumbers(readout.b, k, 'readout.b', out);
  const lengths = [...program.tensors.map((t) => t.shape.reduce((a, n) => a * n, 1)), W.length, b.length];
  const optimizer = readOptimizer(json.optimizer, lengths, out);
  if (out.length > 0) return { ok: false, diagnostics: out };
  return {
    ok: true,
    diagnostics: [],
    value: {
      cellHash: expected,
      cellName: String(json.cellName ?? ''),
      sizes: program.sizes,
      task: task as unknown as CheckpointTask,
      config: json.config as TrainConfig,
      stepsDone: Number.isInteger(json.stepsDone) ? (json.stepsDone as number) : 0,
      ...(typeof json.validationLoss === 'number' && { validationLoss: json.validationLoss }),
      params: { cell, readout: { W, b } },
      ...(optimizer && { optimizer }),
    },
  };
}

function readNumbers(raw: unknown, length: number, path: string, out: Diagnostic[]): Float64Array {
  if (!Array.isArray(raw) || raw.length !== length) {
    out.push(error('bad-checkpoint', `${path} must be a list of ${length} numbers, got ${Array.isArray(raw) ? `${raw.length}` : typeof raw}.`, { path }));
    return new Float64Array(length);
  }
  const bad = raw.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) out.push(error('bad-checkpoint', `${path}[${bad}] is not a finite number.`, { path: `${path}[${bad}]` }));
  return Float64Array.from(raw as number[]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
