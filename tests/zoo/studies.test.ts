/**
 * The study cells (examples/studies/) are zoo cells with one change each: the arena comparisons in
 * the README mean something only if nothing else differs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJson } from '../../src/compiler';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('examples/studies/lstm-np-forget-bias-0.json', () => {
  const study = JSON.parse(read('examples/studies/lstm-np-forget-bias-0.json'));
  const zoo = JSON.parse(read('examples/zoo/lstm-np.json'));

  it('is the zoo LSTM (NP) with only the forget-gate bias at 0 (and its own name and description)', () => {
    expect(zoo.nodes.find((n: { id: string }) => n.id === 'Wf').params.biasInit).toBe(1);
    const withBias = (cell: typeof zoo, bias: number) => ({
      ...cell,
      metadata: {},
      nodes: cell.nodes.map((n: { id: string; params: object }) => (n.id === 'Wf' ? { ...n, params: { ...n.params, biasInit: bias } } : n)),
    });
    expect(study.nodes.find((n: { id: string }) => n.id === 'Wf').params.biasInit).toBe(0);
    expect(withBias(study, 1)).toEqual(withBias(zoo, 1));
    expect(study.metadata.name).not.toBe(zoo.metadata.name);
  });

  it('compiles', () => {
    const r = compileJson(study);
    expect(r.ok).toBe(true);
  });
});
