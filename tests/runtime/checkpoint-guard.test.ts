/**
 * A checkpoint is never written with a NaN or ∞ (it could never load again), never larger than
 * the readers accept, and reading one checks every count against the cell before allocating by it.
 * The params file `celda init` writes is bounded the same way.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DATA_FILE, stringifyJson } from '../../src/cli/io';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { initParameters } from '../../src/runtime/init';
import { CheckpointError, MAX_CHECKPOINT_BYTES, checkpointBytesBound, checkpointFromJson, checkpointToJson, type Checkpoint } from '../../src/runtime/checkpoint';
import { MAX_PARAMS_FILE_BYTES, paramsFileBytesBound, paramsToJson } from '../../src/runtime/params-file';
import { createAddingTask } from '../../src/runtime/tasks/adding';
import type { Task } from '../../src/runtime/tasks/types';
import { createTrainer, DEFAULT_CONFIG } from '../../src/runtime/train';
import { compileExample, EXAMPLES } from '../helpers';

const task = createAddingTask() as Task;
const compiled = compileExample('gru', { input: 2, hidden: 4 });
const config = { ...DEFAULT_CONFIG, batch: 2, length: 6 };

function trained(): Omit<Checkpoint, 'cellHash'> {
  const trainer = createTrainer(compiled, task, config);
  trainer.step();
  return {
    cellName: 'GRU', sizes: compiled.program.sizes, task: { name: task.name, inputSize: 2, outputSize: 1, loss: 'mse' },
    config, stepsDone: 1, params: trainer.params, optimizer: trainer.optimizerState,
  };
}

/** The longest JSON text a float64 has: 25 characters. */
const LONGEST = -0.0000012345678901234567;

describe('writing a checkpoint', () => {
  it('refuses a NaN or ∞ in the parameters or the optimiser state, naming the array', () => {
    const bad = trained();
    bad.params.cell.Wz.W[2] = Number.NaN;
    expect(() => checkpointToJson(compiled.program, bad)).toThrow(CheckpointError);
    expect(() => checkpointToJson(compiled.program, bad)).toThrow('The parameters Wz.W hold a NaN or ∞');

    const slot = trained();
    (slot.optimizer?.slots.v[1] as Float64Array)[0] = Number.POSITIVE_INFINITY;
    let error: unknown;
    try {
      checkpointToJson(compiled.program, slot);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ path: 'optimizer.slots.v[1]' });
    expect((error as Error).message).toContain(`The optimiser's v for ${compiled.program.tensors[1].nodeId}.${compiled.program.tensors[1].name} holds a NaN or ∞`);
  });

  it('bounds its text from the shapes alone, even with every number at its longest', () => {
    const c = trained();
    for (const a of [...Object.values(c.params.cell).flatMap((t) => Object.values(t)), c.params.readout.W, c.params.readout.b, ...Object.values(c.optimizer?.slots ?? {}).flat()]) a.fill(LONGEST);
    const text = `${stringifyJson(checkpointToJson(compiled.program, c))}\n`;
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(checkpointBytesBound(compiled.program, 1, 2));
  });

  it('a params file as celda init writes it is within paramsFileBytesBound, for every example', () => {
    for (const name of EXAMPLES) {
      const { program } = compileExample(name, { input: 3, hidden: 7 });
      const params = initParameters(program, 1);
      for (const node of Object.values(params)) for (const a of Object.values(node)) a.fill(LONGEST);
      const text = `${stringifyJson(paramsToJson(program, params, 1))}\n`;
      expect(text.length, name).toBeLessThanOrEqual(paramsFileBytesBound(program));
    }
  });
});

describe('one size bound for writing and reading', () => {
  it('the commands that read checkpoints and params files without naming a limit (sample, export) accept what is written', () => {
    expect(MAX_CHECKPOINT_BYTES).toBeLessThanOrEqual(MAX_DATA_FILE);
    expect(MAX_PARAMS_FILE_BYTES).toBeLessThanOrEqual(MAX_DATA_FILE);
  });
});

describe('reading a checkpoint checks every count', () => {
  const good = (): Record<string, unknown> & { task: Record<string, unknown>; config: Record<string, unknown>; optimizer: Record<string, unknown> } =>
    JSON.parse(JSON.stringify(checkpointToJson(compiled.program, trained())));

  it('accepts the checkpoint as written', () => {
    expect(checkpointFromJson(compiled, good()).ok).toBe(true);
  });

  it.each([
    ['task.outputSize -1', (j: ReturnType<typeof good>) => (j.task.outputSize = -1), 'task.outputSize', 'task.outputSize must be a whole number from 1 to 4096, got -1.'],
    ['task.outputSize 1.5', (j: ReturnType<typeof good>) => (j.task.outputSize = 1.5), 'task.outputSize', 'got 1.5'],
    ['task.outputSize a billion (never allocated)', (j: ReturnType<typeof good>) => (j.task.outputSize = 1e9), 'task.outputSize', 'got 1000000000'],
    ['task.outputSize that disagrees with the readout', (j: ReturnType<typeof good>) => (j.task.outputSize = 2), 'readout.W', 'readout.W must be a list of 8 numbers, got 4.'],
    ['task.inputSize that is not the cell\'s', (j: ReturnType<typeof good>) => (j.task.inputSize = 3), 'task.inputSize', 'task.inputSize is 3, but the cell reads 2 values per step'],
    ['task.inputSize "2"', (j: ReturnType<typeof good>) => (j.task.inputSize = '2'), 'task.inputSize', 'got "2"'],
    ['task.loss', (j: ReturnType<typeof good>) => (j.task.loss = 'hinge'), 'task.loss', 'task.loss must be "cross-entropy" or "mse"'],
    ['task.vocabulary of the wrong length', (j: ReturnType<typeof good>) => (j.task.vocabulary = ['a', 'b', 'c']), 'task.vocabulary', 'task.vocabulary has 3 characters'],
    ['stepsDone -1', (j: ReturnType<typeof good>) => (j.stepsDone = -1), 'stepsDone', 'stepsDone must be a whole number from 0 to 10000000, got -1.'],
    ['stepsDone "5"', (j: ReturnType<typeof good>) => (j.stepsDone = '5'), 'stepsDone', 'got "5"'],
    ['config.batch 0', (j: ReturnType<typeof good>) => (j.config.batch = 0), 'config.batch', 'config.batch must be a whole number from 1 to 1024, got 0.'],
    ['config null', (j: ReturnType<typeof good>) => (j.config = null as never), 'config', 'must be an object of training settings'],
    ['config.schedule null', (j: ReturnType<typeof good>) => (j.config.schedule = null), 'config.schedule', 'config.schedule must be'],
    ['optimizer.t -1', (j: ReturnType<typeof good>) => (j.optimizer.t = -1), 'optimizer', 'must be {"name", "t", "slots"}'],
  ])('%s: refused, naming the field', (_, spoil, path, message) => {
    const json = good();
    spoil(json);
    const loaded = checkpointFromJson(compiled, json);
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'bad-checkpoint', path });
    expect(loaded.diagnostics[0].message).toContain(message);
    expect(renderDiagnostic(loaded.diagnostics[0], 'es')).not.toBe(loaded.diagnostics[0].message);
  });

  it('words its problems in Spanish too: a training setting under "config", a checkpoint from another version', () => {
    const json = good();
    json.config.lr = 20;
    const [lr] = checkpointFromJson(compiled, json).diagnostics;
    expect(lr).toMatchObject({ code: 'bad-checkpoint', path: 'config.lr', message: 'config.lr must be a finite number from 1e-8 to 10, got 20.' });
    expect(renderDiagnostic(lr, 'es')).toBe('config.lr debe ser un número finito de 1e-8 a 10; recibido: 20.');
    const [version] = checkpointFromJson(compiled, { ...good(), version: 2 }).diagnostics;
    expect(version).toMatchObject({ code: 'bad-version', path: 'version', message: 'Checkpoint version 2 is not supported (this Celda reads version 1).' });
    expect(renderDiagnostic(version, 'es')).toBe('No se admite la versión 2 de los puntos de control (esta versión de Celda lee la versión 1).');
  });
});
