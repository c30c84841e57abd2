/**
 * One time step played node by node (the presenter view's walk-through): each node's value at
 * the last step of a short example sequence, in data-flow order — the states' previous values
 * first, then the input, then every node as the step computes it, then the output. The values
 * are the reference forward's own (the specification), so what the room sees is what the cell computes.
 */
import type { Compiled } from '../compiler';
import type { Parameters } from './init';
import { forward } from './reference';
import { deriveRng } from './rng';

export type RevealRole = 'state' | 'input' | 'op' | 'output';

export interface Reveal {
  readonly nodeId: string;
  readonly role: RevealRole;
  /** The node's vector at the shown step (batch 1). */
  readonly value: Float64Array;
}

/** The example sequence: a few steps, so that the shown step starts from states that already hold something. */
export const EXAMPLE_STEPS = 3;

/** A fixed input sequence for the walk-through: `steps` vectors of values in [−1, 1], the same for a seed on every machine. */
export function exampleInputs(compiled: Compiled, seed: number, steps = EXAMPLE_STEPS): Float64Array[] {
  const { program } = compiled;
  const size = program.input === null ? 0 : program.values[program.input].size;
  const rng = deriveRng(seed, 'walkthrough', 'input');
  return Array.from({ length: steps }, () => Float64Array.from({ length: size }, () => rng.uniform(-1, 1)));
}

/** Every node's value at the last step of `xs`, in the order the step computes them (see the file's comment). */
export function walkThroughStep(compiled: Compiled, params: Parameters, xs: readonly Float64Array[]): Reveal[] {
  if (xs.length === 0) return [];
  const { program, shaped } = compiled;
  const values = forward(program, params, xs, 1).tape.values[xs.length - 1];
  const withRole = (role: RevealRole) => shaped.order.filter((id) => shaped.nodes.get(id)?.def.role === role);
  const stateValue = new Map(program.states.map((s) => [s.nodeId, values[s.prev]]));
  return [
    ...withRole('state').map((nodeId) => ({ nodeId, role: 'state' as const, value: stateValue.get(nodeId) as Float64Array })),
    ...(program.input === null ? [] : withRole('input').map((nodeId) => ({ nodeId, role: 'input' as const, value: values[program.input as number] }))),
    ...program.ops.map((op) => ({ nodeId: op.nodeId, role: 'op' as const, value: values[op.result] })),
    ...withRole('output').map((nodeId) => ({ nodeId, role: 'output' as const, value: values[program.output] })),
  ];
}
