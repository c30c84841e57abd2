/**
 * Safe start, and a large cell's equations, in Debian's Chromium. A project whose opening never finishes leaves the app's
 * opening marker set: here the last project's equations never reach the page, because the
 * typesetting chunk (lib/math.ts with KaTeX, loaded on demand) is held back for that page. The
 * page is closed mid-start; the next start on the same profile opens the project list instead
 * of that project, says why (English and Spanish), has lost no project, and opens the other one.
 * A `?safe` address does the same on request. A cell with hundreds of equation lines shows
 * the first batch with "Show all", which brings the rest.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS } from './gestures';

const NODES = `${CANVAS} [data-testid="node"]`;
/**
 * The RNN example with a ladder of `rungs` products after its tanh, each squaring the one before:
 * every rung is used twice, so each gets a line of its own (rungs + 2 lines in all).
 */
function ladderCell(rungs: number): string {
  const rnn = JSON.parse(readFileSync('examples/rnn.json', 'utf8')) as {
    metadata: { name: string };
    nodes: { id: string }[];
    connections: { from: string; fromPort: string; to: string; toPort: string }[];
  };
  const connections = rnn.connections.filter((c) => c.from !== 'act');
  let previous = 'act';
  for (let i = 0; i < rungs; i++) {
    const id = `rung${i}`;
    rnn.nodes.push({ id, kind: 'multiply', params: {}, position: { x: 800 + 40 * i, y: 100 } } as { id: string });
    connections.push({ from: previous, fromPort: 'out', to: id, toPort: 'a' }, { from: previous, fromPort: 'out', to: id, toPort: 'b' });
    previous = id;
  }
  connections.push({ from: previous, fromPort: 'out', to: 'y', toPort: 'y' }, { from: previous, fromPort: 'out', to: 'h', toPort: 'next' });
  return JSON.stringify({ ...rnn, metadata: { ...rnn.metadata, name: 'Ladder' }, connections });
}

/** The typesetting chunk as the dev server serves it. */
const TYPESETTER = /\/src\/ui\/lib\/math\.ts/;

describe('safe start after a start that never finished (Chromium)', () => {
  let app: App;
  /** The page in use now (each test closes the one before). */
  let page: Page;
  /** Console errors and uncaught errors of the tabs opened here. */
  const errors: string[] = [];

  /** A new tab on the profile; `hold`: the typesetting chunk never arrives there. */
  async function openTab(options: { hold?: boolean; path?: string } = {}): Promise<Page> {
    const tab = await app.context.newPage();
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.setViewportSize({ width: 1600, height: 1000 });
    // A route that is never continued: the request stays pending as long as the page lives.
    if (options.hold) await tab.route(TYPESETTER, () => undefined);
    await page.close();
    await tab.goto(`${app.url}${options.path ?? ''}`);
    page = tab;
    return tab;
  }

  /** The open project's name in the toolbar, or undefined while none is open. */
  async function openProject(tab: Page): Promise<string | undefined> {
    const name = tab.getByTestId('project-name');
    return (await name.count()) === 0 ? undefined : ((await name.textContent()) ?? undefined);
  }

  /** Waits until the opened project is on the page, its equations typeset (or none: "New cell" does not compile). */
  async function shown(tab: Page, project: string): Promise<void> {
    await tab.getByTestId('project-name').getByText(project, { exact: true }).waitFor({ timeout: 30_000 });
    const typeset = tab.getByRole('list', { name: /equations|ecuaciones/i }).getByRole('button').first();
    await typeset.or(tab.getByText(/does not compile yet|aún no compila/)).waitFor({ timeout: 30_000 });
    // Setup, not an assertion: the app clears its opening marker two frames after that.
    await tab.waitForFunction(() => localStorage.getItem('celda.opening') === null, undefined, { timeout: 10_000 });
  }

  /** Opens the last project on a tab where it can never finish, and closes that tab mid-start. */
  async function hangOnStart(project: string, typesetting: string): Promise<void> {
    const stuck = await openTab({ hold: true });
    await expect.poll(() => openProject(stuck), { timeout: 30_000 }).toBe(project);
    await stuck.getByText(typesetting).waitFor({ timeout: 10_000 });
  }

  /** The project names in the open project list. */
  async function listed(tab: Page, dialogName: string): Promise<string[]> {
    const dialog = tab.getByRole('dialog', { name: dialogName });
    await dialog.waitFor({ timeout: 30_000 });
    await expect.poll(() => dialog.getByRole('listitem').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    return dialog.locator('li button.name > span').allTextContents();
  }

  beforeAll(async () => {
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-profile-')) });
    page = app.page;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
    await shown(page, 'New cell');
    // A second project, opened last.
    await page.getByRole('button', { name: /^Examples/ }).click();
    await page.getByRole('menuitem', { name: /^LSTM/ }).click();
    await shown(page, 'LSTM');
  }, 120_000);
  afterAll(async () => app?.close());

  it('opens the project list instead of a project that never finished opening, and loses nothing', async () => {
    await hangOnStart('LSTM', 'Typesetting the equations…');

    const tab = await openTab();
    await tab.getByText('Celda did not finish opening “LSTM” last time, so it opened the project list instead. Open it again, or export it.').waitFor({ timeout: 30_000 });
    expect((await listed(tab, 'Projects')).sort()).toEqual(['LSTM', 'New cell']);
    expect(await openProject(tab)).toBeUndefined();
    const dialog = tab.getByRole('dialog', { name: 'Projects' });
    expect(await dialog.getByRole('button', { name: 'Open it' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Export it' }).isVisible()).toBe(true);

    // The other project opens, and once it is on the page the next start opens it as usual.
    await dialog.getByRole('button', { name: /^New cell/ }).click();
    await shown(tab, 'New cell');
    await tab.reload();
    await shown(tab, 'New cell');
    expect(await tab.getByRole('dialog', { name: 'Projects' }).count()).toBe(0);
  });

  it('opens the project list on request with ?safe, in Spanish, and the last project from it', async () => {
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    const tab = await openTab({ path: '?safe' });
    await tab.getByText('Arranque seguro (?safe en la dirección): está abierta la lista de proyectos en lugar de tu último proyecto, «New cell». Ábrelo o expórtalo.').waitFor({ timeout: 30_000 });
    expect((await listed(tab, 'Proyectos')).sort()).toEqual(['LSTM', 'New cell']);
    expect(await openProject(tab)).toBeUndefined();
    await tab.getByRole('dialog', { name: 'Proyectos' }).getByRole('button', { name: /^LSTM/ }).click();
    await shown(tab, 'LSTM');
  });

  it('says so in Spanish after a start that never finished, and opens that project again on request', async () => {
    await hangOnStart('LSTM', 'Componiendo las ecuaciones…');

    const tab = await openTab();
    await tab.getByText('Celda no terminó de abrir «LSTM» la última vez, así que abrió la lista de proyectos en su lugar. Vuelve a abrirlo o expórtalo.').waitFor({ timeout: 30_000 });
    expect((await listed(tab, 'Proyectos')).sort()).toEqual(['LSTM', 'New cell']);
    expect(await openProject(tab)).toBeUndefined();
    await tab.getByRole('dialog', { name: 'Proyectos' }).getByRole('button', { name: 'Abrirlo' }).click();
    await shown(tab, 'LSTM');
    expect(await tab.getByRole('list', { name: 'Las ecuaciones de la celda, una por línea' }).getByRole('button').count()).toBeGreaterThanOrEqual(6);
  });

  it('shows a large cell\'s equations in batches, and all of them on request', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByTestId('open-file').setInputFiles({ name: 'ladder.json', mimeType: 'application/json', buffer: Buffer.from(ladderCell(300)) });
    await shown(page, 'Ladder');
    const lines = page.getByRole('list', { name: /^(The cell's equations|Las ecuaciones de la celda)/ }).getByRole('button');
    await page.getByText('302 equations; showing the first 40.').waitFor({ timeout: 10_000 });
    expect(await lines.count()).toBe(40);
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByText('302 ecuaciones; se muestran las primeras 40.').waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Mostrar todas' }).click();
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(302);
    expect(await page.getByText(/302 ecuaciones/).count()).toBe(0);
    expect(await lines.last().getAttribute('aria-label')).toBe('y_t = a_t');
  });

  it('logs no console errors', () => {
    expect([...app.errors, ...errors]).toEqual([]);
  });
});
