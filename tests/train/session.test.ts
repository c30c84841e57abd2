/**
 * The app trains through session.ts (in a Web Worker); `celda train` through the CLI.
 * Same cell, task, seed and backend: the same loss curve. And the session reports
 * bad requests as one `failed` event naming the field, and stops when asked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { runTraining, type TrainingEvent, type TrainingRequest } from '../../src/train/session';
import { celda } from '../cli/celda';

const lstm = JSON.parse(readFileSync('examples/lstm.json', 'utf8')) as unknown;

async function collect(request: TrainingRequest, stopAfter = Infinity): Promise<TrainingEvent[]> {
  const events: TrainingEvent[] = [];
  await runTraining(request, (e) => events.push(e), () => events.filter((e) => e.kind === 'step').length >= stopAfter);
  return events;
}

describe('training sessions (the app worker\'s loop)', () => {
  it.each(['gpu', 'reference'] as const)('backend %s: the same loss curve as celda train with the same seed', async (backend) => {
    const events = await collect({ cell: lstm, task: 'charlm', hidden: 8, backend, config: { steps: 15, batch: 4, length: 12, seed: 3, lr: 0.02 } });
    const fromApp = events.filter((e) => e.kind === 'step').map((e) => (e.kind === 'step' ? e.loss : 0));
    const cli = celda('train', 'examples/lstm.json', '--task', 'charlm', '--hidden', '8', '--steps', '15', '--batch', '4', '--seq', '12', '--seed', '3', '--lr', '0.02', '--backend', backend, '--json');
    expect(cli.status, cli.stderr).toBe(0);
    const fromCli = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; loss: number }).filter((e) => e.event === 'step').map((e) => e.loss);
    expect(fromApp).toHaveLength(15);
    expect(fromApp).toEqual(fromCli);
    expect(events[0]).toMatchObject({ kind: 'started', steps: 15, bitsPerChar: true });
    expect(events[events.length - 1]).toMatchObject({ kind: 'done', status: 'done', steps: 15 });
  });

  it('stops when asked, after the current step, and still reports the validation loss', async () => {
    const events = await collect({ cell: lstm, task: 'adding', hidden: 4, backend: 'gpu', config: { steps: 500, batch: 2, length: 6 } }, 3);
    const done = events[events.length - 1];
    expect(done).toMatchObject({ kind: 'done', status: 'stopped', steps: 3 });
    expect(done.kind === 'done' && Number.isFinite(done.validationLoss)).toBe(true);
  });

  it('sends the parameters while training when asked (snapshotEveryMs), each the run\'s parameters at that step', async () => {
    const events = await collect({ cell: lstm, task: 'charlm', hidden: 4, backend: 'gpu', snapshotEveryMs: 0, config: { steps: 4, batch: 2, length: 8, seed: 2 } });
    const snapshots = events.filter((e) => e.kind === 'snapshot');
    expect(snapshots.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    const last = snapshots[3];
    const done = events[events.length - 1];
    expect(last.kind === 'snapshot' && last.vocabulary?.length).toBeGreaterThan(10);
    // The last snapshot is the trained parameters the run ends with.
    expect(last.kind === 'snapshot' && done.kind === 'done' && last.params.readout.W).toEqual(done.kind === 'done' ? done.params.readout.W : undefined);
    const quiet = await collect({ cell: lstm, task: 'charlm', hidden: 4, backend: 'gpu', config: { steps: 2, batch: 2, length: 8 } });
    expect(quiet.some((e) => e.kind === 'snapshot')).toBe(false);
  });

  it('measures the validation loss every evalEvery steps, and trains on the user\'s text', async () => {
    const text = 'el perro come. la gata duerme. el niño lee. la niña canta. '.repeat(8);
    const events = await collect({ cell: lstm, task: 'charlm', text, hidden: 6, backend: 'gpu', config: { steps: 12, batch: 2, length: 8, evalEvery: 5 } });
    expect(events.filter((e) => e.kind === 'eval').map((e) => (e.kind === 'eval' ? e.step : 0))).toEqual([5, 10]);
    const done = events[events.length - 1];
    expect(done.kind === 'done' && done.vocabulary?.length).toBe(new Set(text).size);
    const short = await collect({ cell: lstm, task: 'charlm', text: 'hola', backend: 'gpu', config: {} });
    expect(short).toHaveLength(1);
    expect(short[0].kind === 'failed' && short[0].message).toMatch(/^text: /);
  });

  it('a stopped run resumed from its parameters and optimiser state continues exactly as one never stopped', async () => {
    const request: TrainingRequest = { cell: lstm, task: 'charlm', hidden: 6, backend: 'gpu', config: { steps: 10, batch: 2, length: 8 } };
    const straight = (await collect(request)).flatMap((e) => (e.kind === 'step' ? [e.loss] : []));
    const first = await collect(request, 4);
    const stopped = first[first.length - 1];
    if (stopped.kind !== 'done') throw new Error('not stopped');
    const rest = await collect({ ...request, start: { params: stopped.params, stepsDone: stopped.steps, optimizer: stopped.optimizer } });
    const resumed = [...first, ...rest].flatMap((e) => (e.kind === 'step' ? [e.loss] : []));
    expect(resumed).toEqual(straight);
  });

  it('turns a bad hyperparameter or a broken cell into one failed event that names it', async () => {
    const bad = await collect({ cell: lstm, task: 'adding', backend: 'gpu', config: { steps: 5, lr: -1 } });
    expect(bad).toEqual([{ kind: 'failed', message: 'lr must be a finite number from 1e-8 to 10, got -1.', diagnostics: [expect.objectContaining({ code: 'bad-hyperparameter', path: 'lr' })] }]);
    const broken = await collect({ cell: { format: 'celda-cell', version: 1 }, task: 'adding', backend: 'gpu', config: {} });
    expect(broken).toHaveLength(1);
    expect(broken[0].kind).toBe('failed');
    expect(broken[0].kind === 'failed' && broken[0].diagnostics?.length).toBeGreaterThan(0);
  });

  it('a refused run carries its diagnostics, so the app can say why in Spanish', async () => {
    const spanish = (events: TrainingEvent[]): string[] => events.flatMap((e) => (e.kind === 'failed' ? (e.diagnostics ?? []).map((d) => renderDiagnostic(d, 'es')) : []));
    const badLr = await collect({ cell: lstm, task: 'adding', backend: 'gpu', config: { steps: 5, lr: -1 } });
    expect(spanish(badLr)).toEqual(['lr debe ser un número finito de 1e-8 a 10; recibido: -1.']);
    const shortText = await collect({ cell: lstm, task: 'charlm', text: 'hola', backend: 'gpu', config: {} });
    expect(shortText[0]).toMatchObject({ kind: 'failed', message: 'text: text is too short: 4 characters, at least 200 are needed.' });
    expect(spanish(shortText)).toEqual(['text: text es demasiado corto: 4 caracteres; se necesitan al menos 200.']);
    const badShape = await collect({ cell: lstm, task: 'copy', backend: 'gpu', config: { length: 30 } });
    expect(spanish(badShape)).toEqual(['La tarea copy: length debe ser 120 (delay 100 + 20); recibido: 30.']);
  });
});
