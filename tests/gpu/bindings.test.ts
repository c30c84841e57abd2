/**
 * Backend binding limits (src/compiler/bindings.ts): WebGPU binds 8 storage buffers per kernel
 * (one is the output), WebGL2 its texture units. Laid out for WebGPU, every kernel of every
 * example and of a 10-gate chain reads at most 7 buffers, the kernels that read more get gather
 * kernels, and — run here on webasm, the same gathers and rewritten sources — the step still
 * matches the float64 reference to 1e-4. A kernel that no gather can fit is refused naming the limit,
 * and a shader the browser refuses is reported by its compiler's line, not a WGSL dump.
 */
import { readFileSync } from 'node:fs';
import { GPU } from 'gpu.js';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { fitBindings, type BindingLimit } from '../../src/compiler/bindings';
import { CodegenError, generateTraining, type KernelSpec, type TrainingKernels } from '../../src/compiler/codegen';
import { bindingLimit, chunkFor, compileFailure, KernelCompileError } from '../../src/gpu/runner';
import { gateChain } from '../compiler/chain-cells';
import { compileRandomCell } from '../fixtures/random-cells';
import { chunkParity } from './chunk-parity';

const gpu = new GPU({ mode: 'webasm' });
afterAll(() => gpu.destroy());

const WEBGPU = bindingLimit('webgpu') as BindingLimit;

function example(name: string): Compiled {
  const r = compileJson(JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')), { input: 4, hidden: 5 });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

function chain(): Compiled {
  const c = compile(gateChain(10), { input: 3, hidden: 4 });
  if (!c.ok) throw new Error(c.diagnostics[0].message);
  return c.value;
}

function layout(c: Compiled, bindings?: BindingLimit): TrainingKernels {
  return generateTraining(c.program, { batch: 3, steps: 5, loss: 'classes', outputs: 5, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor('webgpu'), ...(bindings && { bindings }) });
}

function everyKernel(k: TrainingKernels): KernelSpec[] {
  return [...k.prologue, ...k.forward, ...k.readout, ...k.backward, ...k.epilogue].flatMap((s) => [...(s.gathers ?? []), s]);
}

const reads = (spec: KernelSpec, chunk: number): number => (spec.refsFor?.(chunk) ?? spec.operands).length;

const cells: [string, () => Compiled][] = [
  ...['lstm', 'gru', 'gru-reset-after', 'rnn'].map((n): [string, () => Compiled] => [n, () => example(n)]),
  ['a chain of 10 gates (35 parameter regions)', chain],
];

describe('laid out for WebGPU', () => {
  it('WebGPU binds 7 buffers per kernel besides its output', () => {
    expect(WEBGPU.buffers).toBe(7);
    expect(WEBGPU.name).toBe('webgpu binds 7 buffers per kernel (maxStorageBuffersPerShaderStage 8, one of them the output)');
  });

  it.each(cells)('%s: every kernel, gathers included, reads at most 7 buffers', (_name, cell) => {
    const k = layout(cell(), WEBGPU);
    for (const spec of everyKernel(k)) expect(reads(spec, k.chunk), spec.name).toBeLessThanOrEqual(7);
  });

  it('the LSTM needs gathers (its gradient norm reads 14 gradients) and only where a kernel reads more than 7', () => {
    const plain = layout(example('lstm'));
    const fitted = layout(example('lstm'), WEBGPU);
    const over = everyKernel(plain).filter((s) => reads(s, plain.chunk) > 7).map((s) => s.name);
    expect(over).toContain('grad_norm');
    const gathered = [...fitted.prologue, ...fitted.forward, ...fitted.backward, ...fitted.epilogue].filter((s) => s.gathers?.length).map((s) => s.name);
    expect(gathered).toEqual(over);
    expect(everyKernel(plain).some((s) => s.gathers)).toBe(false);
  });

  it.each(cells)('%s: with the gathers, one chunk on webasm matches the reference (outputs, loss, every gradient to 1e-4)', async (_name, cell) => {
    const r = await chunkParity(cell(), 3, { mode: 'webasm', layout: 'webgpu', gpu });
    for (const { what, error } of r.errors) expect(error, what).toBeLessThan(1e-4);
  });

  it.each([100, 101, 102, 103, 104, 105])('random cell %i with the gathers over 9 steps, one-hot inputs, matches to 1e-4', async (seed) => {
    const r = await chunkParity(compileRandomCell(seed, { input: 3, hidden: 3 }), seed, { mode: 'webasm', layout: 'webgpu', gpu, steps: 9, oneHot: true });
    for (const { what, error } of r.errors) expect(error, what).toBeLessThan(1e-4);
  });
});

describe('a kernel no gather can fit is refused, naming the limit', () => {
  const tight: BindingLimit = { buffers: 2, name: 'this backend binds 2 buffers per kernel' };

  it('one reading three arguments (arguments are never copied)', () => {
    const spec: KernelSpec = {
      name: 'k', role: 'fused', output: [4], source: () => 'function(a0, a1, a2, t) { return a0[0] + a1[0] + a2[0]; }',
      operands: [{ kind: 'arg', name: 'X' }, { kind: 'arg', name: 'P' }, { kind: 'arg', name: 'HP' }],
    };
    expect(() => fitBindings(spec, tight, () => undefined, 2)).toThrow(new CodegenError('kernel k reads 3 buffers, and this backend binds 2 buffers per kernel; only 0 of them can be copied into a shared buffer'));
  });

  it('a chunk of steps reading more than the backend binds', () => {
    expect(() => layout(example('rnn'), tight)).toThrow(/^kernel \w+ reads \d+ buffers, and this backend binds 2 buffers per kernel; a kernel summing over a chunk of 2 steps is not split; a shorter chunk reads fewer$/);
  });
});

describe('a shader the browser refuses is reported without the generated source', () => {
  it('WGSL: the compiler\'s line, not the shader gpu.js appends', () => {
    const raw = new Error('Error compiling WGSL compute shader:\n  47:1 increment statement can only be applied to an integer scalar\n--- generated WGSL ---\nstruct Params {\n  outputX : u32,\n}\nuser_i++;}');
    const e = compileFailure('webgpu', raw);
    expect(e).toBeInstanceOf(KernelCompileError);
    expect((e as Error).message).toBe('webgpu could not compile a kernel: Error compiling WGSL compute shader: 47:1 increment statement can only be applied to an integer scalar');
  });

  it('GLSL: the first lines of the log, cut at 300 characters', () => {
    const e = compileFailure('webgl2', new Error(`Error compiling fragment shader: ERROR: 0:12: '${'x'.repeat(400)}' : undeclared identifier\nERROR: 0:13: second`));
    expect((e as Error).message).toMatch(/^webgl2 could not compile a kernel: Error compiling fragment shader: ERROR: 0:12: 'x+…$/);
    expect((e as Error).message.length).toBeLessThan(360);
  });

  it('other errors pass through unchanged', () => {
    const other = new Error('WebGPU device was lost');
    expect(compileFailure('webgpu', other)).toBe(other);
  });
});
