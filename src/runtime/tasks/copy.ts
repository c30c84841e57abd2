/**
 * The copy-memory task of Arjovsky, Shah & Bengio (2016), after Hochreiter &
 * Schmidhuber (1997).
 *
 * Symbols: 0 blank, 1..8 data, 9 delimiter; each input is a one-hot of 10.
 * A sequence with delay T has length T + 20 (0-based steps):
 * - steps 0..9: ten data symbols, each uniform over 1..8;
 * - steps 10..T+8: blanks (T − 1 of them; none when T = 1);
 * - step T+9: the delimiter;
 * - steps T+10..T+19: blanks.
 * Targets (cross-entropy over 9 classes, 0..8, at every step): blank (class 0)
 * at steps 0..T+9, then at step T+10+i the data symbol read at step i.
 */
import { show } from '../../model/messages';
import type { Rng } from '../rng';
import { buildTask, MAX_LENGTH, optionsError, taskError, wholeNumberError, zeroSteps, type TaskError } from './errors';
import type { Batch, Task, TaskInfo } from './types';

export interface CopyOptions {
  /** T: steps from the last data symbol to the delimiter. Default 100. */
  readonly delay?: number;
}

export const COPY_BLANK = 0;
export const COPY_DELIMITER = 9;
/** Data symbols are 1..COPY_SYMBOLS. */
export const COPY_SYMBOLS = 8;
/** How many symbols are copied. */
export const COPY_SPAN = 10;
export const COPY_DEFAULT_DELAY = 100;
export const COPY_MAX_DELAY = MAX_LENGTH - 2 * COPY_SPAN;

/** The sequence length for a delay: T + 20. */
export const copyLength = (delay: number): number => delay + 2 * COPY_SPAN;
/** The 0-based step that holds the delimiter: T + 9. */
export const copyDelimiterStep = (delay: number): number => delay + COPY_SPAN - 1;

export function createCopyTask(options: CopyOptions = {}): Task | TaskError {
  const bad = optionsError('copy', options, ['delay']);
  if (bad) return bad;
  const delay = options.delay === undefined ? COPY_DEFAULT_DELAY : options.delay;
  const badDelay = wholeNumberError('delay', delay, 1, COPY_MAX_DELAY);
  if (badDelay) return badDelay;
  const length = copyLength(delay);
  const info: TaskInfo = {
    name: 'copy',
    description:
      `The copy-memory task (Arjovsky, Shah & Bengio 2016, "Unitary Evolution Recurrent Neural ` +
      `Networks", after Hochreiter & Schmidhuber 1997) with delay T = ${delay}. Each step reads a ` +
      `one-hot of 10 symbols (0 blank, 1–8 data, 9 delimiter). A sequence of T + 20 = ${length} steps ` +
      `opens with 10 random data symbols, then T − 1 blanks, the delimiter, and 10 more blanks. The ` +
      `readout classifies every step over symbols 0–8: blank until the delimiter has been read, then ` +
      `the 10 data symbols in the order they came. It is hard because the cell must hold 30 bits ` +
      `(10 symbols of 3 bits) unchanged across T steps in which nothing happens, and know when to ` +
      `release them.`,
    inputSize: 10,
    outputSize: 9,
    loss: 'cross-entropy',
    shape: 'many-to-many',
    baseline: {
      loss: (COPY_SPAN * Math.log(COPY_SYMBOLS)) / length,
      explanation:
        `10 · ln 8 / (T + 20) = ${((COPY_SPAN * Math.log(COPY_SYMBOLS)) / length).toFixed(4)} nats per step, ` +
        `the baseline of Arjovsky et al. (2016): predict blank (loss 0) for the first T + 10 steps and ` +
        `a uniform guess over the 8 data symbols (loss ln 8) for the last 10, averaged over T + 20 ` +
        `steps. That strategy remembers no symbol, but it does need to know where it is in the ` +
        `sequence (a clock); a model that sees only the current input cannot tell the blanks before ` +
        `the delimiter from those after it and does a little worse.`,
    },
  };
  return buildTask({
    info,
    lengths: { min: length, max: length },
    lengthError: (got) => taskError('length', { problem: 'copy-length', length, delay, span: 2 * COPY_SPAN, got: show(got) }),
    generate: (rng, batch, steps) => generate(rng, batch, steps, delay),
  });
}

function generate(rng: Rng, batch: number, length: number, delay: number): Batch {
  const width = COPY_DELIMITER + 1;
  const xs = zeroSteps(length, batch * width);
  const labels = Array.from({ length }, () => new Int32Array(batch)); // all blank
  const delimiter = copyDelimiterStep(delay);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < COPY_SPAN; i++) {
      const symbol = 1 + Math.floor(rng.next() * COPY_SYMBOLS);
      xs[i][b * width + symbol] = 1;
      labels[delimiter + 1 + i][b] = symbol;
    }
    for (let t = COPY_SPAN; t < length; t++) xs[t][b * width + (t === delimiter ? COPY_DELIMITER : COPY_BLANK)] = 1;
  }
  return { xs, targets: labels.map((l) => ({ kind: 'classes', labels: l })) };
}
