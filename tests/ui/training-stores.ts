/**
 * What the training store tests share: each test gets FakeWorker as the Web Worker, and the
 * project stores it opened are closed after it. `openTraining` opens an example in a new
 * project store (a fresh database unless one is named) with a training store on it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { EditorState } from '../../src/ui/state.svelte';
import { ProjectStore } from '../../src/ui/projects.svelte';
import { TrainingStore } from '../../src/ui/training.svelte';
import { loadExample } from '../helpers';
import { FakeWorker } from './fake-worker';

export interface OpenTraining {
  readonly training: TrainingStore;
  readonly projects: ProjectStore;
  readonly editor: EditorState;
}

export function useTrainingStores(): (example: string, database?: string) => Promise<OpenTraining> {
  const stores: ProjectStore[] = [];
  beforeEach(() => {
    FakeWorker.current = undefined;
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    for (const s of stores.splice(0)) s.destroy();
  });
  return async (example, database = `celda-training-${crypto.randomUUID()}`) => {
    const editor = new EditorState(loadExample(example));
    const projects = new ProjectStore(editor, database);
    stores.push(projects);
    await projects.start();
    return { training: new TrainingStore(editor, projects), projects, editor };
  };
}
