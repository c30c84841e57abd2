/**
 * One training chunk on the float64 reference runtime, returning what the gpu
 * backend's inspect mode returns: y_t, the loss and every gradient (before
 * clipping), in flattenParameters order. The specification the parity tests hold the fast path to.
 */
import type { Compiled } from '../../src/compiler';
import { flattenParameters, readoutBackward, type ModelParameters, type Readout } from '../../src/runtime/model';
import { backward, forward } from '../../src/runtime/reference';
import { scoreStep } from '../../src/runtime/train';
import type { Batch } from '../../src/runtime/tasks/types';

export interface ReferenceStep {
  readonly outputs: Float64Array[];
  readonly loss: number;
  readonly gradients: Float64Array[];
}

export function referenceStep(compiled: Compiled, params: ModelParameters, batch: Batch, rows: number, outputs: number): ReferenceStep {
  const run = forward(compiled.program, params.cell, batch.xs, rows);
  const readoutGrads: Readout = { W: new Float64Array(params.readout.W.length), b: new Float64Array(params.readout.b.length) };
  const scored = batch.targets.filter((t) => t !== null).length;
  let loss = 0;
  const gradOutputs = run.outputs.map((y, t) => {
    const target = batch.targets[t];
    if (!target) return new Float64Array(y.length);
    const r = scoreStep(params.readout, y, target, rows, outputs);
    loss += r.loss / scored;
    const g = r.grad.map((v) => v / scored);
    return readoutBackward(params.readout, y, g, rows, readoutGrads);
  });
  const cell = backward(compiled.backward, params.cell, run.tape, gradOutputs);
  const gradients = [...compiled.program.tensors.map((t) => cell.params[t.nodeId][t.name]), readoutGrads.W, readoutGrads.b];
  void flattenParameters;
  return { outputs: run.outputs, loss, gradients };
}
