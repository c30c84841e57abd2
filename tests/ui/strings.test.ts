import { describe, expect, it } from 'vitest';
import { NOTATIONS } from '../../src/compiler/equations';
import { LANGS, STRINGS, type Strings } from '../../src/ui/lib/strings';

/** Arguments for every function entry: as many as the longest one takes. */
const SAMPLE_ARGS = [2, 7, 3, 5, 11, 13] as const;

/** Every leaf of a table as [path, text], functions called with sample arguments. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String((value as (...a: unknown[]) => unknown)(...SAMPLE_ARGS))]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

describe('the strings table', () => {
  it('has the same entries in English and Spanish, none empty or with a hole', () => {
    const en = leaves(STRINGS.en);
    const es = leaves(STRINGS.es);
    expect(es.map(([p]) => p)).toEqual(en.map(([p]) => p));
    for (const [path, text] of [...en, ...es]) {
      expect(text.trim(), path).not.toBe('');
      expect(text, path).not.toMatch(/undefined|\[object /);
    }
  });

  it('is actually translated', () => {
    const en = new Map(leaves(STRINGS.en));
    const same = leaves(STRINGS.es).filter(([p, text]) => en.get(p) === text).map(([p]) => p);
    // Names that are the same in both languages (proper names, symbols, "Inspector", "Total", "Error", "Esc", WebGPU).
    // The zoo's MUT1–3 and MinimalRNN are the papers' own names.
    const zooNames = ['mut1', 'mut2', 'mut3', 'minimal-rnn'].map((id) => `zoo.names.${id}`);
    const backends = ['webgpu', 'webgl2', 'webasm'].map((b) => `backend.names.${b}`);
    const allowed = new Set(['inspectorTitle', 'total', 'id', 'error', 'exampleNames.lstm', ...NOTATIONS.map((n) => `notationNames.${n}`), 'keyNames.escape', ...zooNames, ...backends]);
    expect(same.filter((p) => !allowed.has(p))).toEqual([]);
  });

  it('names every notation and both languages', () => {
    for (const lang of LANGS) {
      const t: Strings = STRINGS[lang];
      for (const n of NOTATIONS) expect(t.notationNames[n]).toBeTruthy();
    }
    expect(STRINGS.es.problemCounts(1, 2)).toBe('1 error, 2 avisos');
    expect(STRINGS.en.problemCounts(2, 1)).toBe('2 errors, 1 warning');
  });
});
