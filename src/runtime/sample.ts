/**
 * Using a trained character model: the keyboard's next-character guesses for a
 * prefix, and generation (one-to-many: each sampled character is fed back in).
 */
import type { Compiled } from '../compiler';
import { softmax } from './loss';
import { readoutForward, type ModelParameters } from './model';
import { forward } from './reference';
import type { Rng } from './rng';

export interface Guess {
  readonly char: string;
  readonly probability: number;
}

/** `char` and `position` say which character the vocabulary lacks, for a message in any language. */
export type Encoded = { readonly ids: number[] } | { readonly error: string; readonly char: string; readonly position: number };

/** Character ids of `text`, or an error naming the first character the vocabulary lacks. */
export function encodeText(vocabulary: readonly string[], text: string): Encoded {
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  const ids: number[] = [];
  let position = 0;
  for (const ch of text) {
    const id = index.get(ch);
    if (id === undefined) return { error: `the character ${JSON.stringify(ch)} at position ${position} is not in the model's vocabulary`, char: ch, position };
    ids.push(id);
    position += 1;
  }
  return { ids };
}

function oneHot(id: number, size: number): Float64Array {
  const x = new Float64Array(size);
  x[id] = 1;
  return x;
}

/** A prefix run through the cell: the readout's logits for the next character, and the states after it. */
export interface PrefixRead {
  readonly logits: Float64Array;
  readonly states: readonly Float64Array[];
}

/**
 * Runs a non-empty prefix through the cell. The keyboard reads a prefix once for its guesses and
 * its completion at any temperature (each read of 200 characters at hidden 128 costs ≈ 0.1 s).
 */
export function readPrefix(compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[]): PrefixRead {
  const run = forward(compiled.program, params.cell, ids.map((id) => oneHot(id, vocabulary.length)), 1);
  const last = run.outputs[run.outputs.length - 1];
  return { logits: readoutForward(params.readout, last, 1), states: run.finalStates };
}

/** The k most likely next characters after a non-empty prefix, most likely first. */
export function nextCharacters(
  compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[], k: number,
  read: PrefixRead = readPrefix(compiled, params, vocabulary, ids),
): Guess[] {
  return Array.from(softmax(read.logits, 1), (probability, i) => ({ char: vocabulary[i], probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

/** Samples `length` characters after the prefix at the given temperature, optionally from the top k only. */
export function sampleText(
  compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[],
  options: { length: number; temperature: number; topK?: number; rng: Rng; read?: PrefixRead },
): string {
  const stream = sampled(compiled, params, vocabulary, ids, options);
  let text = '';
  for (let i = 0; i < options.length; i++) text += vocabulary[stream.next().value];
  return text;
}

/**
 * `count` names, each sampled from a fresh start after the end mark `end` (default a newline, as in
 * the dinosaurs task) up to the next end mark, or cut at `maxLength` characters.
 */
export function sampleNames(
  compiled: Compiled, params: ModelParameters, vocabulary: readonly string[],
  options: { count: number; maxLength: number; temperature: number; rng: Rng; end?: string },
): string[] {
  const end = vocabulary.indexOf(options.end ?? '\n');
  if (end < 0) throw new RangeError(`the vocabulary has no ${JSON.stringify(options.end ?? '\n')} to end a name`);
  return Array.from({ length: options.count }, () => {
    const stream = sampled(compiled, params, vocabulary, [end], options);
    let name = '';
    for (let i = 0; i < options.maxLength; i++) {
      const id = stream.next().value;
      if (id === end) break;
      name += vocabulary[id];
    }
    return name;
  });
}

/** Character ids drawn one after another after the prefix, each fed back in (endless: the caller stops). */
function* sampled(
  compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[],
  options: { temperature: number; topK?: number; rng: Rng; read?: PrefixRead },
): Generator<number, never> {
  const read = options.read ?? readPrefix(compiled, params, vocabulary, ids);
  let states = read.states;
  let probabilities = softmax(read.logits, options.temperature);
  for (;;) {
    const id = draw(probabilities, options.rng, options.topK);
    yield id;
    const run = forward(compiled.program, params.cell, [oneHot(id, vocabulary.length)], 1, states);
    states = run.finalStates;
    probabilities = softmax(readoutForward(params.readout, run.outputs[0], 1), options.temperature);
  }
}

function draw(probabilities: Float64Array, rng: Rng, topK?: number): number {
  let candidates = Array.from(probabilities, (p, i) => ({ p, i }));
  if (topK !== undefined && topK > 0) candidates = candidates.sort((a, b) => b.p - a.p).slice(0, topK);
  const total = candidates.reduce((s, c) => s + c.p, 0);
  let u = rng.next() * total;
  for (const c of candidates) {
    u -= c.p;
    if (u <= 0) return c.i;
  }
  return candidates[candidates.length - 1].i;
}
