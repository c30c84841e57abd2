import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { checkpointFromJson, checkpointToJson, cellHash } from '../../src/runtime/checkpoint';
import { meanSquaredError } from '../../src/runtime/loss';
import { flattenParameters, initModel, readoutBackward, readoutForward } from '../../src/runtime/model';
import { backward, forward } from '../../src/runtime/reference';
import { deriveRng } from '../../src/runtime/rng';
import { encodeText, nextCharacters } from '../../src/runtime/sample';
import { createSpanishTask } from '../../src/runtime/tasks/charlm';
import { createAddingTask } from '../../src/runtime/tasks/adding';
import { isTaskError } from '../../src/runtime/tasks/errors';
import type { Task } from '../../src/runtime/tasks/types';
import { checkFit, createTrainer, DEFAULT_CONFIG, validateConfig, type TrainConfig } from '../../src/runtime/train';
import { compileExample } from '../helpers';

function addingTask(): Task {
  const task = createAddingTask();
  if (isTaskError(task)) throw new Error(task.error);
  return task;
}

const task = addingTask();
const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 50, batch: 4, length: 12, optimizer: 'sgd', momentum: 0, lr: 0.1, clip: 0, seed: 5 };

describe('one training step', () => {
  const compiled = compileExample('lstm', { input: 2, hidden: 5 });

  it('with chunk = T is exactly one full-BPTT gradient step (checked by hand with plain SGD)', () => {
    const trainer = createTrainer(compiled, task, { ...config, chunk: config.length });
    const manual = initModel(compiled, task.outputSize, config.seed);
    const batch = task.trainBatch(deriveRng(config.seed, 'data', '0'), config.batch, config.length);
    const run = forward(compiled.program, manual.cell, batch.xs, config.batch);
    const readoutGrads = { W: new Float64Array(manual.readout.W.length), b: new Float64Array(manual.readout.b.length) };
    const gradOutputs = run.outputs.map((y, t) => {
      const target = batch.targets[t];
      if (!target || target.kind !== 'values') return new Float64Array(y.length);
      const { grad } = meanSquaredError(readoutForward(manual.readout, y, config.batch), target.values);
      return readoutBackward(manual.readout, y, grad, config.batch, readoutGrads);
    });
    const cellGrads = backward(compiled.backward, manual.cell, run.tape, gradOutputs);
    const grads = [...compiled.program.tensors.map((t) => cellGrads.params[t.nodeId][t.name]), readoutGrads.W, readoutGrads.b];
    flattenParameters(compiled.program, manual).forEach((p, k) => p.forEach((v, i) => (p[i] = v - config.lr * grads[k][i])));

    trainer.step();
    expect(flattenParameters(compiled.program, trainer.params)).toEqual(flattenParameters(compiled.program, manual));
  });

  it('with chunk = T equals the default (full BPTT)', () => {
    const a = createTrainer(compiled, task, { ...config, chunk: config.length });
    const b = createTrainer(compiled, task, config);
    expect(a.step()).toEqual(b.step());
    expect(a.params).toEqual(b.params);
  });

  it('with shorter chunks carries the state forward but updates once per scored chunk', () => {
    const full = createTrainer(compiled, task, config);
    const truncated = createTrainer(compiled, task, { ...config, chunk: 4 });
    full.step();
    truncated.step();
    // The adding task scores only the last step: truncation cuts its gradient to the last 4 steps.
    expect(flattenParameters(compiled.program, truncated.params)).not.toEqual(flattenParameters(compiled.program, full.params));
  });

  it('reports loss, gradient norm, clipping and learning rate', () => {
    const trainer = createTrainer(compiled, task, { ...config, clip: 1e-3 });
    const stats = trainer.step();
    expect(stats.step).toBe(1);
    expect(stats.loss).toBeGreaterThan(0);
    expect(stats.gradNorm).toBeGreaterThan(1e-3);
    expect(stats.clipped).toBe(true);
    expect(stats.lr).toBe(config.lr);
  });
});

describe('reproducibility and checkpoints', () => {
  const compiled = compileExample('gru', { input: 2, hidden: 4 });

  it('gives the same loss curve twice for the same seed, and another for another seed', () => {
    const curve = (seed: number) => {
      const trainer = createTrainer(compiled, task, { ...config, optimizer: 'adam', lr: 0.01, seed });
      return Array.from({ length: 5 }, () => trainer.step().loss);
    };
    expect(curve(3)).toEqual(curve(3));
    expect(curve(3)).not.toEqual(curve(4));
  });

  it('round-trips a checkpoint bit-exactly through JSON text', () => {
    const trainer = createTrainer(compiled, task, config);
    trainer.step();
    const json = checkpointToJson(compiled.program, {
      cellName: 'GRU', sizes: compiled.program.sizes, task: { name: task.name, inputSize: 2, outputSize: 1, loss: 'mse' },
      config, stepsDone: trainer.stepsDone, params: trainer.params,
    });
    const loaded = checkpointFromJson(compiled, JSON.parse(JSON.stringify(json)));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.params).toEqual(trainer.params);
    expect(loaded.value.stepsDone).toBe(1);
    expect(loaded.value.cellHash).toBe(cellHash(compiled.program));
  });

  it('refuses a checkpoint from another cell, or from the same cell at other sizes', () => {
    const trainer = createTrainer(compiled, task, config);
    const json = checkpointToJson(compiled.program, {
      cellName: 'GRU', sizes: compiled.program.sizes, task: { name: task.name, inputSize: 2, outputSize: 1, loss: 'mse' },
      config, stepsDone: 0, params: trainer.params,
    });
    for (const other of [compileExample('lstm', { input: 2, hidden: 4 }), compileExample('gru', { input: 2, hidden: 5 })]) {
      const loaded = checkpointFromJson(other, json);
      expect(loaded.ok).toBe(false);
      expect(loaded.diagnostics[0]).toMatchObject({ code: 'checkpoint-cell-mismatch', path: 'cellHash' });
      expect(loaded.diagnostics[0].message).toContain('GRU');
    }
  });

  it('refuses a checkpoint with a missing or non-finite tensor, naming it', () => {
    const trainer = createTrainer(compiled, task, config);
    const json = checkpointToJson(compiled.program, {
      cellName: 'GRU', sizes: compiled.program.sizes, task: { name: task.name, inputSize: 2, outputSize: 1, loss: 'mse' },
      config, stepsDone: 0, params: trainer.params,
    }) as { params: Record<string, Record<string, unknown[]>> };
    json.params.Wz.W[3] = 'NaN';
    delete json.params.Wr.b;
    const loaded = checkpointFromJson(compiled, json);
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.map((d) => d.path)).toEqual(expect.arrayContaining(['params.Wz.W[3]', 'params.Wr.b']));
  });
});

describe('bad input names the field', () => {
  it.each([
    ['steps', { steps: 0 }], ['batch', { batch: 1.5 }], ['length', { length: -3 }], ['chunk', { chunk: 100 }],
    ['lr', { lr: Number.NaN }], ['lr', { lr: Infinity }], ['clip', { clip: -1 }], ['seed', { seed: -1 }],
    ['optimizer', { optimizer: 'adamw' }],
  ] as const)('%s', (field, change) => {
    const problems = validateConfig({ ...config, ...change } as TrainConfig);
    expect(problems.map((d) => d.path)).toContain(field);
    expect(problems.find((d) => d.path === field)?.message).toContain(field);
  });

  it('a bad hyperparameter reads in Spanish too, naming its field as it is', () => {
    const [problem] = validateConfig({ ...config, batch: 0 });
    expect(problem.message).toBe('batch must be a whole number from 1 to 1024, got 0.');
    expect(renderDiagnostic(problem, 'es')).toBe('batch debe ser un número entero de 1 a 1024; recibido: 0.');
  });

  it('a good config has no problems', () => {
    expect(validateConfig(config)).toEqual([]);
  });

  it('a cell compiled for another input size does not fit the task', () => {
    const problems = checkFit(compileExample('lstm', { input: 3, hidden: 4 }), task);
    expect(problems[0]).toMatchObject({ code: 'input-size-mismatch', path: 'sizes.input' });
    expect(problems[0].message).toContain('--input 2');
    expect(renderDiagnostic(problems[0], 'es')).toBe('La tarea adding da 2 valores por paso, pero la celda se compiló con tamaño de entrada 3. Compílala con --input 2.');
  });
});

describe('learning', () => {
  it('the LSTM example learns the adding problem at T = 20 (MSE < 0.02; memoryless baseline ≈ 0.167)', () => {
    const compiled = compileExample('lstm', { input: 2, hidden: 16 });
    const trainer = createTrainer(compiled, task, { ...DEFAULT_CONFIG, steps: 600, batch: 16, length: 20, lr: 0.01, clip: 1, seed: 1 });
    for (let i = 0; i < 600; i++) trainer.step();
    expect(task.baseline.loss).toBeCloseTo(1 / 6, 3);
    expect(trainer.evaluate()).toBeLessThan(0.02);
  });
});

describe('learning text', () => {
  it('the LSTM learns the built-in Spanish corpus: validation loss far below the unigram baseline; the keyboard completes "per" with r', () => {
    const spanish = createSpanishTask(1);
    const compiled = compileExample('lstm', { input: spanish.inputSize, hidden: 32 });
    const trainer = createTrainer(compiled, spanish, { ...DEFAULT_CONFIG, steps: 200, batch: 16, length: 32, lr: 0.01, clip: 1, seed: 1 });
    for (let i = 0; i < 200; i++) trainer.step();
    expect(trainer.evaluate()).toBeLessThan(0.7 * spanish.baseline.loss);
    const prefix = encodeText(spanish.vocabulary, 'Voy al parque con mi per');
    if (!('ids' in prefix)) throw new Error(prefix.error);
    const guesses = nextCharacters(compiled, trainer.params, spanish.vocabulary, prefix.ids, 3);
    expect(guesses[0].char).toBe('r');
    expect(guesses.reduce((s, g) => s + g.probability, 0)).toBeLessThanOrEqual(1 + 1e-12);
  }, 240_000); // 200 steps on the float64 reference: ≈ 15 s alone, several times that on a busy 2-core runner
});

describe('resuming', () => {
  it('from a checkpoint with its optimiser state continues exactly as an uninterrupted run (Adam)', () => {
    const compiled = compileExample('gru', { input: 2, hidden: 4 });
    const adam: TrainConfig = { ...config, optimizer: 'adam', lr: 0.01, steps: 6 };
    const straight = createTrainer(compiled, task, adam);
    for (let i = 0; i < 6; i++) straight.step();

    const first = createTrainer(compiled, task, adam);
    for (let i = 0; i < 3; i++) first.step();
    const saved = checkpointToJson(compiled.program, {
      cellName: 'GRU', sizes: compiled.program.sizes, task: { name: task.name, inputSize: 2, outputSize: 1, loss: 'mse' },
      config: adam, stepsDone: first.stepsDone, params: first.params, optimizer: first.optimizerState,
    });
    const loaded = checkpointFromJson(compiled, JSON.parse(JSON.stringify(saved)));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const second = createTrainer(compiled, task, adam, { params: loaded.value.params, stepsDone: loaded.value.stepsDone, optimizer: loaded.value.optimizer });
    expect(second.optimizerRestored).toBe(true);
    for (let i = 0; i < 3; i++) second.step();
    expect(second.params).toEqual(straight.params);
  });

  it('refuses an optimiser state that does not fit and starts it afresh', () => {
    const compiled = compileExample('gru', { input: 2, hidden: 4 });
    const first = createTrainer(compiled, task, { ...config, optimizer: 'adam' });
    first.step();
    const second = createTrainer(compiled, task, { ...config, optimizer: 'sgd' }, { params: first.params, stepsDone: 1, optimizer: first.optimizerState });
    expect(second.optimizerRestored).toBe(false);
  });
});
