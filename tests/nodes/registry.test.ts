/**
 * Registry-driven: one row per primitive. A node is tested the moment it is
 * registered, and a file in nodes/ that is not registered fails the guard.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODES, nodeDef } from '../../nodes';
import type { NodeDef, Params } from '../../nodes/types';
import { compile } from '../../src/compiler';
import { CELL_FORMAT, type Cell } from '../../src/model/cell';
import { evaluateSize, parseSize, type SizeExpr } from '../../src/model/sizes';
import { GRADCHECK_TOLERANCE, gradcheckCell, gradcheckNode } from '../../src/runtime/gradcheck';

const NOT_PRIMITIVES = new Set(['index.ts', 'types.ts', 'kit.ts']);
const SIZES = { input: 3, hidden: 4 };

const defaults = (def: NodeDef): Params => Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));

function concreteSizes(def: NodeDef, params: Params, env: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.type === 'size') out[name] = evaluateSize(parseSize(params[name]) as SizeExpr, env) as number;
  }
  return out;
}

/** Sizes for a node check: the first worked example's, else every input of size `hidden`. */
function checkSetup(def: NodeDef) {
  const example = def.examples[0];
  const params = { ...defaults(def), ...example?.params };
  const env = { ...SIZES, ...example?.sizes };
  const ports = def.inputPorts(params);
  const inSizes = example && example.inputs.length === ports.length ? example.inputs.map((v) => v.length) : ports.map(() => SIZES.hidden);
  const sizes = concreteSizes(def, params, env);
  const sizeParams = Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, parseSize(n) as SizeExpr]));
  const shape = def.shape({ inputs: inSizes.map((n) => parseSize(n) as SizeExpr), params, sizeParams });
  if ('error' in shape) throw new Error(`${def.kind}: ${shape.error}`);
  return { params, sizes, inSizes, outSize: evaluateSize(shape.size, env) as number };
}

describe('the registry', () => {
  it('registers every file in nodes/, under the kind its file is named after', () => {
    const dir = fileURLToPath(new URL('../../nodes/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !NOT_PRIMITIVES.has(f));
    const kinds = files.map((f) => f.replace(/\.ts$/, ''));
    expect(kinds.sort()).toEqual(NODES.map((n) => n.kind).sort());
  });

  it('has unique kinds and at least the primitives the foundation promises', () => {
    const kinds = NODES.map((n) => n.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const k of ['input', 'state', 'output', 'linear', 'scale', 'layer-norm', 'add', 'subtract', 'multiply', 'one-minus', 'sigmoid', 'hard-sigmoid', 'tanh', 'relu', 'softplus', 'identity', 'constant', 'concat', 'slice']) {
      expect(nodeDef(k), k).toBeDefined();
    }
  });
});

describe.each(NODES.map((def) => [def.kind, def] as const))('node %s', (_kind, def) => {
  it('documents itself in English and Spanish, with every param documented', () => {
    for (const t of [def.label, def.docs]) {
      expect(t.en.trim().length).toBeGreaterThan(0);
      expect(t.es.trim().length).toBeGreaterThan(0);
    }
    for (const spec of Object.values(def.params)) expect(spec.doc.en && spec.doc.es).toBeTruthy();
  });

  it('computes its worked examples', () => {
    for (const example of def.examples) {
      const params = { ...defaults(def), ...example.params };
      const sizes = concreteSizes(def, params, { ...SIZES, ...example.sizes });
      const weights = Object.fromEntries(Object.entries(example.weights ?? {}).map(([k, v]) => [k, Float64Array.from(v)]));
      const out = def.forward!({
        inputs: example.inputs.map((v) => Float64Array.from(v)), inSizes: example.inputs.map((v) => v.length),
        outSize: example.output.length, batch: 1, params, sizes, weights,
      });
      expect(Array.from(out)).toEqual(example.output.map((v) => expect.closeTo(v, 12)));
    }
  });

  // constant has nothing to differentiate: no inputs, no weights.
  const differentiable = def.role === 'op' && (def.inputPorts(defaults(def)).length > 0 || def.weights !== undefined);
  it.runIf(differentiable)('has a VJP that matches finite differences (float64)', () => {
    const report = gradcheckNode(def, checkSetup(def));
    expect(report.checked).toBeGreaterThan(0);
    expect(report.maxRelativeError, JSON.stringify(report.worst)).toBeLessThan(GRADCHECK_TOLERANCE);
  });

  it('writes a LaTeX and a text template from its operands', () => {
    const params = defaults(def);
    const inputs = def.inputPorts(params).map((_, i) => `q_{${i}}`);
    const ctx = { inputs, params, subscript: 's', sizeParams: { start: '0', length: 'hidden', size: 'hidden', out: 'hidden' } };
    expect(def.latex(ctx).length).toBeGreaterThan(0);
    // A state's expression is h_{t−1}: its input (h_t) is not an operand within the step.
    const operands = def.role === 'state' ? [] : inputs;
    for (const operand of operands) expect(def.latex(ctx)).toContain(operand);
  });
});

/** The io primitives (input, state, output) are checked inside a small cell that uses all of them. */
describe('io primitives inside a cell', () => {
  const node = (id: string, kind: string, params: Record<string, string | number | boolean> = {}) => ({ id, kind, params, position: { x: 0, y: 0 } });
  const link = (from: string, fromPort: string, to: string, toPort: string) => ({ from, fromPort, to, toPort });
  const cell = (stateInit: 'zeros' | 'learned'): Cell => ({
    format: CELL_FORMAT, version: 1, metadata: { name: 'io check', description: '' }, sizes: { input: 3, hidden: 4, named: {} },
    nodes: [node('x', 'input'), node('h', 'state', { init: stateInit }), node('lin', 'linear'), node('p', 'scale', { init: 'uniform' }),
      node('sum', 'add'), node('act', 'tanh'), node('y', 'output')],
    connections: [link('x', 'x', 'lin', 'in'), link('h', 'prev', 'p', 'in'), link('lin', 'out', 'sum', 'a'), link('p', 'out', 'sum', 'b'),
      link('sum', 'out', 'act', 'in'), link('act', 'out', 'h', 'next'), link('act', 'out', 'y', 'y')],
  });

  it.each(['zeros', 'learned'] as const)('gradients through input, state (init %s) and output match finite differences', (init) => {
    const compiled = compile(cell(init));
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const report = gradcheckCell(compiled.value.backward, { steps: 5, batch: 3, seed: 3 });
    expect(report.maxRelativeError, JSON.stringify(report.worst)).toBeLessThan(GRADCHECK_TOLERANCE);
    // W (4×3) + b (4) + p (4), plus the learned init (4) or the given h0 (batch 3 × 4).
    expect(report.checked).toBe(init === 'learned' ? 24 : 32);
  });
});
