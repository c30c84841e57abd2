/**
 * The automatic choice is honest: it never takes a software or fallback WebGPU adapter or a
 * software WebGL2 renderer (fake probes: what SwiftShader, llvmpipe and a hardware GPU answer),
 * and it falls back one backend at a time on real failures (gpu.js cannot run a mode in Node;
 * a cell past the gpu backend's kernel limits), saying which backend runs and why. The fallback during a
 * first step (a shader that fails when it first runs) is driven in Chromium: backend.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { autoOrder, BackendFailure, createTrainerOn, fastestMode, softwareAdapter, summariseError, DETAIL_MAX, type BrowserProbe, type WebGpuAdapterFacts } from '../../src/gpu/choose';
import type { GpuMode } from '../../src/gpu/runner';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/runtime/train';
import { offsetPyramid } from '../compiler/chain-cells';
import { task } from './fixtures';

const adapter = (facts: Partial<WebGpuAdapterFacts>): WebGpuAdapterFacts => ({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, ...facts });
/** What Chromium answers on this kind of machine with --enable-unsafe-webgpu, and without. */
const SWIFTSHADER_GPU = adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' });
const SWIFTSHADER_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const HARDWARE_GPU = adapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' });
const HARDWARE_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
const everywhere = (): boolean => true;

const order = (probe: BrowserProbe) => autoOrder(probe, everywhere).map((c) => (c.skip ? `${c.backend}: ${c.skip.reason}${c.skip.detail ? ` (${c.skip.detail})` : ''}` : c.backend));

describe('the automatic choice, from what the browser answers', () => {
  it('a hardware WebGPU adapter comes first, then a hardware WebGL2, webasm and the reference', () => {
    expect(order({ webgpu: HARDWARE_GPU, webgl2Renderer: HARDWARE_GL })).toEqual(['webgpu', 'webgl2', 'webasm', 'reference']);
    expect(fastestMode({ webgpu: HARDWARE_GPU, webgl2Renderer: HARDWARE_GL }, everywhere)).toBe('webgpu');
  });

  it('SwiftShader WebGPU and SwiftShader WebGL2 are both passed over for webasm, each named', () => {
    const probe = { webgpu: SWIFTSHADER_GPU, webgl2Renderer: SWIFTSHADER_GL };
    expect(order(probe)).toEqual(['webgpu: software (SwiftShader Device (Subzero))', `webgl2: software (${SWIFTSHADER_GL})`, 'webasm', 'reference']);
    expect(fastestMode(probe, everywhere)).toBe('webasm');
  });

  it('an adapter that says it is a fallback adapter is passed over even with a hardware-sounding name', () => {
    const fallback = adapter({ vendor: 'acme', description: 'Acme Turbo', isFallbackAdapter: true });
    expect(softwareAdapter(fallback)).toBe('Acme Turbo');
    expect(order({ webgpu: fallback, webgl2Renderer: HARDWARE_GL })).toEqual(['webgpu: software (Acme Turbo)', 'webgl2', 'webasm', 'reference']);
  });

  it('an llvmpipe architecture or renderer is software; a GPU with no adapter info is taken', () => {
    expect(softwareAdapter(adapter({ architecture: 'llvmpipe' }))).toBe('llvmpipe');
    expect(softwareAdapter(adapter({}))).toBeUndefined();
    expect(fastestMode({ webgpu: null, webgl2Renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, everywhere)).toBe('webasm');
    expect(fastestMode({ webgpu: adapter({}), webgl2Renderer: null }, everywhere)).toBe('webgpu');
  });

  it('no adapter, no WebGL2, or a mode gpu.js cannot run here: not available', () => {
    expect(order({ webgpu: null, webgl2Renderer: null })).toEqual(['webgpu: not-available', 'webgl2: not-available', 'webasm', 'reference']);
    const noWasm = (m: GpuMode) => m !== 'webasm';
    expect(autoOrder({ webgpu: null, webgl2Renderer: SWIFTSHADER_GL }, noWasm).map((c) => c.skip?.reason ?? c.backend)).toEqual(['not-available', 'software', 'not-available', 'reference']);
  });

  it('in Node (no probe) the order is webasm, then the reference', () => {
    expect(autoOrder(undefined, everywhere).map((c) => c.backend)).toEqual(['webasm', 'reference']);
  });
});

describe('a compiler error in the UI is a short summary, never the dump', () => {
  it('gpu.js\'s WGSL error keeps its messages and drops the generated source', () => {
    const source = Array.from({ length: 400 }, (_, i) => `  let v${i} = user_x[${i}];`).join('\n');
    const message = `Error compiling WGSL compute shader:\n  12:5 increment statement can only be applied to an integer scalar\n--- generated WGSL ---\n${source}`;
    expect(summariseError(message)).toBe('Error compiling WGSL compute shader: 12:5 increment statement can only be applied to an integer scalar');
  });

  it('a long GLSL info log is folded onto one line and capped', () => {
    const log = `Error compiling fragment shader: ${Array.from({ length: 50 }, (_, i) => `ERROR: 0:${i}: 'user_v${i}' : undeclared identifier`).join('\n')}`;
    const summary = summariseError(log);
    expect(summary.length).toBe(DETAIL_MAX);
    expect(summary).not.toContain('\n');
    expect(summary.startsWith("Error compiling fragment shader: ERROR: 0:0: 'user_v0' : undeclared identifier ERROR: 0:1:")).toBe(true);
    expect(summary.endsWith('…')).toBe(true);
  });
});

const adding = task('adding');
const config: TrainConfig = { ...DEFAULT_CONFIG, steps: 2, batch: 4, length: 32 };
const lstm = (): Compiled => {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: adding.inputSize, hidden: 4 });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
};
/** A cell past KERNEL_LIMITS (a kernel with too many locals). */
const tooLarge = (): Compiled => {
  const r = compile(offsetPyramid(8, 2), { input: adding.inputSize, hidden: 4 });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
};

describe('falling back along webgpu → webgl2 → webasm → reference, for real', () => {
  it('a browser that offers hardware WebGPU and WebGL2 to a process where gpu.js cannot run them (Node): auto trains on webasm and says so', async () => {
    const trainer = createTrainerOn('auto', lstm(), adding, config, undefined, { webgpu: HARDWARE_GPU, webgl2Renderer: HARDWARE_GL });
    try {
      expect(trainer.report).toEqual({ choice: 'auto', backend: 'webasm', skipped: [{ backend: 'webgpu', reason: 'not-available' }, { backend: 'webgl2', reason: 'not-available' }] });
      expect(trainer.backend).toBe('gpu.js webasm');
      await trainer.step();
      expect(trainer.stepsDone).toBe(1);
      expect(trainer.report.backend).toBe('webasm');
    } finally {
      await trainer.destroy();
    }
  });

  it('a cell past the gpu backend\'s kernel limits: auto trains on the reference, the report naming the limit', async () => {
    const trainer = createTrainerOn('auto', tooLarge(), adding, config);
    try {
      const { report } = trainer;
      expect(report.backend).toBe('reference');
      expect(report.skipped).toHaveLength(1);
      expect(report.skipped[0]).toMatchObject({ backend: 'webasm', reason: 'cannot-lay-out' });
      expect(report.skipped[0].detail).toMatch(/KERNEL_LIMITS\.locals/);
      await trainer.step();
      expect(trainer.stepsDone).toBe(1);
    } finally {
      await trainer.destroy();
    }
  });

  it('`gpu` falls back among gpu.js modes but not to the reference: past the kernel limits it refuses', () => {
    expect(() => createTrainerOn('gpu', tooLarge(), adding, config)).toThrow(BackendFailure);
  });

  it('an explicit backend does not fall back: webgl2 in Node is a failure naming the backend', () => {
    let failure: unknown;
    try {
      createTrainerOn('webgl2', lstm(), adding, config);
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(BackendFailure);
    expect((failure as BackendFailure).skipped).toEqual({ backend: 'webgl2', reason: 'not-available' });
    expect((failure as Error).message).toBe('backend: gpu.js cannot run webgl2 here (Node has webasm and cpu); use --backend auto or webasm.');
  });

  it('a forced WebGPU in a browser without an adapter is refused before training, as not available', () => {
    expect(() => createTrainerOn('webgpu', lstm(), adding, config, undefined, { webgpu: null, webgl2Renderer: SWIFTSHADER_GL })).toThrow(BackendFailure);
  });

  it('the reference is reported as chosen, with nothing skipped', async () => {
    const trainer = createTrainerOn('reference', lstm(), adding, config);
    expect(trainer.report).toEqual({ choice: 'reference', backend: 'reference', skipped: [] });
    expect(trainer.backend).toBe('reference (float64)');
    await trainer.destroy();
  });
});
