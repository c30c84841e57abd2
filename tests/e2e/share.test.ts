/**
 * Share links in Debian's Chromium, found by their visible labels in English and
 * Spanish: Export → Share shows the GRU's link, copies it, and shows a QR code that
 * decodes (jsQR, from a screenshot) to the link; the link opens the same cell —
 * the exported cell file byte for byte — in a fresh profile, as its only project,
 * and leaves the address; a hostile link (not base64, or a valid deflate of an
 * invalid cell), pasted into the open app or opened as it starts, shows its
 * diagnostics and creates no project.
 */
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/model/messages';
import { deflate, SHARE_PREFIX, toBase64Url } from '../../src/ui/lib/share';
import { openApp, type App } from './browser';
import { CANVAS } from './gestures';

const NODES = `${CANVAS} [data-testid="node"]`;

/** A link that inflates to valid JSON with a cell the loader refuses (no metadata, sizes, nodes or connections). */
async function invalidCellLink(): Promise<string> {
  return SHARE_PREFIX + toBase64Url(await deflate(new TextEncoder().encode('{"v":1,"cell":{"format":"celda-cell","version":1}}')));
}

/** The open cell as the Export menu's cell file has it. */
async function exportedCell(page: Page, menu: string, item: string): Promise<string> {
  await page.getByRole('button', { name: new RegExp(`^${menu}`) }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: item }).click();
  const path = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}

/** The stored projects' names, sorted, from the Projects panel. */
async function projectNames(page: Page): Promise<string[]> {
  await page.getByTestId('projects-button').click();
  await page.getByTestId('projects-panel').waitFor();
  const names = await page.getByTestId('project-row').locator('button.name > span').allTextContents();
  await page.getByTestId('projects-button').click();
  return names.map((n) => n.trim()).sort();
}

/** What a phone sees: the QR code's screenshot, decoded by jsQR (the page turns the PNG into pixels). */
async function decodeQr(page: Page, selector: string): Promise<string | undefined> {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  const { width, height, rgba } = await page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: bitmap.width, height: bitmap.height, rgba: btoa(binary) };
  }, png);
  return jsQR(new Uint8ClampedArray(Buffer.from(rgba, 'base64')), width, height)?.data;
}

describe('share links (Chromium)', () => {
  const apps: App[] = [];
  let link = '';
  let sharedCell = '';

  beforeAll(async () => {
    apps.push(await openApp({ locale: 'en-US' }));
    const page = apps[0].page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForSelector(NODES, { timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('in English, Share shows the GRU\'s link, copies it, and shows a large QR code that decodes to it', async () => {
    const page = apps[0].page;
    await apps[0].context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(apps[0].url).origin });
    await page.getByRole('button', { name: /^Examples/ }).click();
    await page.getByRole('menuitem', { name: /^GRU \(reset before\)/ }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('GRU (reset before)');
    sharedCell = await exportedCell(page, 'Export', 'Cell file (.json)');

    await page.getByRole('button', { name: /^Export/ }).click();
    await page.getByRole('menuitem', { name: 'Share (link, QR code)…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this cell' });
    const field = dialog.getByLabel('Link');
    await expect.poll(() => field.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#cell=[A-Za-z0-9_-]+$/);
    link = await field.inputValue();
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // Keys stay in the dialog: "?" (the shortcuts help) does nothing behind it.
    await page.keyboard.press('?');
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await page.locator('dialog[open]').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Show QR code' }).click();
    const qr = dialog.getByRole('img', { name: 'QR code of the link' });
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    expect(await decodeQr(page, 'dialog svg.qr')).toBe(link);
    await dialog.getByRole('button', { name: 'Hide QR code' }).click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  it('refuses to make a link for a cell too large for one, in English, and points to the cell file', async () => {
    const page = apps[0].page;
    // Text that hardly compresses: random base64 letters, near the longest description a cell may have.
    const noise = Array.from(crypto.getRandomValues(new Uint8Array(7_400))).map((b) => String.fromCharCode(b)).join('');
    await page.getByLabel('Description').fill(btoa(noise));
    await page.getByRole('button', { name: /^Export/ }).click();
    await page.getByRole('menuitem', { name: 'Share (link, QR code)…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this cell' });
    const refusal = dialog.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/^This cell makes a link of \d{1,2},\d{3} characters; links are limited to 8,000\. Share it as a file instead: Export → Cell file \(\.json\)$/);
    expect(await dialog.getByLabel('Link').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
  }, 30_000);

  it('opens the same cell from the link in a fresh profile (in Spanish), as its only project, and clears the address', async () => {
    const app = await openApp({ locale: 'es-ES', path: new URL(link).hash });
    apps.push(app);
    const page = app.page;
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 60_000 }).toBe('GRU (reset before)');
    expect(await exportedCell(page, 'Exportar', 'Archivo de celda (.json)')).toBe(sharedCell);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await projectNames(page)).toEqual(['GRU (reset before)']);

    // The same cell makes the same link, from the Spanish dialog.
    await page.getByRole('button', { name: /^Exportar/ }).click();
    await page.getByRole('menuitem', { name: 'Compartir (enlace, código QR)…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Compartir esta celda' });
    await expect.poll(() => dialog.getByLabel('Enlace').inputValue()).toContain('#cell=');
    expect(new URL(await dialog.getByLabel('Enlace').inputValue()).hash).toBe(new URL(link).hash);
    await dialog.getByRole('button', { name: 'Mostrar código QR' }).click();
    await dialog.getByRole('img', { name: 'Código QR del enlace' }).waitFor();
    await dialog.getByRole('button', { name: 'Cerrar' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  it('in Spanish, hostile links pasted into the open app show their diagnostics and create nothing', async () => {
    const page = apps[1].page;
    const alert = page.getByRole('alert').filter({ hasText: 'No se pudo abrir el enlace compartido:' });
    await page.evaluate(() => (location.hash = '#cell=basura!!'));
    await alert.getByText('el carácter "!" (U+0021) en la posición 7 de sus datos no es base64url', { exact: false }).waitFor();
    await page.evaluate((hash) => (location.hash = hash), await invalidCellLink());
    await alert.getByText(renderMessage('bad-nodes', {}, 'es')).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await projectNames(page)).toEqual(['GRU (reset before)']);
    // A good link pasted later opens: a second copy, as a new project.
    await page.evaluate((hash) => (location.hash = hash), new URL(link).hash);
    await expect.poll(() => projectNames(page)).toEqual(['GRU (reset before)', 'GRU (reset before)']);
  }, 30_000);

  it('in English, a link that is not a cell, opened as the app starts, shows its diagnostics and adds no project', async () => {
    const page = apps[0].page;
    const before = await projectNames(page);
    expect(before).toEqual(['GRU (reset before)', 'New cell']);
    // A new start (not a same-page fragment change) on the hostile address.
    await page.goto('about:blank');
    await page.goto(`${apps[0].url}${await invalidCellLink()}`);
    const alert = page.getByRole('alert').filter({ hasText: 'Could not open the shared link:' });
    await alert.getByText(renderMessage('bad-nodes', {}, 'en')).waitFor({ timeout: 30_000 });
    await alert.getByText(renderMessage('bad-metadata', {}, 'en')).waitFor();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('GRU (reset before)');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await projectNames(page)).toEqual(before);
    expect(apps.flatMap((a) => a.errors)).toEqual([]);
  }, 60_000);
});
