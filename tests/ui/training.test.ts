/**
 * The training store's handling of a diverged run (src/train/session.ts's 'done' with status
 * 'diverged'): it is stored as stopped with its last good checkpoint and where it diverged, says
 * so, and resumes from there with another learning rate or clipping. The Web Worker is a stand-in
 * that records what the store sends and hands it the session's events.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../../src/compiler';
import { flattenParameters, initModel, type ModelParameters } from '../../src/runtime/model';
import { createOptimizer, type OptimizerState } from '../../src/runtime/optim';
import { createTask, isTaskError } from '../../src/runtime/tasks/index';
import type { TrainingEvent } from '../../src/train/session';
import { DEFAULT_FORM, runDivergence } from '../../src/ui/training.svelte';
import { exampleJson, loadExample } from '../helpers';
import { language } from '../../src/ui/i18n.svelte';
import { runTraining } from '../../src/train/session';
import { worker } from './fake-worker';
import { useTrainingStores } from './training-stores';

/** The last good state a trainer would hand back: the cell's parameters for the adding task, and Adam's state after `t` steps. */
function lastGoodState(t: number): { params: ModelParameters; optimizer: OptimizerState; inputSize: number } {
  const task = createTask('adding');
  if (isTaskError(task)) throw new Error(task.error);
  const compiled = compile(loadExample('rnn'), { input: task.inputSize });
  if (!compiled.ok) throw new Error('the RNN does not compile');
  const params = initModel(compiled.value, task.outputSize, 3);
  const flat = flattenParameters(compiled.value.program, params);
  const adam = createOptimizer({ name: 'adam' }, flat);
  for (let i = 0; i < t; i++) adam.step(flat, flat.map((p) => p.map((v) => v * 0.01)), 0.01);
  return { params, optimizer: adam.state(), inputSize: task.inputSize };
}

function doneEvent(status: 'done' | 'diverged', steps: number, extra: Partial<Extract<TrainingEvent, { kind: 'done' }>> = {}): TrainingEvent {
  return { kind: 'done', status, steps, validationLoss: 0.5, elapsedMs: 10, ...lastGoodState(steps), ...extra };
}

describe('a diverged training run', () => {
  const openTraining = useTrainingStores();
  const trainingStore = () => openTraining('rnn');

  it('is kept as stopped with its last good checkpoint, says where it diverged, and resumes with a lower learning rate', async () => {
    const { training, projects } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 100, lr: 0.5 });
    expect(worker().request.config).toMatchObject({ lr: 0.5, clip: DEFAULT_FORM.clip });
    worker().emit({ kind: 'started', backend: 'reference (float64)', report: { choice: 'reference', backend: 'reference', skipped: [] }, parameters: 100, steps: 100, baseline: 0.17, bitsPerChar: false });
    worker().emit({
      kind: 'step', step: 11, loss: 0.4, gradNorm: 2, lr: 0.5, stepsPerSecond: 100, elapsedMs: 10,
      history: { steps: [10, 11], losses: [0.41, 0.4], gradNorms: [2, 2] },
    });
    worker().emit(doneEvent('diverged', 11, { divergence: { step: 12, tensor: 'h.W' } }));
    await vi.waitFor(() => expect(training.running).toBe(false));

    expect(training.status).toBe('stopped');
    expect(training.divergence).toEqual({ step: 12, tensor: 'h.W' });
    const [run] = await projects.runs();
    expect(run.status).toBe('stopped');
    expect(runDivergence(run)).toEqual({ step: 12, tensor: 'h.W' });
    expect((await projects.latestCheckpoint(run.id))?.step).toBe(11);
    expect(training.resumable?.id).toBe(run.id);

    const resumable = training.resumable;
    if (!resumable) throw new Error('not resumable');
    await training.resume(resumable, { lr: 0.05 });
    expect(training.status).toBe('running');
    expect(training.divergence).toBeUndefined();
    const resumed = worker().request;
    expect(resumed.config).toMatchObject({ lr: 0.05, clip: DEFAULT_FORM.clip, steps: 100 });
    expect(resumed.start?.stepsDone).toBe(11);
    expect(resumed.start?.params).toEqual(lastGoodState(11).params);
    expect(resumed.start?.optimizer).toEqual(lastGoodState(11).optimizer);

    worker().emit({ kind: 'started', backend: 'reference (float64)', report: { choice: 'reference', backend: 'reference', skipped: [] }, parameters: 100, steps: 100, baseline: 0.17, bitsPerChar: false });
    worker().emit(doneEvent('done', 100));
    await vi.waitFor(() => expect(training.status).toBe('done'));
    const [finished] = await projects.runs();
    expect(finished.id).toBe(run.id);
    expect(finished.status).toBe('done');
    expect(finished.config.lr).toBe(0.05);
    expect(runDivergence(finished)).toBeUndefined();
  });

  it('keeps the learning rate of a plain stopped run when it resumes without changes', async () => {
    const { training, projects } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 100, lr: 0.02, clip: 0.5 });
    worker().emit({ kind: 'started', backend: 'reference (float64)', report: { choice: 'reference', backend: 'reference', skipped: [] }, parameters: 100, steps: 100, baseline: 0.17, bitsPerChar: false });
    worker().emit(doneEvent('done', 40, { status: 'stopped' }));
    await vi.waitFor(() => expect(training.status).toBe('stopped'));
    expect(training.divergence).toBeUndefined();
    const [run] = await projects.runs();
    expect(runDivergence(run)).toBeUndefined();
    await training.resume(run);
    expect(worker().request.config).toMatchObject({ lr: 0.02, clip: 0.5 });
    expect(worker().request.start?.stepsDone).toBe(40);
  });

  it('words a refused run in the UI language from the session\'s diagnostics', async () => {
    const { training } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 100 });
    const events: TrainingEvent[] = [];
    await runTraining({ cell: exampleJson('rnn'), task: 'adding', backend: 'reference', config: { lr: 99 } }, (e) => events.push(e), () => false);
    expect(events.map((e) => e.kind)).toEqual(['failed']);
    worker().emit(events[0]);
    await vi.waitFor(() => expect(training.status).toBe('failed'));
    language.set('es');
    try {
      expect(training.failureText).toMatch(/tasa de aprendizaje|lr/);
      expect(training.failureText).not.toBe(training.message);
    } finally {
      language.set('en');
    }
    expect(training.failureText).toBe(training.message);
  });
});
