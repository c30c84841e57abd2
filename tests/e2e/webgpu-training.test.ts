/**
 * The app trains on WebGPU (issue 16 item 4). In Chromium with WebGPU on (on a machine without a
 * GPU, as in CI, the adapter is SwiftShader: software, so Automatic passes it over and the user
 * forces it), the LSTM example trains 300 steps on the Spanish corpus forced to WebGPU in the
 * training panel, and the panel says so; the same run forced to WebAssembly follows the same loss
 * curve: both curves are read from the backup a person downloads from the Projects panel.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { openExampleAtStart } from './gestures';

const STEPS = 300;
/**
 * Small batches of short sequences: each step runs a few dozen kernels per time step, and
 * SwiftShader runs them on the processor (about 20 s for the 300 steps on a busy 2-core machine).
 */
const BATCH = 4;
const LENGTH = 8;
/**
 * Both backends compute in float32 from the same seed, data and initial parameters; only the
 * order of the sums differs. The losses are character-model cross-entropies in nats (ln 52 ≈ 3.95 at
 * the start, falling from there), a fixed scale, so the bound is absolute: 1e-3 nats.
 */
const TOLERANCE = 1e-3;

interface BackupRun {
  readonly backend: string;
  readonly metrics: readonly { readonly name: string; readonly steps: readonly number[]; readonly values: readonly number[] }[];
}

describe('the LSTM example trains on WebGPU in the app, as on WebAssembly', () => {
  let app: App;
  const page = () => app.page;
  const panel = () => page().locator('section.training');
  const status = () => panel().getByRole('status');

  beforeAll(async () => {
    app = await openApp({ webgpu: true, profileDir: mkdtempSync(join(tmpdir(), 'celda-webgpu-')) });
    await page().setViewportSize({ width: 1600, height: 1000 });
    await openExampleAtStart(page(), 'lstm');
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    await panel().waitFor();
    // The Spanish corpus (the default task), seed 1 (the default): both runs see the same batches.
    expect(await panel().getByLabel('Task').inputValue()).toBe('charlm');
    await panel().getByLabel('Steps').fill(String(STEPS));
    await panel().getByLabel('Batch').fill(String(BATCH));
    await panel().getByLabel('Sequence length').fill(String(LENGTH));
  }, 90_000);
  afterAll(async () => app?.close());

  /** Starts a run on `backend` (the option's visible label); `whileRunning` sees it train; waits for its end. */
  async function train(backend: string, whileRunning: () => Promise<void>): Promise<void> {
    await panel().getByLabel('Backend').selectOption({ label: backend });
    await panel().getByRole('button', { name: 'Start' }).click();
    await whileRunning();
    const ended = () => panel().locator('.progress').getAttribute('data-status');
    await expect.poll(ended, { timeout: 150_000 }).toMatch(/^(done|failed)$/);
    // A failed run says why (role alert): the assertion's message shows it.
    expect(await ended(), (await panel().getByRole('alert').allTextContents()).join(' ')).toBe('done');
    expect(await panel().locator('.step').textContent()).toBe(`step ${STEPS} of ${STEPS}`);
  }

  it(`forced to WebGPU, trains ${STEPS} steps there and says so, in English and Spanish`, async () => {
    await train('WebGPU (graphics card)', async () => {
      await expect.poll(() => status().textContent(), { timeout: 60_000 }).toBe('Training on WebGPU');
    });
    expect(await status().textContent()).toBe('Training on WebGPU');
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe('Entrenando con WebGPU');
    await page().getByRole('button', { name: 'EN', exact: true }).click();
  }, 180_000);

  it(`forced to WebAssembly, the same run's loss curve equals WebGPU's within ${TOLERANCE} nats at every step`, async () => {
    await train('WebAssembly (processor)', async () => undefined);
    expect(await status().textContent()).toBe('Training on WebAssembly');

    await page().getByRole('button', { name: /^Projects/ }).click();
    const projects = page().getByRole('dialog', { name: 'Projects' });
    const [download] = await Promise.all([page().waitForEvent('download'), projects.getByRole('button', { name: 'Backup all' }).click()]);
    const backup = JSON.parse(readFileSync(await download.path(), 'utf8')) as { runs: readonly BackupRun[] };
    const loss = (backend: string) => {
      const runs = backup.runs.filter((r) => r.backend === backend);
      expect(runs, backend).toHaveLength(1);
      const curve = runs[0].metrics.find((m) => m.name === 'loss');
      expect(curve?.steps, backend).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      return curve?.values ?? [];
    };
    const gpu = loss('gpu.js webgpu');
    const wasm = loss('gpu.js webasm');
    // The curve trained (it falls), so equal curves are not two flat lines.
    expect(mean(gpu.slice(-20))).toBeLessThan(gpu[0] - 0.5);
    const worst = Math.max(...gpu.map((v, i) => Math.abs(v - wasm[i])));
    expect(worst, `the largest difference, at step ${gpu.findIndex((v, i) => Math.abs(v - wasm[i]) === worst) + 1}`).toBeLessThanOrEqual(TOLERANCE);
  }, 180_000);

  it('shows no console errors (a WGSL shader that does not compile logs one)', () => {
    expect(app.errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
