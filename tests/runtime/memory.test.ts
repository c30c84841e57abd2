/**
 * Memory estimates are made from sizes alone (nothing allocated) and count what a run keeps:
 * parameters with gradients, optimiser state and the step-start copy; a batch; one chunk's
 * activations; the validation set and a validation pass; the files written.
 */
import { describe, expect, it } from 'vitest';
import { estimateInit, estimateRun, estimateTraining, learnedValues, memoryEstimate, printedNumbers, valuesPerStep, type MemoryPart } from '../../src/runtime/memory';
import { createSpanishTask } from '../../src/runtime/tasks/charlm';
import { createAddingTask } from '../../src/runtime/tasks/adding';
import { isTaskError } from '../../src/runtime/tasks/errors';
import type { Task } from '../../src/runtime/tasks/types';
import { DEFAULT_CONFIG, EVAL_BATCH } from '../../src/runtime/train';
import { compileExample } from '../helpers';

const adding = createAddingTask() as Task;
if (isTaskError(adding)) throw new Error('adding');
const lstm = compileExample('lstm', { input: 2, hidden: 8 }).program;
const part = (parts: readonly MemoryPart[], what: string): MemoryPart => {
  const found = parts.find((p) => p.what === what);
  if (!found) throw new Error(`no part ${what}`);
  return found;
};

describe('estimateTraining', () => {
  const config = { ...DEFAULT_CONFIG, batch: 16, length: 100 };

  it('counts one chunk of activations, every learned value 7 times under Adam (5 under SGD), and the validation pass', () => {
    const values = valuesPerStep(lstm);
    const learned = learnedValues(lstm, 1);
    expect(learned).toBe(4 * 8 * 10 + 4 * 8 + 8 + 1); // four [8 × 10] gates and biases, a [1 × 8] readout and its bias
    const full = estimateTraining(lstm, adding, config);
    expect(part(full.parts, 'activations saved for the backward pass').bytes).toBe(16 * 100 * values * 8);
    expect(part(full.parts, 'parameters').bytes).toBe(learned * 7 * 8);
    expect(part(estimateTraining(lstm, adding, { ...config, optimizer: 'sgd' }).parts, 'parameters').bytes).toBe(learned * 5 * 8);
    expect(part(full.parts, 'a validation pass').bytes).toBe(EVAL_BATCH * 100 * values * 8);
    // adding: 2 inputs and 1 target value per row and step, in 4 validation batches
    expect(part(full.parts, 'validation set').bytes).toBe(4 * EVAL_BATCH * 100 * 3 * 8);

    const chunked = estimateTraining(lstm, adding, { ...config, chunk: 25 });
    const activations = part(chunked.parts, 'activations saved for the backward pass');
    expect(activations.bytes).toBe(16 * 25 * values * 8);
    expect(activations.fields).toContain('chunk');
    expect(activations.detail).toBe(`batch 16 × chunk 25 × ${values} values × 8 bytes`);
  });

  it('the peak is what the whole run keeps plus its largest phase (a step, a validation pass, or writing)', () => {
    const e = estimateTraining(lstm, adding, { ...config, batch: 1024 }, 5_000_000);
    const sum = (phase: string) => e.parts.filter((p) => p.phase === phase).reduce((s, p) => s + p.bytes, 0);
    expect(e.total).toBe(sum('run') + Math.max(sum('step'), sum('validation'), sum('output')));
    expect(e.total).toBe(sum('run') + sum('step')); // batch 1024 > 128 validation rows
    expect(e.parts.map((p) => p.bytes)).toEqual([...e.parts.map((p) => p.bytes)].sort((a, b) => b - a));
    expect(memoryEstimate([]).total).toBe(0);
  });

  it('knows how many validation batches a character model makes without making them', () => {
    const spanish = createSpanishTask();
    const rows = (length: number) => part(estimateTraining(lstm, spanish, { ...config, length }).parts, 'validation set').bytes / (length * (spanish.inputSize * 8 + 4));
    for (const length of [8, 64, 400]) expect(rows(length)).toBe(spanish.validationBatches(EVAL_BATCH, length).length * EVAL_BATCH);
  });

  it('grows with the sizes that make a run large: batch 1024 × length 10,000 of a hidden-256 LSTM is hundreds of GB', () => {
    const wide = compileExample('lstm', { input: 2, hidden: 256 }).program;
    const e = estimateTraining(wide, adding, { ...config, batch: 1024, length: 10_000 });
    expect(e.total).toBeGreaterThan(300e9);
    expect(e.parts[0].what).toBe('activations saved for the backward pass');
    expect(e.parts[0].detail).toBe(`batch 1,024 × length 10,000 × ${valuesPerStep(wide).toLocaleString('en-US')} values × 8 bytes`);
  });
});

describe('estimateRun and estimateInit', () => {
  it('a run keeps every step\'s activations and prints outputs, final states and (with gradients) every gradient', () => {
    const values = valuesPerStep(lstm);
    const e = estimateRun(lstm, { steps: 50, batch: 3, gradients: false });
    expect(part(e.parts, 'activations of every step').bytes).toBe(50 * 3 * values * 8);
    expect(printedNumbers(lstm, { steps: 50, batch: 3, gradients: false })).toBe(50 * 3 * 8 + 3 * 16); // y_t, and h_T of a and c
    expect(printedNumbers(lstm, { steps: 50, batch: 3, gradients: true })).toBe(50 * 3 * 8 + 2 * 3 * 16 + learnedValues(lstm, 0));
  });

  it('init keeps the parameters twice (arrays and JSON lists) and the file it writes', () => {
    const e = estimateInit(lstm, 1000);
    expect(e.total).toBe(learnedValues(lstm, 0) * 16 + 1000);
  });
});
