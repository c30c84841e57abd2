import { describe, expect, it } from 'vitest';
import { gateActivity } from '../../src/runtime/activity';
import { initModel } from '../../src/runtime/model';
import { compileExample } from '../helpers';

describe('gate activity', () => {
  const lstm = compileExample('lstm', { input: 3, hidden: 4 });
  const params = initModel(lstm, 2, 1).cell;
  const xs = [Float64Array.from([1, 0, 0, 0, 1, 0]), Float64Array.from([0, 0, 1, 1, 0, 0])];

  it('gives every σ and tanh node a level in [0, 1], and nothing else', () => {
    const activity = gateActivity(lstm.program, params, xs, 2);
    const gates = lstm.program.ops.filter((op) => op.def.kind === 'sigmoid' || op.def.kind === 'tanh').map((op) => op.nodeId);
    expect([...activity.keys()].sort()).toEqual([...gates].sort());
    for (const level of activity.values()) {
      expect(level).toBeGreaterThanOrEqual(0);
      expect(level).toBeLessThanOrEqual(1);
    }
  });

  it('is the mean σ output itself, and a tanh mean mapped from [−1, 1]', () => {
    // With every weight zero, σ gives exactly 0.5 (plus its bias) and tanh 0 → 0.5.
    const zero = initModel(lstm, 2, 1).cell;
    for (const tensors of Object.values(zero)) for (const t of Object.values(tensors)) t.fill(0);
    const activity = gateActivity(lstm.program, zero, xs, 2);
    expect(activity.get('f')).toBeCloseTo(0.5, 12);
    expect(activity.get('cc')).toBeCloseTo(0.5, 12);
    // The forget gate's bias of 1 at initialisation keeps it open: σ(1) ≈ 0.73 at zero input weights.
    expect(gateActivity(lstm.program, params, xs, 2).get('f')).toBeGreaterThan(0.6);
  });

  it('is empty for an empty sequence', () => {
    expect(gateActivity(lstm.program, params, [], 2).size).toBe(0);
  });
});
