/**
 * Celda offline (src/offline, src/ui/offline.svelte.ts), on a production build in Debian's
 * Chromium: the first visit stores every file of the build and says so, and Chromium finds the
 * app installable; with the network off a reload starts the app, whose toolbar and palette show,
 * an example opens and its equations are typeset (KaTeX is a lazy chunk), in English and Spanish,
 * every file coming from the service worker; a new version served in the same place is installed
 * but asks first ("Later" keeps the running version, "Reload" brings the new one).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precacheOf, serviceWorkerSource, SERVICE_WORKER } from '../../src/offline/vite-plugin';
import { openApp, type App } from './browser';

/** The second version's mark in its index.html: which version the page runs. */
const SECOND = 'meta[name="celda-build"][content="second"]';

/** Every file of a build folder, '/'-separated, sorted. */
const filesOf = (folder: string) => readdirSync(folder, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join('/'))
  .sort();

/**
 * Releases a second version into the served folder, as the next `vite build` would, without
 * bundling again: its index.html is marked, and sw.js is made anew by the build's own plugin
 * functions from the folder's files.
 */
async function releaseSecondVersion(folder: string): Promise<void> {
  const page = join(folder, 'index.html');
  writeFileSync(page, readFileSync(page, 'utf8').replace('</head>', '<meta name="celda-build" content="second" /></head>'));
  const files = filesOf(folder).filter((name) => name !== SERVICE_WORKER).map((name) => ({ name, content: readFileSync(join(folder, name)) }));
  writeFileSync(join(folder, SERVICE_WORKER), await serviceWorkerSource(precacheOf(files)));
}

/** The paths in each of the app's caches (the service worker's precache). */
const cached = (page: Page) => page.evaluate(async () => {
  const caches_: Record<string, string[]> = {};
  for (const name of await caches.keys()) {
    const requests = await (await caches.open(name)).keys();
    caches_[name] = requests.map((r) => new URL(r.url).pathname.slice(1)).sort();
  }
  return caches_;
});

/** The app at work: toolbar and palette by their labels, an example opened, its equations typeset. */
async function works(page: Page, t: { toolbar: string; palette: string; search: string; examples: RegExp; example: string; equations: string }): Promise<void> {
  await page.getByRole('toolbar', { name: t.toolbar }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: t.palette }).waitFor();
  await page.getByRole('searchbox', { name: t.search }).waitFor();
  await page.getByRole('button', { name: t.examples }).click();
  await page.getByRole('menuitem', { name: t.example }).click();
  const equations = page.getByRole('list', { name: t.equations });
  await equations.locator('.katex').first().waitFor({ timeout: 30_000 });
  expect(await equations.locator('.katex').count()).toBeGreaterThan(4);
}

describe('Celda offline (production build, Chromium)', () => {
  let app: App;
  const page = () => app.page;

  beforeAll(async () => {
    app = await openApp({ production: true, locale: 'en-US' });
    await page().setViewportSize({ width: 1280, height: 720 });
  }, 90_000);
  afterAll(async () => app?.close());

  it('stores every file of the build on the first visit, says so, and is installable', async () => {
    await page().getByText('Ready to work offline').waitFor({ timeout: 30_000 });
    expect(await page().evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
    const caches = await cached(page());
    expect(Object.values(caches)).toHaveLength(1);
    const precached = Object.values(caches)[0];
    expect(precached).toEqual(filesOf(app.outDir!).filter((f) => f !== SERVICE_WORKER));
    expect(precached).toEqual(expect.arrayContaining(['index.html', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png']));
    // The lazy chunks (KaTeX, auto-arrange, the zoo gallery's cells), the training worker and the fonts are there too.
    for (const lazy of [/^assets\/math-.*\.js$/, /^assets\/arrange-.*\.js$/, /^assets\/zoo-.*\.js$/, /^assets\/worker-.*\.js$/, /^assets\/KaTeX_Main-Regular-.*\.woff2$/]) {
      expect(precached.some((f) => lazy.test(f)), String(lazy)).toBe(true);
    }
    const cdp = await app.context.newCDPSession(page());
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({ name: 'Celda', display: 'standalone', start_url: '.' });
  });

  it('starts with the network off, in English and in Spanish, every file from the service worker, cross-origin isolated', async () => {
    const fromNetwork: string[] = [];
    const watch = (r: Response) => void (!r.fromServiceWorker() && r.url().startsWith(app.url) && fromNetwork.push(r.url()));
    page().on('response', watch);
    await app.context.setOffline(true);
    // The network is really off, for the service worker's own fetches too.
    expect(await page().evaluate(() => fetch('/not-stored.txt').then(() => 'reached', () => 'offline'))).toBe('offline');
    await page().reload();
    await works(page(), { toolbar: 'Toolbar', palette: 'Nodes', search: 'Search nodes', examples: /^Examples/, example: 'LSTM', equations: 'The cell\'s equations, one per line' });
    // The page from the service worker keeps cross-origin isolation (gpu.js's webasm threads).
    expect(await page().evaluate(() => crossOriginIsolated)).toBe(true);
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await page().reload();
    await works(page(), { toolbar: 'Barra de herramientas', palette: 'Nodos', search: 'Buscar nodos', examples: /^Ejemplos/, example: 'GRU (reinicio antes)', equations: 'Las ecuaciones de la celda, una por línea' });
    page().off('response', watch);
    expect(fromNetwork).toEqual([]);
    await app.context.setOffline(false);
  }, 60_000);

  it('installs a new version but asks before reloading into it: "Later" keeps this one, "Reload" brings it', async () => {
    const [before] = Object.keys(await cached(page()));
    await releaseSecondVersion(app.outDir!);
    // The running version's page starts from its own cache, finds the new worker and asks.
    await page().reload();
    await page().getByText('Hay una nueva versión de Celda lista').waitFor({ timeout: 30_000 });
    expect(await page().locator(SECOND).count()).toBe(0);
    await page().getByRole('button', { name: 'Más tarde' }).click();
    await expect.poll(() => page().getByText('Hay una nueva versión de Celda lista').count()).toBe(0);
    await page().reload();
    await page().getByRole('button', { name: 'Recargar' }).waitFor({ timeout: 30_000 });
    expect(await page().locator(SECOND).count()).toBe(0);

    // A second tab, with work of its own (a mark on its window), is not reloaded under its user.
    const other = await app.newPage();
    await other.getByRole('button', { name: 'Recargar' }).waitFor({ timeout: 30_000 });
    await other.evaluate(() => Object.assign(window, { celdaKept: true }));

    await page().getByRole('button', { name: 'Recargar' }).click();
    await page().locator(SECOND).waitFor({ state: 'attached', timeout: 30_000 });
    await other.getByText('Celda se actualizó en otra pestaña').waitFor({ timeout: 30_000 });
    expect(await other.evaluate(() => (window as { celdaKept?: boolean }).celdaKept)).toBe(true);
    expect(await other.getByText('Hay una nueva versión de Celda lista').count()).toBe(0);
    await other.close();
    await page().getByRole('toolbar', { name: 'Barra de herramientas' }).waitFor();
    const after = Object.keys(await cached(page()));
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(await page().getByText('Hay una nueva versión de Celda lista').count()).toBe(0);
    // The one error: the fetch that showed the network off.
    expect(app.errors).toEqual(['Failed to load resource: net::ERR_FAILED']);
  }, 90_000);
});
