/**
 * The ablation generator (src/model/ablate.ts): Greff et al.'s variants of the vanilla
 * LSTM, made by graph edits, equal the zoo's hand-wired cells — the same canonical form
 * (compareCells), and on the float64 reference runtime with the very same parameters the
 * same outputs, final states and gradients (1e-12). Other cells: what applies, what is
 * skipped and why, in both languages; a cell without gate labels is refused.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../src/compiler';
import { compareCells } from '../../src/compiler/equivalence';
import { ABLATION_IDS, ablate, gateRole, renderSkipReason, type Ablations, type AblationId } from '../../src/model/ablate';
import type { Cell, CellNode } from '../../src/model/cell';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { setLabel } from '../../src/model/edit';
import { loadCell } from '../../src/model/load';
import { initParameters } from '../../src/runtime/init';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { loadExample, maxAbsDiff } from '../helpers';
import { ZOO } from '../../examples/zoo';
import { zooText } from '../zoo/zoo';

const SIZES = { input: 3, hidden: 4 };

function zooCell(id: string): Cell {
  const loaded = loadCell(JSON.parse(zooText(id)));
  if (!loaded.ok) throw new Error(`${id} does not load`);
  return loaded.value;
}

function compiled(cell: Cell): Compiled {
  const c = compile(cell, SIZES);
  if (!c.ok) throw new Error(`does not compile: ${c.diagnostics.map((d) => d.message).join('; ')}`);
  return c.value;
}

function family(cell: Cell, lang: 'en' | 'es' = 'en'): Ablations {
  const result = ablate(cell, lang);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.value;
}

const variant = (a: Ablations, id: AblationId): Cell => {
  const found = a.ablations.find((x) => x.id === id);
  if (!found) throw new Error(`no ${id}: ${JSON.stringify(a.skipped)}`);
  return found.cell;
};

/** Forward and backward of both programs with one set of parameters (both cells name their tensors alike). */
function runBoth(ours: Compiled, theirs: Compiled, seed: number) {
  const T = 6;
  const B = 2;
  const rng = createRng(seed);
  const params = initParameters(theirs.program, seed);
  for (const tensors of Object.values(params)) for (const t of Object.values(tensors)) t.forEach((_, i) => (t[i] = rng.uniform(-0.6, 0.6)));
  const xs = Array.from({ length: T }, () => Float64Array.from({ length: B * SIZES.input }, () => rng.uniform(-1, 1)));
  const h0 = new Map(theirs.program.states.map((s) => [s.nodeId, Float64Array.from({ length: B * s.size }, () => rng.uniform(-0.5, 0.5))]));
  const gradOutputs = Array.from({ length: T }, () => Float64Array.from({ length: B * SIZES.hidden }, () => rng.uniform(-1, 1)));
  const run = (c: Compiled) => {
    const states = c.program.states.map((s) => h0.get(s.nodeId) as Float64Array);
    const f = forward(c.program, params, xs, B, states);
    const g = backward(c.backward, params, f.tape, gradOutputs);
    const byState = (values: Float64Array[]) => new Map(c.program.states.map((s, i) => [s.nodeId, values[i]]));
    return { outputs: f.outputs, finalStates: byState(f.finalStates), initialGrads: byState(g.initialStates), grads: g.params };
  };
  return { ours: run(ours), theirs: run(theirs), params };
}

describe('the vanilla LSTM\'s ablations are the zoo\'s hand-wired cells', () => {
  const vanilla = zooCell('lstm-peephole');
  const generated = family(vanilla);

  it('makes all eight variants, in Greff\'s order, and skips none', () => {
    expect(generated.ablations.map((a) => a.id)).toEqual([...ABLATION_IDS]);
    expect(generated.skipped).toEqual([]);
  });

  describe.each(ABLATION_IDS)('%s', (id) => {
    const ours = compiled(variant(generated, id));
    const theirs = compiled(zooCell(`lstm-${id}`));

    it('has the zoo cell\'s canonical form (compareCells)', () => {
      const comparison = compareCells(ours, theirs);
      expect(comparison, JSON.stringify(comparison)).toMatchObject({ equivalent: true });
    });

    it('learns the same tensors and computes the same outputs, states and gradients with the same parameters (1e-12)', () => {
      const shapes = (c: Compiled) => c.program.tensors.map((t) => `${t.nodeId}.${t.name}[${t.shape.join('×')}]`).sort();
      expect(shapes(ours)).toEqual(shapes(theirs));
      expect(ours.program.states.map((s) => s.nodeId).sort()).toEqual(theirs.program.states.map((s) => s.nodeId).sort());
      const { ours: a, theirs: b, params } = runBoth(ours, theirs, 40 + ABLATION_IDS.indexOf(id));
      a.outputs.forEach((y, t) => expect(maxAbsDiff(y, b.outputs[t]), `y_${t + 1}`).toBeLessThan(1e-12));
      for (const [state, value] of b.finalStates) {
        expect(maxAbsDiff(a.finalStates.get(state) as Float64Array, value), `final ${state}`).toBeLessThan(1e-12);
        expect(maxAbsDiff(a.initialGrads.get(state) as Float64Array, b.initialGrads.get(state) as Float64Array), `∂L/∂${state}_0`).toBeLessThan(1e-12);
      }
      for (const [node, tensors] of Object.entries(params)) {
        for (const name of Object.keys(tensors)) expect(maxAbsDiff(a.grads[node][name], b.grads[node][name]), `∂L/∂${node}.${name}`).toBeLessThan(1e-12);
      }
      // The outputs vary: the comparison is not of two constant sequences.
      expect(new Set(Array.from(a.outputs.at(-1) as Float64Array, (v) => v.toFixed(6))).size).toBeGreaterThan(2);
    });
  });

  it('names each variant after the cell and says the change in one line, in English and Spanish', () => {
    const nig = generated.ablations[0];
    expect(nig.cell.metadata.name).toBe('Vanilla LSTM with peepholes, no input gate (NIG)');
    expect(nig.name.es).toBe('Vanilla LSTM with peepholes, sin puerta de entrada (NIG)');
    expect(nig.change.en).toBe('The input gate "input" is replaced by the constant 1.');
    expect(nig.change.es).toBe('La puerta de entrada "input" se sustituye por la constante 1.');
    expect(nig.cell.metadata.description.split('\n')[0]).toBe(nig.change.en);
    for (const a of generated.ablations) {
      for (const text of [a.change.en, a.change.es]) expect(text).not.toContain('\n');
      expect(a.name.en).toMatch(new RegExp(`\\(${a.id.toUpperCase()}\\)$`));
    }
    const spanish = family(vanilla, 'es');
    expect(spanish.ablations.map((a) => a.cell.metadata.name)).toEqual(generated.ablations.map((a) => a.name.es));
    expect(spanish.ablations[7].cell.metadata.description).toMatch(/^Cada puerta lee también las puertas del paso anterior "input", "forget", "output", guardadas en 3 estados nuevos\.\n\nAblación de/);
  });

  it('leaves the cell it was given as it was', () => {
    expect(vanilla).toEqual(zooCell('lstm-peephole'));
  });

  it('keeps a long name within the name limit', () => {
    const long = { ...vanilla, metadata: { ...vanilla.metadata, name: 'x'.repeat(80) } };
    for (const a of family(long).ablations) expect(a.cell.metadata.name.length).toBeLessThanOrEqual(80);
  });
});

describe('ablations of other cells', () => {
  it('the LSTM example without peepholes, labelled in the tutorial\'s words: NP is skipped, the others equal the zoo\'s', () => {
    const lstm = loadExample('lstm');
    const a = family(lstm);
    expect(a.skipped).toEqual([{ id: 'np', reason: { code: 'no-peepholes' } }]);
    expect(renderSkipReason(a.skipped[0].reason, 'es')).toBe('ninguna puerta suma un vector aprendido por un estado (una mirilla)');
    // The example computes what the zoo's NP cell does.
    const np = compiled(zooCell('lstm-np'));
    expect(compareCells(compiled(lstm), np)).toMatchObject({ equivalent: true });
    // CIFG of the example: f = 1 − u.
    const cifg = variant(a, 'cifg');
    expect(cifg.nodes.find((n) => n.id === 'f')).toMatchObject({ kind: 'one-minus', label: 'forget' });
    expect(cifg.connections).toContainEqual({ from: 'u', fromPort: 'out', to: 'f', toPort: 'in' });
    expect(cifg.nodes.some((n) => n.id === 'Wf')).toBe(false);
  });

  it('a GRU: its update gate is coupled, so NIG is skipped; reset and update gain recurrence', () => {
    const a = family(loadExample('gru'));
    const reasons = Object.fromEntries(a.skipped.map((s) => [s.id, s.reason]));
    expect(reasons).toEqual({
      nig: { code: 'coupled-gate', role: 'input', gate: 'update' },
      nfg: { code: 'no-gate', role: 'forget' },
      nog: { code: 'no-gate', role: 'output' },
      noaf: { code: 'no-gate', role: 'output' },
      np: { code: 'no-peepholes' },
      cifg: { code: 'no-gate', role: 'forget' },
    });
    expect(a.ablations.map((x) => x.id)).toEqual(['niaf', 'fgr']);
    expect(renderSkipReason(reasons.nig, 'en')).toBe('the input gate "update" is also used as 1 − gate (it is already coupled)');
    expect(renderSkipReason(reasons.nfg, 'es')).toBe('la celda no tiene puerta de olvido');
    const fgr = variant(a, 'fgr');
    expect(fgr.nodes.filter((n) => n.kind === 'state').map((n) => [n.id, n.label])).toEqual([['h', 'hidden'], ['z_prev', 'update'], ['r_prev', 'reset']]);
    expect(fgr.connections.filter((c) => c.to === 'catg').map((c) => `${c.from}.${c.fromPort}`)).toEqual(['h.prev', 'x.x', 'z_prev.prev', 'r_prev.prev']);
    expect(compiled(fgr).program.states).toHaveLength(3);
  });

  it('the layer-normalised LSTM: the gates share their product with the candidate, so FGR is skipped', () => {
    const a = family(zooCell('layernorm-lstm'));
    expect(a.skipped).toEqual([{ id: 'np', reason: { code: 'no-peepholes' } }, { id: 'fgr', reason: { code: 'shared-product', node: 'Wx' } }]);
    expect(a.ablations.map((x) => x.id)).toEqual(['nig', 'nfg', 'nog', 'niaf', 'noaf', 'cifg']);
  });

  it.each(ZOO.map((e) => e.id))('zoo cell %s: every variant made compiles; none is skipped as invalid; a cell without gates is refused', (id) => {
    const result = ablate(zooCell(id));
    if (!result.ok) {
      expect(result.diagnostics.map((d) => d.code)).toEqual(['no-labelled-gates']);
      expect(['elman', 'indrnn', 'scrn']).toContain(id);
      return;
    }
    expect(result.value.skipped.filter((s) => s.reason.code === 'invalid')).toEqual([]);
    expect(result.value.ablations.length).toBeGreaterThan(0);
    for (const a of result.value.ablations) expect(compile(a.cell, SIZES).ok, a.id).toBe(true);
  });

  it('recognises Spanish labels and the tutorial\'s Γ notation, on sigmoids only', () => {
    const relabel = (cell: Cell, labels: Record<string, string>) => Object.entries(labels).reduce((c, [id, label]) => setLabel(c, id, label), cell);
    const lstm = loadExample('lstm');
    const spanish = relabel(lstm, { f: 'Puerta de olvido', u: 'Actualización', o: 'salida', cc: 'candidato' });
    const gamma = relabel(lstm, { f: 'Γ_f', u: 'Γ_u', o: 'Γ_o' });
    for (const cell of [spanish, gamma]) {
      const roles = cell.nodes.map((n: CellNode) => gateRole(n)).filter(Boolean);
      expect(roles).toEqual(['forget', 'input', 'output']);
    }
    expect(family(spanish).ablations.map((a) => a.id)).toEqual(['nig', 'nfg', 'nog', 'niaf', 'noaf', 'cifg', 'fgr']);
    expect(family(gamma).skipped.map((s) => s.id)).toEqual(['np']);
    // A state labelled "forget" is no gate.
    expect(gateRole({ id: 's', kind: 'state', label: 'forget', params: {}, position: { x: 0, y: 0 } })).toBeUndefined();
  });

  it('refuses a cell with no gate label, naming its sigmoids, in both languages', () => {
    const lstm = loadExample('lstm');
    const unlabelled = ['f', 'u', 'o'].reduce((c, id) => setLabel(c, id, ''), lstm);
    const result = ablate(unlabelled);
    expect(result.ok).toBe(false);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ code: 'no-labelled-gates', severity: 'error', params: { sigmoids: ['f', 'u', 'o'] } });
    expect(d.message).toContain('label each gate\'s sigmoid "input", "forget" or "output"');
    expect(d.message).toContain('Its sigmoids: "f", "u", "o".');
    expect(renderDiagnostic(d, 'es')).toContain('Sus sigmoides: "f", "u", "o".');
    const rnn = ablate(loadExample('rnn'));
    expect(rnn.ok ? [] : rnn.diagnostics.map((x) => renderDiagnostic(x, 'en'))).toEqual([expect.stringContaining('The cell has no sigmoid.')]);
  });

  it('hands back the compiler\'s diagnostics for a cell that does not compile', () => {
    const lstm = loadExample('lstm');
    const broken = { ...lstm, connections: lstm.connections.filter((c) => !(c.to === 'c' && c.toPort === 'next')) };
    const result = ablate(broken);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('state-never-written');
  });
});
