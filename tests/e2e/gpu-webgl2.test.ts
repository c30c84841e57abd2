/**
 * The gpu.js backend in Chromium: WebGL2 (SwiftShader here: software, correct but slow) against
 * the float64 reference in the same page (gpu-parity-suite.ts); the automatic choice reads the
 * renderer string and refuses software WebGL; webasm in the page agrees too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { openLab, parityTests } from './gpu-parity-suite';

let app: App;
beforeAll(async () => {
  app = await openApp({ path: 'bench/browser/index.html' });
  await openLab(app);
}, 90_000);
afterAll(async () => app?.close());

describe('gpu.js WebGL2 in Chromium', () => {
  it('the automatic choice skips a software WebGL2 (SwiftShader) for webasm', async () => {
    const env = await app.page.evaluate(() => window.celdaLab.environment());
    expect(env.renderer).not.toBeNull();
    if (env.software) expect(env.auto).toBe('webasm');
    else expect(['webgl2', 'webgpu']).toContain(env.auto);
  });

  parityTests('webgl2', () => app);

  it('webasm in the page matches the reference too', async () => {
    const r = await app.page.evaluate(() => window.celdaLab.parity({ example: 'lstm' }, 'webasm'));
    expect(r.worst).toBeLessThan(1e-4);
  }, 120_000);

  it('shows no console errors', () => {
    expect(app.errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});
