/**
 * The gpu.js backend in Chromium: WebGL2 (SwiftShader here: software, correct but slow)
 * against the float64 reference in the same page, for every example and random cells;
 * and the automatic choice reads the renderer string and refuses software WebGL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import type { CeldaLab } from '../../bench/browser/lab';

declare global {
  interface Window {
    celdaLab: CeldaLab;
  }
}

let app: App;
beforeAll(async () => {
  app = await openApp({ path: 'bench/browser/index.html' });
  await app.page.waitForFunction(() => window.celdaLab?.ready === true, undefined, { timeout: 60_000 });
}, 90_000);
afterAll(async () => app?.close());

describe('gpu.js in Chromium', () => {
  it('the automatic choice skips a software WebGL2 (SwiftShader) for webasm', async () => {
    const env = await app.page.evaluate(() => window.celdaLab.environment());
    expect(env.renderer).not.toBeNull();
    if (env.software) expect(env.auto).toBe('webasm');
    else expect(['webgl2', 'webgpu']).toContain(env.auto);
  });

  it.each(['lstm', 'gru', 'gru-reset-after', 'rnn'])('webgl2: example %s matches the reference (outputs, loss, every gradient to 1e-4)', async (example) => {
    const r = await app.page.evaluate((e) => window.celdaLab.parity({ example: e }, 'webgl2'), example);
    expect(r.worst).toBeLessThan(1e-4);
  }, 120_000);

  it.each(Array.from({ length: 30 }, (_, i) => 100 + i))('webgl2: random cell %i matches the reference to 1e-4', async (seed) => {
    const r = await app.page.evaluate((s) => window.celdaLab.parity({ randomSeed: s }, 'webgl2'), seed);
    expect(r.worst).toBeLessThan(1e-4);
  }, 120_000);

  it('webgl2: the LSTM over 37 steps (three chunks of weight-gradient sums), one-hot inputs, matches to 1e-4', async () => {
    const r = await app.page.evaluate(() => window.celdaLab.parity({ example: 'lstm', steps: 37, oneHot: true }, 'webgl2'));
    expect(r.worst).toBeLessThan(1e-4);
  }, 120_000);

  it('webasm in the page matches the reference too', async () => {
    const r = await app.page.evaluate(() => window.celdaLab.parity({ example: 'lstm' }, 'webasm'));
    expect(r.worst).toBeLessThan(1e-4);
  }, 120_000);

  it('shows no console errors', () => {
    expect(app.errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});
