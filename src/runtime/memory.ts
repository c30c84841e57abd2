/**
 * Memory estimates from sizes alone, made before anything large is allocated: a run that
 * cannot fit is refused with the sizes that make it large, instead of exhausting the machine
 * minutes later. Numbers are counted as float64 (8 bytes), as the reference runtime keeps
 * them; the gpu.js path keeps float32 copies of the same arrays, and its validation pass
 * (src/gpu/evaluator.ts) holds 128 rows of at most a chunk of steps, so the estimate stands for
 * it too. Files are counted at their longest.
 */
import type { IrProgram } from '../compiler/ir';
import { cellOutputSize } from './model';
import type { OptimizerName } from './optim';
import { CHARLM_VALIDATION_BATCHES } from './tasks/charlm';
import { VALIDATION_BATCH_COUNT } from './tasks/errors';
import type { Task } from './tasks/types';

export const FLOAT64_BYTES = 8;
/** The longest JSON text of a float64 ("-0.0000012345678901234567": 25 characters) and its ", ". */
export const JSON_NUMBER_BYTES = 27;
/** Validation sequences per batch (EVAL_BATCH in train.ts; repeated here to keep this module a leaf). */
const VALIDATION_ROWS = 128;

/**
 * When a part is held: for the whole run, or only during one phase (a training step, a
 * validation pass, writing the output); phases come one after another, so only the largest counts.
 */
export type MemoryPhase = 'run' | 'step' | 'validation' | 'output';

export interface MemoryPart {
  /** In words: "activations saved for the backward pass". */
  readonly what: string;
  /** How it is counted: "batch 1,024 × chunk 10,000 × 2,304 values × 8 bytes". */
  readonly detail: string;
  readonly bytes: number;
  readonly phase: MemoryPhase;
  /** The settings that shrink it (TrainConfig fields, "hidden", or a run's "steps" and "batch"), for advice. */
  readonly fields: readonly string[];
}

export interface MemoryEstimate {
  /** The peak: the parts held for the whole run plus the largest phase. */
  readonly total: number;
  /** Every part, largest first. */
  readonly parts: readonly MemoryPart[];
}

/** Sums parts into a peak estimate. */
export function memoryEstimate(parts: readonly MemoryPart[]): MemoryEstimate {
  const sum = (phase: MemoryPhase) => parts.filter((p) => p.phase === phase).reduce((s, p) => s + p.bytes, 0);
  const total = sum('run') + Math.max(sum('step'), sum('validation'), sum('output'));
  return { total, parts: [...parts].sort((a, b) => b.bytes - a.bytes) };
}

/** Values computed in one time step (every vector of the program) — what the backward pass keeps per step and row. */
export function valuesPerStep(program: IrProgram): number {
  return program.values.reduce((s, v) => s + v.size, 0);
}

/** The cell's learned values plus a readout to `outputSize` values. */
export function learnedValues(program: IrProgram, outputSize: number): number {
  const cell = program.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
  return cell + outputSize * (cellOutputSize(program) + 1);
}

/** Arrays parallel to the parameters each optimiser keeps (Adam: m and v). */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerName, number>> = { sgd: 1, rmsprop: 1, adam: 2 };

export interface TrainingShape {
  readonly batch: number;
  readonly length: number;
  readonly chunk?: number;
  readonly optimizer: OptimizerName;
}

/**
 * A training run of `program` on `task`: parameters with their gradients, optimiser state and
 * the step-start copy a dropped step goes back to; a batch of data; the activations of one
 * chunk kept for the backward pass; the validation set and a validation pass (full sequences
 * of 128 rows); and, given `checkpointBytes`, the checkpoint's text.
 */
export function estimateTraining(program: IrProgram, task: Task, config: TrainingShape, checkpointBytes = 0): MemoryEstimate {
  const { batch, length } = config;
  const chunk = Math.min(length, config.chunk ?? length);
  const learned = learnedValues(program, task.outputSize);
  const slots = OPTIMIZER_SLOTS[config.optimizer];
  const copies = 3 + 2 * slots;
  const values = valuesPerStep(program);
  const rowBytes = rowBytesOf(task);
  const validationRows = validationBatches(task, length) * VALIDATION_ROWS;
  const parts: MemoryPart[] = [
    {
      what: 'parameters', phase: 'run', bytes: learned * copies * FLOAT64_BYTES, fields: ['hidden'],
      detail: `${count(learned)} learned values × ${copies} copies (parameters, gradients, ${slots} optimiser ${slots === 1 ? 'slot' : 'slots'}, the step-start copy of all but the gradients) × 8 bytes`,
    },
    {
      what: 'validation set', phase: 'run', bytes: validationRows * length * rowBytes, fields: ['length'],
      detail: `${count(validationRows)} sequences × length ${count(length)} × ${count(rowBytes)} bytes of inputs and targets`,
    },
    {
      what: 'training batch', phase: 'step', bytes: batch * length * rowBytes, fields: ['batch', 'length'],
      detail: `batch ${count(batch)} × length ${count(length)} × ${count(rowBytes)} bytes of inputs and targets`,
    },
    {
      what: 'activations saved for the backward pass', phase: 'step', bytes: batch * chunk * values * FLOAT64_BYTES, fields: ['batch', chunk < length ? 'chunk' : 'length', 'hidden'],
      detail: `batch ${count(batch)} × ${chunk < length ? 'chunk' : 'length'} ${count(chunk)} × ${count(values)} values × 8 bytes`,
    },
    {
      what: 'a validation pass', phase: 'validation', bytes: VALIDATION_ROWS * length * values * FLOAT64_BYTES, fields: ['length', 'hidden'],
      detail: `${VALIDATION_ROWS} sequences × length ${count(length)} × ${count(values)} values × 8 bytes`,
    },
  ];
  if (checkpointBytes > 0) parts.push({ what: 'the checkpoint', phase: 'output', bytes: checkpointBytes, detail: 'its JSON text at its longest', fields: ['hidden'] });
  return memoryEstimate(parts);
}

/** Bytes per row and step of a task's batch: the inputs (float64) and the target (a class id, or values). */
function rowBytesOf(task: Task): number {
  return task.inputSize * FLOAT64_BYTES + (task.loss === 'cross-entropy' ? 4 : task.outputSize * FLOAT64_BYTES);
}

/** How many batches `task.validationBatches(128, length)` returns, without making them. */
function validationBatches(task: Task, length: number): number {
  const chars = (task as Task & { validationChars?: number }).validationChars;
  if (chars === undefined) return VALIDATION_BATCH_COUNT;
  // charlm: disjoint windows of the validation text, at most CHARLM_VALIDATION_BATCHES batches.
  return Math.min(CHARLM_VALIDATION_BATCHES, Math.max(1, Math.floor(Math.floor((chars - 1) / length) / VALIDATION_ROWS)));
}

/** `celda init`: the parameters, the same values as JSON lists, and the file's text at its longest. */
export function estimateInit(program: IrProgram, fileBytes: number): MemoryEstimate {
  const learned = learnedValues(program, 0);
  return memoryEstimate([
    { what: 'parameters', phase: 'run', bytes: learned * 2 * FLOAT64_BYTES, detail: `${count(learned)} values × 2 copies (the arrays and their JSON lists) × 8 bytes`, fields: ['hidden'] },
    { what: 'the params file', phase: 'output', bytes: fileBytes, detail: 'its JSON text at its longest', fields: ['hidden'] },
  ]);
}

export interface RunShape {
  readonly steps: number;
  readonly batch: number;
  /** With ∂L/∂y given: the backward pass and the gradients are printed too. */
  readonly gradients: boolean;
}

/** `celda run`: inputs, the activations of every step, gradients, and the printed result. */
export function estimateRun(program: IrProgram, shape: RunShape): MemoryEstimate {
  const { steps, batch } = shape;
  const learned = learnedValues(program, 0);
  const input = program.input === null ? 0 : program.values[program.input].size;
  const output = cellOutputSize(program);
  const values = valuesPerStep(program);
  const printed = printedNumbers(program, shape);
  const parts: MemoryPart[] = [
    { what: 'parameters', phase: 'run', bytes: learned * (shape.gradients ? 2 : 1) * FLOAT64_BYTES, detail: `${count(learned)} values${shape.gradients ? ' and their gradients' : ''} × 8 bytes`, fields: ['hidden'] },
    {
      what: 'inputs', phase: 'run', bytes: steps * batch * (input + (shape.gradients ? output : 0)) * FLOAT64_BYTES, fields: ['steps', 'batch'],
      detail: `${count(steps)} steps × batch ${count(batch)} × ${count(input + (shape.gradients ? output : 0))} values × 8 bytes`,
    },
    {
      what: 'activations of every step', phase: 'run', bytes: steps * batch * values * FLOAT64_BYTES, fields: ['steps', 'batch', 'hidden'],
      detail: `${count(steps)} steps × batch ${count(batch)} × ${count(values)} values × 8 bytes`,
    },
    {
      what: 'the printed result', phase: 'output', bytes: printed * (JSON_NUMBER_BYTES + FLOAT64_BYTES), fields: ['steps', 'batch', 'hidden'],
      detail: `${count(printed)} numbers × ${JSON_NUMBER_BYTES + FLOAT64_BYTES} bytes (as lists, then as text)`,
    },
  ];
  return memoryEstimate(parts);
}

/** How many numbers `celda run` prints: y_t of every step and row, h_T, and with gradients ∂L/∂parameters and ∂L/∂h_0. */
export function printedNumbers(program: IrProgram, shape: RunShape): number {
  const states = program.states.reduce((s, st) => s + st.size, 0);
  const gradients = shape.gradients ? learnedValues(program, 0) + shape.batch * states : 0;
  return shape.steps * shape.batch * cellOutputSize(program) + shape.batch * states + gradients;
}

/** 2304 → "2,304". */
const count = (n: number): string => n.toLocaleString('en-US');
