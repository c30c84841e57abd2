/**
 * The training store with the two tasks that have views of their own: a run of the real
 * session (a few steps) on spell-number and on dinosaurs, its events handed to the store as
 * the Web Worker would, and what the finished model carries for the keyboard, the inside view,
 * the spelling box and the names list.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { spellWithModel } from '../../src/runtime/spell';
import { SPELL_INPUT_SIZE, SPELL_MAX_STEPS } from '../../src/runtime/tasks/spell-number';
import { runTraining, type TrainingEvent } from '../../src/train/session';
import { DEFAULT_FORM, lengthFor, liveSequence, TrainingStore } from '../../src/ui/training.svelte';
import { worker } from './fake-worker';
import { useTrainingStores } from './training-stores';

const openTraining = useTrainingStores();

/** Starts a run of `task` in a store and plays the real session's events back to it. */
async function trainOn(task: 'spell-number' | 'dinosaurs'): Promise<{ training: TrainingStore; events: TrainingEvent[] }> {
  const { training } = await openTraining('gru');
  training.start({ ...DEFAULT_FORM, task, steps: 4, batch: 4, length: lengthFor(task, 16), backend: 'reference' });
  const events: TrainingEvent[] = [];
  await runTraining({ ...worker().request, snapshotEveryMs: 0 }, (e) => events.push(e), () => false);
  for (const e of events) worker().emit(e);
  await vi.waitFor(() => expect(training.status).toBe('done'));
  return { training, events };
}

describe('the form', () => {
  it('takes the only sequence length of a task that has one, and keeps its own for the others', () => {
    expect(lengthFor('spell-number', 32)).toBe(SPELL_MAX_STEPS);
    expect(lengthFor('copy', 32)).toBe(120);
    expect(lengthFor('dinosaurs', 32)).toBe(32);
    expect(lengthFor('adding', 50)).toBe(50);
  });
});

describe('a finished run', () => {
  it('on spell-number: no vocabulary (not a text model), an example for the inside view, a model that spells', async () => {
    const { training, events } = await trainOn('spell-number');
    const model = training.trained;
    expect(model?.task).toBe('spell-number');
    expect(model?.vocabulary).toBeUndefined();
    expect(training.bitsPerChar).toBe(false);
    expect(model?.example?.length).toBe(SPELL_MAX_STEPS);
    expect(model?.example?.every((x) => x.length === SPELL_INPUT_SIZE)).toBe(true);
    expect(events.some((e) => e.kind === 'snapshot')).toBe(true);
    if (!model) return;
    const spelled = spellWithModel(model.compiled, model.params, 42);
    expect(spelled.text.length).toBeLessThanOrEqual(SPELL_MAX_STEPS);
  });

  it('on dinosaurs: a text model in bits per character whose keyboard and inside view start from a name it can read', async () => {
    const { training } = await trainOn('dinosaurs');
    const model = training.trained;
    expect(model?.task).toBe('dinosaurs');
    expect(training.bitsPerChar).toBe(true);
    expect(model?.vocabulary).toEqual(['\n', ...'abcdefghijklmnopqrstuvwxyz']);
    expect(model?.text).toBe('stegosaurus');
    if (!model) return;
    expect(liveSequence(model, model.text ?? '')).toHaveLength('stegosaurus'.length);
  });
});
