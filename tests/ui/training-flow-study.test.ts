/**
 * The gradient-flow study in the app (src/ui/flow-study.svelte.ts): "before" curves at once,
 * the same as the study's own; the cell on the canvas measured once when it is one of the
 * examples; progress named by cell; the "after" curves and the verdict from the worker's
 * result; a stopped study keeps only "before". The Web Worker is a stand-in.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newCell } from '../../src/model/edit';
import { FLOW_STUDY_DEFAULTS, runFlowStudy, type FlowStudyRequest, type FlowStudyResult } from '../../src/train/flow-study';
import { FlowStudyStore, STUDY } from '../../src/ui/flow-study.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { exampleJson, loadExample } from '../helpers';
import { FakeWorker, worker } from './fake-worker';

beforeEach(() => {
  FakeWorker.current = undefined;
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => vi.unstubAllGlobals());

/** A result as the worker sends it, with made-up "after" curves of the given first/last ratios. */
function result(request: FlowStudyRequest, ratios: Record<string, number>, holds: boolean): FlowStudyResult {
  const after = (ratio: number) => Array.from({ length: FLOW_STUDY_DEFAULTS.length - 1 }, (_, t) => ratio ** (1 - t / (FLOW_STUDY_DEFAULTS.length - 2)));
  return {
    length: request.length, steps: request.steps, skipped: [],
    curves: request.cells.map((c) => ({ name: c.name, role: c.role, before: [1, 1], after: after(ratios[c.name]), validationLoss: 0.01, backend: 'webasm' })),
    verdict: { elman: ratios.rnn, gated: ratios.gru, factor: ratios.gru / ratios.rnn, holds, gatedName: 'gru' },
  };
}

describe('the gradient-flow study in the app', () => {
  it('runs with the study\'s own settings (adding T = 50, 600 steps per cell)', () => {
    expect(STUDY).toEqual(FLOW_STUDY_DEFAULTS);
  });

  it('measures "before" at once exactly as the study does, and sends the examples to train in the worker', async () => {
    const study = new FlowStudyStore(new EditorState(loadExample('rnn')));
    study.measure();
    expect(study.status).toBe('running');
    // The canvas holds the Elman example: it is measured once, as the Elman RNN.
    expect(study.own).toEqual({ kind: 'twin', of: 'rnn' });
    expect(study.lines.map((l) => l.id)).toEqual(['rnn', 'lstm', 'gru']);
    const request = worker().studyRequest;
    expect(request.cells.map((c) => [c.name, c.role])).toEqual([['rnn', 'elman'], ['lstm', 'gated'], ['gru', 'gated']]);
    expect(request).toMatchObject({ length: 50, hidden: 16, steps: 600, seed: 1 });

    // The study's own "before" (one training step suffices: "before" is measured at the start).
    const measured = await runFlowStudy({ ...request, cells: [{ name: 'lstm', role: 'gated', cell: exampleJson('lstm') }], steps: 1, backend: 'reference' }, () => undefined);
    expect(study.lines[1].before).toEqual(measured.curves[0].before);
    for (const line of study.lines) expect(line.before).toHaveLength(49);
    // At their initial parameters the GRU fades most (its update gate halves the gradient at every step).
    const ratio = (c: readonly number[]) => c[0] / c[c.length - 1];
    const [rnn, lstm, gru] = study.lines.map((l) => ratio(l.before));
    expect(gru).toBeLessThan(rnn);
    expect(lstm).toBeGreaterThan(rnn);
  });

  it('trains a cell of the user\'s own last, names the cell in training, and takes "after" and the verdict from the result', () => {
    const own = loadExample('gru');
    const study = new FlowStudyStore(new EditorState({ ...own, nodes: own.nodes.map((n) => (n.id === 'z' ? { ...n, id: 'zz' } : n)), connections: own.connections.map((c) => ({ ...c, from: c.from === 'z' ? 'zz' : c.from, to: c.to === 'z' ? 'zz' : c.to })) }));
    study.measure();
    expect(study.own).toEqual({ kind: 'measured' });
    const request = worker().studyRequest;
    expect(request.cells.map((c) => c.name)).toEqual(['rnn', 'lstm', 'gru', 'own']);
    worker().emit({ kind: 'flow-progress', cell: 3, cells: 4, step: 120, steps: 600 });
    expect(study.progress).toEqual({ cell: 'own', index: 4, cells: 4, step: 120, steps: 600 });

    worker().emit({ kind: 'flow-done', result: result(request, { rnn: 1e-9, lstm: 0.3, gru: 0.2, own: 0.25 }, true) });
    expect(study.status).toBe('done');
    expect(study.progress).toBeUndefined();
    expect(study.lines.map((l) => [l.id, l.after?.[0]])).toEqual([['rnn', 1e-9], ['lstm', 0.3], ['gru', 0.2], ['own', 0.25]]);
    expect(study.judgement).toMatchObject({ holds: true, gatedCell: 'gru', elman: 1e-9 });
  });

  it('keeps only the curves before training when stopped, and says why a cell of its own is not measured', () => {
    const study = new FlowStudyStore(new EditorState(newCell('blank')));
    study.measure();
    expect(study.own.kind).toBe('not-compiled');
    study.stop();
    expect(worker().sent.at(-1)).toEqual({ type: 'stop' });
    const request = worker().studyRequest;
    worker().emit({ kind: 'flow-done', result: result(request, { rnn: 1e-9, lstm: 0.3, gru: 0.2 }, true) });
    expect(study.status).toBe('stopped');
    expect(study.lines.every((l) => l.after === undefined)).toBe(true);
    expect(study.judgement).toBeUndefined();

    study.measure();
    worker().emit({ kind: 'flow-failed', message: 'out of memory' });
    expect(study.status).toBe('failed');
    expect(study.message).toBe('out of memory');
  });
});
