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

/** Runs the prefix through the cell; returns the next-character distribution and the states. */
function readPrefix(compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[], temperature: number) {
  const run = forward(compiled.program, params.cell, ids.map((id) => oneHot(id, vocabulary.length)), 1);
  const last = run.outputs[run.outputs.length - 1];
  return { probabilities: softmax(readoutForward(params.readout, last, 1), temperature), states: run.finalStates };
}

/** The k most likely next characters after a non-empty prefix, most likely first. */
export function nextCharacters(compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[], k: number): Guess[] {
  const { probabilities } = readPrefix(compiled, params, vocabulary, ids, 1);
  return Array.from(probabilities, (probability, i) => ({ char: vocabulary[i], probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

/** Samples `length` characters after the prefix at the given temperature, optionally from the top k only. */
export function sampleText(
  compiled: Compiled, params: ModelParameters, vocabulary: readonly string[], ids: readonly number[],
  options: { length: number; temperature: number; topK?: number; rng: Rng },
): string {
  let { probabilities, states } = readPrefix(compiled, params, vocabulary, ids, options.temperature);
  let text = '';
  for (let i = 0; i < options.length; i++) {
    const id = draw(probabilities, options.rng, options.topK);
    text += vocabulary[id];
    const run = forward(compiled.program, params.cell, [oneHot(id, vocabulary.length)], 1, states);
    states = run.finalStates;
    probabilities = softmax(readoutForward(params.readout, run.outputs[0], 1), options.temperature);
  }
  return text;
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
