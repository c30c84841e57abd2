import { describe, expect, it } from 'vitest';
import { ZOO, ZOO_GROUPS } from '../../examples/zoo';
import { deriveEquations } from '../../src/compiler/equations';
import { LANGS, STRINGS } from '../../src/ui/lib/strings';
import { matchesQuery, zooCells, zooName, zooSections } from '../../src/ui/lib/zoo';

const ids = ZOO.map((e) => e.id);
/** Names that are the same in both languages: the papers' own acronyms. */
const PROPER_NAMES = new Set(['mut1', 'mut2', 'mut3', 'minimal-rnn']);

describe('the zoo gallery strings', () => {
  it.each(LANGS)('name every zoo cell, and only those, in %s', (lang) => {
    const names = STRINGS[lang].zoo.names;
    expect(Object.keys(names).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(names[id].trim(), id).not.toBe('');
  });

  it('give the index\'s names in English and other names in Spanish, acronyms aside', () => {
    for (const entry of ZOO) expect(STRINGS.en.zoo.names[entry.id]).toBe(entry.name);
    const same = ids.filter((id) => STRINGS.es.zoo.names[id] === STRINGS.en.zoo.names[id]);
    expect(same).toEqual(ids.filter((id) => PROPER_NAMES.has(id)));
    expect(STRINGS.es.zoo.names['lstm-1997']).toBe('LSTM sin compuerta de olvido');
  });

  it('title every group in both languages', () => {
    for (const { id, title } of ZOO_GROUPS) {
      expect(STRINGS.en.zoo.groups[id]).toBe(title);
      expect(STRINGS.es.zoo.groups[id]).not.toBe(title);
    }
  });

  it('fall back on the index\'s name for an id the strings do not know', () => {
    const mgu = ZOO.find((e) => e.id === 'mgu')!;
    expect(zooName(STRINGS.es.zoo.names, mgu)).toBe('Unidad con compuerta mínima (MGU)');
    expect(zooName({}, mgu)).toBe('Minimal gated unit (MGU)');
    // An inherited key is not a name.
    expect(zooName({}, { ...mgu, id: 'toString' })).toBe('Minimal gated unit (MGU)');
  });
});

describe('the zoo gallery cells', () => {
  const cells = zooCells();

  it('are every zoo cell, in the index\'s order, each loaded, compiled and with equations', () => {
    expect(cells.map((c) => c.entry.id)).toEqual(ids);
    for (const c of cells) {
      if (!c.ok) throw new Error(`${c.entry.id}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
      expect(c.cell.metadata.name, c.entry.id).toBe(c.entry.name);
      expect(deriveEquations(c.compiled.shaped, 'tutorial').length, c.entry.id).toBeGreaterThan(1);
    }
  });

  it('count parameters at the sizes the file opens with', () => {
    const count = (id: string) => {
      const c = cells.find((cell) => cell.entry.id === id);
      if (!c?.ok) throw new Error(id);
      return { sizes: c.cell.sizes, parameters: c.parameters };
    };
    // Elman: one linear over [h, x]; MGU: two; GRU and the 1997 LSTM (no forget gate): three; LSTM without peepholes: four.
    const linear = (input: number, hidden: number) => (hidden + input) * hidden + hidden;
    for (const [id, linears] of [['elman', 1], ['mgu', 2], ['gru', 3], ['lstm-1997', 3], ['lstm-np', 4]] as const) {
      const { sizes, parameters } = count(id);
      expect(parameters, id).toBe(linears * linear(sizes.input, sizes.hidden));
    }
    expect(count('mgu')).toEqual({ sizes: { input: 8, hidden: 16, named: {} }, parameters: 800 });
  });
});

describe('finding a zoo cell by name', () => {
  it('ignores case, accents and surrounding spaces; an empty query keeps everything', () => {
    expect(matchesQuery('mgu', ['Minimal gated unit (MGU)'])).toBe(true);
    expect(matchesQuery('  minima ', ['Unidad con compuerta mínima (MGU)'])).toBe(true);
    expect(matchesQuery('MÍNIMA', ['Unidad con compuerta minima'])).toBe(true);
    expect(matchesQuery('', ['anything'])).toBe(true);
    expect(matchesQuery('gru', ['Elman RNN', 'elman'])).toBe(false);
    expect(matchesQuery('gru', ['Elman RNN', 'li-gru'])).toBe(true);
  });

  it('groups the kept cells in the groups\' order, leaving out empty groups', () => {
    const all = zooSections(ZOO.map((entry) => ({ entry })), () => true);
    expect(all.map((s) => s.group)).toEqual(ZOO_GROUPS.map((g) => g.id));
    expect(all.flatMap((s) => s.cells.map((c) => c.entry.id)).sort()).toEqual([...ids].sort());
    expect(all.find((s) => s.group === 'minimal-gated')?.cells.map((c) => c.entry.id)).toEqual(['mgu', 'janet', 'ugrnn', 'minimal-rnn', 'cfn']);

    const grus = zooSections(ZOO.map((entry) => ({ entry })), (c) => matchesQuery('gru', [c.entry.name]));
    expect(grus.map((s) => s.group)).toEqual(['classics', 'gru-family']);
    expect(grus.flatMap((s) => s.cells.map((c) => c.entry.id))).toEqual(['gru', 'gru-reset-after', 'li-gru']);
    expect(zooSections(ZOO.map((entry) => ({ entry })), () => false)).toEqual([]);
  });
});
