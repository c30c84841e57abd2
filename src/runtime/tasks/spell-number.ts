/**
 * Spell a number in Spanish, character by character: the one-to-many shape (one
 * input, then a sequence of outputs). 42 → "cuarenta y dos".
 *
 * - Numbers: 0 to `upTo` (default 999), spelled by spellSpanish.
 * - Vocabulary (SPELL_VOCABULARY): the distinct characters of the spellings of
 *   0..999, plus the end mark SPELL_END ("\n"), sorted by code point; the same
 *   whatever `upTo`, so a model's sizes do not depend on it.
 * - Inputs (SPELL_DIGITS + vocabulary wide): step 0 reads the number, one-hot
 *   hundreds, tens and units digits (three 1s in the first 30 columns); step t ≥ 1
 *   reads the character the spelling has at t − 1, one-hot in the vocabulary columns
 *   (teacher forcing: the cell is fed the right previous character, as a trained cell
 *   is fed its own choice when it spells; see src/runtime/spell.ts). Steps after the
 *   end mark read zeros.
 * - Targets (softmax over the vocabulary, cross-entropy in nats): the spelling's
 *   characters at steps 0..n − 1, the end mark at step n, nothing (null) after it.
 * - Length: fixed, the longest spelling + 1 (33 for 0..999: "cuatrocientos cincuenta y
 *   cuatro"). Targets are nulled per step for the whole batch, so every batch holds
 *   numbers whose spellings have the same length (bucketing): no row is scored on padding.
 * - Split: a fixed shuffle (deriveRng(VALIDATION_SEED, 'validation', 'spell-number'))
 *   holds round(10 %) of the numbers out for validation; training draws from the rest.
 * - trainBatch(rng, batch, L): one rng.next() picks a training number; its spelling
 *   length picks the bucket; each further row is one rng.next() uniform in that bucket.
 * - validationBatches(batch, L): the validation numbers by spelling length (then by
 *   value), each length's numbers in batches of at most `batch` rows. Cached.
 * - baseline: a model without memory sees the digits at step 0 (they fix the first
 *   character: loss 0) and afterwards only the previous character: the bigram model.
 */
import { deriveRng, type Rng } from '../rng';
import { buildTask, optionsError, wholeNumberError, VALIDATION_SEED, type TaskError } from './errors';
import { SPANISH_NUMBER_MAX, spellSpanish } from './spanish-numbers';
import type { Batch, Target, Task, TaskInfo } from './types';

export interface SpellNumberOptions {
  /** The largest number spelled: 9 to 999, default 999. */
  readonly upTo?: number;
}

/** The mark that ends every spelling. */
export const SPELL_END = '\n';
/** Input columns that hold the number: one-hot hundreds, tens and units digits. */
export const SPELL_DIGITS = 30;
/** Share of the numbers held out for validation. */
export const SPELL_VALIDATION_FRACTION = 0.1;
export const SPELL_MIN_UP_TO = 9;

const ALL_SPELLINGS = Array.from({ length: SPANISH_NUMBER_MAX + 1 }, (_, n) => spellSpanish(n));

/** Symbol of each class id: the spellings' characters and the end mark, by code point. */
export const SPELL_VOCABULARY: readonly string[] = Object.freeze(
  [...new Set([SPELL_END, ...ALL_SPELLINGS.join('')])].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number)),
);
export const SPELL_INPUT_SIZE = SPELL_DIGITS + SPELL_VOCABULARY.length;
/** The longest spelling of 0..999 plus its end mark: the most characters a model is asked to write. */
export const SPELL_MAX_STEPS = Math.max(...ALL_SPELLINGS.map((s) => s.length)) + 1;

const ID_OF = new Map(SPELL_VOCABULARY.map((c, i) => [c, i]));
export const SPELL_END_ID = ID_OF.get(SPELL_END) as number;

/** Step 0's input for `n` (0 to 999): its three digits, one-hot. */
export function numberInput(n: number): Float64Array {
  const x = new Float64Array(SPELL_INPUT_SIZE);
  writeDigits(x, 0, n);
  return x;
}

/** The input that feeds class id `id` back to the cell. */
export function characterInput(id: number): Float64Array {
  if (!(Number.isInteger(id) && id >= 0 && id < SPELL_VOCABULARY.length)) throw new RangeError(`class id ${id} is outside the vocabulary`);
  const x = new Float64Array(SPELL_INPUT_SIZE);
  x[SPELL_DIGITS + id] = 1;
  return x;
}

/** Class ids of n's spelling followed by the end mark. */
export function spellingIds(n: number): number[] {
  return [...spellSpanish(n), SPELL_END].map((c) => ID_OF.get(c) as number);
}

function writeDigits(x: Float64Array, at: number, n: number): void {
  x[at + Math.floor(n / 100)] = 1;
  x[at + 10 + (Math.floor(n / 10) % 10)] = 1;
  x[at + 20 + (n % 10)] = 1;
}

export interface SpellNumberExtras {
  /** The numbers training draws from and the held-out ones, each ascending. */
  readonly trainNumbers: readonly number[];
  readonly validationNumbers: readonly number[];
}

export type SpellNumberTask = Task & SpellNumberExtras;

/** Numbers grouped by the length of their spelling (with its end mark). */
function byLength(numbers: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const n of numbers) {
    const length = spellSpanish(n).length + 1;
    const group = groups.get(length);
    if (group) group.push(n);
    else groups.set(length, [n]);
  }
  return groups;
}

/**
 * The batch whose row b spells numbers[b]; every spelling must have the same length,
 * and the batch is `length` steps long (steps after the end mark are not scored).
 */
function spellingBatch(numbers: readonly number[], length: number): Batch {
  const rows = numbers.length;
  const ids = numbers.map(spellingIds);
  const written = ids[0].length;
  if (ids.some((s) => s.length !== written) || written > length) throw new Error('spellingBatch: spellings of one length, at most `length` steps');
  const xs = Array.from({ length }, () => new Float64Array(rows * SPELL_INPUT_SIZE));
  const targets: (Target | null)[] = Array.from({ length }, () => null);
  for (let t = 0; t < written; t++) targets[t] = { kind: 'classes', labels: Int32Array.from(ids, (s) => s[t]) };
  ids.forEach((s, b) => {
    writeDigits(xs[0], b * SPELL_INPUT_SIZE, numbers[b]);
    for (let t = 1; t < written; t++) xs[t][b * SPELL_INPUT_SIZE + SPELL_DIGITS + s[t - 1]] = 1;
  });
  return { xs, targets };
}

/** The task, or a TaskError naming `upTo` (or `options`). */
export function createSpellNumberTask(options: SpellNumberOptions = {}): SpellNumberTask | TaskError {
  const bad = optionsError('spell-number', options, ['upTo']);
  if (bad) return bad;
  const upTo = options.upTo ?? SPANISH_NUMBER_MAX;
  const badUpTo = wholeNumberError('upTo', upTo, SPELL_MIN_UP_TO, SPANISH_NUMBER_MAX);
  if (badUpTo) return badUpTo;

  const shuffled = Array.from({ length: upTo + 1 }, (_, n) => n);
  const rng = deriveRng(VALIDATION_SEED, 'validation', 'spell-number');
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const held = Math.max(1, Math.round(SPELL_VALIDATION_FRACTION * shuffled.length));
  const validationNumbers = Object.freeze(shuffled.slice(0, held).sort((a, b) => a - b));
  const trainNumbers = Object.freeze(shuffled.slice(held).sort((a, b) => a - b));
  const trainGroups = byLength(trainNumbers);
  const validationGroups = [...byLength(validationNumbers)].sort(([a], [b]) => a - b).map(([, numbers]) => numbers);
  const length = Math.max(...shuffled.map((n) => spellSpanish(n).length)) + 1;

  const info: TaskInfo = {
    name: 'spell-number',
    description:
      `Spell a number in Spanish (one-to-many): at step 0 the cell reads a number from 0 to ${upTo}, its ` +
      'hundreds, tens and units digits one-hot, and the readout writes its spelling one character per ' +
      'step (42 → "cuarenta y dos"), then an end mark; from step 1 the input is the previous character ' +
      `of the spelling, one-hot over the ${SPELL_VOCABULARY.length} symbols. Softmax over the same symbols, ` +
      `cross-entropy in nats; ${length} steps, those after the end mark not scored. ${validationNumbers.length} ` +
      'numbers are held out: the cell must learn the rules (veintidós, treinta y uno, cien but ciento uno, ' +
      'quinientos), not a list. It is hard because the digits are read once and must be carried, in order, ' +
      'until each part of the spelling is written.',
    inputSize: SPELL_INPUT_SIZE,
    outputSize: SPELL_VOCABULARY.length,
    loss: 'cross-entropy',
    shape: 'one-to-many',
    baseline: bigramBaseline(trainNumbers, validationGroups),
  };

  const base = buildTask({
    info,
    lengths: { min: length, max: length },
    generate: (draw: Rng, batch: number, steps: number) => {
      const first = trainNumbers[Math.floor(draw.next() * trainNumbers.length)];
      const bucket = trainGroups.get(spellSpanish(first).length + 1) as number[];
      const rows = [first, ...Array.from({ length: batch - 1 }, () => bucket[Math.floor(draw.next() * bucket.length)])];
      return spellingBatch(rows, steps);
    },
  });
  const validation = new Map<number, readonly Batch[]>();
  return Object.freeze({
    ...base,
    trainNumbers,
    validationNumbers,
    validationBatches(batch: number, steps: number): readonly Batch[] {
      const badShape = base.checkShape(batch, steps);
      if (badShape) throw new Error(`spell-number task: ${badShape.error}`);
      let batches = validation.get(batch);
      if (!batches) {
        batches = Object.freeze(validationGroups.flatMap((group) =>
          Array.from({ length: Math.ceil(group.length / batch) }, (_, k) => spellingBatch(group.slice(k * batch, (k + 1) * batch), steps))));
        validation.set(batch, batches);
      }
      return batches;
    },
  });
}

/**
 * The memoryless model's loss, averaged as the trainer's validation loss is (each scored
 * step of each validation batch, a mean over its rows, weighs the same) with whole
 * length groups as batches (as long as no group is larger than the batch).
 */
function bigramBaseline(trainNumbers: readonly number[], validationGroups: readonly (readonly number[])[]): TaskInfo['baseline'] {
  const V = SPELL_VOCABULARY.length;
  const counts = Array.from({ length: V }, () => new Float64Array(V));
  for (const n of trainNumbers) {
    const ids = spellingIds(n);
    for (let t = 1; t < ids.length; t++) counts[ids[t - 1]][ids[t]]++;
  }
  const totals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  let sum = 0;
  let steps = 0;
  for (const group of validationGroups) {
    const spellings = group.map(spellingIds);
    steps += 1; // step 0: the digits give the first character, loss 0
    for (let t = 1; t < spellings[0].length; t++) {
      const step = spellings.reduce((s, ids) => s - Math.log((counts[ids[t - 1]][ids[t]] + 1) / (totals[ids[t - 1]] + V)), 0);
      sum += step / spellings.length;
      steps += 1;
    }
  }
  const loss = sum / steps;
  return {
    loss,
    explanation:
      `${loss.toFixed(4)} nats per step: a model without memory reads the digits at step 0, which fix the ` +
      'first character (loss 0), and from then on only the previous character, so the best it can do is ' +
      'the bigram model: p(next | previous) from the training spellings with add-one smoothing, ' +
      `(count + 1) / (count of previous + ${V}). Scored on the held-out numbers, each scored step of each ` +
      'length group weighing the same, as the validation loss does. It cannot know which number it is ' +
      'spelling after step 0, so "veinti" is followed by any unit and "ciento" by any tens.',
  };
}
