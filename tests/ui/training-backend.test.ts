/**
 * The training panel's backend, end to end below the browser: the session chooses it from the
 * worker's probe (here a probe claiming a hardware GPU, which gpu.js cannot use in Node, so the
 * run really falls back to webasm), the store words the report in English and Spanish, keeps
 * the run under the backend that ran (also after a fallback during the first step), and words
 * a forced backend's failure from its code, not from the English message.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrowserProbe } from '../../src/gpu/choose';
import { runTraining, type TrainingEvent } from '../../src/train/session';
import { language } from '../../src/ui/i18n.svelte';
import { DEFAULT_FORM, formSettings, readForm } from '../../src/ui/training.svelte';
import { exampleJson } from '../helpers';
import { worker } from './fake-worker';
import { useTrainingStores } from './training-stores';

const HARDWARE: BrowserProbe = {
  webgpu: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false },
  webgl2Renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
};

async function session(backend: 'auto' | 'webgl2', probe?: BrowserProbe): Promise<TrainingEvent[]> {
  const events: TrainingEvent[] = [];
  await runTraining({ cell: exampleJson('rnn'), task: 'adding', backend, config: { steps: 2, batch: 2, length: 8 } }, (e) => events.push(e), () => false, probe);
  return events;
}

const openTraining = useTrainingStores();
afterEach(() => language.set('en'));
const trainingStore = () => openTraining('rnn');

describe('the backend a run trains on, in the panel', () => {
  it('a run chosen automatically says where it trains and why, in English and Spanish, and is kept under that backend', async () => {
    const events = await session('auto', HARDWARE);
    const started = events.find((e) => e.kind === 'started');
    expect(started).toMatchObject({ backend: 'gpu.js webasm', report: { choice: 'auto', backend: 'webasm' } });
    expect(events.at(-1)?.kind).toBe('done');

    const { training, projects } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 2 });
    expect(worker().request.backend).toBe('auto');
    for (const e of events) worker().emit(e);
    await vi.waitFor(() => expect(training.status).toBe('done'));
    expect(training.backendText).toBe('Training on WebAssembly: WebGPU is not available in this browser; WebGL2 is not available in this browser');
    language.set('es');
    expect(training.backendText).toBe('Entrenando con WebAssembly: WebGPU no está disponible en este navegador; WebGL2 no está disponible en este navegador');
    const [run] = await projects.runs();
    expect(run.backend).toBe('gpu.js webasm');
    expect(run.config.backend).toBe('auto');
  });

  it('a fallback during the first step moves the run to the backend that trains, and says why without a compiler dump', async () => {
    const { training, projects } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', steps: 2 });
    worker().emit({ kind: 'started', backend: 'gpu.js webgpu', report: { choice: 'auto', backend: 'webgpu', skipped: [] }, parameters: 100, steps: 2, baseline: 0.17, bitsPerChar: false });
    await vi.waitFor(async () => expect((await projects.runs()).length).toBe(1));
    expect(training.backendText).toBe('Training on WebGPU');
    const skipped = { backend: 'webgpu', reason: 'failed', detail: 'Error compiling WGSL compute shader: 12:5 increment statement can only be applied to an integer scalar' } as const;
    worker().emit({ kind: 'backend', backend: 'gpu.js webgl2', report: { choice: 'auto', backend: 'webgl2', skipped: [skipped] } });
    worker().emit({ kind: 'step', step: 1, loss: 0.4, gradNorm: 2, lr: 0.01, stepsPerSecond: 10, elapsedMs: 100, history: { steps: [1], losses: [0.4], gradNorms: [2] } });
    await vi.waitFor(() => expect(training.step).toBe(1));
    expect(training.backendText).toBe(`Training on WebGL2: WebGPU could not compile or run this cell: ${skipped.detail}`);
    training.stop();
    worker().emit({ kind: 'failed', message: 'stopped for the test' });
    await vi.waitFor(async () => expect((await projects.runs())[0].backend).toBe('gpu.js webgl2'));
  });

  it('a forced backend that cannot train fails with its reason worded in the UI language', async () => {
    const events = await session('webgl2');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'failed', backend: { backend: 'webgl2', reason: 'not-available' } });
    const { training } = await trainingStore();
    training.start({ ...DEFAULT_FORM, task: 'adding', backend: 'webgl2' });
    worker().emit(events[0]);
    await vi.waitFor(() => expect(training.status).toBe('failed'));
    expect(training.failureText).toBe('WebGL2 is not available in this browser. Choose Automatic or another backend.');
    language.set('es');
    expect(training.failureText).toBe('WebGL2 no está disponible en este navegador. Elige Automático u otro motor.');
  });

  it('the forced backend is kept with the project\'s training settings', () => {
    for (const backend of ['auto', 'webgpu', 'webgl2', 'webasm', 'reference'] as const) {
      expect(readForm({ training: formSettings({ ...DEFAULT_FORM, backend }) }).backend).toBe(backend);
    }
    expect(readForm({ training: { backend: 'cuda' } }).backend).toBe('auto');
  });
});
