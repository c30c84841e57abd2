/**
 * The PyTorch export computes what the reference runtime computes: every example and
 * random cells are exported, run by PyTorch (Debian's python3-torch, through
 * tests/export/parity.py, in one Python process) and compared with our float64
 * forward and backward — outputs, final states, every parameter gradient, initial-state
 * gradients — in float64 (1e-9) and float32 (1e-5 relative). The native nn.LSTM/nn.GRU
 * wrapper is checked for the two cells that have one; TorchScript for every export.
 * Hostile ids and labels never reach the code: it is the same as for plain names.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../src/compiler';
import { exportPytorch, nativeWeights, type PytorchExport } from '../../src/export/pytorch';
import type { Cell } from '../../src/model/cell';
import { loadCell } from '../../src/model/load';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { backward, forward, type ForwardResult, type GradientResult } from '../../src/runtime/reference';
import { createRng, type Rng } from '../../src/runtime/rng';
import { newerGatesCellJson } from '../fixtures/newer-gates';
import { HOSTILE_IDS, HOSTILE_LABELS, randomCell } from '../fixtures/random-cells';
import { compileExample, EXAMPLES, exampleJson } from '../helpers';
import { ZOO_IDS, compileZoo } from '../zoo/zoo';

const PYTHON = '/usr/bin/python3';
const PARITY = fileURLToPath(new URL('./parity.py', import.meta.url));
const INSTALL = `PyTorch is not importable by ${PYTHON}: install Debian's python3-torch (apt-get install python3-torch); CI installs it.`;
const T = 6;
const B = 3;
const F64 = 1e-9;
const F32 = 1e-5;
const RANDOM_SEEDS = Array.from({ length: 20 }, (_, i) => 101 + i);
/** Random cells whose plain and hostile namings are compared line by line. */
const HOSTILE_SEEDS = [3, 7, 11, 19, 23, 42];

type Dtype = 'float64' | 'float32';

interface CaseSpec {
  readonly label: string;
  readonly compiled: Compiled;
  readonly exported: PytorchExport;
  readonly params: Parameters;
  readonly xs: Float64Array[];
  readonly h0?: Float64Array[];
  readonly gradOutputs: Float64Array[];
  readonly dtype: Dtype;
  readonly native: boolean;
  readonly batchFirst: boolean;
  readonly run: ForwardResult;
  readonly grads: GradientResult;
}

interface ParityResult {
  readonly error?: string;
  readonly outputs: number[][][];
  readonly finalStates: number[][][];
  readonly finalStateShapes: number[][];
  readonly grads: Record<string, number[]>;
  readonly initialStateGrads: number[][] | null;
  readonly dtype: string;
  readonly scripted: boolean;
  readonly scriptError?: string;
  readonly scriptedMaxDiff?: number;
  readonly sequenceScripted: boolean;
  readonly sequenceScriptError?: string;
  readonly nativeScripted?: boolean;
  readonly nativeScriptError?: string;
}

const uniform = (n: number, rng: Rng, low: number, high: number): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(low, high));

/** [B × n] row-major → [B][n] (n may be 0). */
const rows = (a: Float64Array, n: number): number[][] => Array.from({ length: B }, (_, r) => Array.from(a.subarray(r * n, (r + 1) * n)));

function makeCase(label: string, compiled: Compiled, seed: number, o: { dtype?: Dtype; h0?: boolean; native?: boolean; batchFirst?: boolean } = {}): CaseSpec {
  const p = compiled.program;
  const rng = createRng(seed);
  const params = initParameters(p, seed);
  for (const t of p.tensors) params[t.nodeId][t.name].set(uniform(params[t.nodeId][t.name].length, rng, -0.5, 0.5));
  const X = p.input === null ? 0 : p.values[p.input].size;
  const Y = p.values[p.output].size;
  const xs = Array.from({ length: T }, () => uniform(B * X, rng, -1, 1));
  const h0 = o.h0 === false ? undefined : p.states.map((s) => uniform(B * s.size, rng, -0.5, 0.5));
  const gradOutputs = Array.from({ length: T }, () => uniform(B * Y, rng, -1, 1));
  const run = forward(p, params, xs, B, h0);
  const grads = backward(compiled.backward, params, run.tape, gradOutputs);
  const exported = exportPytorch(compiled, { params: { cell: params } });
  return { label, compiled, exported, params, xs, h0, gradOutputs, dtype: o.dtype ?? 'float64', native: o.native ?? false, batchFirst: o.batchFirst ?? false, run, grads };
}

function writeCase(dir: string, c: CaseSpec): void {
  mkdirSync(dir, { recursive: true });
  for (const f of c.exported.files) writeFileSync(join(dir, f.path), f.content);
  const p = c.compiled.program;
  const X = p.input === null ? 0 : p.values[p.input].size;
  const Y = p.values[p.output].size;
  writeFileSync(join(dir, 'case.json'), JSON.stringify({
    xs: c.xs.map((x) => rows(x, X)),
    h0: c.h0 ? c.h0.map((h, i) => rows(h, p.states[i].size)) : null,
    gradOutputs: c.gradOutputs.map((g) => rows(g, Y)),
    dtype: c.dtype,
    native: c.native,
    batchFirst: c.batchFirst,
  }));
}

function compileCell(cell: Cell): Compiled {
  const compiled = compile(cell);
  if (!compiled.ok) throw new Error(`does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.value;
}

// ---------------------------------------------------------------------------
// Hostile names
// ---------------------------------------------------------------------------

/** An example with every id replaced by a hostile one and every node, and the cell, given a hostile label. */
function hostileExample(name: string): Cell {
  const json = exampleJson(name) as { metadata: Record<string, unknown>; nodes: { id: string; label?: string }[]; connections: { from: string; to: string }[] };
  const ids = new Map(json.nodes.map((n, i) => [n.id, HOSTILE_IDS[i % HOSTILE_IDS.length] + (i >= HOSTILE_IDS.length ? String(i) : '')]));
  const hostile = {
    ...json,
    metadata: { ...json.metadata, name: 'os.system("rm -rf /") """ */ ${x} </script>', description: HOSTILE_LABELS.join('\n') },
    nodes: json.nodes.map((n, i) => ({ ...n, id: ids.get(n.id), label: HOSTILE_LABELS[(i * 7) % HOSTILE_LABELS.length] })),
    connections: json.connections.map((c) => ({ ...c, from: ids.get(c.from), to: ids.get(c.to) })),
  };
  const loaded = loadCell(JSON.parse(JSON.stringify(hostile)));
  if (!loaded.ok) throw new Error(`hostile ${name} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

const isComment = (line: string): boolean => line.trimStart().startsWith('#');

/** The code lines with parameter attributes (`self.<name>`) replaced by the tensor they hold. */
function skeleton(e: PytorchExport): string[] {
  const byName = new Map([...e.names].map(([id, name]) => [name, id]));
  return e.files[0].content.split('\n').filter((l) => !isComment(l))
    .map((l) => l.replace(/\bself\.([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => (byName.has(name) ? `self.<tensor ${byName.get(name)}>` : whole)));
}

/** Names the generated code uses itself (everything else must be lower-case [a-z0-9_]). */
const FIXED_NAMES = new Set([
  '__init__', 'CeldaCell', 'CeldaSequence', 'CeldaNativeLSTM', 'CeldaNativeGRU', 'INPUT_SIZE', 'OUTPUT_SIZE', 'STATE_SIZES',
  'Dict', 'List', 'Optional', 'Tuple', 'None', 'True', 'False', 'Tensor', 'Module', 'Parameter', 'LSTM', 'GRU', 'KeyError', 'ValueError',
]);

/** Identifiers of the code outside comments and string literals. */
function identifiers(text: string): string[] {
  const code = text.split('\n').filter((l) => !isComment(l)).join('\n')
    .replace(/"""[^]*?"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  return code.match(/\b[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

const count = (text: string, what: string): number => text.split(what).length - 1;

/** Nested lists of any depth → one flat list (a final state that comes back [1, B, n] still flattens). */
const flatten = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v as number]);

// ---------------------------------------------------------------------------
// The cases, built at collection time; PyTorch runs them all in one process.
// ---------------------------------------------------------------------------

const cases: CaseSpec[] = [];
for (const [k, name] of EXAMPLES.entries()) {
  const compiled = compileExample(name);
  cases.push(
    makeCase(`${name} float64`, compiled, 10 + k),
    makeCase(`${name} float64, initial states from the module, batch_first`, compiled, 20 + k, { h0: false, batchFirst: true }),
    makeCase(`${name} float32`, compiled, 30 + k, { dtype: 'float32' }),
  );
}
for (const name of ['lstm', 'gru-reset-after']) {
  const compiled = compileExample(name);
  cases.push(
    makeCase(`${name} native float64`, compiled, 40, { native: true }),
    makeCase(`${name} native float64, no initial states`, compiled, 41, { native: true, h0: false }),
  );
}
for (const seed of RANDOM_SEEDS) {
  const compiled = compileCell(randomCell(seed));
  const learned = compiled.program.states.some((s) => s.learnedInit !== undefined);
  cases.push(
    makeCase(`random cell ${seed} float64`, compiled, seed),
    makeCase(`random cell ${seed} float32`, compiled, seed + 1000, { dtype: 'float32' }),
    ...(learned || seed % 3 === 0 ? [makeCase(`random cell ${seed} float64, initial states from the module`, compiled, seed + 2000, { h0: false })] : []),
  );
}
/** No input node (INPUT_SIZE 0), a learned initial state, a constant: h_t = tanh(W h_{t−1} + b + 0.5). */
const withoutInput = compileCell((() => {
  const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, params, position: { x: 0, y: 0 } });
  const wire = (from: string, fromPort: string, to: string, toPort: string) => ({ from, fromPort, to, toPort });
  const loaded = loadCell({
    format: 'celda-cell', version: 1, metadata: { name: 'no input', description: '' }, sizes: { input: 2, hidden: 3 },
    nodes: [node('h', 'state', { init: 'learned' }), node('W', 'linear'), node('k', 'constant', { value: 0.5 }), node('sum', 'add'), node('act', 'tanh'), node('y', 'output')],
    connections: [wire('h', 'prev', 'W', 'in'), wire('W', 'out', 'sum', 'a'), wire('k', 'out', 'sum', 'b'), wire('sum', 'out', 'act', 'in'), wire('act', 'out', 'h', 'next'), wire('act', 'out', 'y', 'y')],
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.value;
})());
cases.push(
  makeCase('a cell without input float64', withoutInput, 60),
  makeCase('a cell without input float64, learned initial state', withoutInput, 61, { h0: false }),
  makeCase('a cell without input float32', withoutInput, 62, { dtype: 'float32', h0: false }),
  makeCase('lstm native float64, batch_first', compileExample('lstm'), 63, { native: true, batchFirst: true }),
);

const newerGates = compileCell((() => {
  const loaded = loadCell(newerGatesCellJson());
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.value;
})());
cases.push(
  makeCase('softplus and hard sigmoid float64', newerGates, 70),
  makeCase('softplus and hard sigmoid float32', newerGates, 71, { dtype: 'float32' }),
  ...ZOO_IDS.map((id, k) => makeCase(`zoo ${id} float64`, compileZoo(id, { input: 3, hidden: 4 }), 80 + k)),
);

const hostileLstm = compileCell(hostileExample('lstm'));
cases.push(
  makeCase('hostile lstm float64', hostileLstm, 50),
  makeCase('hostile lstm native float64', hostileLstm, 51, { native: true }),
  makeCase('hostile gru-reset-after float64', compileCell(hostileExample('gru-reset-after')), 52),
  ...HOSTILE_SEEDS.slice(0, 3).map((seed) => makeCase(`hostile random cell ${seed} float64`, compileCell(randomCell(seed, { naming: 'hostile' })), seed)),
);

let torchProblem: string | undefined;
let results = new Map<string, ParityResult>();
let root = '';
let pythonSeconds = 0;

function requireTorch(): void {
  if (torchProblem) throw new Error(torchProblem);
}

function resultOf(c: CaseSpec): ParityResult {
  requireTorch();
  const r = results.get(c.label);
  if (!r) throw new Error(`no result for ${c.label}`);
  if (r.error) throw new Error(`${c.label}: the exported module failed in PyTorch:\n${r.error}`);
  return r;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: Dtype, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / (dtype === 'float64' ? 1 : Math.max(1, Math.abs(expected[i])));
    if (!(e <= worst)) [worst, at] = [e, i];
  }
  const tolerance = dtype === 'float64' ? F64 : F32;
  expect(worst, `${what}: worst ${dtype === 'float64' ? 'absolute' : 'relative'} difference at [${at}] (ours ${expected[at]}, PyTorch ${actual[at]})`).toBeLessThan(tolerance);
}

beforeAll(() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'pipe' });
  } catch (e) {
    torchProblem = `${INSTALL}\n${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  root = mkdtempSync(join(tmpdir(), 'celda-pytorch-'));
  const dirs = cases.map((c, i) => {
    const dir = join(root, `case-${i}`);
    writeCase(dir, c);
    return dir;
  });
  const start = performance.now();
  const out = execFileSync(PYTHON, [PARITY, ...dirs], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  pythonSeconds = (performance.now() - start) / 1000;
  const list = JSON.parse(out) as ParityResult[];
  results = new Map(cases.map((c, i) => [c.label, list[i]]));
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('PyTorch is available', () => {
  it(`${PYTHON} imports torch (Debian's python3-torch)`, () => {
    requireTorch();
    expect(pythonSeconds).toBeGreaterThan(0);
  });
});

describe('the exported module computes what the reference runtime computes', () => {
  for (const c of cases) {
    it(c.label, () => {
      const r = resultOf(c);
      const p = c.compiled.program;
      expect(r.dtype).toBe(c.dtype === 'float64' ? 'torch.float64' : 'torch.float32');
      expect(r.outputs.length).toBe(T);
      r.outputs.forEach((y, t) => expectClose(y.flat(), c.run.outputs[t], c.dtype, `y_${t}`));
      expect(r.finalStates.length, 'number of final states').toBe(p.states.length);
      p.states.forEach((_, i) => expectClose(flatten(r.finalStates[i]), c.run.finalStates[i], c.dtype, `final state ${i}`));

      if (c.native) {
        const native = c.exported.native;
        if (!native) throw new Error('no native match');
        const expected = nativeWeights(p, native, { cell: c.grads.params });
        expect(Object.keys(r.grads).sort()).toEqual(Object.keys(expected).sort());
        for (const [name, t] of Object.entries(expected)) {
          // nn.LSTM has two biases where our LSTM has one: both get the gradient of ours.
          const data = native.kind === 'lstm' && name === 'bias_hh_l0' ? expected.bias_ih_l0.data : t.data;
          expectClose(r.grads[name], data, c.dtype, `∂L/∂${name}`);
        }
      } else {
        const names = [...c.exported.names.values()];
        expect(Object.keys(r.grads).sort(), 'the module has exactly the exported parameters').toEqual([...names].sort());
        for (const t of p.tensors) {
          const name = c.exported.names.get(t.id) as string;
          expectClose(r.grads[name], c.grads.params[t.nodeId][t.name], c.dtype, `∂L/∂${name} (${t.nodeId}.${t.name})`);
        }
      }
      if (c.h0) {
        expect(r.initialStateGrads, 'initial-state gradients').not.toBeNull();
        p.states.forEach((_, i) => expectClose((r.initialStateGrads as number[][])[i], c.grads.initialStates[i], c.dtype, `∂L/∂h0 of state ${i}`));
      }

      expect(r.scripted, `torch.jit.script(CeldaCell()) failed:\n${r.scriptError}`).toBe(true);
      if (!c.native) expect(r.scriptedMaxDiff as number, 'the scripted cell computes what the eager one does').toBeLessThanOrEqual(c.dtype === 'float64' ? F64 : F32);
      expect(r.sequenceScripted, `torch.jit.script(CeldaSequence()) failed: ${r.sequenceScriptError}`).toBe(true);
      if (c.native) expect(r.nativeScripted, `the native wrapper does not script: ${r.nativeScriptError}`).toBe(true);
      // Last, so that a wrong shape is reported only once every value has been found right.
      p.states.forEach((s, i) => expect(r.finalStateShapes[i], `final state ${i} shape (a drop-in for CeldaSequence returns [batch, size])`).toEqual([B, s.size]));
    });
  }
});

describe('the native nn.LSTM / nn.GRU wrapper', () => {
  it('is offered for the LSTM and the reset-after GRU only', () => {
    expect(exportPytorch(compileExample('lstm')).native?.kind).toBe('lstm');
    expect(exportPytorch(compileExample('gru-reset-after')).native?.kind).toBe('gru');
    expect(exportPytorch(compileExample('gru')).native).toBeUndefined();
    expect(exportPytorch(compileExample('rnn')).native).toBeUndefined();
    for (const seed of RANDOM_SEEDS) expect(exportPytorch(compileCell(randomCell(seed))).native, `random cell ${seed}`).toBeUndefined();
  });

  it('does not depend on ids or labels', () => {
    expect(exportPytorch(hostileLstm).native?.kind).toBe('lstm');
    const module = exportPytorch(compileExample('gru')).files[0].content;
    expect(module).not.toMatch(/CeldaNative|load_native_weights/);
  });
});

describe('hostile ids and labels never reach the code', () => {
  const pairs: [string, Compiled, Compiled][] = [
    ...(['lstm', 'gru-reset-after', 'gru', 'rnn'] as const).map((name): [string, Compiled, Compiled] => [name, compileExample(name), compileCell(hostileExample(name))]),
    ...HOSTILE_SEEDS.map((seed): [string, Compiled, Compiled] => [`random cell ${seed}`, compileCell(randomCell(seed, { naming: 'plain' })), compileCell(randomCell(seed, { naming: 'hostile' }))]),
  ];
  for (const [label, plainCompiled, hostileCompiled] of pairs) {
    it(`${label}: the code is that of the plain cell, but for parameter names and comments`, () => {
      const plain = exportPytorch(plainCompiled);
      const hostile = exportPytorch(hostileCompiled);
      const text = hostile.files[0].content;
      expect(skeleton(hostile)).toEqual(skeleton(plain));

      for (const name of hostile.names.values()) expect(name).toMatch(/^[a-z][a-z0-9_]{0,40}$/);
      for (const id of identifiers(text)) {
        if (!FIXED_NAMES.has(id)) expect(id, 'an identifier of the generated code').toMatch(/^[a-z][a-z0-9_]*$/);
      }
      const code = text.split('\n').filter((l) => !isComment(l)).join('\n');
      for (const bad of ['__import__', 'os.system', 'exec(', 'eval(', 'rm -rf', '</script>', '${', '*/', '`', '\\']) {
        expect(count(code, bad), `${JSON.stringify(bad)} in the code`).toBe(count(skeleton(plain).join('\n'), bad));
      }
      // Quotes and docstrings: exactly the ones we emit for the plain cell.
      for (const quote of ['"""', '"', "'"]) expect(count(text, quote), `${quote} in the module`).toBe(count(plain.files[0].content, quote));
      // The first line is our fixed encoding declaration (its asterisks are Emacs's, not from the file).
      expect(text.split('\n')[0]).toBe('# -*- coding: utf-8 -*-');
      for (const line of text.split('\n').slice(1).filter(isComment)) {
        expect(line, 'a comment line').not.toMatch(/["'\\`<>$*/\r\t]/);
      }
    });
  }
});
