/**
 * The adding problem, two-channel variant of Le, Jaitly & Hinton (2015), after
 * Hochreiter & Schmidhuber (1997).
 *
 * Layout of one sequence of length L (input size 2, row-major per step):
 * - channel 0: a value drawn from U[0, 1) at every step;
 * - channel 1: a marker, 1 at exactly two steps, 0 elsewhere. The first marked
 *   step is uniform in the first half [0, ⌊L/2⌋), the second uniform in the
 *   second half [⌊L/2⌋, L).
 * The target, scored at the last step only (MSE, one value), is the sum of the
 * two marked values; every other step's target is null.
 */
import type { Rng } from '../rng';
import { buildTask, MAX_LENGTH, optionsError, zeroSteps, type TaskError } from './errors';
import type { Batch, Target, Task, TaskInfo } from './types';

/** The adding task takes no options; `{}` (or nothing) is the only valid value. */
export type AddingOptions = Readonly<Record<string, never>>;

export const ADDING_MIN_LENGTH = 2;

const INFO: TaskInfo = {
  name: 'adding',
  description:
    'The adding problem (Le, Jaitly & Hinton 2015, "A Simple Way to Initialize Recurrent Networks of ' +
    'Rectified Linear Units", after Hochreiter & Schmidhuber 1997). Each step reads two inputs: a ' +
    'value drawn uniformly from [0, 1] and a marker that is 1 at exactly two steps (one uniformly ' +
    'placed in the first half of the sequence, one in the second half) and 0 elsewhere. After the ' +
    'last step the readout must output the sum of the two marked values (one number, mean squared ' +
    'error); no other step is scored. It is hard because the cell must pick two values out of a long ' +
    'stream of distractors, hold the first across up to the whole sequence, and add them, with the ' +
    'only error signal arriving at the end.',
  inputSize: 2,
  outputSize: 1,
  loss: 'mse',
  shape: 'many-to-one',
  baseline: {
    loss: 1 / 6,
    explanation:
      'Always predicting 1, the mean of the target, scores E[(U₁ + U₂ − 1)²] = Var(U₁ + U₂) = ' +
      '2 · 1/12 = 1/6 ≈ 0.1667, the conventional baseline of Le et al. (2015): the two marked values ' +
      'are independent U[0, 1], each of variance 1/12, and no constant does better. A model without ' +
      'memory reads only the last step, which helps only when that step is itself marked ' +
      '(probability 1/⌈L/2⌉; it then predicts value + 0.5 and scores 1/12 there), so its loss is ' +
      '1/6 − 1/(12⌈L/2⌉): within 1/(6L) of 1/6.',
  },
};

export function createAddingTask(options: AddingOptions = {}): Task | TaskError {
  const bad = optionsError('adding', options, []);
  if (bad) return bad;
  return buildTask({ info: INFO, lengths: { min: ADDING_MIN_LENGTH, max: MAX_LENGTH }, generate });
}

function generate(rng: Rng, batch: number, length: number): Batch {
  const xs = zeroSteps(length, batch * 2);
  const sums = new Float64Array(batch);
  const half = Math.floor(length / 2);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) xs[t][b * 2] = rng.next();
    const first = Math.floor(rng.next() * half);
    const second = half + Math.floor(rng.next() * (length - half));
    xs[first][b * 2 + 1] = 1;
    xs[second][b * 2 + 1] = 1;
    sums[b] = xs[first][b * 2] + xs[second][b * 2];
  }
  const targets: (Target | null)[] = new Array<Target | null>(length).fill(null);
  targets[length - 1] = { kind: 'values', values: sums };
  return { xs, targets };
}
