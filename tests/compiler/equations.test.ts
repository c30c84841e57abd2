import { describe, it, expect } from 'vitest';
import { compile } from '../../src/compiler';
import { deriveEquations, formatEquations, nodeExpressions, NOTATIONS, sanitizeLatexLabel, type Equation, type Notation } from '../../src/compiler/equations';
import { inferShapes, type ShapedCell } from '../../src/compiler/shapes';
import { validate } from '../../src/compiler/validate';
import { loadCell } from '../../src/model/load';
import { compileExample, EXAMPLES, exampleJson, loadExample } from '../helpers';

type Json = Record<string, unknown>;
type JsonNode = { id: string; kind: string; label?: string };

function shapedFrom(json: unknown): ShapedCell {
  const loaded = loadCell(json);
  if (!loaded.ok) throw new Error(`does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const compiled = compile(loaded.value);
  if (!compiled.ok) throw new Error(`does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.value.shaped;
}

/** An example with its node labels replaced (undefined removes a label). */
function relabelled(name: string, labels: Readonly<Record<string, string | undefined>>): Json {
  const json = exampleJson(name);
  const nodes = (json.nodes as JsonNode[]).map((n) => {
    if (!Object.hasOwn(labels, n.id)) return n;
    const { label: _old, ...rest } = n;
    return labels[n.id] === undefined ? rest : { ...rest, label: labels[n.id] };
  });
  return { ...json, nodes };
}

const derive = (name: string, notation: Notation): Equation[] => deriveEquations(shapedFrom(exampleJson(name)), notation);
const textOf = (name: string, notation: Notation): string[] => derive(name, notation).map((e) => e.text);
const latexOf = (name: string, notation: Notation): string => formatEquations(derive(name, notation), 'latex');

describe('equations of the examples, tutorial notation', () => {
  it('writes the LSTM as the tutorial does: gates, candidate c\', cell c_t, hidden a_t', () => {
    expect(textOf('lstm', 'tutorial')).toEqual([
      'f_t = σ(W_f·[a_{t−1}, x_t] + b_f)',
      'u_t = σ(W_u·[a_{t−1}, x_t] + b_u)',
      "c'_t = tanh(W_c·[a_{t−1}, x_t] + b_c)",
      'o_t = σ(W_o·[a_{t−1}, x_t] + b_o)',
      "c_t = f_t ⊙ c_{t−1} + u_t ⊙ c'_t",
      'a_t = o_t ⊙ tanh(c_t)',
      'y_t = a_t',
    ]);
  });

  it('writes the LSTM in LaTeX with W_{f}, \\sigma and the previous hidden state', () => {
    const latex = latexOf('lstm', 'tutorial');
    expect(latex).toContain('f_t &= \\sigma\\left(W_{f} \\left[a_{t-1}, x_t\\right] + b_{f}\\right)');
    expect(latex).toContain("c_t &= f_t \\odot c_{t-1} + u_t \\odot c'_t");
    expect(latex).toContain('a_t &= o_t \\odot \\tanh\\left(c_t\\right)');
  });

  it('writes the reset-before GRU with z, r, the candidate ã_t and the interpolation', () => {
    expect(textOf('gru', 'tutorial')).toEqual([
      'z_t = σ(W_z·[a_{t−1}, x_t] + b_z)',
      'r_t = σ(W_r·[a_{t−1}, x_t] + b_r)',
      'a\u0303_t = tanh(W_a·[r_t ⊙ a_{t−1}, x_t] + b_a)',
      'a_t = z_t ⊙ a_{t−1} + (1 − z_t) ⊙ a\u0303_t',
      'y_t = a_t',
    ]);
    expect(latexOf('gru', 'tutorial')).toContain('a_t &= z_t \\odot a_{t-1} + \\left(1 - z_t\\right) \\odot \\tilde{a}_t');
  });

  it('writes the Elman RNN as one line for a_t', () => {
    expect(textOf('rnn', 'tutorial')).toEqual(['a_t = tanh(W_a·[a_{t−1}, x_t] + b_a)', 'y_t = a_t']);
  });
});

describe('equations in olah and pytorch notation', () => {
  it('names the LSTM h_t, C_t, f/i/o and the candidate C̃_t (olah)', () => {
    expect(textOf('lstm', 'olah')).toEqual([
      'f_t = σ(W_f·[h_{t−1}, x_t] + b_f)',
      'i_t = σ(W_i·[h_{t−1}, x_t] + b_i)',
      'C\u0303_t = tanh(W_C·[h_{t−1}, x_t] + b_C)',
      'o_t = σ(W_o·[h_{t−1}, x_t] + b_o)',
      'C_t = f_t ⊙ C_{t−1} + i_t ⊙ C\u0303_t',
      'h_t = o_t ⊙ tanh(C_t)',
      'y_t = h_t',
    ]);
    expect(latexOf('lstm', 'olah')).toContain('\\tilde{C}_t &= \\tanh\\left(W_{C}');
  });

  it('names the LSTM i, f, g, o, c, h (pytorch)', () => {
    const lines = textOf('lstm', 'pytorch');
    expect(lines).toContain('g_t = tanh(W_g·[h_{t−1}, x_t] + b_g)');
    expect(lines).toContain('c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t');
    expect(lines).toContain('h_t = o_t ⊙ tanh(c_t)');
  });

  it('names the GRU candidate h̃_t (olah) and n_t (pytorch)', () => {
    expect(textOf('gru', 'olah')).toContain('h\u0303_t = tanh(W_h·[r_t ⊙ h_{t−1}, x_t] + b_h)');
    expect(textOf('gru', 'pytorch')).toContain('h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t');
  });

  it('tells the input and recurrent weights of a reset-after GRU apart: W_{ir}, W_{hr} (pytorch)', () => {
    expect(textOf('gru-reset-after', 'pytorch')).toEqual([
      'r_t = σ(W_ir·x_t + b_ir + W_hr·h_{t−1} + b_hr)',
      'z_t = σ(W_iz·x_t + b_iz + W_hz·h_{t−1} + b_hz)',
      'n_t = tanh(W_in·x_t + b_in + r_t ⊙ (W_hn·h_{t−1} + b_hn))',
      'h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}',
      'y_t = h_t',
    ]);
    const latex = latexOf('gru-reset-after', 'pytorch');
    expect(latex).toContain('r_t &= \\sigma\\left(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}\\right)');
    expect(latex).toContain('r_t \\odot \\left(W_{hn} h_{t-1} + b_{hn}\\right)');
  });

  it('uses x and the state letter for the same split in the other notations', () => {
    expect(textOf('gru-reset-after', 'olah')[0]).toBe('r_t = σ(W_xr·x_t + b_xr + W_hr·h_{t−1} + b_hr)');
    expect(textOf('gru-reset-after', 'tutorial')[0]).toBe('r_t = σ(W_xr·x_t + b_xr + W_ar·a_{t−1} + b_ar)');
  });
});

/** Every W_{…} and p_{…} printed in the LaTeX lines (subscripts may hold one brace level, e.g. \mathrm{…}). */
const weightNames = (eqs: readonly Equation[]): string[] =>
  eqs.flatMap((e) => [...e.latex.matchAll(/([Wp])_\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g)].map((m) => `${m[1]}_{${m[2]}}`));

describe.each(EXAMPLES.flatMap((name) => NOTATIONS.map((notation) => [name, notation] as const)))('%s in %s notation', (name, notation) => {
  it('derives one line per named value, with distinct left-hand sides, ending in y_t', () => {
    const eqs = derive(name, notation);
    const ids = eqs.map((e) => e.nodeId);
    expect(new Set(ids).size).toBe(ids.length);
    const lhs = eqs.map((e) => e.text.split(' = ')[0]);
    expect(new Set(lhs).size).toBe(lhs.length);
    expect(eqs.at(-1)?.text).toMatch(/^y_t = /);
    const gates = (exampleJson(name).nodes as JsonNode[]).filter((n) => n.kind === 'sigmoid' || n.label);
    for (const g of gates.filter((n) => n.kind !== 'state')) expect(ids).toContain(g.id);
  });

  it('never gives two learned tensors the same name', () => {
    const eqs = derive(name, notation);
    const linears = (exampleJson(name).nodes as JsonNode[]).filter((n) => n.kind === 'linear').length;
    const distinct = new Set(weightNames(eqs));
    expect(distinct.size).toBe(linears);
  });

  it('formats LaTeX as one aligned environment and text as one line per equation', () => {
    const eqs = derive(name, notation);
    const latex = formatEquations(eqs, 'latex');
    expect(latex.startsWith('\\begin{aligned}')).toBe(true);
    expect(latex.endsWith('\\end{aligned}')).toBe(true);
    expect(latex.match(/&=/g)).toHaveLength(eqs.length);
    expect(formatEquations(eqs, 'text').split('\n')).toEqual(eqs.map((e) => e.text));
  });
});

describe('labels', () => {
  it('reads Spanish labels, with or without accents', () => {
    const json = relabelled('lstm', { a: 'Estado oculto', c: 'Memoria', f: 'Compuerta de olvido', u: 'actualización', cc: 'Candidato', o: 'SALIDA' });
    expect(deriveEquations(shapedFrom(json), 'tutorial').map((e) => e.text)).toEqual(textOf('lstm', 'tutorial'));
    const noAccent = relabelled('gru', { z: 'actualizacion', r: 'reinicio', cand: 'candidato', h: 'oculto' });
    expect(deriveEquations(shapedFrom(noAccent), 'pytorch').map((e) => e.text)).toEqual(textOf('gru', 'pytorch'));
  });

  it('shows a label that names no role as words, and uses it for the weights it feeds', () => {
    const eqs = deriveEquations(shapedFrom(relabelled('lstm', { o: 'exit gate' })), 'tutorial');
    const exit = eqs.find((e) => e.nodeId === 'o') as Equation;
    expect(exit.latex).toBe('\\mathrm{exit gate}_t = \\sigma\\left(W_{\\mathrm{exit gate}} \\left[a_{t-1}, x_t\\right] + b_{\\mathrm{exit gate}}\\right)');
    expect(exit.text).toBe('exit gate_t = σ(W_{exit gate}·[a_{t−1}, x_t] + b_{exit gate})');
    expect(eqs.find((e) => e.nodeId === 'a_new')?.text).toBe('a_t = exit gate_t ⊙ tanh(c_t)');
  });

  it('gives a value written into a state the state\'s name, whatever its own label', () => {
    const eqs = deriveEquations(shapedFrom(relabelled('lstm', { c_new: 'new memory sum' })), 'tutorial');
    expect(eqs.find((e) => e.nodeId === 'c_new')?.text).toBe("c_t = f_t ⊙ c_{t−1} + u_t ⊙ c'_t");
  });

  it('keeps two nodes with the same role apart', () => {
    const eqs = deriveEquations(shapedFrom(relabelled('lstm', { o: 'forget' })), 'tutorial');
    const lhs = eqs.map((e) => e.latex.split(' = ')[0]);
    expect(new Set(lhs).size).toBe(lhs.length);
    expect(new Set(weightNames(eqs)).size).toBe(4);
  });
});

describe('hostile labels', () => {
  const HOSTILE = ['}\\input{/etc/passwd}$x^', '</script><img src=x onerror=alert(1)>', '`rm -rf /` %#&~_{}', '\\\\def\\x{1}\\x', '$$\\href{javascript:alert(1)}{x}$$'];

  /** Everything a label put into LaTeX sits inside \mathrm{…}: check what is there. */
  const mathrmContents = (latex: string): string[] => [...latex.matchAll(/\\mathrm\{([^}]*)\}/g)].map((m) => m[1]);

  it.each(HOSTILE)('never lets %j inject LaTeX', (label) => {
    const json = relabelled('lstm', { f: label, u: label, a: label, keep: label });
    const eqs = deriveEquations(shapedFrom(json), 'tutorial');
    const latex = formatEquations(eqs, 'latex');
    for (const bad of ['\\input', '\\def', '\\href', '/etc/passwd', '</script>', '<img', '`', '$', '%', '#', '~']) expect(latex).not.toContain(bad);
    for (const e of eqs) expect(e.latex).not.toMatch(/[&$%#~`<>]/);
    for (const inside of eqs.flatMap((e) => mathrmContents(e.latex))) expect(inside).toMatch(/^[\p{L}\p{N} -]{1,24}$/u);
  });

  it('cuts a sanitised label to 24 characters and keeps letters, digits, spaces and hyphens', () => {
    expect(sanitizeLatexLabel('}\\input{/etc/passwd}$x^')).toBe('inputetcpasswdx');
    expect(sanitizeLatexLabel('compuerta de-olvido ñ 123 \u0000 extra words here')).toBe('compuerta de-olvido ñ 12');
  });

  it('keeps the label in plain text without control characters, even for a cell built in memory (the loader refuses them in files)', () => {
    const loaded = loadCell(exampleJson('lstm'));
    if (!loaded.ok) throw new Error('lstm does not load');
    const nodes = loaded.value.nodes.map((n) => (n.id === 'o' ? { ...n, label: 'gate\u202e`x`' } : n));
    const compiled = compile({ ...loaded.value, nodes });
    if (!compiled.ok) throw new Error('does not compile');
    const eqs = deriveEquations(compiled.value.shaped, 'tutorial');
    const line = eqs.find((e) => e.nodeId === 'o') as Equation;
    expect(line.text.startsWith('gate`x`_t = ')).toBe(true);
  });

  it('falls back to a generated name when nothing printable is left', () => {
    const eqs = deriveEquations(shapedFrom(relabelled('lstm', { o: '$$}{' })), 'tutorial');
    expect(eqs.find((e) => e.nodeId === 'o')?.latex).toMatch(/^v_\{1\} = /);
  });
});

describe('unlabelled cells', () => {
  const bare = (name: string): Json => relabelled(name, Object.fromEntries((exampleJson(name).nodes as JsonNode[]).map((n) => [n.id, undefined])));

  it('derives an unlabelled LSTM with generated names and distinct weights', () => {
    const eqs = deriveEquations(shapedFrom(bare('lstm')), 'tutorial');
    expect(eqs.map((e) => e.text)).toEqual([
      'v_1 = σ(W_1·[a_{t−1}, x_t] + b_1)',
      'v_2 = σ(W_2·[a_{t−1}, x_t] + b_2)',
      'v_3 = σ(W_3·[a_{t−1}, x_t] + b_3)',
      's^(1)_t = v_1 ⊙ s^(1)_{t−1} + v_2 ⊙ tanh(W_4·[a_{t−1}, x_t] + b_4)',
      'a_t = v_3 ⊙ tanh(s^(1)_t)',
      'y_t = a_t',
    ]);
    expect(new Set(weightNames(eqs)).size).toBe(4);
  });

  it.each(EXAMPLES)('derives the unlabelled %s in every notation', (name) => {
    for (const notation of NOTATIONS) {
      const eqs = deriveEquations(shapedFrom(bare(name)), notation);
      expect(eqs.at(-1)?.text).toMatch(/^y_t = /);
      const linears = (exampleJson(name).nodes as JsonNode[]).filter((n) => n.kind === 'linear').length;
      expect(new Set(weightNames(eqs)).size).toBe(linears);
    }
  });
});

describe('naming rules', () => {
  it('names a value read twice, and inlines it nowhere', () => {
    // y_t reads tanh(c_t) too, so "squash" is read by a_new and y: fan-out.
    const json = exampleJson('lstm');
    const connections = (json.connections as Json[]).map((c) => (c.from === 'a_new' && c.to === 'y' ? { ...c, from: 'squash' } : c));
    const eqs = deriveEquations(shapedFrom({ ...json, connections }), 'tutorial');
    expect(eqs.map((e) => e.text).slice(-3)).toEqual(['v_1 = tanh(c_t)', 'a_t = o_t ⊙ v_1', 'y_t = v_1']);
  });

  it('writes a state fed straight from another value as its own line', () => {
    // A second state that just delays x_t: s_t = x_t.
    const json = exampleJson('rnn');
    const nodes = [...(json.nodes as Json[]), { id: 'lag', kind: 'state', label: 'delay', params: { size: 'input' }, position: { x: 0, y: 0 } }];
    const connections = [...(json.connections as Json[]), { from: 'x', fromPort: 'x', to: 'lag', toPort: 'next' }];
    const eqs = deriveEquations(shapedFrom({ ...json, nodes, connections }), 'olah');
    expect(eqs.map((e) => e.text)).toEqual(['h_t = tanh(W_h·[h_{t−1}, x_t] + b_h)', 'delay_t = x_t', 'y_t = h_t']);
  });
});

describe('hostile wiring', () => {
  const at = { x: 0, y: 0 };
  const cellWith = (nodes: Json[], connections: Json[]): Json => ({
    format: 'celda-cell', version: 1, metadata: { name: 'hostile', description: '' }, sizes: { input: 2, hidden: 2 },
    nodes: [{ id: 'x', kind: 'input', params: {}, position: at }, { id: 'y', kind: 'output', params: {}, position: at }, ...nodes],
    connections,
  });
  const shapedOnly = (json: Json): ShapedCell => {
    const loaded = loadCell(json);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const valid = validate(loaded.value);
    if (!valid.ok) throw new Error(JSON.stringify(valid.diagnostics));
    const shaped = inferShapes(valid.value);
    if (!shaped.ok) throw new Error(JSON.stringify(shaped.diagnostics));
    return shaped.value;
  };

  it('keeps the text linear in a long chain of inlined nodes', () => {
    const n = 900;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `t${i}`, kind: 'tanh', params: {}, position: at }));
    const links = nodes.map((_, i) => ({ from: i === 0 ? 'x' : `t${i - 1}`, fromPort: i === 0 ? 'x' : 'out', to: `t${i}`, toPort: 'in' }));
    const eqs = deriveEquations(shapedOnly(cellWith(nodes, [...links, { from: `t${n - 1}`, fromPort: 'out', to: 'y', toPort: 'y' }])), 'olah');
    expect(eqs).toHaveLength(1);
    expect(eqs[0].text.length).toBeLessThan(20 * n);
  });

  it('does not copy shared sub-expressions: text stays small when every concat is read twice', () => {
    const depth = 30;
    const nodes = Array.from({ length: depth }, (_, i) => ({ id: `c${i}`, kind: 'concat', params: {}, position: at }));
    const links = nodes.flatMap((_, i) => ['in0', 'in1'].map((port) => ({ from: i === 0 ? 'x' : `c${i - 1}`, fromPort: i === 0 ? 'x' : 'out', to: `c${i}`, toPort: port })));
    const eqs = deriveEquations(shapedOnly(cellWith(nodes, [...links, { from: `c${depth - 1}`, fromPort: 'out', to: 'y', toPort: 'y' }])), 'pytorch');
    expect(formatEquations(eqs, 'latex').length).toBeLessThan(100 * depth);
  });
});

/** x → [h_{t−1}, x] → linear → n tanh nodes in a chain → h and y; every tanh labelled alike. */
function alikeChain(n: number, label: string): Json {
  const rnn = exampleJson('rnn');
  const chain = Array.from({ length: n }, (_, i) => ({ id: `t${i}`, kind: 'tanh', label, params: {}, position: { x: 600 + 10 * i, y: 100 } }));
  const links = chain.map((t, i) => ({ from: i === 0 ? 'lin' : `t${i - 1}`, fromPort: 'out', to: t.id, toPort: 'in' }));
  const last = `t${n - 1}`;
  return {
    ...rnn,
    nodes: [...(rnn.nodes as JsonNode[]).filter((m) => m.id !== 'act'), ...chain],
    connections: [
      ...(rnn.connections as { from: string; to: string }[]).filter((c) => c.from !== 'act' && c.to !== 'act'),
      ...links,
      { from: last, fromPort: 'out', to: 'h', toPort: 'next' },
      { from: last, fromPort: 'out', to: 'y', toPort: 'y' },
    ],
  };
}

describe('equations of large cells', () => {
  it('numbers alike labels once each (same, same^(2), same^(3)…), never a numbered name again', () => {
    const lines = deriveEquations(shapedFrom(alikeChain(40, 'same')), 'tutorial').map((e) => e.text);
    expect(lines.slice(0, 3)).toEqual(['same_t = tanh(W_same·[a_{t−1}, x_t] + b_same)', 'same^(2)_t = tanh(same_t)', 'same^(3)_t = tanh(same^(2)_t)']);
    expect(lines.every((l) => (l.split(' = ')[0].match(/\^\(/g) ?? []).length <= 1)).toBe(true);
    expect(new Set(lines.map((l) => l.split(' = ')[0])).size).toBe(lines.length);
  });

  it('writes equations whose size grows linearly with the number of alike labels', () => {
    const size = (n: number) => formatEquations(deriveEquations(shapedFrom(alikeChain(n, 'same')), 'tutorial'), 'latex').length;
    const small = size(100);
    const large = size(400);
    // Four times the nodes: about four times the LaTeX (numbers gain a digit); re-wrapped names made it ~16×.
    expect(large / small).toBeLessThan(5);
  });
});

describe('how each node is written (the presenter view names the node it reveals)', () => {
  it('gives every LSTM node its line, its inlined expression, a state its previous value, and the input x_t', () => {
    const written = nodeExpressions(compileExample('lstm').shaped, 'tutorial');
    expect(written.size).toBe(loadExample('lstm').nodes.length);
    expect(written.get('f')?.text).toBe('f_t = σ(W_f·[a_{t−1}, x_t] + b_f)');
    expect(written.get('Wf')?.text).toBe('W_f·[a_{t−1}, x_t] + b_f');
    expect(written.get('keep')?.text).toBe('f_t ⊙ c_{t−1}');
    expect(written.get('c')?.text).toBe('c_{t−1}');
    expect(written.get('x')?.text).toBe('x_t');
    expect(written.get('y')?.text).toBe('y_t = a_t');
    expect(written.get('c_new')?.latex).toContain('c_t =');
  });
});
