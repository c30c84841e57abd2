/**
 * Checkpoints: trained parameters (readout included) with the cell's hash,
 * the task and the training config. JSON numbers round-trip float64 exactly,
 * so save → load is bit-exact. A checkpoint never loads into another cell,
 * never holds a non-finite number (the writer refuses one), and is never larger
 * than the readers accept (MAX_CHECKPOINT_BYTES: check checkpointBytesBound first).
 */
import type { Compiled } from '../compiler';
import type { IrProgram } from '../compiler/ir';
import { LIMITS } from '../model/cell';
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import { showWhat, type CheckpointProblem } from '../model/messages';
import { JSON_NUMBER_BYTES } from './memory';
import type { ModelParameters } from './model';
import { cellOutputSize } from './model';
import type { OptimizerState } from './optim';
import type { TaskInfo } from './tasks/types';
import { configProblems, DEFAULT_CONFIG, firstNonFinite, OPTIMIZERS, parameterNames, type TrainConfig } from './train';

export const CHECKPOINT_FORMAT = 'celda-checkpoint';
export const CHECKPOINT_VERSION = 1;
/** The largest checkpoint file read (`celda train --resume`, `sample`, `export`), and so the largest one written. */
export const MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024;
/** The most steps a checkpoint may say it has done (validateConfig's largest --steps). */
const MAX_STEPS_DONE = 10_000_000;

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

/** A checkpoint that must not be written: it holds a NaN or ±∞ (`path` names the array). */
export class CheckpointError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * An upper bound on the bytes of a checkpoint's JSON text, from its shapes alone: every
 * number at its longest, each learned array once plus once per optimiser slot.
 */
export function checkpointBytesBound(program: IrProgram, outputSize: number, optimizerSlots: number): number {
  const n = cellOutputSize(program);
  const lengths = [...program.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1)), outputSize * n, outputSize];
  const perCopy = lengths.reduce((sum, length) => sum + ARRAY_OVERHEAD_BYTES + length * JSON_NUMBER_BYTES, 0);
  return HEADER_BYTES + outputSize * VOCABULARY_ENTRY_BYTES + perCopy * (1 + optimizerSlots);
}
/** Format, hashes, sizes, task, config: generously. */
const HEADER_BYTES = 64 * 1024;
/** Key, indentation and brackets of one array (node ids have at most LIMITS.idLength characters). */
const ARRAY_OVERHEAD_BYTES = 2 * LIMITS.idLength + 64;
/** One vocabulary entry: a character JSON-escaped at its longest ("\\ud83d\\ude00", ", "). */
const VOCABULARY_ENTRY_BYTES = 16;

/** The checkpoint as JSON; throws CheckpointError rather than write a NaN or ±∞ (JSON would turn it into null). */
export function checkpointToJson(program: IrProgram, c: Omit<Checkpoint, 'cellHash'>): Record<string, unknown> {
  refuseNonFinite(program, c);
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

function refuseNonFinite(program: IrProgram, c: Omit<Checkpoint, 'cellHash'>): void {
  const names = parameterNames(program);
  const flat = [...program.tensors.map((t) => c.params.cell[t.nodeId][t.name]), c.params.readout.W, c.params.readout.b];
  const bad = firstNonFinite(flat);
  if (bad >= 0) throw new CheckpointError(names[bad], `The parameters ${names[bad]} hold a NaN or ∞: such a checkpoint could never be loaded again, so it is not written.`);
  for (const [slot, arrays] of Object.entries(c.optimizer?.slots ?? {})) {
    const k = firstNonFinite(arrays);
    if (k >= 0) throw new CheckpointError(`optimizer.slots.${slot}[${k}]`, `The optimiser's ${slot} for ${names[k] ?? `array ${k}`} holds a NaN or ∞: such a checkpoint could never be loaded again, so it is not written.`);
  }
}

/** The optimiser state of a checkpoint: slots parallel to the cell's tensors then the readout's W and b. */
function readOptimizer(raw: unknown, lengths: readonly number[], out: Diagnostic[]): OptimizerState | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || !OPTIMIZERS.includes(raw.name as OptimizerState['name']) || !Number.isSafeInteger(raw.t) || (raw.t as number) < 0 || !isRecord(raw.slots)) {
    out.push(bad({ problem: 'not-an-object', part: 'optimizer' }, 'optimizer'));
    return undefined;
  }
  const slots: Record<string, Float64Array[]> = {};
  for (const [name, arrays] of Object.entries(raw.slots)) {
    if (!Array.isArray(arrays) || arrays.length !== lengths.length) {
      out.push(bad({ problem: 'slot-count', field: `optimizer.slots.${name}`, arrays: lengths.length }, `optimizer.slots.${name}`));
      return undefined;
    }
    slots[name] = arrays.map((a, k) => readNumbers(a, lengths[k], `optimizer.slots.${name}[${k}]`, out));
  }
  return { name: raw.name as OptimizerState['name'], t: raw.t as number, slots };
}

/** Reads a checkpoint for `compiled`; refuses one made for another cell, with the reason. */
export function checkpointFromJson(compiled: Compiled, json: unknown): Result<Checkpoint> {
  const fail = (d: Diagnostic): Result<Checkpoint> => ({ ok: false, diagnostics: [d] });
  if (!isRecord(json) || json.format !== CHECKPOINT_FORMAT) return fail(error('not-a-checkpoint', { format: CHECKPOINT_FORMAT }, { path: 'format' }));
  if (json.version !== CHECKPOINT_VERSION) {
    return fail(error('bad-version', { file: 'checkpoint', version: String(json.version), supported: CHECKPOINT_VERSION }, { path: 'version' }));
  }
  const { program } = compiled;
  const expected = cellHash(program);
  if (json.cellHash !== expected) {
    const trained = { name: String(json.cellName ?? '?').slice(0, 60), hash: String(json.cellHash).slice(0, 16) };
    return fail(error('checkpoint-cell-mismatch', { ...trained, expected }, { path: 'cellHash' }));
  }
  const task = readTask(json.task, program);
  if (!task.ok) return task;
  const out: Diagnostic[] = [];
  const cell: ModelParameters['cell'] = {};
  const params = isRecord(json.params) ? json.params : {};
  for (const t of program.tensors) {
    const length = t.shape.reduce((a, b) => a * b, 1);
    const node = params[t.nodeId];
    const values = readNumbers(isRecord(node) ? node[t.name] : undefined, length, `params.${t.nodeId}.${t.name}`, out);
    (cell[t.nodeId] ??= {})[t.name] = values;
  }
  const k = task.value.outputSize;
  const readout = isRecord(json.readout) ? json.readout : {};
  const W = readNumbers(readout.W, k * cellOutputSize(program), 'readout.W', out);
  const b = readNumbers(readout.b, k, 'readout.b', out);
  const lengths = [...program.tensors.map((t) => t.shape.reduce((a, n) => a * n, 1)), W.length, b.length];
  const optimizer = readOptimizer(json.optimizer, lengths, out);
  const config = readConfig(json.config, out);
  const stepsDone = json.stepsDone ?? 0;
  if (!Number.isInteger(stepsDone) || (stepsDone as number) < 0 || (stepsDone as number) > MAX_STEPS_DONE) {
    out.push(bad({ problem: 'out-of-range', field: 'stepsDone', number: 'whole', min: 0, max: MAX_STEPS_DONE, got: showWhat(stepsDone) }, 'stepsDone'));
  }
  if (out.length > 0 || !config) return { ok: false, diagnostics: out };
  return {
    ok: true,
    diagnostics: [],
    value: {
      cellHash: expected,
      cellName: String(json.cellName ?? ''),
      sizes: program.sizes,
      task: task.value,
      config,
      stepsDone: stepsDone as number,
      ...(typeof json.validationLoss === 'number' && { validationLoss: json.validationLoss }),
      params: { cell, readout: { W, b } },
      ...(optimizer && { optimizer }),
    },
  };
}

/**
 * The task's facts, each count checked: whole, in range, and agreeing with the cell (a readout
 * sized by a wrong count would fail later, or silently score NaN).
 */
function readTask(raw: unknown, program: IrProgram): Result<CheckpointTask> {
  const problems: Diagnostic[] = [];
  const problem = (field: string, p: CheckpointProblem) => problems.push(bad(p, `task.${field}`));
  if (!isRecord(raw)) return { ok: false, diagnostics: [bad({ problem: 'not-an-object', part: 'task' }, 'task')] };
  if (typeof raw.name !== 'string' || raw.name === '') problem('name', { problem: 'task-name', got: showWhat(raw.name) });
  if (!LOSSES.includes(raw.loss as CheckpointTask['loss'])) problem('loss', { problem: 'one-of', field: 'task.loss', options: LOSSES.map((l) => JSON.stringify(l)), got: showWhat(raw.loss) });
  for (const field of ['inputSize', 'outputSize'] as const) {
    const v = raw[field];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > LIMITS.size) {
      problem(field, { problem: 'out-of-range', field: `task.${field}`, number: 'whole', min: 1, max: LIMITS.size, got: showWhat(v) });
    }
  }
  const reads = program.input === null ? undefined : program.values[program.input].size;
  if (problems.length === 0 && reads !== undefined && raw.inputSize !== reads) {
    problem('inputSize', { problem: 'input-size', inputSize: raw.inputSize as number, reads });
  }
  if (raw.vocabulary !== undefined) {
    const vocabulary = raw.vocabulary;
    if (!Array.isArray(vocabulary) || !vocabulary.every((c) => typeof c === 'string')) problem('vocabulary', { problem: 'vocabulary-not-characters' });
    else if (vocabulary.length !== raw.inputSize || vocabulary.length !== raw.outputSize) {
      problem('vocabulary', { problem: 'vocabulary-size', characters: vocabulary.length, inputSize: showWhat(raw.inputSize), outputSize: showWhat(raw.outputSize) });
    }
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const task: CheckpointTask = {
    name: raw.name as string, inputSize: raw.inputSize as number, outputSize: raw.outputSize as number, loss: raw.loss as CheckpointTask['loss'],
    ...(raw.vocabulary !== undefined && { vocabulary: [...(raw.vocabulary as string[])] }),
  };
  return { ok: true, value: task, diagnostics: [] };
}

/** The training config, with defaults for fields an older checkpoint lacks; every field checked as --resume would use it. */
function readConfig(raw: unknown, out: Diagnostic[]): TrainConfig | undefined {
  if (!isRecord(raw)) {
    out.push(bad({ problem: 'bad-config', got: showWhat(raw) }, 'config'));
    return undefined;
  }
  const schedule = raw.schedule === undefined ? DEFAULT_CONFIG.schedule : raw.schedule;
  if (!isRecord(schedule) || !['constant', 'cosine'].includes(schedule.kind as string)) {
    out.push(bad({ problem: 'bad-schedule' }, 'config.schedule'));
    return undefined;
  }
  const config = { ...DEFAULT_CONFIG, ...raw } as TrainConfig;
  const problems = configProblems(config).map((p) => bad({ ...p, field: `config.${p.field}` }, `config.${p.field}`));
  out.push(...problems);
  return problems.length > 0 ? undefined : config;
}

function readNumbers(raw: unknown, length: number, path: string, out: Diagnostic[]): Float64Array {
  if (!Array.isArray(raw) || raw.length !== length) {
    out.push(bad(Array.isArray(raw) ? { problem: 'list-length', field: path, length, count: raw.length } : { problem: 'not-a-list', field: path, length, type: typeof raw }, path));
    return new Float64Array(length);
  }
  const first = raw.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (first >= 0) out.push(bad({ problem: 'not-finite', field: `${path}[${first}]` }, `${path}[${first}]`));
  return Float64Array.from(raw as number[]);
}

/** A `bad-checkpoint` problem at `path`. */
function bad(problem: CheckpointProblem, path: string): Diagnostic {
  return error('bad-checkpoint', problem, { path });
}

const LOSSES: readonly CheckpointTask['loss'][] = ['cross-entropy', 'mse'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
