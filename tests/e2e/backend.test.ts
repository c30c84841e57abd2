/**
 * The backend a run trains on, in Chromium without --enable-unsafe-webgpu (no WebGPU adapter;
 * WebGL2 is SwiftShader, software): the page is cross-origin isolated (gpu.js's webasm threads
 * get SharedArrayBuffer); Automatic trains on WebAssembly and the panel says why, in English and
 * Spanish; forcing WebAssembly trains on it and is kept with the settings; forcing WebGL2 trains in
 * the worker (OffscreenCanvas), on SwiftShader since the user asked for it. On the lab page, a
 * first step that really fails on WebGPU (the probe claims a hardware adapter, none answers)
 * falls back to WebGL2 and trains.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CeldaLab } from '../../bench/browser/lab';
import type { BrowserProbe } from '../../src/gpu/choose';
import { openApp, type App } from './browser';
import { NODES, openExampleAtStart, waitUntilSaved } from './gestures';

declare global {
  interface Window {
    celdaLab: CeldaLab;
  }
}

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');
/** What a machine with a real GPU answers: the chooser then tries WebGPU first, then WebGL2. */
const CLAIMS_HARDWARE: BrowserProbe = {
  webgpu: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false },
  webgl2Renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
};

describe('which backend trains, in Chromium without WebGPU', () => {
  let app: App;
  const page = () => app.page;
  const panel = () => page().locator('section.training');
  const status = () => panel().getByRole('status');

  beforeAll(async () => {
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-backend-')) });
    await page().setViewportSize({ width: 1600, height: 1000 });
    await openExampleAtStart(page(), 'lstm');
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    await panel().waitFor();
    await panel().getByLabel('Task').selectOption({ label: 'Adding problem' });
    await panel().getByLabel('Steps').fill('20');
    await panel().getByLabel('Sequence length').fill('10');
  }, 90_000);
  afterAll(async () => app?.close());

  async function train(): Promise<void> {
    await panel().getByRole('button', { name: 'Start' }).click();
    const ended = () => panel().locator('.progress').getAttribute('data-status');
    await expect.poll(ended, { timeout: 90_000 }).toMatch(/^(done|failed)$/);
    // A failed run says why (role alert): the assertion's message shows it.
    expect(await ended(), (await panel().getByRole('alert').allTextContents()).join(' ')).toBe('done');
  }

  it('the app is cross-origin isolated, so SharedArrayBuffer exists for gpu.js\'s threads', async () => {
    expect(await page().evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([true, 'function']);
  });

  it('Automatic trains on WebAssembly and says why not WebGPU or the software WebGL2, in English and Spanish', async () => {
    expect(await panel().getByLabel('Backend').inputValue()).toBe('auto');
    await train();
    expect(await status().textContent()).toMatch(/^Training on WebAssembly: WebGPU is not available in this browser; WebGL2 runs in software here \(.*SwiftShader.*\), slower than WebAssembly$/);
    mkdirSync(ARTEFACTS, { recursive: true });
    await panel().screenshot({ path: join(ARTEFACTS, 'backend-panel.png') });
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await expect.poll(() => status().textContent()).toMatch(/^Entrenando con WebAssembly: WebGPU no está disponible en este navegador; WebGL2 funciona por software aquí \(.*SwiftShader.*\), más lento que WebAssembly$/);
    await page().getByRole('button', { name: 'EN', exact: true }).click();
  }, 90_000);

  it('WebAssembly forced trains on it, says only that, and is kept with the run\'s settings', async () => {
    await panel().getByLabel('Backend').selectOption({ label: 'WebAssembly (processor)' });
    await train();
    expect(await status().textContent()).toBe('Training on WebAssembly');
    await panel().getByRole('tab', { name: 'Runs' }).click();
    const runs = panel().locator('table.runs tbody tr');
    await expect.poll(() => runs.count()).toBe(2);
    expect(await runs.locator('.backend').allTextContents()).toEqual(['gpu.js webasm', 'gpu.js webasm']);
    await panel().getByRole('tab', { name: 'Settings and loss' }).click();
    // Training 20 short steps takes less than the autosave's debounce: wait for "Saved", as a person would.
    await waitUntilSaved(page());
    await app.relaunch();
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    expect(await panel().getByLabel('Backend').inputValue()).toBe('webasm');
  }, 120_000);

  it('WebGL2 forced trains the Elman RNN in the worker (an OffscreenCanvas; SwiftShader here, chosen by the user)', async () => {
    page().once('dialog', (d) => void d.accept());
    await page().getByRole('button', { name: /^Examples/ }).click();
    await page().locator('[data-example="rnn"]').click();
    await expect.poll(() => page().locator(`${NODES}[data-node-id="keep"]`).count()).toBe(0);
    await panel().getByLabel('Backend').selectOption({ label: 'WebGL2 (graphics card)' });
    // Another cell opened: the form is set again (a new project's defaults). Software WebGL2 is slow: a few steps show it trains.
    await panel().getByLabel('Task').selectOption({ label: 'Adding problem' });
    await panel().getByLabel('Steps').fill('5');
    await panel().getByLabel('Sequence length').fill('10');
    await train();
    expect(await status().textContent()).toBe('Training on WebGL2');
    expect(await panel().locator('.step').textContent()).toBe('step 5 of 5');
  }, 120_000);

  it('on the lab page, a first step that fails on WebGPU (no adapter answers) falls back to WebGL2 and trains there', async () => {
    const lab = await app.context.newPage();
    try {
      await lab.goto(new URL('bench/browser/index.html', app.url).href, { timeout: 90_000 });
      await lab.waitForFunction(() => window.celdaLab?.ready === true, undefined, { timeout: 60_000 });
      const r = await lab.evaluate((probe) => window.celdaLab.chooseAndStep('rnn', 'auto', probe), CLAIMS_HARDWARE);
      expect(r.report.backend).toBe('webgl2');
      expect(r.report.skipped).toEqual([{ backend: 'webgpu', reason: 'failed', detail: expect.stringMatching(/no adapter is available/) }]);
      expect(r.stepsDone).toBe(1);
      expect(Number.isFinite(r.loss)).toBe(true);
    } finally {
      await lab.close();
    }
  }, 120_000);

  it('shows no console errors', () => {
    expect(app.errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});
