/**
 * `celda init` → `celda run`, through files as a user would, and `run` on the LSTM
 * example against the independent textbook LSTM (tests/oracles/textbook.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lstm, type LstmWeights } from '../oracles/textbook';
import { celda, celdaJson, tempFiles } from './celda';
import { createRng } from '../../src/runtime/rng';

type Rows = number[][];
interface ParamsFile { sizes: Record<string, number>; params: Record<string, Record<string, number[] | Rows>> }
interface RunJson {
  ok: boolean; steps: number; batch: number;
  outputs: number[][][];
  finalStates: Record<string, Rows>;
  gradients?: { params: ParamsFile['params']; initialStates: Record<string, Rows> };
}

/** Our seeded generator (src/runtime/rng.ts) as a plain function. */
function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

const randomSeq = (rng: () => number, T: number, B: number, n: number): number[][][] =>
  Array.from({ length: T }, () => Array.from({ length: B }, () => Array.from({ length: n }, () => 2 * rng() - 1)));

const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

function maxDiff(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length).toBe(b.length);
    return a.reduce((m: number, v, i) => Math.max(m, maxDiff(v, b[i])), 0);
  }
  return Math.abs((a as number) - (b as number));
}

describe('celda init → celda run', () => {
  it('runs the parameters it wrote: outputs [T][B][hidden], final states, and a gradient for every tensor', () => {
    const tmp = tempFiles();
    const paramsPath = `${tmp.dir}/gru.params.json`;
    const init = celdaJson<{ ok: boolean; out: string; parameters: number }>('init', 'examples/gru.json', '--input', '3', '--hidden', '4', '--seed', '5', '--out', paramsPath);
    expect(init.status, init.stderr).toBe(0);
    expect(init.json).toMatchObject({ ok: true, out: paramsPath, parameters: 3 * (4 * 7 + 4) });
    const file = JSON.parse(readFileSync(paramsPath, 'utf8')) as ParamsFile & { format: string; seed: number };
    expect(file).toMatchObject({ format: 'celda-params', version: 1, sizes: { input: 3, hidden: 4 }, seed: 5 });

    const rng = seeded(3);
    const xs = tmp.write('x.json', randomSeq(rng, 3, 2, 3));
    const gs = tmp.write('g.json', randomSeq(rng, 3, 2, 4));
    const forwardOnly = celdaJson<RunJson>('run', 'examples/gru.json', '--params', paramsPath, '--inputs', xs);
    expect(forwardOnly.status, forwardOnly.stdout).toBe(0);
    expect(shapeOf(forwardOnly.json.outputs)).toEqual([3, 2, 4]);
    expect(Object.keys(forwardOnly.json.finalStates)).toEqual(['h']);
    expect(forwardOnly.json.finalStates.h).toEqual(forwardOnly.json.outputs[2]);
    expect(forwardOnly.json.gradients).toBeUndefined();

    const both = celdaJson<RunJson>('run', 'examples/gru.json', '-p', paramsPath, '-x', xs, '--grad-outputs', gs);
    expect(both.status, both.stdout).toBe(0);
    expect(both.json.outputs).toEqual(forwardOnly.json.outputs);
    const grads = both.json.gradients!;
    expect(Object.keys(grads.params)).toEqual(Object.keys(file.params));
    for (const [node, tensors] of Object.entries(file.params)) {
      expect(Object.keys(grads.params[node]), node).toEqual(Object.keys(tensors));
      for (const [name, values] of Object.entries(tensors)) expect(shapeOf(grads.params[node][name]), `${node}.${name}`).toEqual(shapeOf(values));
    }
    expect(shapeOf(grads.initialStates.h)).toEqual([2, 4]);

    const human = celda('run', 'examples/gru.json', '-p', paramsPath, '-x', xs, '-g', gs);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('outputs y_t: 3 steps × batch 2 × 4');
    expect(human.stdout).toContain('Wz.W [4×7]');
    expect(human.stdout).toContain('h h_0 b=1');
  });

  it('refuses inputs whose size does not match the params file, and gradients of the wrong shape (exit 1)', () => {
    const tmp = tempFiles();
    const paramsPath = `${tmp.dir}/p.json`;
    expect(celda('init', 'examples/rnn.json', '--input', '3', '--hidden', '2', '-o', paramsPath).status).toBe(0);
    const wide = tmp.write('wide.json', [[[1, 2, 3, 4]]]);
    const r = celda('run', 'examples/rnn.json', '-p', paramsPath, '-x', wide);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${wide}: error[bad-sequence] Inputs[0][0] has 4 numbers; the input size (sizes.input in ${paramsPath}) is 3.`);
    const xs = tmp.write('x.json', [[[1, 2, 3]], [[4, 5, 6]]]);
    const gs = tmp.write('g.json', '[[[1, 2]], [[1, 1e999]]]'); // overflows to Infinity
    const g = celdaJson('run', 'examples/rnn.json', '-p', paramsPath, '-x', xs, '-g', gs);
    expect(g.status).toBe(1);
    expect(g.json).toMatchObject({ ok: false, diagnostics: [{ code: 'bad-sequence', file: gs, path: '[1][0][1]', message: 'Output gradients[1][0][1] must be a finite number, got Infinity.' }] });
  });
});

describe('celda run agrees with the textbook LSTM', () => {
  it('outputs, final states and every gradient to 1e-9 (X=3, H=4, T=5, B=2)', () => {
    const [X, H, T, B] = [3, 4, 5, 2];
    const tmp = tempFiles();
    const paramsPath = `${tmp.dir}/lstm.params.json`;
    expect(celda('init', 'examples/lstm.json', '--input', String(X), '--hidden', String(H), '--out', paramsPath).status).toBe(0);
    // Random values everywhere (biases included), written back through the file format.
    const rng = seeded(2024);
    const file = JSON.parse(readFileSync(paramsPath, 'utf8')) as ParamsFile;
    for (const tensors of Object.values(file.params)) {
      for (const name of Object.keys(tensors)) {
        const t = tensors[name];
        tensors[name] = Array.isArray(t[0]) ? (t as Rows).map((row) => row.map(() => rng() - 0.5)) : (t as number[]).map(() => rng() - 0.5);
      }
    }
    tmp.write('lstm.params.json', file);
    const xs = randomSeq(rng, T, B, X);
    const gs = randomSeq(rng, T, B, H);
    const run = celdaJson<RunJson>('run', 'examples/lstm.json', '-p', paramsPath, '-x', tmp.write('x.json', xs), '-g', tmp.write('g.json', gs));
    expect(run.status, run.stdout).toBe(0);

    // Our linear nodes Wf, Wu, Wcc, Wo hold W [H][H+X] (columns [a_{t-1}, x_t]) and b [H].
    const p = file.params;
    const weights: LstmWeights = {
      Wf: p.Wf.W as Rows, Wu: p.Wu.W as Rows, Wc: p.Wcc.W as Rows, Wo: p.Wo.W as Rows,
      bf: p.Wf.b as number[], bu: p.Wu.b as number[], bc: p.Wcc.b as number[], bo: p.Wo.b as number[],
    };
    const zeros = (): Rows => Array.from({ length: B }, () => new Array<number>(H).fill(0));
    const oracle = lstm(weights, xs, zeros(), zeros(), gs);
    const ours = run.json;
    const grads = ours.gradients!;
    const o = oracle.grads!;
    const pairs: [string, unknown, unknown][] = [
      ['outputs', ours.outputs, oracle.outputs],
      ['final a', ours.finalStates.a, oracle.finalA],
      ['final c', ours.finalStates.c, oracle.finalC],
      ['dWf', grads.params.Wf.W, o.Wf], ['dWu', grads.params.Wu.W, o.Wu], ['dWc', grads.params.Wcc.W, o.Wc], ['dWo', grads.params.Wo.W, o.Wo],
      ['dbf', grads.params.Wf.b, o.bf], ['dbu', grads.params.Wu.b, o.bu], ['dbc', grads.params.Wcc.b, o.bc], ['dbo', grads.params.Wo.b, o.bo],
      ['da0', grads.initialStates.a, o.a0], ['dc0', grads.initialStates.c, o.c0],
    ];
    for (const [what, mine, theirs] of pairs) {
      expect(shapeOf(mine), what).toEqual(shapeOf(theirs));
      expect(maxDiff(mine, theirs), what).toBeLessThan(1e-9);
    }
    // The gradients are not trivially zero.
    expect(maxDiff(grads.initialStates.c, zeros())).toBeGreaterThan(1e-3);
  });
});
