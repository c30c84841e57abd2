/**
 * The keyboard and `celda sample` read a prefix once (readPrefix) and pass the read to the guesses
 * and the completion: the same guesses and the same completion as reading it again, at any
 * temperature, and a read of another prefix gives that prefix's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJson } from '../../src/compiler';
import { initModel } from '../../src/runtime/model';
import { createRng } from '../../src/runtime/rng';
import { encodeText, nextCharacters, readPrefix, sampleText } from '../../src/runtime/sample';

const vocabulary = [...'abcdefgh '];
const compiled = (() => {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: vocabulary.length, hidden: 6 });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
})();
const params = initModel(compiled, vocabulary.length, 3);
const ids = (text: string): number[] => {
  const e = encodeText(vocabulary, text);
  if (!('ids' in e)) throw new Error(e.error);
  return e.ids;
};

describe('a prefix read once serves the guesses and the completion', () => {
  it('gives the same guesses and, at each temperature, the same completion as reading the prefix again', () => {
    const prefix = ids('bad cafe');
    const read = readPrefix(compiled, params, vocabulary, prefix);
    expect(nextCharacters(compiled, params, vocabulary, prefix, 4, read)).toEqual(nextCharacters(compiled, params, vocabulary, prefix, 4));
    for (const temperature of [0.3, 1, 2]) {
      const options = { length: 30, temperature, topK: 5 };
      expect(sampleText(compiled, params, vocabulary, prefix, { ...options, rng: createRng(9), read }))
        .toBe(sampleText(compiled, params, vocabulary, prefix, { ...options, rng: createRng(9) }));
    }
  });

  it('is the read of its own prefix: another prefix\'s read gives that prefix\'s guesses', () => {
    const other = readPrefix(compiled, params, vocabulary, ids('hgf'));
    const guesses = nextCharacters(compiled, params, vocabulary, ids('bad cafe'), 9, other);
    expect(guesses).toEqual(nextCharacters(compiled, params, vocabulary, ids('hgf'), 9));
    expect(guesses).not.toEqual(nextCharacters(compiled, params, vocabulary, ids('bad cafe'), 9));
  });
});
