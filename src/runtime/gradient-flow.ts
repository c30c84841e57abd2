/**
 * How the gradient travels back through time (the vanishing-gradient picture): for a
 * batch of the adding problem, the loss at the last step only, ‖∂L/∂h_t‖ of each state
 * at every t. An Elman RNN's curve collapses towards t = 0; an LSTM's stays up.
 */
import type { Compiled } from '../compiler';
import { initModel, readoutBackward, type ModelParameters, type Readout } from './model';
import { backward, forward } from './reference';
import { createRng } from './rng';
import { scoreStep } from './train';
import type { Task } from './tasks/types';

export interface GradientFlow {
  /** t = 0 … T−2: ‖∂L/∂h_t‖ is the gradient reaching the state written at step t (the loss is at step T − 1). */
  readonly steps: number[];
  /** Per state, the norm over the batch and the units at each t. */
  readonly norms: number[][];
}

/** `task` must score its last step (the adding problem does); `params` default to the seed's initial ones. */
export function gradientFlow(compiled: Compiled, task: Task, length: number, seed: number, params?: ModelParameters, batch = 32): GradientFlow {
  const model = params ?? initModel(compiled, task.outputSize, seed);
  const data = task.trainBatch(createRng(seed), batch, length);
  const run = forward(compiled.program, model.cell, data.xs, batch);
  const grads: Readout = { W: new Float64Array(model.readout.W.length), b: new Float64Array(model.readout.b.length) };
  const gradOutputs = run.outputs.map((y, t) => {
    const target = t === length - 1 ? data.targets[t] : null;
    if (!target) return new Float64Array(y.length);
    return readoutBackward(model.readout, y, scoreStep(model.readout, y, target, batch, task.outputSize).grad, batch, grads);
  });
  // Passing step t, the sweep holds ∂L/∂h_{t−1}, the state written at step t − 1 (t − 1 = −1: the initial state).
  const norms = compiled.program.states.map(() => new Array<number>(length - 1).fill(0));
  backward(compiled.backward, model.cell, run.tape, gradOutputs, undefined, (t, carried) => {
    if (t > 0) carried.forEach((g, i) => (norms[i][t - 1] = Math.hypot(...g)));
  });
  return { steps: Array.from({ length: length - 1 }, (_, t) => t), norms };
}

/** The gradient-flow study's settings (src/train/flow-study.ts; the app shows the same "before"). */
export const FLOW_STUDY_DEFAULTS = { length: 50, hidden: 16, steps: 600, seed: 1 } as const;

/**
 * The study's measure: ‖∂L/∂a_t‖ of the state that y_t reads (the hidden state a_t; for the
 * LSTM not the cell state c_t), on a batch drawn from seed + 1 (never trained on); by default
 * at the initial parameters a trainer with `seed` starts from.
 */
export function hiddenStateFlow(compiled: Compiled, task: Task, length: number, seed: number, params = initModel(compiled, task.outputSize, seed)): number[] {
  const { states, output } = compiled.program;
  const hidden = Math.max(0, states.findIndex((s) => s.next === output));
  return gradientFlow(compiled, task, length, seed + 1, params).norms[hidden];
}
