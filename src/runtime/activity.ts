/**
 * How active each gate is: the mean of a σ or tanh node's output over a run (every
 * unit, step and sequence), scaled to [0, 1] — σ as it is, tanh from [−1, 1]. This is
 * what the canvas fills each node with while a cell trains, as TF Playground's neurons do.
 */
import type { IrProgram } from '../compiler/ir';
import type { Parameters } from './init';
import { forward } from './reference';

/** The node kinds whose output has a fixed range to fill against. */
const RANGES: Readonly<Record<string, readonly [number, number]>> = { sigmoid: [0, 1], tanh: [-1, 1] };

/** Node id → mean activation in [0, 1], for every σ and tanh node; `xs` as the reference forward takes them. */
export function gateActivity(program: IrProgram, params: Parameters, xs: readonly Float64Array[], batch: number): Map<string, number> {
  const activity = new Map<string, number>();
  if (xs.length === 0) return activity;
  const { tape } = forward(program, params, xs, batch);
  for (const op of program.ops) {
    const range = RANGES[op.def.kind];
    if (!range) continue;
    let sum = 0;
    let count = 0;
    for (const step of tape.values) {
      for (const v of step[op.result]) sum += v;
      count += step[op.result].length;
    }
    const mean = sum / count;
    activity.set(op.nodeId, Math.min(1, Math.max(0, (mean - range[0]) / (range[1] - range[0]))));
  }
  return activity;
}
