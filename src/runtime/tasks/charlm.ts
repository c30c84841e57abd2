/**
 * Character-level language model on any text (Karpathy's char-rnn task): at
 * each step the cell reads one character, one-hot, and the readout predicts the
 * next one (softmax over the vocabulary, cross-entropy in nats, every step scored).
 *
 * - Vocabulary: the distinct Unicode code points of the whole text, sorted by
 *   code point (for…of iteration, so an emoji or other astral character is one
 *   symbol, not two UTF-16 halves); at most CHARLM_MAX_VOCABULARY.
 * - Split: the first N − round(f·N) characters train, the last round(f·N) validate
 *   (f = validationFraction, default 0.1); each split needs CHARLM_MIN_SPLIT_CHARS.
 *   (The dinosaurs task splits at the start of a name instead: createDinosaurTask.)
 * - trainBatch(rng, batch, L): `batch` windows of L + 1 consecutive training
 *   characters, each start uniform (one rng.next() per sequence, in order);
 *   step t inputs character t and is scored on character t + 1.
 * - validationBatches(batch, L): deterministic windows of L + 1 validation
 *   characters, evenly spaced over the split (disjoint inputs when the split is
 *   long enough), packed into up to CHARLM_VALIDATION_BATCHES batches; window
 *   i = k·batch + b is row b of batch k. Cached: every call returns the same array.
 * - baseline: the unigram model — training-split character frequencies with
 *   add-one smoothing — scored on every validation character.
 *
 * `encode` reports an unknown character as a TaskError (field `text`) naming it
 * and its position, counted in characters (code points), not UTF-16 units.
 */
import { show } from '../../model/messages';
import { deriveRng, type Rng } from '../rng';
import { DINOSAUR_NAMES } from './dinosaur-names';
import { MAX_BATCH, MAX_LENGTH, optionsError, taskError, wholeNumberError, numberError, VALIDATION_SEED, type TaskError } from './errors';
import { generateSpanishCorpus, SPANISH_CORPUS_SENTENCES } from './spanish-corpus';
import type { Batch, Target, Task, TaskInfo } from './types';

export interface CharLmOptions {
  /** Share of the text, at its end, kept for validation: 0.01 to 0.5, default 0.1. */
  readonly validationFraction?: number;
}

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const MIN_VALIDATION_FRACTION = 0.01;
export const MAX_VALIDATION_FRACTION = 0.5;
/** Shortest text accepted, in characters (code points). */
export const CHARLM_MIN_CHARS = 200;
/** Fewest characters in each split. */
export const CHARLM_MIN_SPLIT_CHARS = 20;
/** Most distinct characters (the one-hot input and softmax size). */
export const CHARLM_MAX_VOCABULARY = 256;
/** Longest text accepted: 50 MB (50 × 2²⁰ bytes) of UTF-8. */
export const CHARLM_MAX_BYTES = 50 * 1024 * 1024;
/** Most batches `validationBatches` returns. */
export const CHARLM_VALIDATION_BATCHES = 8;

export interface CharLmExtras {
  /** Symbol of each class id: distinct characters sorted by code point. */
  readonly vocabulary: readonly string[];
  /** Characters in the training split (the first ones) and the validation split (the rest). */
  readonly trainChars: number;
  readonly validationChars: number;
  /** Sequence lengths accepted: 1 to min(MAX_LENGTH, validationChars − 1). */
  readonly lengths: { readonly min: number; readonly max: number };
  /** Null when trainBatch / validationBatches accept (batch, length), else a TaskError for `batch` or `length`. */
  checkShape(batch: number, length: number): TaskError | null;
  /** Class ids of `text`'s characters, or a TaskError (field `text`) naming the first unknown character and its position. */
  encode(text: string): Int32Array | TaskError;
  /** The characters of class ids; throws RangeError for an id outside the vocabulary. */
  decode(ids: ArrayLike<number>): string;
  /** [ids.length × vocabulary] one-hot rows, row-major; throws RangeError for an id outside the vocabulary. */
  oneHot(ids: Int32Array): Float64Array;
  /** Nats to bits: n / ln 2. */
  natsToBits(nats: number): number;
}

export type CharLmTask = Task & CharLmExtras;

export const natsToBits = (nats: number): number => nats / Math.LN2;

function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

function showChar(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  return `${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

interface Naming {
  readonly name: string;
  readonly describe: (chars: number, vocabulary: number) => string;
}

const GENERIC: Naming = {
  name: 'char-lm',
  describe: (chars, vocabulary) =>
    `Character-level language model on a text of ${chars} characters. At each step the input is one ` +
    `character, one-hot over the ${vocabulary} distinct characters of the text, and the readout must ` +
    'predict the next character (softmax over the same vocabulary, cross-entropy in nats, every step ' +
    'scored). Training windows are drawn from the start of the text, validation windows from its end. ' +
    'It is hard because the next character depends on the word being spelled and on words further ' +
    'back, so the cell has to carry context over many steps.',
};

/**
 * The character-level language-model task on `text`, or a TaskError naming the
 * bad field (`text`, `validationFraction`, `options`).
 */
export function createCharLmTask(text: string, options?: CharLmOptions): CharLmTask | TaskError {
  return makeCharLm(text, options, GENERIC);
}

/**
 * The task on the built-in Spanish corpus (generateSpanishCorpus(seed,
 * SPANISH_CORPUS_SENTENCES)), validation fraction 0.1.
 */
export function createSpanishTask(seed = 1): CharLmTask {
  const task = makeCharLm(generateSpanishCorpus(seed, SPANISH_CORPUS_SENTENCES), undefined, {
    name: 'spanish-char-lm',
    describe: (chars, vocabulary) =>
      `Character-level language model on Celda's built-in Spanish corpus (${chars} characters, ` +
      `${vocabulary} distinct, seed ${seed}): generated sentences about going places with people and ` +
      'pets, like a phone keyboard finishing "Voy al parque con mi per…". Each step inputs one ' +
      'character, one-hot, and the readout predicts the next (softmax, cross-entropy in nats, every ' +
      'step scored). It is hard because the right ending depends on words several steps back: the ' +
      'subject fixes the verb ending and the possessive (voy… con mi, van… con sus), the possessive ' +
      'fixes the noun\'s number, a pet named earlier fixes a later pronoun (una perra… y la llevo), ' +
      'and a place\'s gender fixes "al" or "a la".',
  });
  if ('error' in task) throw new Error(`spanish corpus: ${task.error}`);
  return task;
}

/** The end-of-name mark of the dinosaurs task. */
export const NAME_END = '\n';

export interface DinosaurExtras {
  /** The names in the training split and in the validation split, in the order they appear. */
  readonly trainNames: readonly string[];
  readonly validationNames: readonly string[];
}

/**
 * The tutorial's running example: a character model of dinosaur genus names (DINOSAUR_NAMES),
 * which then invents new ones. The names, shuffled by deriveRng(VALIDATION_SEED, 'validation',
 * 'dinosaurs'), each preceded by NAME_END; the last tenth of them (rounded) validate, the split
 * falling at a name's start, so both splits hold whole names:
 * "\n" + train names joined by "\n", then "\n" + validation names joined by "\n" + "\n".
 */
export function createDinosaurTask(): CharLmTask & DinosaurExtras {
  const names = [...DINOSAUR_NAMES];
  const rng = deriveRng(VALIDATION_SEED, 'validation', 'dinosaurs');
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [names[i], names[j]] = [names[j], names[i]];
  }
  const held = Math.round(DEFAULT_VALIDATION_FRACTION * names.length);
  const trainNames = Object.freeze(names.slice(0, names.length - held));
  const validationNames = Object.freeze(names.slice(names.length - held));
  const validation = NAME_END + validationNames.join(NAME_END) + NAME_END;
  const task = makeCharLm(NAME_END + trainNames.join(NAME_END) + validation, undefined, {
    name: 'dinosaurs',
    describe: (chars, vocabulary) =>
      `Invent dinosaur names: a character-level language model on ${names.length} real dinosaur genus ` +
      `names (${chars} characters, ${vocabulary} distinct: the letters and the newline that ends each ` +
      'name). Each step inputs one character, one-hot, and the readout predicts the next (softmax, ' +
      'cross-entropy in nats, every step scored). Trained, it writes new names one letter at a time, ' +
      'from a newline to the next. It is hard because a good name needs the endings dinosaur names ' +
      'share (-saurus, -raptor, -ceratops), chosen from letters several steps back, and an end that ' +
      'comes at a plausible length.',
  }, validation.length);
  if ('error' in task) throw new Error(`dinosaur names: ${task.error}`);
  return Object.freeze({ ...task, trainNames, validationNames });
}

/** `validationSplit`: how many of the text's last characters validate, instead of `options.validationFraction`. */
function makeCharLm(text: string, options: CharLmOptions | undefined, naming: Naming, validationSplit?: number): CharLmTask | TaskError {
  const badOptions = optionsError(naming.name, options, ['validationFraction']);
  if (badOptions) return badOptions;
  const fraction = options?.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const badFraction = numberError('validationFraction', fraction, MIN_VALIDATION_FRACTION, MAX_VALIDATION_FRACTION);
  if (badFraction) return badFraction;
  if (typeof text !== 'string') return taskError('text', { problem: 'text-not-a-string' });
  if (text.length === 0) return taskError('text', { problem: 'text-empty' });
  // Every UTF-16 unit is at least one UTF-8 byte, so this rejects huge texts before scanning them.
  if (text.length > CHARLM_MAX_BYTES) return tooLong(text.length, true);

  // Pass 1: distinct code points, size in characters and bytes.
  const distinct = new Set<number>();
  let chars = 0;
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    chars++;
    bytes += utf8Bytes(cp);
    distinct.add(cp);
  }
  if (bytes > CHARLM_MAX_BYTES) return tooLong(bytes, false);
  if (distinct.size > CHARLM_MAX_VOCABULARY) {
    return taskError('text', { problem: 'text-too-many-characters', distinct: distinct.size, max: CHARLM_MAX_VOCABULARY });
  }
  if (chars < CHARLM_MIN_CHARS) {
    return taskError('text', { problem: 'text-too-short', chars, min: CHARLM_MIN_CHARS });
  }
  const validationChars = validationSplit ?? Math.round(chars * fraction);
  const trainChars = chars - validationChars;
  if (validationChars < CHARLM_MIN_SPLIT_CHARS || trainChars < CHARLM_MIN_SPLIT_CHARS) {
    return taskError('validationFraction', {
      problem: 'split-too-small', fraction, chars, train: trainChars, validation: validationChars, min: CHARLM_MIN_SPLIT_CHARS,
    });
  }

  // Pass 2: class ids.
  const codePoints = [...distinct].sort((a, b) => a - b);
  const vocabulary = Object.freeze(codePoints.map((cp) => String.fromCodePoint(cp)));
  const idOf = new Map<number, number>(codePoints.map((cp, i) => [cp, i]));
  const V = vocabulary.length;
  const ids = new Int32Array(chars);
  let n = 0;
  for (const ch of text) ids[n++] = idOf.get(ch.codePointAt(0) as number) as number;
  const trainIds = ids.subarray(0, trainChars);
  const validationIds = ids.subarray(trainChars);

  const info: TaskInfo = {
    name: naming.name,
    description: naming.describe(chars, V),
    inputSize: V,
    outputSize: V,
    loss: 'cross-entropy',
    shape: 'many-to-many',
    baseline: unigramBaseline(trainIds, validationIds, vocabulary),
  };

  const lengths = Object.freeze({ min: 1, max: Math.min(MAX_LENGTH, validationChars - 1) });
  const checkShape = (batch: number, length: number): TaskError | null => {
    const bad = wholeNumberError('batch', batch, 1, MAX_BATCH);
    if (bad) return bad;
    if (wholeNumberError('length', length, lengths.min, lengths.max) === null) return null;
    return taskError('length', { problem: 'window-length', min: lengths.min, max: lengths.max, validation: validationChars, got: show(length) });
  };
  const mustFit = (batch: number, length: number): void => {
    const bad = checkShape(batch, length);
    if (bad) throw new Error(`${naming.name} task: ${bad.error}`);
  };

  const oneHot = (row: Int32Array): Float64Array => {
    const out = new Float64Array(row.length * V);
    for (let b = 0; b < row.length; b++) {
      const id = row[b];
      if (!(id >= 0 && id < V)) throw new RangeError(`class id ${id} is outside the vocabulary (0 to ${V - 1})`);
      out[b * V + id] = 1;
    }
    return out;
  };

  /** The batch whose row b is the window source[starts[b] … starts[b] + length]. */
  const windows = (source: Int32Array, starts: ArrayLike<number>, length: number): Batch => {
    const batch = starts.length;
    const xs: Float64Array[] = [];
    const targets: Target[] = [];
    const step = new Int32Array(batch);
    for (let t = 0; t < length; t++) {
      const labels = new Int32Array(batch);
      for (let b = 0; b < batch; b++) {
        step[b] = source[starts[b] + t];
        labels[b] = source[starts[b] + t + 1];
      }
      xs.push(oneHot(step));
      targets.push({ kind: 'classes', labels });
    }
    return { xs, targets };
  };

  const validation = new Map<string, readonly Batch[]>();

  const task: CharLmTask = {
    ...info,
    vocabulary,
    trainChars,
    validationChars,
    lengths,
    checkShape,
    trainBatch(rng: Rng, batch: number, length: number): Batch {
      mustFit(batch, length);
      const span = trainChars - length; // starts 0 … trainChars − length − 1
      const starts = Int32Array.from({ length: batch }, () => Math.floor(rng.next() * span));
      return windows(trainIds, starts, length);
    },
    validationBatches(batch: number, length: number): readonly Batch[] {
      mustFit(batch, length);
      const key = `${batch}x${length}`;
      let cached = validation.get(key);
      if (!cached) {
        const disjoint = Math.floor((validationChars - 1) / length);
        const count = Math.min(CHARLM_VALIDATION_BATCHES, Math.max(1, Math.floor(disjoint / batch)));
        const total = count * batch;
        const maxStart = validationChars - length - 1;
        const starts = Int32Array.from({ length: total }, (_, i) =>
          total === 1 ? 0 : Math.floor((i * maxStart) / (total - 1)));
        cached = Object.freeze(
          Array.from({ length: count }, (_, k) => windows(validationIds, starts.subarray(k * batch, (k + 1) * batch), length)),
        );
        validation.set(key, cached);
      }
      return cached;
    },
    encode(s: string): Int32Array | TaskError {
      const out: number[] = [];
      for (const ch of s) {
        const id = idOf.get(ch.codePointAt(0) as number);
        if (id === undefined) {
          return taskError('text', { problem: 'unknown-character', character: showChar(ch), position: out.length });
        }
        out.push(id);
      }
      return Int32Array.from(out);
    },
    decode(idList: ArrayLike<number>): string {
      let s = '';
      for (let i = 0; i < idList.length; i++) {
        const id = idList[i];
        if (!(Number.isInteger(id) && id >= 0 && id < V)) {
          throw new RangeError(`class id ${id} at position ${i} is outside the vocabulary (0 to ${V - 1})`);
        }
        s += vocabulary[id];
      }
      return s;
    },
    oneHot,
    natsToBits,
  };
  return Object.freeze(task);
}

/** `atLeast`: the text was refused on its length in UTF-16 units, before its bytes were counted. */
function tooLong(bytes: number, atLeast: boolean): TaskError {
  return taskError('text', { problem: 'text-too-long', bytes, atLeast, max: CHARLM_MAX_BYTES });
}

/** Unigram cross-entropy (nats) of the validation characters under add-one-smoothed training frequencies. */
function unigramBaseline(
  trainIds: Int32Array,
  validationIds: Int32Array,
  vocabulary: readonly string[],
): { readonly loss: number; readonly explanation: string } {
  const V = vocabulary.length;
  const counts = new Float64Array(V);
  for (const id of trainIds) counts[id]++;
  const denominator = trainIds.length + V;
  let total = 0;
  for (const id of validationIds) total -= Math.log((counts[id] + 1) / denominator);
  const loss = total / validationIds.length;
  const uniform = Math.log(V);
  const f = (x: number): string => x.toFixed(4);
  return {
    loss,
    explanation:
      `The unigram model, which ignores all context: it predicts every next character from the ` +
      `training split's character frequencies with add-one smoothing, p(c) = (count(c) + 1) / ` +
      `(${trainIds.length} + ${V}). Its cross-entropy over the ${validationIds.length} validation ` +
      `characters is ${f(loss)} nats = ${f(natsToBits(loss))} bits per character (guessing uniformly ` +
      `over the ${V} characters would cost ln ${V} = ${f(uniform)} nats = ${f(natsToBits(uniform))} bits).`,
  };
}
