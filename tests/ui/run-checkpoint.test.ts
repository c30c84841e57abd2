/** A stopped run's checkpoint round-trips through stored tensors: parameters and optimiser state. */
import { describe, expect, it } from 'vitest';
import { checkpointTensors, fromCheckpointTensors } from '../../src/ui/lib/run-checkpoint';
import { initModel } from '../../src/runtime/model';
import { createOptimizer } from '../../src/runtime/optim';
import { flattenParameters } from '../../src/runtime/model';
import { compileExample } from '../helpers';

describe('run checkpoints as tensors', () => {
  it('gives back the same parameters and Adam state (moments and step count)', () => {
    const compiled = compileExample('lstm', { input: 3, hidden: 4 });
    const params = initModel(compiled, 5, 2);
    const flat = flattenParameters(compiled.program, params);
    const adam = createOptimizer({ name: 'adam' }, flat);
    adam.step(flat, flat.map((p) => p.map((v) => v * 0.1)), 0.01);
    const back = fromCheckpointTensors(checkpointTensors(params, adam.state()));
    expect(back?.params).toEqual(params);
    expect(back?.optimizer).toEqual(adam.state());
  });

  it('refuses a checkpoint without the readout or the optimiser', () => {
    const compiled = compileExample('rnn', { input: 2, hidden: 3 });
    const tensors = checkpointTensors(initModel(compiled, 2, 1), { name: 'sgd', t: 0, slots: {} });
    expect(fromCheckpointTensors(tensors.filter((t) => t.name !== 'readout/W'))).toBeUndefined();
    expect(fromCheckpointTensors(tensors.filter((t) => !t.name.startsWith('optimizer/')))).toBeUndefined();
  });
});
