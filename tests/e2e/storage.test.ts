/**
 * Projects that last, in Debian's Chromium: an edited example survives a reload
 * and a browser relaunch on the same profile (cell, layout and zoom); a malformed
 * project file is refused with its diagnostics and writes nothing; two tabs on
 * the same profile see each other's edits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS, centre, nodeIds, readView, waitUntilSaved } from './gestures';

const NODES = `${CANVAS} [data-testid="node"]`;

/** Waits for autosave to finish (after the debounce) with everything saved. */
async function saved(page: Page): Promise<void> {
  await page.waitForTimeout(100);
  await waitUntilSaved(page);
}

/** What must survive: the nodes, where they are drawn, and the view (rounded to half pixels). */
async function snapshot(page: Page): Promise<{ nodes: [string, number, number][]; k: number; origin: [number, number] }> {
  const view = await readView(page);
  const nodes = await page.evaluate((sel) => [...document.querySelectorAll<HTMLElement>(sel)].map((el) => {
    const r = el.getBoundingClientRect();
    return [el.dataset.nodeId ?? '', r.left, r.top] as [string, number, number];
  }), NODES);
  const r = (v: number) => Math.round(v * 2) / 2;
  return {
    nodes: nodes.map(([id, x, y]) => [id, r(x), r(y)] as [string, number, number]).sort((a, b) => a[0].localeCompare(b[0])),
    k: Math.round(view.k * 1000) / 1000,
    origin: [r(view.origin.x), r(view.origin.y)],
  };
}

async function projectCount(page: Page): Promise<number> {
  await page.getByTestId('projects-button').click();
  await page.getByTestId('projects-panel').waitFor();
  const n = await page.getByTestId('project-row').count();
  await page.getByTestId('projects-button').click();
  return n;
}

describe('projects kept in the browser (IndexedDB) in Chromium', () => {
  let app: App;
  const page = () => app.page;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-profile-')) });
    await app.page.setViewportSize({ width: 1600, height: 1000 });
    await app.page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
    await saved(app.page);
  }, 90_000);
  afterAll(async () => app?.close());

  it('keeps an edited example, its layout and zoom across a reload', async () => {
    await page().getByRole('button', { name: /^Examples/ }).click();
    await page().locator('[data-example="lstm"]').click();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 10_000 });
    await expect.poll(() => page().getByTestId('project-name').textContent()).toBe('LSTM');
    await saved(page());
    const count = (await nodeIds(page())).length;
    await page().locator('.palette button[data-kind="tanh"]').dblclick();
    await expect.poll(async () => (await nodeIds(page())).length).toBe(count + 1);
    const mid = await centre(page(), CANVAS);
    await page().mouse.move(mid.x, mid.y);
    await page().mouse.wheel(0, 240);
    await saved(page());
    before = await snapshot(page());
    expect(before.nodes).toHaveLength(count + 1);

    await page().reload();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 30_000 });
    await expect.poll(() => snapshot(page()), { timeout: 10_000 }).toEqual(before);
    expect(await page().getByTestId('project-name').textContent()).toBe('LSTM');
  });

  it('still has it after the browser is closed and started again on the same profile', async () => {
    await app.relaunch();
    await page().setViewportSize({ width: 1600, height: 1000 });
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 30_000 });
    await expect.poll(() => snapshot(page()), { timeout: 10_000 }).toEqual(before);
    expect(await projectCount(page())).toBe(2);
  });

  it('refuses a malformed project file with its diagnostics and writes nothing', async () => {
    await saved(page());
    const count = await projectCount(page());
    const bad = JSON.stringify({ format: 'celda-project', version: 1, project: { name: 'bad', cell: { nodes: 'no' } } });
    await page().getByTestId('open-file').setInputFiles({ name: 'bad.celda.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    const problems = page().locator('.file-problems');
    await problems.waitFor({ timeout: 10_000 });
    expect(await problems.textContent()).toContain('bad.celda.json');
    expect(await problems.locator('li').count()).toBeGreaterThan(0);
    expect(await projectCount(page())).toBe(count);
    // The message box pushes the canvas down: compare the nodes, not where they are on screen.
    expect((await nodeIds(page())).sort()).toEqual(before.nodes.map(([id]) => id).sort());
    await problems.getByRole('button').click();
  });

  it('shows the edits of one tab in another tab on the same profile', async () => {
    const other = await app.newPage();
    await other.setViewportSize({ width: 1600, height: 1000 });
    await other.waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 30_000 });
    await saved(other);
    await saved(page());
    const ids = await nodeIds(page());
    expect((await nodeIds(other)).sort()).toEqual([...ids].sort());

    await page().bringToFront();
    await page().locator('.palette button[data-kind="sigmoid"]').dblclick();
    await expect.poll(async () => (await nodeIds(page())).length).toBe(ids.length + 1);
    await saved(page());
    const edited = (await nodeIds(page())).sort();
    await expect.poll(async () => (await nodeIds(other)).sort(), { timeout: 10_000 }).toEqual(edited);
    // Nothing was kept as a conflict: the other tab had no edits of its own.
    expect(await projectCount(page())).toBe(2);
    await other.close();
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});
