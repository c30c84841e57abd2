import { describe, expect, it } from 'vitest';
import { renderTaskProblem } from '../../../src/model/messages';
import { createRng } from '../../../src/runtime/rng';
import {
  CHARLM_MAX_BYTES,
  CHARLM_VALIDATION_BATCHES,
  createCharLmTask,
  createSpanishTask,
  natsToBits,
  type CharLmTask,
} from '../../../src/runtime/tasks/charlm';
import { isTaskError } from '../../../src/runtime/tasks/errors';
import {
  COMPANIONS,
  CONJUGATIONS,
  generateSpanishCorpus,
  PERSON_INDEX,
  PLACES,
  SPANISH_CORPUS_SENTENCES,
  type Person,
} from '../../../src/runtime/tasks/spanish-corpus';
import type { Batch } from '../../../src/runtime/tasks/types';

const make = (text: string, options?: { validationFraction?: number }): CharLmTask => {
  const task = createCharLmTask(text, options);
  if (isTaskError(task)) throw new Error(task.error);
  return task;
};

/** Class id of each row of a one-hot step [batch × V]. */
const argmaxRows = (x: Float64Array, V: number): number[] =>
  Array.from({ length: x.length / V }, (_, b) => x.subarray(b * V, (b + 1) * V).indexOf(1));

/** Row b of a batch decoded back to its length + 1 characters (inputs then the last target). */
const decodeWindow = (task: CharLmTask, batch: Batch, b: number): string => {
  const V = task.vocabulary.length;
  const ids = batch.xs.map((x) => argmaxRows(x, V)[b]);
  const last = batch.targets[batch.targets.length - 1];
  if (last?.kind !== 'classes') throw new Error('expected class targets');
  ids.push(last.labels[b]);
  return task.decode(ids);
};

const TEXT = 'el perro come. la gata duerme. '.repeat(10); // 310 characters

describe('character LM task', () => {
  it('builds a sorted vocabulary of distinct characters and one-hot sizes', () => {
    const task = make(TEXT);
    expect(task.vocabulary).toEqual([' ', '.', 'a', 'c', 'd', 'e', 'g', 'l', 'm', 'o', 'p', 'r', 't', 'u']);
    expect(task.inputSize).toBe(14);
    expect(task.outputSize).toBe(14);
    expect(task.loss).toBe('cross-entropy');
    expect(task.shape).toBe('many-to-many');
    expect(task.decode(task.encode('la gata') as Int32Array)).toBe('la gata');
  });

  it('makes one-hot rows with a single 1 at the class id', () => {
    const task = make(TEXT);
    const x = task.oneHot(Int32Array.from([0, 5, 13]));
    expect(x.length).toBe(3 * 14);
    for (let b = 0; b < 3; b++) {
      const row = Array.from(x.subarray(b * 14, (b + 1) * 14));
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
    }
    expect(argmaxRows(x, 14)).toEqual([0, 5, 13]);
    expect(() => task.oneHot(Int32Array.from([14]))).toThrow(RangeError);
    expect(() => task.decode([-1])).toThrow(RangeError);
  });

  it('targets are the next character of the inputs, windows are substrings of the training split', () => {
    const task = make(TEXT);
    const train = TEXT.slice(0, task.trainChars);
    const batch = task.trainBatch(createRng(3), 5, 12);
    expect(batch.xs).toHaveLength(12);
    expect(batch.targets).toHaveLength(12);
    const V = task.vocabulary.length;
    for (let t = 0; t < 11; t++) {
      const next = batch.targets[t];
      if (next?.kind !== 'classes') throw new Error('expected class targets');
      expect(Array.from(next.labels)).toEqual(argmaxRows(batch.xs[t + 1], V));
    }
    for (let b = 0; b < 5; b++) {
      const w = decodeWindow(task, batch, b);
      expect(w).toHaveLength(13);
      expect(train.includes(w)).toBe(true);
    }
  });

  it('splits the first (1 − f) of the characters for training and the rest for validation', () => {
    expect(make(TEXT).trainChars).toBe(279);
    expect(make(TEXT).validationChars).toBe(31);
    const quarter = make(TEXT, { validationFraction: 0.25 });
    expect([quarter.trainChars, quarter.validationChars]).toEqual([232, 78]);
    const validation = TEXT.slice(232);
    for (const batch of quarter.validationBatches(2, 10)) {
      for (let b = 0; b < 2; b++) expect(validation.includes(decodeWindow(quarter, batch, b))).toBe(true);
    }
  });

  it('has the unigram baseline with add-one smoothing (hand computation)', () => {
    // 180 training characters: 135 a, 45 b, 0 c. 20 validation characters: 15 a, 5 c.
    const text = 'aaab'.repeat(45) + 'aaac'.repeat(5);
    const task = make(text);
    expect([task.trainChars, task.validationChars]).toEqual([180, 20]);
    const expected = -(15 * Math.log(136 / 183) + 5 * Math.log(1 / 183)) / 20;
    expect(task.baseline.loss).toBeCloseTo(expected, 12);
    expect(task.baseline.explanation).toContain('bits');
    expect(task.baseline.explanation).toContain(natsToBits(expected).toFixed(4));
    expect(task.natsToBits(Math.LN2)).toBeCloseTo(1, 12);
  });

  it('returns the same validation batches on every call, evenly spread and disjoint', () => {
    const task = make(TEXT.repeat(10)); // 3100 characters, 310 validation
    const a = task.validationBatches(4, 20);
    expect(a).toBe(task.validationBatches(4, 20));
    expect(a).toHaveLength(3); // 15 disjoint windows of 21 characters → 3 batches of 4
    const fresh = make(TEXT.repeat(10)).validationBatches(4, 20);
    expect(fresh).toEqual(a);
    const big = make(generateSpanishCorpus(1, 400)).validationBatches(2, 10);
    expect(big).toHaveLength(CHARLM_VALIDATION_BATCHES);
    // A batch larger than the disjoint windows still gives one full batch.
    expect(task.validationBatches(64, 20)).toHaveLength(1);
    expect(task.validationBatches(64, 20)[0].xs[0].length).toBe(64 * task.vocabulary.length);
  });

  it('gives the same batch for the same seed', () => {
    const task = make(TEXT);
    expect(task.trainBatch(createRng(7), 3, 8)).toEqual(task.trainBatch(createRng(7), 3, 8));
    expect(task.trainBatch(createRng(7), 3, 8)).not.toEqual(task.trainBatch(createRng(8), 3, 8));
  });

  it('refuses bad shapes', () => {
    const task = make(TEXT);
    expect(task.checkShape(0, 5)?.field).toBe('batch');
    expect(task.checkShape(2, 31)?.field).toBe('length'); // validation has 31 characters
    expect(task.checkShape(2, 30)).toBeNull();
    expect(() => task.trainBatch(createRng(1), 2, 0)).toThrow(/length/);
  });

  it('names the field of every error', () => {
    const field = (text: string, options?: object): string | undefined => {
      const r = createCharLmTask(text, options as { validationFraction?: number });
      return isTaskError(r) ? r.field : undefined;
    };
    expect(field('')).toBe('text');
    expect(field('a'.repeat(199))).toBe('text'); // too short
    expect(field('a'.repeat(200))).toBeUndefined();
    const many = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x100 + i)).join('');
    expect(field(many)).toBe('text'); // 300 distinct characters
    expect(field(TEXT, { validationFraction: 0.6 })).toBe('validationFraction');
    expect(field(TEXT, { validationFraction: 0.005 })).toBe('validationFraction');
    expect(field(TEXT, { validationFraction: Number.NaN })).toBe('validationFraction');
    expect(field(TEXT, { validationFraction: 0.05 })).toBe('validationFraction'); // 16 validation characters
    expect(field(TEXT, { validationFrac: 0.2 })).toBe('validationFrac');
    expect(field(TEXT + 'x'.repeat(CHARLM_MAX_BYTES))).toBe('text'); // too long
    // 3-byte characters: fewer UTF-16 units than the limit, more UTF-8 bytes.
    const r = createCharLmTask('€'.repeat(Math.floor(CHARLM_MAX_BYTES / 3) + 1));
    expect(isTaskError(r) && r.field === 'text' && r.error.includes('too long')).toBe(true);
  });

  it('reports the first unknown character and its position when encoding', () => {
    const task = make(TEXT);
    const r = task.encode('la 🐶 z');
    expect(isTaskError(r)).toBe(true);
    if (!isTaskError(r)) return;
    expect(r.field).toBe('text');
    expect(r.error).toContain('"🐶"');
    expect(r.error).toContain('U+1F436');
    expect(r.error).toContain('position 3');
    expect(renderTaskProblem(r.problem, 'es')).toBe('carácter desconocido "🐶" (U+1F436) en la posición 3');
  });

  it('treats astral characters (emoji) as single symbols', () => {
    const text = 'mi 🐶 y tu 🐱 van al 🌳. '.repeat(12);
    const task = make(text);
    expect(task.vocabulary).toContain('🐶');
    expect(task.vocabulary.every((ch) => [...ch].length === 1)).toBe(true);
    const ids = task.encode('🐶🐱') as Int32Array;
    expect(ids).toHaveLength(2);
    expect(task.decode(ids)).toBe('🐶🐱');
    expect(task.trainChars + task.validationChars).toBe([...text].length);
    // Sorted by code point: the emoji (above U+FFFF) come last.
    expect(task.vocabulary.slice(-3)).toEqual(['🌳', '🐱', '🐶']);
  });
});

describe('Spanish corpus', () => {
  const corpus = generateSpanishCorpus(1, SPANISH_CORPUS_SENTENCES);
  const sentences = corpus.split('\n');

  it('is deterministic per seed and differs between seeds', () => {
    expect(generateSpanishCorpus(1, 200)).toBe(generateSpanishCorpus(1, 200));
    expect(generateSpanishCorpus(2, 200)).not.toBe(generateSpanishCorpus(1, 200));
    expect(sentences).toHaveLength(SPANISH_CORPUS_SENTENCES);
    expect(corpus.length).toBeGreaterThan(40_000);
    expect(corpus.length).toBeLessThan(80_000);
  });

  it('contains the tutorial prefix "Voy al parque con mi" followed by perro or perra', () => {
    expect(corpus).toContain('Voy al parque con mi');
    expect(corpus).toMatch(/Voy al parque con mi (perro|perra)\b/);
    for (const seed of [2, 3, 4]) expect(generateSpanishCorpus(seed, SPANISH_CORPUS_SENTENCES)).toContain('Voy al parque con mi');
  });

  it('capitalises and punctuates every sentence, with tildes and ñ', () => {
    for (const s of sentences) expect(s).toMatch(/^(¿\p{Lu}[^?]*\?|\p{Lu}[^.?¿]*\.)$/u);
    expect(corpus).toMatch(/ñ/);
    expect(corpus).toMatch(/[áéíóú]/);
  });

  it('keeps possessives in agreement with their nouns', () => {
    const word = (w: string): string => `(?<!\\p{L})${w}(?!\\p{L})`;
    // Singular possessive + plural noun, plural possessive + singular noun.
    expect(corpus).not.toMatch(new RegExp(`${word('(?:mi|tu|su)')} \\p{L}+s(?!\\p{L})`, 'u'));
    expect(corpus).not.toMatch(new RegExp(`${word('(?:mis|tus|sus)')} \\p{L}+[oa](?!\\p{L})`, 'u'));
    expect(corpus).not.toMatch(/mi perros|mis perro(?!s)/);
    // nuestro/nuestra/nuestros/nuestras agree with the noun's gender.
    for (const m of corpus.matchAll(/nuestr([oa])(s?) (\p{L}+)/gu)) {
      expect(m[3].endsWith(`${m[1]}${m[2]}`)).toBe(true);
    }
    // Every companion noun after a possessive is a known form.
    const forms = new Set(COMPANIONS.flatMap((c) => c.forms));
    for (const m of corpus.matchAll(/con (?:mis?|tus?|sus?|nuestr\p{L}+) (\p{L}+)/gu)) expect(forms.has(m[1])).toBe(true);
  });

  it('conjugates the verb for a pronoun subject, and never says "Yo va"', () => {
    expect(corpus).not.toMatch(/Yo (va|vas|vamos|van)\b/);
    const pronouns: Record<string, Person> = {
      Yo: '1s', Tú: '2s', Él: '3s', Ella: '3s', Nosotros: '1p', Nosotras: '1p', Ellos: '3p', Ellas: '3p',
    };
    const columns = Object.fromEntries(
      Object.entries(PERSON_INDEX).map(([p, i]) => [p, new Set<string>(Object.values(CONJUGATIONS).map((row) => row[i]))]),
    );
    let checked = 0;
    for (const s of sentences) {
      const m = /^¿?(\p{L}+) (\p{L}+)/u.exec(s);
      if (m && m[1] in pronouns) {
        expect(columns[pronouns[m[1]]].has(m[2])).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('uses the possessive of the subject: "Voy …" goes with mi/mis, "Vamos …" with nuestro', () => {
    const own = /(?<!\p{L})(mis?|tus?|sus?|nuestr\p{L}+)(?!\p{L}) (?:perr|gat|conej|amig|prim|herman|abuel|vecin|hij|tí)/gu;
    const owners = (s: string): string[] => [...s.matchAll(own)].map((m) => m[1]);
    for (const s of sentences) {
      if (/^(Voy|Llevo|Paseo|Vuelvo) /.test(s)) for (const o of owners(s)) expect(o).toMatch(/^mis?$/);
      if (/^(Vamos|Llevamos|Paseamos|Volvemos) /.test(s)) for (const o of owners(s)) expect(o).toMatch(/^nuestr/);
      if (/^¿?(Vas|Llevas|Paseas|Vuelves) /.test(s)) for (const o of owners(s)) expect(o).toMatch(/^tus?$/);
    }
  });

  it('contracts "a el" to "al" and agrees the article with the place', () => {
    expect(corpus).not.toMatch(/(?<!\p{L})(a|de) el(?!\p{L})/u);
    for (const place of PLACES) {
      const wrong = place.plural
        ? place.gender === 'm' ? `las ${place.noun}` : `los ${place.noun}`
        : place.gender === 'm' ? `la ${place.noun}` : `al ${place.noun}`;
      expect(corpus.includes(` ${wrong}`)).toBe(false);
    }
    expect(corpus).toContain('al parque');
    expect(corpus).toContain('a la playa');
  });

  it('agrees an object pronoun with the pet named earlier ("una perra … y la llevo")', () => {
    let checked = 0;
    for (const m of corpus.matchAll(/(?<!\p{L})(un|una) \p{L}+ que se llama \p{L}+ y (\p{L}+)/gu)) {
      expect(m[2]).toBe(m[1] === 'un' ? 'lo' : 'la');
      checked++;
    }
    for (const m of corpus.matchAll(/(?:dos|tres) \p{L}+([oa])s y (\p{L}+)/gu)) {
      expect(m[2]).toBe(m[1] === 'o' ? 'los' : 'las');
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('makes a task from the corpus', () => {
    const task = createSpanishTask(1);
    expect(task.name).toBe('spanish-char-lm');
    expect(task.vocabulary).toContain('ñ');
    expect(task.vocabulary).toContain('\n');
    expect(task.trainChars + task.validationChars).toBe([...corpus].length);
    expect(task.baseline.loss).toBeGreaterThan(2);
    expect(task.baseline.loss).toBeLessThan(Math.log(task.vocabulary.length));
  });
});
