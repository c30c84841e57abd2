import { describe, expect, it } from 'vitest';
import { spellSpanish, SPANISH_NUMBER_MAX } from '../../../src/runtime/tasks/spanish-numbers';

/** Checked by hand against the RAE's rules (one word to 30, "y" from 31, cien / ciento, irregular hundreds). */
const TABLE: readonly [number, string][] = [
  [0, 'cero'], [1, 'uno'], [2, 'dos'], [3, 'tres'], [5, 'cinco'], [6, 'seis'], [7, 'siete'], [9, 'nueve'],
  [10, 'diez'], [11, 'once'], [12, 'doce'], [13, 'trece'], [14, 'catorce'], [15, 'quince'],
  [16, 'dieciséis'], [17, 'diecisiete'], [18, 'dieciocho'], [19, 'diecinueve'],
  [20, 'veinte'], [21, 'veintiuno'], [22, 'veintidós'], [23, 'veintitrés'], [24, 'veinticuatro'],
  [26, 'veintiséis'], [29, 'veintinueve'],
  [30, 'treinta'], [31, 'treinta y uno'], [32, 'treinta y dos'], [42, 'cuarenta y dos'], [50, 'cincuenta'],
  [56, 'cincuenta y seis'], [60, 'sesenta'], [67, 'sesenta y siete'], [70, 'setenta'], [78, 'setenta y ocho'],
  [80, 'ochenta'], [83, 'ochenta y tres'], [90, 'noventa'], [99, 'noventa y nueve'],
  [100, 'cien'], [101, 'ciento uno'], [110, 'ciento diez'], [116, 'ciento dieciséis'], [121, 'ciento veintiuno'],
  [122, 'ciento veintidós'], [199, 'ciento noventa y nueve'],
  [200, 'doscientos'], [203, 'doscientos tres'], [300, 'trescientos'], [345, 'trescientos cuarenta y cinco'],
  [400, 'cuatrocientos'], [423, 'cuatrocientos veintitrés'],
  [500, 'quinientos'], [515, 'quinientos quince'], [555, 'quinientos cincuenta y cinco'],
  [600, 'seiscientos'], [626, 'seiscientos veintiséis'],
  [700, 'setecientos'], [777, 'setecientos setenta y siete'], [701, 'setecientos uno'],
  [800, 'ochocientos'], [888, 'ochocientos ochenta y ocho'],
  [900, 'novecientos'], [930, 'novecientos treinta'], [999, 'novecientos noventa y nueve'],
];

describe('spellSpanish', () => {
  it(`spells the ${TABLE.length} hand-checked numbers`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    for (const [n, words] of TABLE) expect(spellSpanish(n), String(n)).toBe(words);
  });

  it('gives every number from 0 to 999 its own spelling, lowercase Spanish letters and single spaces', () => {
    const all = Array.from({ length: SPANISH_NUMBER_MAX + 1 }, (_, n) => spellSpanish(n));
    expect(new Set(all).size).toBe(all.length);
    for (const words of all) expect(words).toMatch(/^[a-zéó]+( [a-zéó]+)*$/);
  });

  it('refuses what is not a whole number from 0 to 999', () => {
    for (const bad of [-1, 1000, 2.5, Number.NaN]) expect(() => spellSpanish(bad)).toThrow(RangeError);
  });
});
