import { describe, expect, it } from 'vitest';
import { CLAIM_FACTOR, firstOverLast, runFlowStudy, type FlowStudyProgress } from '../../src/train/flow-study';
import { exampleJson } from '../helpers';

describe('the gradient-flow study', () => {
  it('after training on adding T = 50, the LSTM and the GRU keep ≥ 100× more of ‖∂L/∂a_t‖ than the Elman cell, and says so', async () => {
    const progress: FlowStudyProgress[] = [];
    const result = await runFlowStudy({
      cells: [
        { name: 'Elman RNN', role: 'elman', cell: exampleJson('rnn') },
        { name: 'LSTM', role: 'gated', cell: exampleJson('lstm') },
        { name: 'GRU', role: 'gated', cell: exampleJson('gru') },
      ],
      length: 50, hidden: 16, steps: 600, seed: 1, backend: 'auto',
    }, (p) => progress.push(p));
    expect(result.curves.map((c) => c.name)).toEqual(['Elman RNN', 'LSTM', 'GRU']);
    for (const c of result.curves) {
      expect(c.before).toHaveLength(49);
      expect(c.after).toHaveLength(49);
      expect([...c.before, ...c.after].every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    const [elman, lstm, gru] = result.curves;
    // The gated cells learned the task (baseline 1/6); the Elman cell did not.
    expect(lstm.validationLoss).toBeLessThan(0.02);
    expect(gru.validationLoss).toBeLessThan(0.02);
    expect(elman.validationLoss).toBeGreaterThan(0.15);
    expect(result.verdict?.holds).toBe(true);
    expect(result.verdict?.factor).toBeGreaterThanOrEqual(CLAIM_FACTOR);
    expect(result.verdict?.elman).toBe(firstOverLast(elman.after));
    expect(progress.at(-1)).toEqual({ cell: 2, cells: 3, step: 600, steps: 600 });
  }, 120_000);

  it('says when the claim does not hold in a run instead of hiding it', async () => {
    // Untrained (one step), the GRU's update gate halves the gradient at every step: it fades far more than the Elman cell's.
    const result = await runFlowStudy({
      cells: [{ name: 'Elman RNN', role: 'elman', cell: exampleJson('rnn') }, { name: 'GRU', role: 'gated', cell: exampleJson('gru') }],
      length: 50, hidden: 16, steps: 1, seed: 1, backend: 'auto',
    }, () => undefined);
    expect(result.verdict?.holds).toBe(false);
    expect(result.verdict?.gatedName).toBe('GRU');
  });

  it('skips a cell that has no state or does not compile, naming why', async () => {
    const rnn = exampleJson('rnn');
    const result = await runFlowStudy({
      cells: [{ name: 'broken', role: 'own', cell: { ...rnn, connections: [] } }, { name: 'Elman RNN', role: 'elman', cell: rnn }],
      length: 10, hidden: 4, steps: 2, seed: 1, backend: 'auto',
    }, () => undefined);
    expect(result.curves.map((c) => c.name)).toEqual(['Elman RNN']);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0].name).toBe('broken');
    expect(result.skipped[0].reason.length).toBeGreaterThan(10);
    expect(result.verdict).toBeUndefined();
  });
});
