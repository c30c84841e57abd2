import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compiler';
import { deriveEquations, NOTATIONS } from '../../src/compiler/equations';
import { translateCell, type CellTranslation } from '../../src/model/translate';
import { EXAMPLES, loadExample } from '../helpers';

const spanish = JSON.parse(readFileSync(new URL('../../examples/i18n/es.json', import.meta.url), 'utf8')) as { language: string; cells: Record<string, CellTranslation> };

const equationsOf = (cell: ReturnType<typeof loadExample>, notation: (typeof NOTATIONS)[number]) => {
  const compiled = compile(cell);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  return deriveEquations(compiled.value.shaped, notation).map((e) => e.text);
};

describe('the examples in Spanish (examples/i18n/es.json)', () => {
  it('has a Spanish name, description and label for every example and every labelled node', () => {
    expect(spanish.language).toBe('es');
    expect(Object.keys(spanish.cells).sort()).toEqual([...EXAMPLES].sort());
    for (const name of EXAMPLES) {
      const cell = loadExample(name);
      const t = spanish.cells[name];
      expect(t.description, name).not.toBe(cell.metadata.description);
      expect(Object.keys(t.labels).sort(), name).toEqual(cell.nodes.filter((n) => n.label).map((n) => n.id).sort());
    }
  });

  it.each(EXAMPLES)('%s in Spanish derives the same equations, in every notation', (name) => {
    const english = loadExample(name);
    const translated = translateCell(english, spanish.cells[name]);
    expect(translated.nodes.map((n) => n.label)).not.toEqual(english.nodes.map((n) => n.label));
    for (const notation of NOTATIONS) expect(equationsOf(translated, notation)).toEqual(equationsOf(english, notation));
  });

  it('changes only names, descriptions and labels', () => {
    const english = loadExample('lstm');
    const translated = translateCell(english, spanish.cells.lstm);
    const strip = (c: typeof english) => ({ ...c, metadata: {}, nodes: c.nodes.map(({ label: _label, ...rest }) => rest) });
    expect(strip(translated)).toEqual(strip(english));
    expect(translated.metadata.name).toBe('LSTM');
    expect(translated.nodes.find((n) => n.id === 'f')?.label).toBe('olvido');
  });
});
