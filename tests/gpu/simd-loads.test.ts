/**
 * Our gpu.js patch (patches/gpu.js+2.24.1.patch, patches/README.md), two changes to the webasm
 * SIMD emitter, each failing a test here without it:
 * - contiguous loads: an array read whose 4 lanes read adjacent elements (the index is
 *   this.thread.x, or a local holding it, plus a uniform term) is ONE v128.load instead of 4 scalar
 *   loads and lane inserts (unpatched gpu.js has no v128.load in these kernels);
 * - register tiles: a kernel without lane-varying control flow also gets `kernel_simd_tile`, 4
 *   quads (16 cells) per call sharing the uniform work — 8 quads where rows are 32 cells or wider —
 *   and run_simd calls it where a tile fits.
 * Both must read and compute exactly what the lane-by-lane gather did: float32 results to the bit,
 * windows running past the end of the array (the gather clamps), fractional and negative indices.
 * Each test runs on gpu.js's Node build (src/) and on its browser bundle (dist/gpu-browser.js, what
 * Vite serves the app's training worker), which the patch changes the same way.
 */
import { createRequire } from 'node:module';
import { GPU } from 'gpu.js';
import { afterAll, describe, expect, it } from 'vitest';
import { simdKernelBodies, V128_LOAD } from './wasm-code';

const browserBundle = createRequire(import.meta.url)('gpu.js/dist/gpu-browser.js') as { GPU: typeof GPU };
const builds = [
  { build: 'src', gpu: new GPU({ mode: 'webasm' }) },
  { build: 'dist/gpu-browser.js', gpu: new browserBundle.GPU({ mode: 'webasm' }) },
];
afterAll(() => builds.forEach(({ gpu }) => gpu.destroy()));

type Kernel = ((...args: unknown[]) => unknown) & { kernel: { _moduleCache: Map<string, { bytes: Uint8Array }>; _lastRunPath: string } };


/** The SIMD functions run_simd calls: kernel_simd, then kernel_simd_tile where the kernel tiles. */
function simdBodies(k: Kernel): ReturnType<typeof simdKernelBodies> {
  const entries = [...k.kernel._moduleCache.values()];
  expect(entries).toHaveLength(1);
  return simdKernelBodies(entries[0].bytes);
}

const vectorLoads = (k: Kernel) => simdBodies(k).flat().filter((i) => i.op === V128_LOAD).length;

/** The float32 product the wasm kernel computes, in its order: s = f32(s + f32(a · w)). */
function expectedProduct(a: Float32Array, w: Float32Array, rows: number, K: number, N: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: N }, (_, n) => {
    let s = 0;
    for (let k = 0; k < K; k++) s = Math.fround(s + Math.fround(a[r * K + k] * w[k * N + n]));
    return s;
  }));
}

const values = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
const rowsOf = (out: unknown) => (out as Float32Array[]).map((row) => Array.from(row));

describe.each(builds)('webasm SIMD: contiguous loads and register tiles (gpu.js patch, $build)', ({ gpu }) => {
  const build = (source: string, output: number[]): Kernel => gpu.createKernel(source, { output }) as unknown as Kernel;

  const [R, K, N] = [3, 10, 16];
  const a = values(R * K, (i) => Math.sin(i + 1));
  const w = values(K * N, (i) => Math.cos(3 * i));

  it.each([
    ['a local holding this.thread.x (f32 index)', `function(a, w) { const n = this.thread.x; const r = this.thread.y; let s = 0.0; for (let k = 0; k < ${K}; k++) { s += a[r * ${K} + k] * w[k * ${N} + n]; } return s; }`],
    ['this.thread.x itself', `function(a, w) { const r = this.thread.y; let s = 0.0; for (let k = 0; k < ${K}; k++) { s += a[r * ${K} + k] * w[k * ${N} + this.thread.x]; } return s; }`],
    ['the lane term first', `function(a, w) { const n = this.thread.x; const r = this.thread.y; let s = 0.0; for (let k = 0; k < ${K}; k++) { s += a[r * ${K} + k] * w[n + k * ${N}]; } return s; }`],
  ])('a product reading W[k][n] with lanes over n (%s) loads W with v128.load and gives the float32 results to the bit', (_, source) => {
    const k = build(source, [N, R]);
    const out = k(a, w);
    expect(k.kernel._lastRunPath).toBe('simd');
    expect(vectorLoads(k)).toBeGreaterThan(0);
    expect(rowsOf(out)).toEqual(expectedProduct(a, w, R, K, N));
  });

  it.each([16, 20, 36, 64])('a product %i outputs wide runs as register tiles (and quads where a tile does not fit) with the float32 results to the bit', (width) => {
    const wide = values(K * width, (i) => Math.cos(5 * i));
    const k = build(`function(a, w) { const n = this.thread.x; const r = this.thread.y; let s = 0.0; for (let k = 0; k < ${K}; k++) { s += a[r * ${K} + k] * w[k * ${width} + n]; } return s; }`, [width, R]);
    const out = k(a, wide);
    expect(simdBodies(k)).toHaveLength(2);
    expect(rowsOf(out)).toEqual(expectedProduct(a, wide, R, K, width));
  });

  it('a kernel with lane-varying control flow gets no tile', () => {
    const k = build('function(a) { const n = this.thread.x; if (a[n] > 0.0) { return 1.0; } return a[n]; }', [16]);
    const x = values(16, (i) => i - 8);
    expect(Array.from(k(x) as Float32Array)).toEqual(Array.from(x, (v) => (v > 0 ? 1 : v)));
    expect(simdBodies(k)).toHaveLength(1);
  });

  it('a strided read (n · 2) still gathers lane by lane', () => {
    const k = build('function(a) { const n = this.thread.x; return a[n * 2]; }', [8]);
    const x = values(16, (i) => i + 0.25);
    expect(Array.from(k(x) as Float32Array)).toEqual(Array.from({ length: 8 }, (_, n) => x[2 * n]));
    expect(vectorLoads(k)).toBe(0);
  });

  it.each([8, 32])('a window running past the end of the array reads what the gather reads (clamped lanes), %i outputs', (cells) => {
    const x = values(cells + 8, (i) => 10 + i);
    const k = build('function(a) { const n = this.thread.x; return a[n + 11]; }', [cells]);
    expect(Array.from(k(x) as Float32Array)).toEqual(Array.from({ length: cells }, (_, n) => x[Math.min(n + 11, cells + 7)]));
    expect(vectorLoads(k)).toBeGreaterThan(0);
  });

  it.each([8, 32])('negative and fractional indices read what the gather reads, %i outputs', (cells) => {
    const x = values(cells * 2, (i) => 100 + i);
    const k = build('function(a, u) { const n = this.thread.x; return a[n + u]; }', [cells]);
    for (const u of [-2, 0.5, -0.5, 2.75, 1e30, -1e30]) {
      const expected = Array.from({ length: cells }, (_, n) => {
        const e = Math.trunc(Math.fround(n + Math.fround(u)));
        return x[Math.max(0, Math.min(2 * cells - 1, e))];
      });
      expect(Array.from(k(x, u) as Float32Array), `u = ${u}`).toEqual(expected);
    }
    expect(vectorLoads(k)).toBeGreaterThan(0);
  });
});
