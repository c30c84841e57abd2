/**
 * The training store's form, kept per project (it survives the panel closing and a reload,
 * and a stored form is checked field by field), and the live view of a run: each snapshot
 * the session sends fills the canvas's gates with their mean activation and becomes the
 * model the inside view follows; the fills go when the run ends. The Web Worker is a
 * stand-in that records what the store sends and hands it the session's events.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../../src/compiler';
import { flattenParameters, initModel } from '../../src/runtime/model';
import { createOptimizer } from '../../src/runtime/optim';
import { createTask, isTaskError } from '../../src/runtime/tasks/index';
import type { TrainingEvent } from '../../src/train/session';
import { DEFAULT_FORM, LIVE_EVERY_MS, liveSequence, readForm, type TrainingForm } from '../../src/ui/training.svelte';
import { loadExample } from '../helpers';
import { worker } from './fake-worker';
import { useTrainingStores, type OpenTraining } from './training-stores';

const openTraining = useTrainingStores();

async function open(database: string, example = 'lstm'): Promise<OpenTraining> {
  const opened = await openTraining(example, database);
  opened.training.restoreForm();
  return opened;
}

describe('the training form', () => {
  it('is kept with the project: a new store on the same database (a reload) reads it back', async () => {
    const database = `celda-form-${crypto.randomUUID()}`;
    const first = await open(database);
    expect(first.training.form).toEqual(DEFAULT_FORM);
    const chosen: TrainingForm = { task: 'adding', text: 'Hola, mundo.\nOtra línea.', steps: 1234, batch: 8, length: 50, lr: 0.003, clip: 0.5, seed: 7, backend: 'reference' };
    Object.assign(first.training.form, chosen);
    first.training.keepForm();
    await first.projects.flush();

    const second = await open(database);
    expect(second.projects.currentId).toBe(first.projects.currentId);
    expect(second.training.form).toEqual(chosen);
  });

  it('saves an edit of the cell and a change of the form together, neither undoing the other', async () => {
    const database = `celda-form-${crypto.randomUUID()}`;
    const first = await open(database);
    first.training.form.steps = 42;
    first.training.keepForm();
    first.editor.apply((cell) => ({ ...cell, metadata: { ...cell.metadata, name: 'renamed' } }));
    first.projects.cellChanged(first.editor.cell);
    await first.projects.flush();
    const second = await open(database);
    expect(second.editor.cell.metadata.name).toBe('renamed');
    expect(second.training.form.steps).toBe(42);
  });

  it('does not keep a text too long for storage (the form says so), so the project still saves', async () => {
    const database = `celda-form-${crypto.randomUUID()}`;
    const first = await open(database);
    first.training.form.text = 'a'.repeat(10_001);
    first.training.form.steps = 77;
    first.training.keepForm();
    await first.projects.flush();
    expect(first.projects.status).toBe('saved');
    const second = await open(database);
    expect(second.training.form.text).toBe('');
    expect(second.training.form.steps).toBe(77);
  });

  it('reads a stored form field by field: a missing, mistyped or out-of-range value takes its default', () => {
    expect(readForm({})).toEqual(DEFAULT_FORM);
    expect(readForm({ training: 'adding' })).toEqual(DEFAULT_FORM);
    const read = readForm({ training: { task: 'poetry', steps: 0, batch: 2.5, length: 40, lr: -1, clip: 'none', seed: 3, backend: 'webgl9', text: 'x\u0007y' } });
    expect(read).toEqual({ ...DEFAULT_FORM, length: 40, seed: 3 });
    expect(readForm({ training: { task: 'sine', lr: 10, steps: 100_000 } })).toEqual({ ...DEFAULT_FORM, task: 'sine', lr: 10, steps: 100_000 });
  });
});

/** The LSTM's parameters for the adding task after `scale`-sized changes: each snapshot differs. */
function snapshot(step: number, scale: number): Extract<TrainingEvent, { kind: 'snapshot' }> {
  const task = createTask('adding');
  if (isTaskError(task)) throw new Error(task.error);
  const compiled = compile(loadExample('lstm'), { input: task.inputSize });
  if (!compiled.ok) throw new Error('the LSTM does not compile');
  const params = initModel(compiled.value, task.outputSize, 1);
  for (const node of Object.values(params.cell)) for (const values of Object.values(node)) values.forEach((v, i) => (values[i] = v + scale * Math.sin(i + 1)));
  return { kind: 'snapshot', step, params, inputSize: task.inputSize };
}

describe('a run followed live', () => {
  it('asks for snapshots, fills the gates on the canvas from each, and the inside view follows; the fills go when the run ends', async () => {
    const { training, editor } = await open(`celda-live-${crypto.randomUUID()}`);
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 100, length: 12 });
    expect(worker().request.snapshotEveryMs).toBe(LIVE_EVERY_MS);
    expect(LIVE_EVERY_MS).toBeLessThanOrEqual(500);
    worker().emit({ kind: 'started', backend: 'reference (float64)', report: { choice: 'reference', backend: 'reference', skipped: [] }, parameters: 100, steps: 100, baseline: 0.17, bitsPerChar: false });
    expect(training.model).toBeUndefined();

    worker().emit(snapshot(10, 0));
    await vi.waitFor(() => expect(editor.nodeActivity).toBeDefined());
    const first = new Map(editor.nodeActivity);
    // Every σ and tanh node of the LSTM: forget, update, output, candidate and tanh(c).
    const gates = editor.cell.nodes.filter((n) => n.kind === 'sigmoid' || n.kind === 'tanh').map((n) => n.id).sort();
    expect([...first.keys()].sort()).toEqual(gates);
    for (const level of first.values()) expect(level >= 0 && level <= 1, `level ${level}`).toBe(true);
    expect(training.model?.step).toBe(10);
    expect(training.model?.example).toHaveLength(12);

    worker().emit(snapshot(20, 0.5));
    await vi.waitFor(() => expect(training.model?.step).toBe(20));
    expect([...(editor.nodeActivity?.entries() ?? [])]).not.toEqual([...first.entries()]);

    const task = createTask('adding');
    if (isTaskError(task)) throw new Error(task.error);
    const { params } = snapshot(100, 1);
    const compiled = compile(loadExample('lstm'), { input: task.inputSize });
    if (!compiled.ok) throw new Error('the LSTM does not compile');
    const optimizer = createOptimizer({ name: 'adam' }, flattenParameters(compiled.value.program, params)).state();
    worker().emit({ kind: 'done', status: 'done', steps: 100, validationLoss: 0.1, elapsedMs: 10, params, inputSize: task.inputSize, optimizer });
    await vi.waitFor(() => expect(training.running).toBe(false));
    expect(editor.nodeActivity).toBeUndefined();
    expect(training.model?.step).toBe(100);
  });

  it('a text model reads the start of the user\'s text, or the tutorial\'s sentence, leaving out characters it does not know', () => {
    const vocabulary = [...'Voy alpqurecnmi.'];
    const model = { vocabulary, step: 0 } as unknown as Parameters<typeof liveSequence>[0];
    const sentence = liveSequence(model, '');
    expect(sentence).toHaveLength([...'Voy al parque con mi perro.'].length);
    expect(sentence[0][vocabulary.indexOf('V')]).toBe(1);
    const own = liveSequence(model, `Voy${'!'.repeat(5)}${'a'.repeat(100)}`);
    // The first 40 characters, the five "!" (not in the vocabulary) left out.
    expect(own).toHaveLength(35);
  });
});
