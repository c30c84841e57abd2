/**
 * Layer norm's decomposition for the fast path (src/compiler/decompose.ts): on the float64
 * reference, the rewritten program computes what the original does (outputs, final states and
 * every gradient of the cell's own parameters, to 1e-9); the plan then holds products and
 * elementwise ops only, with the two fixed matrices never learned.
 */
import { describe, expect, it } from 'vitest';
import type { NodeDef } from '../../nodes/types';
import { differentiate } from '../../src/compiler/autodiff';
import { DecompositionError, decomposeForKernels } from '../../src/compiler/decompose';
import { generateTraining } from '../../src/compiler/codegen';
import type { IrProgram } from '../../src/compiler/ir';
import { planStep } from '../../src/compiler/plan';
import { initParameters, type Parameters } from '../../src/runtime/init';
import { backward, forward } from '../../src/runtime/reference';
import { createRng } from '../../src/runtime/rng';
import { compileZoo } from '../zoo/zoo';

const BATCH = 3;
const STEPS = 4;

function randomArrays(count: number, length: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length }, () => rng.uniform(-1, 1)));
}

/** The original's parameters with every learned value moved off its init (a gain of 1 and a bias of 0 would hide mistakes). */
function perturbed(p: IrProgram, seed: number): Parameters {
  const params = initParameters(p, seed);
  let k = 0;
  for (const tensors of Object.values(params)) for (const [name, a] of Object.entries(tensors)) tensors[name] = a.map((v, i) => v + 0.3 * Math.sin(++k + i));
  return params;
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('layer norm decomposed for the fast path', () => {
  const original = compileZoo('layernorm-lstm', { input: 3, hidden: 5 }).program;
  const decomposed = decomposeForKernels(original);

  it('leaves no layer norm: products with fixed 1/n matrices and elementwise ops with kernel templates, the result values and learned tensors unchanged', () => {
    expect(decomposed.ops.some((op) => op.def.kind === 'layer-norm')).toBe(false);
    expect(decomposed.ops.every((op) => op.def.kernel !== undefined || ['linear', 'concat', 'slice'].includes(op.def.kind))).toBe(true);
    expect(decomposed.tensors.slice(0, original.tensors.length)).toEqual(original.tensors);
    const fixed = decomposed.tensors.slice(original.tensors.length);
    const norms = original.ops.filter((op) => op.def.kind === 'layer-norm');
    expect(fixed).toHaveLength(2 * norms.length);
    for (const t of fixed) expect(t).toMatchObject({ fixed: true, name: 'W', init: { kind: 'constant', value: 1 / (t.shape[1] ?? 0) } });
    expect(decomposed.output).toBe(original.output);
    expect(decomposed.states).toEqual(original.states);
    for (const op of norms) expect(decomposed.ops.filter((o) => o.result === op.result)).toHaveLength(1);
  });

  it('computes the same outputs, final states and parameter gradients on the float64 reference (1e-9, as the zoo oracles)', () => {
    const params = perturbed(original, 5);
    // The rewrite's own tensors: the fixed matrices (1/n everywhere).
    const withFixed: Parameters = structuredClone(params);
    for (const t of decomposed.tensors.slice(original.tensors.length)) (withFixed[t.nodeId] ??= {})[t.name] = new Float64Array(t.shape[0] * (t.shape[1] ?? 1)).fill((t.init as { value: number }).value);
    const xs = randomArrays(STEPS, BATCH * 3, 11);
    const a = forward(original, params, xs, BATCH);
    const b = forward(decomposed, withFixed, xs, BATCH);
    a.outputs.forEach((y, t) => expect(maxDifference(y, b.outputs[t]), `y at step ${t}`).toBeLessThan(1e-9));
    a.finalStates.forEach((h, i) => expect(maxDifference(h, b.finalStates[i]), `state ${i}`).toBeLessThan(1e-9));

    const gradOutputs = randomArrays(STEPS, a.outputs[0].length, 13);
    const ga = backward(differentiate(original), params, a.tape, gradOutputs);
    const gb = backward(differentiate(decomposed), withFixed, b.tape, gradOutputs);
    for (const t of original.tensors) {
      expect(maxDifference(ga.params[t.nodeId][t.name], gb.params[t.nodeId][t.name]), `∂${t.nodeId}.${t.name}`).toBeLessThan(1e-9);
    }
    ga.initialStates.forEach((g, i) => expect(maxDifference(g, gb.initialStates[i]), `∂h0 of state ${i}`).toBeLessThan(1e-9));
  });

  it('plans and generates kernels in which the fixed matrices get no gradient and hold 1/n', () => {
    const plan = planStep(original);
    expect(plan.program.ops.length).toBe(decomposed.ops.length);
    const k = generateTraining(original, { batch: 2, steps: 3, loss: 'values', outputs: 1, optimizer: 'adam', learnInitialStates: true });
    const fixed = k.regions.filter((r) => r.fixed !== undefined);
    expect(fixed.length).toBeGreaterThanOrEqual(2 * original.ops.filter((op) => op.def.kind === 'layer-norm').length);
    for (const r of fixed) {
      expect(r.grad).toBeUndefined();
      const t = plan.program.tensors[r.tensor as number];
      expect(t.fixed).toBe(true);
      expect(r.fixed).toBe(1 / (t.shape[1] ?? 0));
    }
    for (const t of original.tensors) expect(k.regions.filter((r) => r.tensor === t.id).every((r) => r.grad !== undefined), `tensor ${t.nodeId}.${t.name} learns`).toBe(true);
  });

  it('refuses a decomposition into an op the fused kernels cannot compute, or one that does not end with its result', () => {
    const op = original.ops.find((o) => o.def.kind === 'layer-norm');
    if (!op) throw new Error('no layer norm');
    const withDecomposition = (decompose: NodeDef['decompose']): IrProgram => ({ ...original, ops: original.ops.map((o) => (o === op ? { ...o, def: { ...o.def, decompose } as NodeDef } : o)) });
    expect(() => decomposeForKernels(withDecomposition((b) => b.op(op.def, b.inputs)))).toThrow(DecompositionError);
    expect(() => decomposeForKernels(withDecomposition((b) => b.op(op.def, b.inputs)))).toThrow(/layer-norm decomposes into layer-norm, which has no kernel templates/);
    expect(() => decomposeForKernels(withDecomposition((b) => b.inputs[0]))).toThrow(/must end with the op giving its result/);
  });
});
