import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/runtime/rng';
import { sampleNames } from '../../../src/runtime/sample';
import { createTrainer } from '../../../src/runtime/train';
import { createDinosaurTask, NAME_END } from '../../../src/runtime/tasks/charlm';
import { DINOSAUR_NAMES } from '../../../src/runtime/tasks/dinosaur-names';
import { createTask, isTaskError, TASK_NAMES } from '../../../src/runtime/tasks/index';
import { compileExample } from '../../helpers';

describe('dinosaur names', () => {
  it('holds at least 400 distinct lowercase ASCII genus names', () => {
    expect(DINOSAUR_NAMES.length).toBeGreaterThanOrEqual(400);
    expect(new Set(DINOSAUR_NAMES).size).toBe(DINOSAUR_NAMES.length);
    for (const name of DINOSAUR_NAMES) expect(name).toMatch(/^[a-z]{3,}$/);
    for (const known of ['tyrannosaurus', 'velociraptor', 'triceratops', 'stegosaurus', 'aardonyx']) expect(DINOSAUR_NAMES).toContain(known);
  });
});

describe('dinosaurs task', () => {
  it('is a character model over the shuffled names, split between names', () => {
    const task = createDinosaurTask();
    expect(task.name).toBe('dinosaurs');
    expect(task.vocabulary).toEqual([NAME_END, ...'abcdefghijklmnopqrstuvwxyz']);
    expect(task.inputSize).toBe(27);
    expect([...task.trainNames, ...task.validationNames].sort()).toEqual([...DINOSAUR_NAMES]);
    expect(task.validationNames).toHaveLength(Math.round(DINOSAUR_NAMES.length / 10));
    // Shuffled, not the alphabetical list cut at its end.
    expect(task.validationNames).not.toEqual(DINOSAUR_NAMES.slice(-task.validationNames.length));
    // The validation split is "\n" + its names joined by "\n" + "\n": it starts at a name's start.
    expect(task.validationChars).toBe(task.validationNames.join(NAME_END).length + 2);
    const [batch] = task.validationBatches(1, task.validationChars - 1);
    const first = batch.xs[0].indexOf(1);
    expect(task.vocabulary[first]).toBe(NAME_END);
    const read = batch.targets.map((t) => (t?.kind === 'classes' ? task.vocabulary[t.labels[0]] : '?')).join('');
    expect(read).toBe(task.validationNames.join(NAME_END) + NAME_END);
    expect(createDinosaurTask().trainNames).toEqual(task.trainNames);
  });

  it('is registered with the other tasks', () => {
    expect(TASK_NAMES).toContain('dinosaurs');
    const task = createTask('dinosaurs');
    expect(!isTaskError(task) && task.name).toBe('dinosaurs');
  });

  it('a briefly trained model invents names from its vocabulary, the same ones for the same seed', () => {
    const task = createDinosaurTask();
    const compiled = compileExample('gru', { input: task.inputSize, hidden: 16 });
    const trainer = createTrainer(compiled, task, { steps: 150, batch: 16, length: 16, optimizer: 'adam', lr: 0.02, clip: 1, schedule: { kind: 'constant' }, seed: 3 });
    for (let i = 0; i < trainer.config.steps; i++) trainer.step();
    expect(trainer.evaluate()).toBeLessThan(task.baseline.loss);
    const names = (seed: number) => sampleNames(compiled, trainer.params, task.vocabulary, { count: 12, maxLength: 24, temperature: 0.8, rng: createRng(seed) });
    const a = names(7);
    expect(a).toHaveLength(12);
    for (const name of a) {
      expect(name).toMatch(/^[a-z]*$/);
      expect(name.length).toBeLessThanOrEqual(24);
    }
    expect(a.filter((name) => name.length > 0).length).toBeGreaterThan(6);
    expect(names(7)).toEqual(a);
    expect(names(8)).not.toEqual(a);
  });

  it('sampleNames refuses a vocabulary without the end mark', () => {
    const task = createDinosaurTask();
    const compiled = compileExample('gru', { input: task.inputSize, hidden: 4 });
    const trainer = createTrainer(compiled, task, { steps: 1, batch: 1, length: 4, optimizer: 'adam', lr: 0.01, clip: 1, schedule: { kind: 'constant' }, seed: 1 });
    expect(() => sampleNames(compiled, trainer.params, task.vocabulary, { count: 1, maxLength: 5, temperature: 1, rng: createRng(1), end: '.' })).toThrow(RangeError);
  });
});
