import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/compiler/analyze';
import { blankCell, EXAMPLE_IDS, exampleCell } from '../../src/ui/lib/examples';
import { STRINGS } from '../../src/ui/lib/strings';

describe('the cells a document starts from', () => {
  it.each(EXAMPLE_IDS)('%s loads in both languages, Spanish labels on the same nodes, checking clean', (id) => {
    const en = exampleCell(id, 'en');
    const es = exampleCell(id, 'es');
    if (!en.ok || !es.ok) throw new Error(`${id} does not load`);
    expect(es.value.nodes.map((n) => n.id)).toEqual(en.value.nodes.map((n) => n.id));
    expect(es.value.nodes.filter((n) => n.label).map((n) => n.label)).not.toEqual(en.value.nodes.filter((n) => n.label).map((n) => n.label));
    expect(es.value.metadata.name).toBe(STRINGS.es.exampleNames[id]);
    expect(en.value.metadata.name).toBe(STRINGS.en.exampleNames[id]);
    expect(analyze(es.value).diagnostics).toEqual(analyze(en.value).diagnostics);
  });

  it('a blank cell is named and labelled in the UI language', () => {
    const es = blankCell(STRINGS.es);
    expect(es.metadata.name).toBe('Celda nueva');
    expect(es.nodes.map((n) => n.label ?? '')).toContain('oculto');
    expect(blankCell(STRINGS.en).nodes.map((n) => n.label ?? '')).toContain('hidden');
  });
});
