import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../../src/compiler';
import { createGpuTrainer } from '../../../src/gpu/trainer';
import { initModel, type ModelParameters } from '../../../src/runtime/model';
import { spellWithModel } from '../../../src/runtime/spell';
import { forward } from '../../../src/runtime/reference';
import { createTrainer, scoreStep, type TrainConfig } from '../../../src/runtime/train';
import { isTaskError } from '../../../src/runtime/tasks/errors';
import { spellSpanish } from '../../../src/runtime/tasks/spanish-numbers';
import {
  createSpellNumberTask, SPELL_DIGITS, SPELL_END, SPELL_INPUT_SIZE, SPELL_MAX_STEPS, SPELL_VOCABULARY, type SpellNumberTask,
} from '../../../src/runtime/tasks/spell-number';
import type { Batch, Target } from '../../../src/runtime/tasks/types';
import { createRng, deriveRng } from '../../../src/runtime/rng';
import { compileExample } from '../../helpers';

function task(upTo?: number): SpellNumberTask {
  const t = createSpellNumberTask(upTo === undefined ? {} : { upTo });
  if (isTaskError(t)) throw new Error(t.error);
  return t;
}

/** Row b of a batch read back: the number from step 0's digits, the labels written until the first null step. */
function readRow(batch: Batch, b: number): { number: number; written: string; fedBack: string } {
  const row = (t: number) => batch.xs[t].subarray(b * SPELL_INPUT_SIZE, (b + 1) * SPELL_INPUT_SIZE);
  const digit = (k: number) => Array.from(row(0).subarray(10 * k, 10 * k + 10)).indexOf(1);
  let written = '';
  let fedBack = '';
  for (let t = 0; t < batch.targets.length; t++) {
    const target = batch.targets[t];
    if (target === null) break;
    if (target.kind !== 'classes') throw new Error('expected classes');
    written += SPELL_VOCABULARY[target.labels[b]];
    if (t > 0) fedBack += SPELL_VOCABULARY[Array.from(row(t).subarray(SPELL_DIGITS)).indexOf(1)];
  }
  return { number: 100 * digit(0) + 10 * digit(1) + digit(2), written, fedBack };
}

describe('spell-number task', () => {
  it('is one-to-many: step 0 reads the digits, later steps the previous character; targets spell the number then the end mark', () => {
    const t = task();
    expect(t.shape).toBe('one-to-many');
    expect(t.inputSize).toBe(30 + SPELL_VOCABULARY.length);
    expect(t.outputSize).toBe(SPELL_VOCABULARY.length);
    expect(t.lengths).toEqual({ min: SPELL_MAX_STEPS, max: SPELL_MAX_STEPS });
    expect(SPELL_MAX_STEPS).toBe('cuatrocientos cincuenta y cuatro'.length + 1);
    const batch = t.trainBatch(createRng(3), 8, SPELL_MAX_STEPS);
    const rows = Array.from({ length: 8 }, (_, b) => readRow(batch, b));
    for (const r of rows) {
      expect(r.written).toBe(spellSpanish(r.number) + SPELL_END);
      expect(r.fedBack).toBe(spellSpanish(r.number));
      expect(t.trainNumbers).toContain(r.number);
    }
    // One spelling length per batch: the steps after it are null for every row.
    const scored = batch.targets.filter((x) => x !== null).length;
    expect(rows.every((r) => r.written.length === scored)).toBe(true);
    expect(batch.targets.slice(scored).every((x) => x === null)).toBe(true);
    for (let s = scored; s < SPELL_MAX_STEPS; s++) expect(batch.xs[s].every((v) => v === 0)).toBe(true);
  });

  it('holds out a fixed tenth of the numbers; validation batches group them by spelling length', () => {
    const t = task();
    expect(t.validationNumbers).toHaveLength(100);
    expect(t.trainNumbers).toHaveLength(900);
    expect(t.validationNumbers.filter((n) => t.trainNumbers.includes(n))).toEqual([]);
    expect(task().validationNumbers).toEqual(t.validationNumbers);
    const batches = t.validationBatches(4, SPELL_MAX_STEPS);
    expect(t.validationBatches(4, SPELL_MAX_STEPS)).toBe(batches);
    const seen = batches.flatMap((b) => {
      const rows = b.xs[0].length / SPELL_INPUT_SIZE;
      expect(rows).toBeLessThanOrEqual(4);
      const read = Array.from({ length: rows }, (_, r) => readRow(b, r));
      read.forEach((r) => expect(r.written).toBe(spellSpanish(r.number) + SPELL_END));
      return read.map((r) => r.number);
    });
    expect(seen.sort((a, b) => a - b)).toEqual([...t.validationNumbers]);
    // The trainer scores validation with 128-row batches: every group fits, as the baseline assumes.
    expect(t.validationBatches(128, SPELL_MAX_STEPS).every((b, i, all) => i === 0 || b.targets.filter(Boolean).length > all[i - 1].targets.filter(Boolean).length)).toBe(true);
    expect(t.baseline.loss).toBeGreaterThan(0.5);
    expect(t.baseline.explanation).toContain('bigram');
  });

  it('refuses another length naming `length`, and a bad upTo naming it', () => {
    const t = task();
    expect(t.checkShape(4, SPELL_MAX_STEPS)).toBeNull();
    expect(t.checkShape(4, 32)?.field).toBe('length');
    expect(() => t.trainBatch(createRng(1), 4, 32)).toThrow(/length/);
    const bad = createSpellNumberTask({ upTo: 1000 });
    expect(isTaskError(bad) && bad.field).toBe('upTo');
    expect(task(20).lengths.min).toBe('diecinueve'.length + 1);
  });

  /** The task with its padded steps' inputs garbled (the labels there are null already). */
  function garbledPadding(t: SpellNumberTask): SpellNumberTask {
    return {
      ...t,
      trainBatch: (rng, batch, length) => {
        const clean = t.trainBatch(rng, batch, length);
        const scored = clean.targets.filter((x) => x !== null).length;
        expect(scored).toBeLessThan(length);
        return { xs: clean.xs.map((x, s) => (s < scored ? x : x.map(() => 0.7))), targets: clean.targets };
      },
    };
  }
  const paddingCase = () => {
    const t = task(99);
    const config: TrainConfig = { steps: 3, batch: 3, length: t.lengths.min, optimizer: 'adam', lr: 0.05, clip: 1, schedule: { kind: 'constant' }, seed: 4 };
    return { compiled: compileExample('gru', { input: SPELL_INPUT_SIZE, hidden: 6 }), t, config };
  };

  it('a padded (null) step is not scored by the reference trainer: garbling it changes neither the loss nor the update', () => {
    const { compiled, t, config } = paddingCase();
    // The first step's loss is the mean over the scored steps only, computed here on those steps alone.
    const first = t.trainBatch(deriveRng(config.seed, 'data', '0'), config.batch, config.length);
    const scored = first.targets.filter((x) => x !== null).length;
    const initial = initModel(compiled, t.outputSize, config.seed);
    const run = forward(compiled.program, initial.cell, first.xs.slice(0, scored), config.batch);
    const want = run.outputs.reduce((sum, y, s) => sum + scoreStep(initial.readout, y, first.targets[s] as Target, config.batch, t.outputSize).loss, 0) / scored;
    const a = createTrainer(compiled, t, config);
    const b = createTrainer(compiled, garbledPadding(t), config);
    const firstLoss = a.step().loss;
    expect(firstLoss).toBeCloseTo(want, 12);
    expect(b.step().loss).toBe(firstLoss);
    for (let i = 1; i < config.steps; i++) expect(b.step().loss).toBe(a.step().loss);
    expect(Array.from(b.params.readout.W)).toEqual(Array.from(a.params.readout.W));
  });

  it('nor by the gpu.js trainer (webasm), whose losses follow the reference trainer\'s', async () => {
    const { compiled, t, config } = paddingCase();
    const reference = createTrainer(compiled, t, config);
    const clean = createGpuTrainer(compiled, t, config, undefined, { mode: 'webasm' });
    const garbled = createGpuTrainer(compiled, garbledPadding(t), config, undefined, { mode: 'webasm' });
    try {
      for (let i = 0; i < config.steps; i++) {
        const want = reference.step().loss;
        const got = (await clean.step()).loss;
        expect((await garbled.step()).loss).toBe(got);
        expect(Math.abs(got - want) / want).toBeLessThan(1e-3);
      }
      expect(Array.from(garbled.params.readout.W)).toEqual(Array.from(clean.params.readout.W));
    } finally {
      await clean.destroy();
      await garbled.destroy();
    }
  });
});

describe('spellWithModel', () => {
  /** Trains a small GRU on 0..20 with the reference trainer (about 8 s). */
  function trainSmall(): { compiled: Compiled; params: ModelParameters; t: SpellNumberTask; loss: number } {
    const compiled = compileExample('gru', { input: SPELL_INPUT_SIZE, hidden: 24 });
    const t = task(20);
    const trainer = createTrainer(compiled, t, { steps: 600, batch: 8, length: t.lengths.min, optimizer: 'adam', lr: 0.03, clip: 1, schedule: { kind: 'constant' }, seed: 2 });
    for (let i = 0; i < trainer.config.steps; i++) trainer.step();
    return { compiled, params: trainer.params, t, loss: trainer.evaluate() };
  }

  it('spells the training numbers of a briefly trained model, feeding each chosen character back', () => {
    const { compiled, params, t } = trainSmall();
    const spelled = t.trainNumbers.map((n) => spellWithModel(compiled, params, n));
    expect(spelled.map((s) => s.text)).toEqual(t.trainNumbers.map(spellSpanish));
    expect(spelled.every((s) => s.ended)).toBe(true);
  });

  it('an untrained model writes at most SPELL_MAX_STEPS characters and says whether it ended', () => {
    const compiled = compileExample('gru', { input: SPELL_INPUT_SIZE, hidden: 4 });
    const params = initModel(compiled, SPELL_VOCABULARY.length, 1);
    const s = spellWithModel(compiled, params, 7);
    expect(s.text.length).toBeLessThanOrEqual(SPELL_MAX_STEPS);
    expect([...s.text].every((c) => SPELL_VOCABULARY.includes(c) && c !== SPELL_END)).toBe(true);
    expect(spellWithModel(compiled, params, 7)).toEqual(s);
    expect(() => spellWithModel(compiled, params, 1000)).toThrow(RangeError);
  });
});
