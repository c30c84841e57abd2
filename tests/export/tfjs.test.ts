/**
 * The TensorFlow.js export, run for real: each exported module is written to a
 * temporary folder inside the repository (so that it resolves @tensorflow/tfjs
 * from node_modules, as in a user's project), imported unchanged, run with
 * tf.layers.rnn on the cpu backend and compared with the float64 reference
 * runtime — outputs, final states and every weight gradient.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../src/compiler';
import type { IrProgram } from '../../src/compiler/ir';
import { exportTfjs, TFJS_WEIGHTS_FORMAT } from '../../src/export/tfjs';
import { parameterNames } from '../../src/export/names';
import { IdentifierPool } from '../../src/export/identifiers';
import type { Cell } from '../../src/model/cell';
import { loadCell } from '../../src/model/load';
import type { Parameters } from '../../src/runtime/init';
import { initModel, readoutForward } from '../../src/runtime/model';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { newerGatesCellJson } from '../fixtures/newer-gates';
import { randomCell } from '../fixtures/random-cells';
import { EXAMPLES, exampleJson } from '../helpers';
import { zooText } from '../zoo/zoo';

const T = 6;
const B = 3;

/** What the generated module exports (it is plain JavaScript). */
interface CellLike extends tf.layers.RNNCell {
  initialStates(batch: number): tf.Tensor[];
  readonly stateSize: number[];
}
interface GeneratedModule {
  readonly INPUT_SIZE: number;
  readonly OUTPUT_SIZE: number;
  readonly STATE_SIZES: readonly number[];
  readonly WEIGHT_NAMES: readonly string[];
  readonly WEIGHTS_FORMAT: string;
  readonly CeldaCell: (new (args?: object) => CellLike) & { className: string };
  readonly CeldaRNN: (new (args?: object) => tf.layers.Layer & { cell: CellLike }) & { className: string };
  loadWeights(target: unknown, json: unknown): void;
}

// ---------------------------------------------------------------------------
// Cells under test
// ---------------------------------------------------------------------------

type NodeSpec = [id: string, kind: string, params?: Record<string, unknown>, label?: string];

/** A raw cell file from nodes and "from.port -> to.port" edges. */
function rawCell(name: string, nodes: NodeSpec[], edges: string[], sizes = { input: 3, hidden: 4 }): unknown {
  return {
    format: 'celda-cell',
    version: 1,
    metadata: { name, description: name },
    sizes,
    nodes: nodes.map(([id, kind, params = {}, label], i) => ({ id, kind, ...(label !== undefined && { label }), params, position: { x: 100 * i, y: 0 } })),
    connections: edges.map((e) => {
      const [from, to] = e.split(' -> ');
      const [fromId, fromPort] = from.split('.');
      const [toId, toPort] = to.split('.');
      return { from: fromId, fromPort, to: toId, toPort };
    }),
  };
}

function load(json: unknown): Cell {
  const loaded = loadCell(json);
  if (!loaded.ok) throw new Error(`test cell does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

function compiled(cell: Cell, sizes: { input?: number; hidden?: number } = {}): Compiled {
  const result = compile(cell, sizes);
  if (!result.ok) throw new Error(`test cell does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}

/** LSTM with a peephole (learned scale of c_{t−1} into the forget gate) and learned initial states. */
function peepholeLstm(): Cell {
  const json = exampleJson('lstm') as { nodes: { id: string; kind: string; params: Record<string, unknown>; label?: string; position: unknown }[]; connections: { from: string; fromPort: string; to: string; toPort: string }[] };
  for (const n of json.nodes) if (n.kind === 'state') n.params = { ...n.params, init: 'learned' };
  json.nodes.push({ id: 'peep', kind: 'scale', params: { init: 'uniform', low: -1, high: 1 }, label: 'peephole', position: { x: 0, y: 0 } });
  json.nodes.push({ id: 'fsum', kind: 'add', params: {}, position: { x: 0, y: 0 } });
  const intoF = json.connections.find((c) => c.to === 'f' && c.toPort === 'in');
  if (!intoF) throw new Error('test setup: f.in is not connected');
  json.connections = json.connections.filter((c) => c !== intoF);
  json.connections.push(
    { from: 'c', fromPort: 'prev', to: 'peep', toPort: 'in' },
    { from: intoF.from, fromPort: intoF.fromPort, to: 'fsum', toPort: 'a' },
    { from: 'peep', fromPort: 'out', to: 'fsum', toPort: 'b' },
    { from: 'fsum', fromPort: 'out', to: 'f', toPort: 'in' },
  );
  return load(json);
}

/**
 * Every other primitive (constant, slice, relu, subtract, one-minus, identity, a stacked
 * linear without bias), a second state of another size with a learned start, and an output
 * wider than the first state (tf.layers.RNN would assume STATE_SIZES[0]).
 */
function oddCell(): Cell {
  return load(rawCell('odd shapes', [
    ['x', 'input'],
    ['h', 'state', {}, 'hidden'],
    ['m', 'state', { size: 2, init: 'learned' }, 'memory'],
    ['cat', 'concat', { inputs: 3 }],
    ['lin', 'linear', { out: '2*hidden', init: 'orthogonal' }, 'stacked'],
    ['s1', 'slice', { start: 0, length: 'hidden' }],
    ['s2', 'slice', { start: 'hidden', length: 'hidden' }],
    ['k', 'constant', { value: -0.5, size: 'hidden' }],
    ['r', 'relu', {}],
    ['d', 'subtract', {}],
    ['g', 'sigmoid', {}, 'gate'],
    ['om', 'one-minus', {}],
    ['id', 'identity', {}],
    ['mul', 'multiply', {}],
    ['hn', 'tanh', {}],
    ['lm', 'linear', { out: 2, bias: false }, 'memory in'],
    ['mn', 'tanh', {}],
    ['out', 'concat', { inputs: 2 }],
    ['y', 'output'],
  ], [
    'h.prev -> cat.in0', 'x.x -> cat.in1', 'm.prev -> cat.in2', 'cat.out -> lin.in',
    'lin.out -> s1.in', 'lin.out -> s2.in', 's1.out -> r.in', 'r.out -> d.a', 'k.out -> d.b',
    's2.out -> g.in', 'g.out -> om.in', 'd.out -> id.in', 'om.out -> mul.a', 'id.out -> mul.b', 'mul.out -> hn.in',
    'hn.out -> h.next', 'cat.out -> lm.in', 'lm.out -> mn.in', 'mn.out -> m.next',
    'hn.out -> out.in0', 's2.out -> out.in1', 'out.out -> y.y',
  ]));
}

/** No input node: the step reads only its state (which starts at a learned vector). */
function inputlessCell(): Cell {
  return load(rawCell('autonomous', [
    ['h', 'state', { init: 'learned' }, 'hidden'],
    ['lin', 'linear', {}],
    ['act', 'tanh', {}],
    ['y', 'output'],
  ], ['h.prev -> lin.in', 'lin.out -> act.in', 'act.out -> h.next', 'act.out -> y.y']));
}

/** No state at all: a feed-forward step (tf.layers.RNN is given stateSize []). */
function statelessCell(): Cell {
  return load(rawCell('feed-forward', [
    ['x', 'input'],
    ['lin', 'linear', { out: 'hidden + 1' }],
    ['act', 'sigmoid', {}],
    ['y', 'output'],
  ], ['x.x -> lin.in', 'lin.out -> act.in', 'act.out -> y.y']));
}

/** Labels, ids and a name made to break generated code if they ever reached it. */
const HOSTILE = {
  name: '*/ </script><script>alert(1)</script> `${process.exit(1)}`',
  labels: ['"; process.exit(1); //', "'); require('child_process').exec('rm -rf /'); ('", '`${globalThis.x = 1}`', '*/ /* x', 'forget\nimport os', '\\u0027 \\x22 \\', '</script>', 'constructor', 'this', '__proto__'],
  ids: ['tf', 'this', 'v0', 'x', 'a.b', 'call', 'build', 'name', 'weights'],
};

function hostileLstm(): Cell {
  const json = exampleJson('lstm') as { metadata: { name: string }; nodes: { id: string; label?: string }[]; connections: { from: string; to: string }[] };
  json.metadata.name = HOSTILE.name;
  json.nodes.forEach((n, i) => {
    n.label = HOSTILE.labels[i % HOSTILE.labels.length];
    if (i < HOSTILE.ids.length) {
      const old = n.id;
      n.id = HOSTILE.ids[i];
      for (const c of json.connections) {
        if (c.from === old) c.from = n.id;
        if (c.to === old) c.to = n.id;
      }
    }
  });
  return load(json);
}

const RANDOM_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

interface Case {
  readonly title: string;
  readonly cell: Cell;
  readonly sizes?: { input?: number; hidden?: number };
}

const CASES: Case[] = [
  ...EXAMPLES.map((name) => ({ title: `example ${name}`, cell: load(exampleJson(name)) })),
  { title: 'example lstm at input 5, hidden 7', cell: load(exampleJson('lstm')), sizes: { input: 5, hidden: 7 } },
  { title: 'peephole LSTM with learned initial states', cell: peepholeLstm() },
  { title: 'odd shapes (every primitive, output wider than the first state)', cell: oddCell() },
  { title: 'softplus and a hard sigmoid past its kinks', cell: load(newerGatesCellJson()) },
  { title: 'zoo SCRN (constants, a named size, an output of two states)', cell: load(JSON.parse(zooText('scrn'))) },
  { title: 'zoo layer-normalised LSTM (layer-norm, slices of a stacked product)', cell: load(JSON.parse(zooText('layernorm-lstm'))) },
  { title: 'a cell without input', cell: inputlessCell() },
  { title: 'a cell without state', cell: statelessCell() },
  { title: 'LSTM with hostile labels and ids', cell: hostileLstm() },
  ...RANDOM_SEEDS.map((seed) => ({ title: `random cell ${seed} (${seed % 2 ? 'plain' : 'hostile'} names)`, cell: randomCell(seed, { naming: seed % 2 ? 'plain' : 'hostile' }) })),
];

// ---------------------------------------------------------------------------
// Running the generated module
// ---------------------------------------------------------------------------

const TMP = fileURLToPath(new URL(`./.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}/`, import.meta.url));
let written = 0;

/** Writes the exported files to a fresh folder and imports the module as a user would. */
async function importExport(files: readonly { path: string; content: string }[]): Promise<{ module: GeneratedModule; weights: string }> {
  const dir = join(TMP, `m${written++}`);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  const module = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'celda_cell.js')).href)) as GeneratedModule;
  return { module, weights: files.find((f) => f.path === 'weights.json')?.content ?? '' };
}

/** Uniform random values, rounded to float32 so both runtimes see the same numbers. */
const f32 = (n: number): number => Math.fround(n);

function randomParams(p: IrProgram, seed: number): Parameters {
  const rng = createRng(seed);
  const params: Parameters = {};
  for (const t of p.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    (params[t.nodeId] ??= {})[t.name] = Float64Array.from({ length: n }, () => f32(rng.uniform(-0.6, 0.6)));
  }
  return params;
}

const randomRows = (rng: ReturnType<typeof createRng>, n: number): Float64Array => Float64Array.from({ length: n }, () => f32(rng.uniform(-1, 1)));

/** [T][B×n] (time-major, ours) → [B, T, n] (batch-major, tf.layers.rnn's). */
function batchMajor(seq: readonly Float64Array[], n: number): tf.Tensor3D {
  const data = new Float32Array(B * T * n);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) data[(b * T + t) * n + j] = seq[t][b * n + j];
  return tf.tensor3d(data, [B, T, n]);
}

/** [B, T, n] → [T][B×n]. */
function timeMajor(data: ArrayLike<number>, n: number): Float64Array[] {
  return Array.from({ length: T }, (_, t) => {
    const out = new Float64Array(B * n);
    for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) out[b * n + j] = data[(b * T + t) * n + j];
    return out;
  });
}

/** Largest |a − b| / max(1, |b|): absolute near zero, relative for large values. */
function worstError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return Number.isNaN(worst) ? Infinity : worst;
}

type Layerish = { apply(x: tf.Tensor, kwargs?: object): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] };

interface TfRun {
  readonly outputs: Float64Array[];
  readonly finalStates: Float64Array[];
  /** ∂L/∂weight by exported name. */
  readonly grads: Map<string, Float64Array>;
}

/**
 * Runs a layer over xs and differentiates L = Σ G·y + Σ H·h_T with respect to the cell's
 * weights. `initialState` is called inside the differentiated function (learned starts get gradients).
 */
function runTf(layer: Layerish, cell: CellLike, names: readonly string[], xs: tf.Tensor3D, G: tf.Tensor3D, H: readonly tf.Tensor[], outputSize: number, initialState?: () => tf.Tensor[]): TfRun {
  // Like any TF.js layer, a one-element result comes back as a bare tensor (a cell without state).
  const run = (): tf.Tensor[] => [layer.apply(xs, initialState ? { initialState: initialState() } : undefined) as tf.Tensor | tf.Tensor[]].flat();
  const [ys, ...finals] = run();
  const outputs = timeMajor(ys.dataSync(), outputSize);
  const finalStates = finals.map((s) => Float64Array.from(s.dataSync()));
  tf.dispose([ys, ...finals]);
  const grads = new Map<string, Float64Array>();
  const variables = names.map((name) => (cell as unknown as Record<string, tf.LayerVariable>)[name].read() as tf.Variable);
  if (variables.length > 0) {
    const result = tf.variableGrads(() => tf.tidy(() => {
      const [y, ...hs] = run();
      let loss = tf.sum(tf.mul(G, y));
      hs.forEach((h, i) => (loss = tf.add(loss, tf.sum(tf.mul(H[i], h)))));
      // Weights the loss does not reach (dead branches) get a zero gradient instead of none.
      for (const v of variables) loss = tf.add(loss, tf.mul(0, tf.sum(v)));
      return loss as tf.Scalar;
    }), variables);
    names.forEach((name, i) => grads.set(name, Float64Array.from(result.grads[variables[i].name].dataSync())));
    tf.dispose([result.value, ...Object.values(result.grads)]);
  }
  return { outputs, finalStates, grads };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('exportTfjs', () => {
  it.each(CASES.map((c, i) => [c.title, i] as const))('%s: tf.layers.rnn matches the reference runtime (outputs, states, gradients)', async (_title, index) => {
    const { cell: cellFile, sizes } = CASES[index];
    const compiledCell = compiled(cellFile, sizes);
    const p = compiledCell.program;
    const params = randomParams(p, 100 + index);
    const exported = exportTfjs(compiledCell, { params: { cell: params } });
    const { module: m, weights } = await importExport(exported.files);

    // Module facts.
    const X = p.input === null ? 0 : p.values[p.input].size;
    const Y = p.values[p.output].size;
    expect(m.INPUT_SIZE).toBe(X);
    expect(m.OUTPUT_SIZE).toBe(Y);
    expect(m.STATE_SIZES).toEqual(p.states.map((s) => s.size));
    expect(m.WEIGHT_NAMES).toEqual(p.tensors.map((t) => exported.names.get(t.id)));
    expect(m.WEIGHTS_FORMAT).toBe(TFJS_WEIGHTS_FORMAT);
    expect(Object.getPrototypeOf(m.CeldaCell)).toBe(tf.layers.RNNCell);
    expect(Object.getPrototypeOf(m.CeldaRNN)).toBe(tf.layers.RNN);
    const json = JSON.parse(weights) as { tensors: Record<string, { shape: number[]; data: number[] }> };
    expect(Object.keys(json.tensors)).toEqual(m.WEIGHT_NAMES);

    // Inputs, output gradients G and final-state gradients H.
    const rng = createRng(7 + index);
    const xsOurs = Array.from({ length: T }, () => randomRows(rng, B * X));
    const gOurs = Array.from({ length: T }, () => randomRows(rng, B * Y));
    const hOurs = p.states.map((s) => randomRows(rng, B * s.size));
    const xs = X > 0 ? batchMajor(xsOurs, X) : tf.zeros([B, T, 1]) as tf.Tensor3D;
    const G = batchMajor(gOurs, Y);
    const H = hOurs.map((h, i) => tf.tensor2d(Float32Array.from(h), [B, p.states[i].size]));

    const reference = forward(p, params, xsOurs, B);
    const referenceGrads = backward(compiledCell.backward, params, reference.tape, gOurs, hOurs).params;

    const check = (run: TfRun, how: string) => {
      run.outputs.forEach((y, t) => expect(worstError(y, reference.outputs[t]), `${how}: y at step ${t}`).toBeLessThanOrEqual(1e-5));
      run.finalStates.forEach((h, i) => expect(worstError(h, reference.finalStates[i]), `${how}: final state ${i}`).toBeLessThanOrEqual(1e-5));
      expect(run.finalStates.length).toBe(p.states.length);
      for (const t of p.tensors) {
        const name = exported.names.get(t.id) as string;
        expect(worstError(run.grads.get(name) as Float64Array, referenceGrads[t.nodeId][t.name]), `${how}: ∂L/∂${name}`).toBeLessThanOrEqual(1e-4);
      }
    };

    // 1. CeldaRNN: starts from the cell's own initial states.
    const layer = new m.CeldaRNN({ returnSequences: true, returnState: true });
    m.loadWeights(layer, weights);
    check(runTf(layer, layer.cell, m.WEIGHT_NAMES, xs, G, H, Y), 'CeldaRNN');

    // 2. The plain tf.layers.rnn, given the cell's initial states.
    const cell = new m.CeldaCell();
    m.loadWeights(cell, JSON.parse(weights));
    const plain = tf.layers.rnn({ cell, returnSequences: true, returnState: true });
    check(runTf(plain, cell, m.WEIGHT_NAMES, xs, G, H, Y, () => cell.initialStates(B)), 'tf.layers.rnn');

    layer.dispose();
    plain.dispose();
    tf.dispose([xs, G, ...H]);
  });

  it.each(CASES.map((c, i) => [c.title, i] as const))('%s: works in a symbolic tf.model and survives save and load', async (_title, index) => {
    const { cell: cellFile, sizes } = CASES[index];
    const compiledCell = compiled(cellFile, sizes);
    const p = compiledCell.program;
    const params = randomParams(p, 300 + index);
    const { module: m, weights } = await importExport(exportTfjs(compiledCell, { params: { cell: params } }).files);
    const X = Math.max(1, m.INPUT_SIZE);
    const input = tf.input({ shape: [null, X] });
    const layer = new m.CeldaRNN({ returnSequences: true, returnState: true });
    const outputs = [layer.apply(input) as tf.SymbolicTensor | tf.SymbolicTensor[]].flat();
    expect(outputs.map((o) => o.shape)).toEqual([[null, null, m.OUTPUT_SIZE], ...m.STATE_SIZES.map((n) => [null, n])]);
    m.loadWeights(layer, weights);
    const model = tf.model({ inputs: input, outputs });

    const rng = createRng(11 + index);
    const xsOurs = Array.from({ length: T }, () => randomRows(rng, B * m.INPUT_SIZE));
    const xs = m.INPUT_SIZE > 0 ? batchMajor(xsOurs, X) : tf.zeros([B, T, 1]) as tf.Tensor3D;
    const reference = forward(p, params, xsOurs, B);
    const predicted = [model.predict(xs) as tf.Tensor | tf.Tensor[]].flat();
    timeMajor(predicted[0].dataSync(), m.OUTPUT_SIZE).forEach((y, t) => expect(worstError(y, reference.outputs[t])).toBeLessThanOrEqual(1e-5));

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const again = [loaded.predict(xs) as tf.Tensor | tf.Tensor[]].flat();
    expect(again.length).toBe(predicted.length);
    again.forEach((t, i) => expect(worstError(t.dataSync(), predicted[i].dataSync())).toBe(0));
    tf.dispose([xs, ...predicted, ...again]);
    model.dispose();
    loaded.dispose();
  });

  it.each(CASES.map((c, i) => [c.title, i] as const))('%s: initialises its weights as Celda does', async (_title, index) => {
    const { cell: cellFile, sizes } = CASES[index];
    const compiledCell = compiled(cellFile, sizes);
    const p = compiledCell.program;
    const { module: m } = await importExport(exportTfjs(compiledCell).files);
    const layer = new m.CeldaRNN({ returnSequences: false });
    const y = layer.apply(tf.randomUniform([B, T, Math.max(1, m.INPUT_SIZE)], -1, 1)) as tf.Tensor;
    expect(y.shape).toEqual([B, m.OUTPUT_SIZE]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    const weights = layer.cell as unknown as Record<string, tf.LayerVariable>;
    p.tensors.forEach((t, i) => {
      const values = weights[m.WEIGHT_NAMES[i]].read().dataSync();
      expect(weights[m.WEIGHT_NAMES[i]].shape).toEqual(t.shape);
      switch (t.init.kind) {
        case 'zeros':
        case 'constant': {
          const value = t.init.kind === 'zeros' ? 0 : t.init.value;
          expect(Array.from(values).every((v) => v === f32(value))).toBe(true);
          break;
        }
        case 'uniform': {
          const { low, high } = t.init;
          expect(Array.from(values).every((v) => v >= f32(low) && v <= f32(high))).toBe(true);
          break;
        }
        case 'xavier': {
          const [rows, cols] = t.shape.length === 2 ? t.shape : [t.shape[0], 1];
          const limit = Math.sqrt(6 / (rows + cols));
          expect(Array.from(values).every((v) => Math.abs(v) <= f32(limit))).toBe(true);
          break;
        }
        case 'orthogonal': {
          // Orthonormal rows (or columns, when tall): W Wᵀ = I or Wᵀ W = I.
          const [rows, cols] = t.shape as [number, number];
          const k = Math.min(rows, cols);
          const at = (i: number, j: number) => (rows > cols ? values[j * cols + i] : values[i * cols + j]);
          for (let a = 0; a < k; a++) {
            for (let b = 0; b < k; b++) {
              let dot = 0;
              for (let c = 0; c < Math.max(rows, cols); c++) dot += at(a, c) * at(b, c);
              expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-5);
            }
          }
        }
      }
    });
    tf.dispose(y);
    layer.dispose();
  });

  it.each(CASES.map((c, i) => [c.title, i] as const))('%s: no text from the file reaches code, only // comments', (_title, index) => {
    const { cell: cellFile, sizes } = CASES[index];
    const compiledCell = compiled(cellFile, sizes);
    const exported = exportTfjs(compiledCell, { params: { cell: randomParams(compiledCell.program, 1) } });
    const source = exported.files[0].content;
    // Nothing that ends a line comment, starts a template, closes a script or a block comment early.
    expect(source).not.toMatch(/[\r\u2028\u2029`"\\$]|<\//);
    const lines = source.split('\n');
    const comment = (l: string) => /^\s*(\/\/|\/\*\*|\*|\*\/)/.test(l.trim());
    for (const line of lines.filter((l) => l.startsWith('//'))) expect(line).not.toMatch(/\*\/|\/\*|[<>]/);
    const code = lines.filter((l) => !comment(l)).join('\n');
    // Every string literal in the code is ours: package, dtype, format, messages, generated names.
    for (const literal of code.match(/'[^'\n]*'/g) ?? []) expect(literal).toMatch(/^'[A-Za-z0-9_@/.,:;[\]\- ]*'$/);
    for (const name of exported.names.values()) expect(name).toMatch(/^[a-z][a-z0-9_]{0,40}$/);
    // Labels, ids and the name with any code-like character appear nowhere in the code.
    const texts = [cellFile.metadata.name, ...cellFile.nodes.flatMap((n) => [n.id, n.label ?? ''])];
    for (const text of texts.filter((t) => t.trim().length >= 2 && /["'`\\$<>\n*/#(){};=]/.test(t))) expect(code).not.toContain(text);
    // The weights file is plain JSON keyed by the same names.
    const json = JSON.parse(exported.files[1].content) as { format: string; tensors: Record<string, unknown> };
    expect(json.format).toBe(TFJS_WEIGHTS_FORMAT);
    expect(Object.keys(json.tensors)).toEqual([...exported.names.values()]);
  });

  it('names weights as parameterNames does with a fresh pool, header from the equations', () => {
    const c = compiled(load(exampleJson('lstm')));
    const { files, names } = exportTfjs(c);
    expect([...names.values()]).toEqual([...parameterNames(c, new IdentifierPool()).values()]);
    expect([...names.values()]).toEqual(['w_forget', 'b_forget', 'w_update', 'b_update', 'w_candidate', 'b_candidate', 'w_output', 'b_output']);
    expect(files.map((f) => f.path)).toEqual(['celda_cell.js']);
    const source = files[0].content;
    expect(source).toContain("import * as tf from '@tensorflow/tfjs';");
    expect(source).toContain('// Celda cell: LSTM');
    expect(source).toMatch(/^\/\/ {3}c_t = /m);
    expect(exportTfjs(c, { notation: 'tutorial' }).files[0].content).not.toBe(source);
  });

  it('runs under plain Node too (no bundler, no Vitest transform)', async () => {
    const c = compiled(oddCell());
    const p = c.program;
    const params = randomParams(p, 77);
    const { files } = exportTfjs(c, { params: { cell: params } });
    const dir = join(TMP, 'node');
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f.path), f.content);
    const rng = createRng(78);
    const xsOurs = Array.from({ length: T }, () => randomRows(rng, B * p.values[p.input as number].size));
    const X = p.values[p.input as number].size;
    const xsData = Array.from(batchMajor(xsOurs, X).dataSync());
    writeFileSync(join(dir, 'run.mjs'), [
      "import { readFileSync } from 'node:fs';",
      "import * as tf from '@tensorflow/tfjs';",
      "import { CeldaRNN, loadWeights } from './celda_cell.js';",
      "await tf.setBackend('cpu');",
      'const rnn = new CeldaRNN({ returnSequences: true, returnState: true });',
      "loadWeights(rnn, readFileSync(new URL('./weights.json', import.meta.url), 'utf8'));",
      `const [ys, ...hs] = rnn.apply(tf.tensor3d(${JSON.stringify(xsData)}, [${B}, ${T}, ${X}]));`,
      'process.stdout.write(JSON.stringify({ ys: Array.from(ys.dataSync()), hs: hs.map((h) => Array.from(h.dataSync())) }));',
    ].join('\n'));
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'run.mjs')], { cwd: dir });
    const got = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { ys: number[]; hs: number[][] };
    const reference = forward(p, params, xsOurs, B);
    timeMajor(got.ys, p.values[p.output].size).forEach((y, t) => expect(worstError(y, reference.outputs[t])).toBeLessThanOrEqual(1e-5));
    got.hs.forEach((h, i) => expect(worstError(h, reference.finalStates[i])).toBeLessThanOrEqual(1e-5));
    expect(got.hs.length).toBe(p.states.length);
  });

  it('loadWeights refuses other files and missing or misshapen tensors', async () => {
    const c = compiled(load(exampleJson('rnn')), { input: 2, hidden: 3 });
    const exported = exportTfjs(c, { params: { cell: randomParams(c.program, 5) } });
    const { module: m, weights } = await importExport(exported.files);
    const good = JSON.parse(weights) as { format: string; tensors: Record<string, { shape: number[]; data: number[] }> };
    const [first] = m.WEIGHT_NAMES;
    const cell = new m.CeldaCell();
    expect(() => m.loadWeights(cell, { ...good, format: 'celda-torch-weights' })).toThrow(/not a Celda TF.js weights file/);
    expect(() => m.loadWeights(cell, null)).toThrow(/not a Celda/);
    expect(() => m.loadWeights(cell, { ...good, tensors: {} })).toThrow(`weights file has no tensor ${first}`);
    expect(() => m.loadWeights(cell, { ...good, tensors: { ...good.tensors, [first]: { shape: [1], data: [0] } } })).toThrow(/must have shape/);
    expect(() => m.loadWeights(cell, { ...good, tensors: { ...good.tensors, [first]: null } })).toThrow(/no tensor/);
    m.loadWeights(cell, good);
    expect(Array.from((cell as unknown as Record<string, tf.LayerVariable>)[first].read().dataSync())).toEqual(good.tensors[first].data.map(f32));
    // The order of WEIGHT_NAMES is the order of getWeights()/setWeights().
    const layer = tf.layers.rnn({ cell });
    layer.apply(tf.zeros([1, 2, m.INPUT_SIZE]));
    expect(layer.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(m.WEIGHT_NAMES.map((n) => good.tensors[n].data.map(f32)));
    layer.dispose();
    // A cell built for another input size says so.
    expect(() => tf.layers.rnn({ cell: new m.CeldaCell() }).apply(tf.zeros([1, 2, m.INPUT_SIZE + 1]))).toThrow(/expects 2 input features, got 3/);
  });

  it('writes a readout in tf.layers.dense layout', async () => {
    const c = compiled(load(exampleJson('gru')), { input: 3, hidden: 4 });
    const model = initModel(c, 5, 9);
    const exported = exportTfjs(c, { params: model });
    const json = JSON.parse(exported.files[1].content) as { readout: { kernel: { shape: number[]; data: number[] }; bias: { shape: number[]; data: number[] } } };
    expect(json.readout.kernel.shape).toEqual([4, 5]);
    const dense = tf.layers.dense({ units: 5, inputShape: [4] });
    dense.apply(tf.zeros([1, 4]));
    dense.setWeights([tf.tensor(json.readout.kernel.data, json.readout.kernel.shape), tf.tensor(json.readout.bias.data, json.readout.bias.shape)]);
    const y = Float64Array.from({ length: 2 * 4 }, (_, i) => f32(Math.sin(i)));
    const got = (dense.apply(tf.tensor2d(Float32Array.from(y), [2, 4])) as tf.Tensor).dataSync();
    expect(worstError(got, readoutForward(model.readout, y, 2))).toBeLessThanOrEqual(1e-6);
    dense.dispose();
  });
});
