import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJson } from '../../src/compiler';
import type { IrProgram } from '../../src/compiler/ir';
import { renderDiagnostic, type Diagnostic } from '../../src/model/diagnostics';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { paramsFileSizes, paramsFromJson, paramsToJson, type ParamsFileJson } from '../../src/runtime/params-file';

function compileCell(json: unknown, sizes: { input?: number; hidden?: number } = {}): IrProgram {
  const compiled = compileJson(json, sizes);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.value.program;
}

const lstmJson = (): unknown => JSON.parse(readFileSync(new URL('../../examples/lstm.json', import.meta.url), 'utf8'));

/** Every kind of tensor: a matrix and bias (linear), a scale's p, a state's learned init, and a named size. */
const tinyCell = {
  format: 'celda-cell',
  version: 1,
  metadata: { name: 'tiny' },
  sizes: { input: 2, hidden: 3, named: { proj: 2 } },
  nodes: [
    { id: 'x', kind: 'input', params: {} },
    { id: 'h', kind: 'state', params: { init: 'learned' } },
    { id: 'cat', kind: 'concat', params: {} },
    { id: 'lin', kind: 'linear', params: { biasInit: 0.5 } },
    { id: 'peep', kind: 'scale', params: { init: 'uniform', low: -1, high: 1 } },
    { id: 'act', kind: 'tanh', params: {} },
    { id: 'down', kind: 'linear', params: { out: 'proj', bias: false } },
    { id: 'y', kind: 'output', params: {} },
  ],
  connections: [
    { from: 'h', fromPort: 'prev', to: 'cat', toPort: 'in0' },
    { from: 'x', fromPort: 'x', to: 'cat', toPort: 'in1' },
    { from: 'cat', fromPort: 'out', to: 'lin', toPort: 'in' },
    { from: 'lin', fromPort: 'out', to: 'peep', toPort: 'in' },
    { from: 'peep', fromPort: 'out', to: 'act', toPort: 'in' },
    { from: 'act', fromPort: 'out', to: 'h', toPort: 'next' },
    { from: 'act', fromPort: 'out', to: 'down', toPort: 'in' },
    { from: 'down', fromPort: 'out', to: 'y', toPort: 'y' },
  ],
};

// Tests break files on purpose, so the JSON is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = Record<string, any>;

/** A params file as mutable JSON, through text as it would be on disk. */
function fileFor(program: IrProgram, seed = 3): { json: LooseJson; params: Parameters } {
  const params = initParameters(program, seed);
  return { json: JSON.parse(JSON.stringify(paramsToJson(program, params, seed))) as LooseJson, params };
}

function errorsOf(program: IrProgram, json: unknown): Diagnostic[] {
  const result = paramsFromJson(program, json);
  expect(result.ok).toBe(false);
  return result.diagnostics;
}

function expectBitwiseEqual(a: Parameters, b: Parameters): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const node of Object.keys(a)) {
    expect(Object.keys(a[node]).sort()).toEqual(Object.keys(b[node]).sort());
    for (const name of Object.keys(a[node])) expect(Array.from(b[node][name]), `${node}.${name}`).toEqual(Array.from(a[node][name]));
  }
}

describe('params file: round trip', () => {
  it('writes the LSTM as W [out rows][in cols] and b lists, and reads back the same bits', () => {
    const program = compileCell(lstmJson(), { input: 3, hidden: 4 });
    const { json, params } = fileFor(program, 7);
    expect(json).toMatchObject({ format: 'celda-params', version: 1, sizes: { input: 3, hidden: 4 }, seed: 7 });
    expect(Object.keys(json.params)).toEqual(['Wf', 'Wu', 'Wcc', 'Wo']);
    const W = json.params.Wf.W as number[][];
    expect(W).toHaveLength(4);
    expect(W.every((row) => row.length === 7)).toBe(true);
    expect(W[2][5]).toBe(params.Wf.W[2 * 7 + 5]);
    expect(json.params.Wf.b).toEqual([1, 1, 1, 1]);
    const back = paramsFromJson(program, json);
    expect(back.ok).toBe(true);
    if (back.ok) expectBitwiseEqual(params, back.value);
  });

  it('carries vectors (scale p, learned state init) and named sizes', () => {
    const program = compileCell(tinyCell);
    const { json, params } = fileFor(program);
    expect(json.sizes).toEqual({ input: 2, hidden: 3, proj: 2 });
    expect(Object.keys(json.params).sort()).toEqual(['down', 'h', 'lin', 'peep']);
    expect(json.params.h.init).toEqual([0, 0, 0]);
    expect(json.params.peep.p).toHaveLength(3);
    expect(json.params.down.W).toHaveLength(2);
    expect(json.params.down).not.toHaveProperty('b');
    const back = paramsFromJson(program, json);
    expect(back.ok && back.diagnostics).toEqual([]);
    if (back.ok) expectBitwiseEqual(params, back.value);
    expect(paramsFileSizes(json)).toEqual({ ok: true, value: { input: 2, hidden: 3, named: { proj: 2 } }, diagnostics: [] });
  });

  it('leaves the seed out when none is given', () => {
    const program = compileCell(tinyCell);
    const file: ParamsFileJson = paramsToJson(program, initParameters(program, 1));
    expect(file).not.toHaveProperty('seed');
  });
});

describe('params file: every problem is named', () => {
  const program = compileCell(lstmJson(), { input: 3, hidden: 4 });
  const fresh = () => fileFor(program).json;

  it.each([
    ['a list', [], 'params-not-an-object'],
    ['another format', { ...fresh(), format: 'celda-cell' }, 'params-wrong-format'],
    ['a version that is not a whole number', { ...fresh(), version: '1' }, 'params-bad-version'],
    ['a newer version', { ...fresh(), version: 2 }, 'params-newer-version'],
    ['a negative seed', { ...fresh(), seed: -1 }, 'params-bad-seed'],
    ['sizes that are not an object', { ...fresh(), sizes: [3, 4] }, 'params-bad-sizes'],
    ['a fractional size', { ...fresh(), sizes: { input: 3.5, hidden: 4 } }, 'params-bad-size'],
    ['params that are not an object', { ...fresh(), params: [] }, 'params-bad-params'],
  ])('refuses %s, in English and in Spanish', (_, json, code) => {
    const ds = errorsOf(program, json);
    expect(ds.map((d) => d.code)).toContain(code);
    for (const d of ds) {
      expect(renderDiagnostic(d, 'en')).toBe(d.message);
      expect(renderDiagnostic(d, 'es'), d.code).not.toBe(d.message);
    }
  });

  it('checks the sizes against the cell: mismatch, missing, unknown', () => {
    const json = fresh();
    json.sizes = { input: 3, proj: 5 };
    const ds = errorsOf(program, json);
    expect(ds.map((d) => [d.code, d.path])).toEqual(expect.arrayContaining([
      ['params-missing-size', 'sizes.hidden'], ['params-unknown-size', 'sizes.proj'],
    ]));
    json.sizes = { input: 3, hidden: 5 };
    const [mismatch] = errorsOf(program, json).filter((d) => d.code === 'params-size-mismatch');
    expect(mismatch.message).toBe('sizes.hidden is 5 in the params file but 4 in the cell.');
    expect(renderDiagnostic(mismatch, 'es')).toBe('sizes.hidden vale 5 en el archivo de parámetros pero 4 en la celda.');
    expect(paramsFileSizes({ ...json, sizes: { hidden: 4 } }).diagnostics.map((d) => d.path)).toEqual(['sizes.input']);
  });

  it('names an unknown node and an unknown tensor', () => {
    const json = fresh();
    json.params.Wx = { W: [[1]] };
    json.params.Wf.gamma = [1, 2];
    const ds = errorsOf(program, json);
    expect(ds.find((d) => d.code === 'params-unknown-node')).toMatchObject({ path: 'params.Wx' });
    expect(ds.find((d) => d.code === 'params-unknown-tensor')).toMatchObject({ nodeId: 'Wf', path: 'params.Wf.gamma' });
    expect(ds.find((d) => d.code === 'params-unknown-tensor')?.message).toContain('"gamma"');
  });

  it('says when the file was made for another cell', () => {
    const json = fresh();
    json.params = { Wz: json.params.Wf, Wr: json.params.Wu };
    const ds = errorsOf(program, json);
    expect(ds.map((d) => d.code)).toEqual(['params-other-cell']);
    expect(ds[0].message).toContain('"Wz", "Wr"');
  });

  it('names a missing tensor with its shape', () => {
    const json = fresh();
    delete json.params.Wo.b;
    delete json.params.Wu;
    const ds = errorsOf(program, json);
    expect(ds.map((d) => [d.code, d.nodeId, d.path])).toEqual([
      ['params-missing-tensor', 'Wu', 'params.Wu.W'],
      ['params-missing-tensor', 'Wu', 'params.Wu.b'],
      ['params-missing-tensor', 'Wo', 'params.Wo.b'],
    ]);
    expect(ds[0].message).toBe('Node Wu: tensor W [4×7] is missing from the params file.');
  });

  it('names wrong shapes: rows, row length, a vector given as a matrix, a node entry that is not an object', () => {
    const json = fresh();
    json.params.Wf.W.pop();
    json.params.Wu.W[2].push(0);
    json.params.Wcc.b = [[1, 2, 3, 4]];
    json.params.Wo = [1, 2];
    const ds = errorsOf(program, json);
    expect(ds.map((d) => [d.code, d.path])).toEqual([
      ['params-bad-node', 'params.Wo'],
      ['params-bad-shape', 'params.Wf.W'],
      ['params-bad-shape', 'params.Wu.W[2]'],
      ['params-bad-shape', 'params.Wcc.b'],
    ]);
    expect(ds[1].message).toBe('Node Wf: tensor W must have 4 rows [4×7], got 3.');
    expect(ds[2].message).toBe('Node Wu: tensor W row 2 must have 7 numbers (shape [4×7]), got 8 entries.');
    expect(ds[3].message).toBe('Node Wcc: tensor b must have 4 numbers [4], got 1 entry.');
    expect(renderDiagnostic(ds[2], 'es')).toBe('Nodo Wu: la fila 2 del tensor W debe tener 7 números (forma [4×7]); tiene 8 elementos.');
  });

  it('names the index of a number that is not finite', () => {
    const json = fresh();
    json.params.Wf.W[1][6] = null;
    json.params.Wo.b[3] = '0.5';
    const ds = errorsOf(program, json);
    expect(ds.map((d) => [d.nodeId, d.path, d.message])).toEqual([
      ['Wf', 'params.Wf.W[1][6]', 'Node Wf: tensor W[1][6] must be a finite number, got null.'],
      ['Wo', 'params.Wo.b[3]', 'Node Wo: tensor b[3] must be a finite number, got "0.5".'],
    ]);
    const parsed = { ...fresh() };
    parsed.params.Wf.b[0] = Number.NaN;
    expect(errorsOf(program, parsed)[0].path).toBe('params.Wf.b[0]');
  });

  it('treats "__proto__" in a file as an unknown node id and pollutes nothing', () => {
    const text = JSON.stringify(fresh()).replace('"params":{', '"params":{"__proto__":{"W":[[1]]},');
    const ds = errorsOf(program, JSON.parse(text));
    expect(ds.map((d) => d.code)).toEqual(['params-unknown-node']);
    expect(({} as Record<string, unknown>).W).toBeUndefined();
  });

  it('lists at most 50 problems', () => {
    const json = fresh();
    for (let i = 0; i < 80; i++) json.params[`extra${i}`] = {};
    const ds = errorsOf(program, json);
    expect(ds).toHaveLength(51);
    expect(ds[50]).toMatchObject({ code: 'params-too-many-errors', message: '…and 30 more problems in the params file.' });
  });
});
