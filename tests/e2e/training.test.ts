/**
 * Training in the app, in Chromium: the LSTM example trains on the built-in Spanish
 * corpus in a Web Worker; the loss curve falls; the canvas answers a click within
 * 100 ms while it trains; stop works; after a reload the runs and their curves are listed
 * and can be overlaid; the keyboard and the inside view work. (The gradient-flow study and
 * the drawer at a projector's size: teaching.test.ts.)
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS, centre, NODES, openExampleAtStart } from './gestures';

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');

describe('training a cell in the app (Chromium)', () => {
  let app: App;
  const page = () => app.page;

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-profile-')) });
    await app.page.setViewportSize({ width: 1600, height: 1000 });
    await openExampleAtStart(page(), 'lstm');
  }, 90_000);
  afterAll(async () => app?.close());

  it('trains the LSTM on the Spanish corpus off the main thread: the loss falls and clicks stay fast', async () => {
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    const panel = page().locator('section.training');
    await panel.waitFor();
    await panel.getByLabel('Steps').fill('600');
    await panel.getByLabel('Batch').fill('16');
    await panel.getByLabel('Sequence length').fill('32');
    await panel.getByLabel('Learning rate').fill('0.02');
    await panel.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => panel.locator('.step').textContent(), { timeout: 30_000 }).toMatch(/step [1-9]\d* of 600/);

    // While it trains: the time from a click on the canvas to its handler on the main thread.
    const mid = await centre(page(), CANVAS);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page().evaluate((sel) => {
        const el = document.querySelector(sel);
        el?.addEventListener('pointerdown', (e) => ((window as unknown as { lastLatency: number }).lastLatency = performance.now() - e.timeStamp), { once: true, capture: true });
      }, CANVAS);
      await page().mouse.click(mid.x + 200, mid.y + 150 + i * 4);
      latencies.push(await page().evaluate(() => (window as unknown as { lastLatency: number }).lastLatency));
      await page().waitForTimeout(100);
    }
    expect(Math.max(...latencies), `click latencies ${latencies.map((l) => l.toFixed(1)).join(', ')} ms`).toBeLessThan(100);
    expect(await panel.locator('.progress').getAttribute('data-status'), 'the clicks were measured while training ran').toBe('running');

    await expect.poll(() => panel.locator('.progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    const curve = Number(await panel.locator('.loss').getAttribute('data-nats'));
    expect(await panel.locator('.loss').textContent()).toMatch(/nats = [\d.]+ bits\/char/);
    // The legend reads the last step's training loss, validation loss and gradient norm.
    const legend = panel.locator('[data-testid="chart-legend"]');
    expect(await legend.locator('.heading').textContent()).toBe('Latest, step 600');
    expect((await legend.locator('.item').allTextContents()).map((text) => text.trim())).toEqual([
      expect.stringMatching(/^Training loss: \d\.\d{4}$/), expect.stringMatching(/^Validation: \d\.\d{4}$/), expect.stringMatching(/^Gradient norm: \d+\.\d{3}$/),
    ]);
    await panel.screenshot({ path: join(ARTEFACTS, 'training-panel.png') });
    await panel.getByRole('tab', { name: 'Runs' }).click();
    const runs = panel.locator('table.runs tbody tr');
    await expect.poll(() => runs.count()).toBe(1);
    await expect.poll(() => runs.first().getAttribute('data-status')).toBe('done');
    await panel.getByRole('tab', { name: 'Settings and loss' }).click();
    // ln 52 ≈ 3.95 at the start; a trained LSTM is well below the unigram baseline (2.95).
    expect(curve).toBeLessThan(2.5);
    expect(await panel.locator('.validation').textContent()).toMatch(/Validation loss: \d/);
  }, 180_000);

  it('the keyboard completes "Voy al parque con mi per" and the inside view shows the forget, update and output gates under the text', async () => {
    const panel = page().locator('section.training');
    await panel.getByRole('tab', { name: 'Inside the cell' }).click();
    const keyboard = panel.locator('section.keyboard');
    await keyboard.waitFor();
    await expect.poll(() => keyboard.locator('.guesses li').count()).toBe(5);
    expect((await keyboard.locator('.sampled').textContent())?.length).toBe(40);
    expect(await keyboard.locator('.guesses li kbd').first().textContent()).toBe('r');

    const inside = panel.locator('section.inside');
    const text = 'Voy al parque con mi perro.';
    expect(await inside.locator('.chars span').count()).toBe([...text].length);
    for (const [id, name] of [['f', 'forget'], ['u', 'update'], ['o', 'output']]) {
      const strip = inside.locator(`.strip[data-node-id="${id}"]`);
      expect(await strip.locator('.name').textContent()).toContain(name);
      // One column per character: the strip is as wide as the text above it.
      const widths = await strip.evaluate((el) => [el.querySelector('canvas')?.getBoundingClientRect().width, el.parentElement?.querySelector('.chars')?.getBoundingClientRect().width]);
      expect(widths[0]).toBe(widths[1]);
    }
    await inside.locator('input[type="range"]').fill('10');
    expect(await inside.locator('.chars span.at').textContent()).toBe('q');
    // Teaching mode: the canvas shows every node's vector at that step, and forgets it when the panel closes.
    const forget = page().locator(`${NODES}[data-node-id="f"] [data-testid="node-values"]`);
    await expect.poll(() => forget.textContent()).toMatch(/^(-?\d\.\d\d ){3}-?\d\.\d\d …$/);
    await inside.locator('input[type="range"]').fill('11');
    const before = await forget.textContent();
    await inside.locator('input[type="range"]').fill('12');
    await expect.poll(() => forget.textContent()).not.toBe(before);
    // A taller drawer shows every strip at once (for the picture).
    await page().getByRole('separator', { name: /Height of the training panel/ }).focus();
    for (let i = 0; i < 4; i++) await page().keyboard.press('PageUp');
    await inside.screenshot({ path: join(ARTEFACTS, 'inside-view.png') });
    for (let i = 0; i < 4; i++) await page().keyboard.press('PageDown');
    await page().locator(CANVAS).screenshot({ path: join(ARTEFACTS, 'teaching-mode-canvas.png') });
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page().locator(`${NODES} [data-testid="node-values"]`).count()).toBe(0);
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    // The drawer reopens on the view it showed.
    expect(await panel.getByRole('tab', { name: 'Inside the cell' }).getAttribute('aria-selected')).toBe('true');
  }, 60_000);

  it('for a numeric task (adding), the inside view runs the task\'s example sequence, with a histogram per gate', async () => {
    const panel = page().locator('section.training');
    await panel.getByRole('tab', { name: 'Settings and loss' }).click();
    await panel.getByLabel('Task').selectOption('adding');
    await panel.getByLabel('Steps').fill('30');
    await panel.getByLabel('Sequence length').fill('20');
    await panel.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => panel.locator('.progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    await panel.getByRole('tab', { name: 'Inside the cell' }).click();
    const inside = panel.locator('section.inside');
    await inside.waitFor();
    expect(await panel.locator('section.keyboard').count()).toBe(0);
    expect(await inside.locator('.chars span').count()).toBe(20);
    expect(await inside.locator('.strip[data-node-id="f"] svg.histogram rect').count()).toBe(10);
    await panel.getByRole('tab', { name: 'Settings and loss' }).click();
    await panel.getByLabel('Task').selectOption('charlm');
  }, 90_000);

  it('stops a run; after a reload every run is listed, the stopped one resumes to its end, and their curves overlay', async () => {
    const panel = page().locator('section.training');
    await panel.getByLabel('Steps').fill('400');
    await panel.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => panel.locator('.step').textContent(), { timeout: 30_000 }).toMatch(/step ([2-9]\d|[1-3]\d\d) of 400/);
    await panel.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => panel.locator('.progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    await panel.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => panel.locator('table.runs tbody tr').count()).toBe(3);

    await page().reload();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 30_000 });
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    await page().getByRole('tab', { name: 'Runs' }).click();
    const runs = page().locator('section.training table.runs tbody tr');
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(3);
    expect(await runs.nth(0).getAttribute('data-status')).toBe('stopped');
    expect(await runs.nth(1).getAttribute('data-status')).toBe('done');
    expect(await runs.nth(2).getAttribute('data-status')).toBe('done');

    // Resume: from the checkpoint kept in IndexedDB, to step 400, in the same run.
    await runs.nth(0).getByRole('button', { name: 'Resume' }).click();
    const progress = page().locator('section.training .progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    expect(await progress.locator('.step').textContent()).toBe('step 400 of 400');
    await expect.poll(() => runs.nth(0).getAttribute('data-status')).toBe('done');
    expect(await runs.count()).toBe(3);

    // Compare: both curves in one chart, a legend entry each, and their final losses in the table.
    await runs.nth(0).locator('input[type="checkbox"]').check();
    await runs.nth(2).locator('input[type="checkbox"]').check();
    const legend = page().locator('section.compare [data-testid="chart-legend"]');
    await expect.poll(() => legend.locator('.item').count()).toBe(2);
    expect(await legend.locator('.heading').textContent()).toBe('At the end of each run');
    expect(await legend.locator('.value').allTextContents()).toEqual([await runs.nth(0).locator('.final').textContent(), await runs.nth(2).locator('.final').textContent()]);
    expect(Number(await runs.nth(2).locator('.final').textContent())).toBeLessThan(2.5);
    await page().locator('section.compare').screenshot({ path: join(ARTEFACTS, 'compare-runs.png') });
    expect(app.errors).toEqual([]);
  }, 180_000);
});
