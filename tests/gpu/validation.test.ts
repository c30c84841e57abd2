/**
 * Validation on the fast path (src/gpu/evaluator.ts): the gpu trainer's validation loss agrees with
 * the reference's evaluateLoss on the same parameters to 1e-4, on every example, on tasks scoring
 * every step (char-LM), one step (adding: the others masked), values (sine), short batches (spell-number:
 * its validation batches hold 1 to 17 rows, padded in the plan), sequences longer than one plan call
 * (the states carried between calls), and a learned initial state. The number is float32's, not the
 * reference's: a trainer still validating on the reference would give the reference's number exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../src/compiler';
import { initModel } from '../../src/runtime/model';
import type { Task } from '../../src/runtime/tasks/types';
import { DEFAULT_CONFIG, EVAL_BATCH, type TrainConfig } from '../../src/runtime/train';
import { compileRandomCell } from '../fixtures/random-cells';
import { compileZoo } from '../zoo/zoo';
import { validationParity } from './validation-parity';
import { example, task } from './fixtures';

const EXAMPLES = ['lstm', 'gru', 'gru-reset-after', 'rnn'];

const config = (over: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_CONFIG, steps: 3, batch: 4, length: 8, lr: 0.02, ...over });

async function expectAgreement(compiled: Compiled, t: Task, c: TrainConfig, options: Parameters<typeof validationParity>[4] = {}): Promise<void> {
  const { fast, reference } = await validationParity(compiled, t, c, 'webasm', options);
  expect(Number.isFinite(reference)).toBe(true);
  expect(Math.abs(fast - reference)).toBeLessThan(1e-4);
  expect(fast).not.toBe(reference);
}

describe('validation on the webasm fast path matches the reference', () => {
  it.each(EXAMPLES)('example %s, char-LM (every step scored): the validation loss agrees to 1e-4', async (name) => {
    const t = task('charlm');
    await expectAgreement(example(name, t.inputSize, 6), t, config({}));
  });

  it.each(EXAMPLES)('example %s, adding (only the last step scored) over 20 steps in plan calls of 6: agrees to 1e-4', async (name) => {
    const t = task('adding');
    await expectAgreement(example(name, t.inputSize, 5), t, config({ length: 20, chunk: 6 }));
  });

  it('sine (values, mean squared error) agrees to 1e-4', async () => {
    const t = task('sine');
    await expectAgreement(example('lstm', t.inputSize, 5), t, config({ length: 10 }));
  });

  it('spell-number, whose validation batches hold from 1 to 17 rows, agrees to 1e-4', async () => {
    const t = task('spell-number');
    const rows = new Set(t.validationBatches(EVAL_BATCH, 33).map((b) => b.xs[0].length / t.inputSize));
    expect(rows.size).toBeGreaterThan(1);
    await expectAgreement(example('gru', t.inputSize, 6), t, config({ length: 33, chunk: 11 }));
  });

  it('a cell with a learned initial state agrees to 1e-4 (its h_0 read from the parameters)', async () => {
    const t = task('sine');
    const compiled = compileRandomCell(110, { input: t.inputSize, hidden: 3 });
    const learned = compiled.program.states.flatMap((s) => (s.learnedInit === undefined ? [] : [compiled.program.tensors[s.learnedInit]]));
    expect(learned.length).toBeGreaterThan(0);
    // Far from the zeros it starts at, so that h_0 weighs on the loss.
    const params = initModel(compiled, t.outputSize, 5);
    for (const tensor of learned) params.cell[tensor.nodeId][tensor.name].forEach((_, i, a) => (a[i] = i % 2 === 0 ? 0.9 : -0.7));
    await expectAgreement(compiled, t, config({ length: 6, steps: 1 }), { start: { params, stepsDone: 0 } });
  });

  it('the layer-normalised LSTM (its layer norms decomposed, fixed matrices in the plan) agrees to 1e-4 on adding', async () => {
    const t = task('adding');
    await expectAgreement(compileZoo('layernorm-lstm', { input: t.inputSize, hidden: 5 }), t, config({ length: 12 }));
  });

  it('the LSTM on char-LM with worker threads agrees to 1e-4', async () => {
    const t = task('charlm');
    await expectAgreement(example('lstm', t.inputSize, 6), t, config({ length: 12 }), { threads: true });
  });
});
