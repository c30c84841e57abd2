/**
 * The gpu.js backend on Chromium's WebGPU (`--enable-unsafe-webgpu`; on a machine without a GPU,
 * as in CI, the adapter is SwiftShader: software, correct and slow) against the float64 reference
 * in the same page: the suite WebGL2 passes too (gpu-parity-suite.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { openLab, parityTests } from './gpu-parity-suite';

let app: App;
beforeAll(async () => {
  app = await openApp({ path: 'bench/browser/index.html', webgpu: true });
  await openLab(app);
}, 90_000);
afterAll(async () => app?.close());

describe('gpu.js WebGPU in Chromium', () => {
  it('a WebGPU adapter answers (else the suite below would test nothing)', async () => {
    const env = await app.page.evaluate(() => window.celdaLab.environment());
    expect(env.webgpu).toBe(true);
  });

  parityTests('webgpu', () => app);

  it('shows no console errors (a WGSL shader that does not compile logs one)', () => {
    expect(app.errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});
