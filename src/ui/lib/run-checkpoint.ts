/**
 * A stopped run's checkpoint as stored tensors: the parameters and the optimiser's state
 * (moments and step count), so a run resumed after a reload continues exactly.
 * Names: cell/<node id>/<weight>, readout/W, readout/b, optimizer/<name>/t,
 * optimizer/<name>/<slot>/<index> (node ids never hold '/').
 */
import type { ModelParameters } from '../../runtime/model';
import type { OptimizerName, OptimizerState } from '../../runtime/optim';
import type { TensorRecord } from '../../storage';

export function checkpointTensors(params: ModelParameters, optimizer: OptimizerState): TensorRecord[] {
  const out: TensorRecord[] = [];
  for (const [node, weights] of Object.entries(params.cell)) {
    for (const [name, values] of Object.entries(weights)) out.push({ name: `cell/${node}/${name}`, shape: [values.length], values: Float64Array.from(values) });
  }
  out.push({ name: 'readout/W', shape: [params.readout.W.length], values: Float64Array.from(params.readout.W) });
  out.push({ name: 'readout/b', shape: [params.readout.b.length], values: Float64Array.from(params.readout.b) });
  out.push({ name: `optimizer/${optimizer.name}/t`, shape: [1], values: Float64Array.of(optimizer.t) });
  for (const [slot, arrays] of Object.entries(optimizer.slots)) {
    arrays.forEach((values, i) => out.push({ name: `optimizer/${optimizer.name}/${slot}/${i}`, shape: [values.length], values: Float64Array.from(values) }));
  }
  return out;
}

/** The parameters and optimiser state back; undefined when a part is missing. */
export function fromCheckpointTensors(tensors: readonly TensorRecord[]): { params: ModelParameters; optimizer: OptimizerState } | undefined {
  const cell: Record<string, Record<string, Float64Array>> = {};
  let W: Float64Array | undefined;
  let b: Float64Array | undefined;
  let name: OptimizerName | undefined;
  let t = 0;
  const slots: Record<string, Float64Array[]> = {};
  for (const tensor of tensors) {
    const parts = tensor.name.split('/');
    if (parts[0] === 'cell' && parts.length === 3) (cell[parts[1]] ??= {})[parts[2]] = tensor.values;
    else if (tensor.name === 'readout/W') W = tensor.values;
    else if (tensor.name === 'readout/b') b = tensor.values;
    else if (parts[0] === 'optimizer' && parts.length === 3 && parts[2] === 't') {
      name = parts[1] as OptimizerName;
      t = tensor.values[0];
    } else if (parts[0] === 'optimizer' && parts.length === 4) (slots[parts[2]] ??= [])[Number(parts[3])] = tensor.values;
  }
  if (!W || !b || !name) return undefined;
  return { params: { cell, readout: { W, b } }, optimizer: { name, t, slots } };
}
