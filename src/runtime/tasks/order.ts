/**
 * The temporal-order task of Hochreiter & Schmidhuber (1997), experiment 6a.
 *
 * Symbols (one-hot of 8, in this order): a, b, c, d (distractors), X, Y,
 * B (begin), E (end). A sequence of length L (≥ 20) is B at step 0, E at step
 * L − 1, and distractors (uniform over a..d) elsewhere, except at two steps:
 * t1, uniform in [round(0.1L), round(0.2L)], and t2, uniform in
 * [round(0.5L), round(0.6L)] (round = Math.round; both clamped to [1, L − 2]),
 * each holding X or Y with probability 1/2. The class, scored at the last step
 * only (cross-entropy over 4), is XX = 0, XY = 1, YX = 2, YY = 3: the symbol at
 * t1 is the high bit, the one at t2 the low bit.
 */
import type { Rng } from '../rng';
import { buildTask, MAX_LENGTH, optionsError, zeroSteps, type TaskError } from './errors';
import type { Batch, Target, Task, TaskInfo } from './types';

/** The order task takes no options; `{}` (or nothing) is the only valid value. */
export type OrderOptions = Readonly<Record<string, never>>;

export const ORDER_SYMBOLS = ['a', 'b', 'c', 'd', 'X', 'Y', 'B', 'E'] as const;
export const ORDER_CLASSES = ['XX', 'XY', 'YX', 'YY'] as const;
export const ORDER_MIN_LENGTH = 20;
const DISTRACTORS = 4;
const X = 4;
const Y = 5;
const BEGIN = 6;
const END = 7;

/** Inclusive ranges of the two relevant steps for a sequence length. */
export function orderPositions(length: number): { readonly t1: readonly [number, number]; readonly t2: readonly [number, number] } {
  const clamp = (t: number) => Math.min(length - 2, Math.max(1, t));
  return {
    t1: [clamp(Math.round(0.1 * length)), clamp(Math.round(0.2 * length))],
    t2: [clamp(Math.round(0.5 * length)), clamp(Math.round(0.6 * length))],
  };
}

const INFO: TaskInfo = {
  name: 'order',
  description:
    'The temporal-order task (Hochreiter & Schmidhuber 1997, "Long Short-Term Memory", experiment ' +
    '6a). Each step reads a one-hot of 8 symbols: distractors a–d, the relevant symbols X and Y, and ' +
    'begin/end markers B and E. A sequence starts with B, ends with E and is filled with random ' +
    'distractors, except for two steps, one between 10% and 20% of the way in and one between 50% and ' +
    '60%, that each hold X or Y. At the last step the readout classifies the sequence as XX, XY, YX or ' +
    'YY (cross-entropy over 4 classes); no other step is scored. It is hard because the cell must ' +
    'store two symbols in the order they came, ignore many distractors between and after them, and ' +
    'report only at the end, so the learning signal has to travel back across most of the sequence.',
  inputSize: ORDER_SYMBOLS.length,
  outputSize: ORDER_CLASSES.length,
  loss: 'cross-entropy',
  shape: 'many-to-one',
  baseline: {
    loss: Math.log(4),
    explanation:
      'ln 4 ≈ 1.3863 nats: at the scored (last) step the input is always E, so a model without ' +
      'memory can do no better than the class frequencies, which are uniform over the four classes ' +
      '(each relevant symbol is X or Y with probability 1/2, independently).',
  },
};

export function createOrderTask(options: OrderOptions = {}): Task | TaskError {
  const bad = optionsError('order', options, []);
  if (bad) return bad;
  return buildTask({ info: INFO, lengths: { min: ORDER_MIN_LENGTH, max: MAX_LENGTH }, generate });
}

function generate(rng: Rng, batch: number, length: number): Batch {
  const width = ORDER_SYMBOLS.length;
  const xs = zeroSteps(length, batch * width);
  const labels = new Int32Array(batch);
  const { t1: [lo1, hi1], t2: [lo2, hi2] } = orderPositions(length);
  const pick = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));
  for (let b = 0; b < batch; b++) {
    const t1 = pick(lo1, hi1);
    const t2 = pick(lo2, hi2);
    const s1 = rng.next() < 0.5 ? X : Y;
    const s2 = rng.next() < 0.5 ? X : Y;
    labels[b] = 2 * (s1 === Y ? 1 : 0) + (s2 === Y ? 1 : 0);
    for (let t = 0; t < length; t++) {
      let symbol: number;
      if (t === 0) symbol = BEGIN;
      else if (t === length - 1) symbol = END;
      else if (t === t1) symbol = s1;
      else if (t === t2) symbol = s2;
      else symbol = Math.floor(rng.next() * DISTRACTORS);
      xs[t][b * width + symbol] = 1;
    }
  }
  const targets: (Target | null)[] = new Array<Target | null>(length).fill(null);
  targets[length - 1] = { kind: 'classes', labels };
  return { xs, targets };
}
