import { describe, expect, it } from 'vitest';
import { NODES } from '../../nodes';
import { filterSections, matchesSearch, paletteSections } from '../../src/ui/lib/palette';

describe('the palette', () => {
  it('lists every registered node in exactly one group, in the documented groups', () => {
    const sections = paletteSections();
    const kinds = sections.flatMap((s) => s.defs.map((d) => d.kind));
    expect([...kinds].sort()).toEqual(NODES.map((n) => n.kind).sort());
    expect(sections.map((s) => s.id)).toEqual(['io', 'gates', 'arithmetic', 'structure', 'parameters']);
    expect(sections[1].defs.map((d) => d.kind)).toEqual(['sigmoid', 'hard-sigmoid', 'tanh', 'relu', 'softplus', 'identity', 'one-minus']);
  });

  it('puts a kind no group names under "other"', () => {
    const extra = { ...NODES[0], kind: 'peephole' };
    const sections = paletteSections([...NODES, extra]);
    expect(sections.at(-1)).toMatchObject({ id: 'other' });
    expect(sections.at(-1)?.defs.map((d) => d.kind)).toEqual(['peephole']);
  });

  it('finds nodes by kind, English or Spanish label (accents optional) and symbol', () => {
    const kinds = (q: string) => filterSections(paletteSections(), q).flatMap((s) => s.defs.map((d) => d.kind));
    expect(kinds('sigm')).toEqual(['sigmoid', 'hard-sigmoid']);
    expect(kinds('Lineal')).toEqual(['linear']);
    expect(kinds('retardo')).toEqual(['state']);
    expect(kinds('⊙')).toEqual(['multiply', 'scale']);
    expect(kinds('escala')).toEqual(['scale']);
    expect(kinds('  ')).toHaveLength(NODES.length);
    expect(kinds('nothing-like-this')).toEqual([]);
    expect(matchesSearch(NODES.find((n) => n.kind === 'one-minus') ?? NODES[0], 'UNO')).toBe(true);
  });
});
