/**
 * The app as a workshop teacher meets it on a projector, in Debian's Chromium at 1280×720
 * (and 1440×900), in English and in Spanish: a first visit opens the LSTM with a welcome card
 * and no problems; a Spanish browser sees no English on the canvas; labels and sizes stay
 * legible at fit zoom; the toolbar is one row; one name for the project, its cell and its
 * exports; arrange keeps every node's size, and a long label never widens its node.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS, readView } from './gestures';

const NODES = `${CANVAS} [data-testid="node"]`;
/** The example's words that must not show in a Spanish UI (word by word: "LSTM" is the same in both). */
const ENGLISH = /New cell|\b(hidden|forget|update|output|candidate)\b/;

async function openFirstVisit(locale: string): Promise<App> {
  const app = await openApp({ firstVisit: true, locale });
  await app.page.setViewportSize({ width: 1280, height: 720 });
  return app;
}

/** Waits until the canvas shows `count` nodes and the problems panel has checked them. */
async function shown(page: Page, count: number, noProblems: string): Promise<void> {
  await page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length === n, [NODES, count] as const, { timeout: 60_000 });
  await page.getByText(noProblems).waitFor({ timeout: 30_000 });
}

/** Zooms to fit with the toolbar's button; the smallest caption and size text then, in screen pixels. */
async function smallestTextAtFit(page: Page, fit: string): Promise<{ caption: number; size: number }> {
  await page.getByRole('button', { name: fit, exact: true }).click();
  const { k } = await readView(page);
  const smallest = await page.evaluate((selector) => {
    const px = (sel: string) => Math.min(...[...document.querySelectorAll(`${selector} ${sel}`)].map((e) => parseFloat(getComputedStyle(e).fontSize)));
    return { caption: px('.caption'), size: px('[data-testid="size"]') };
  }, NODES);
  return { caption: smallest.caption * k, size: smallest.size * k };
}

/** How far apart the tops of the toolbar's controls are (0: one row). */
async function toolbarRows(page: Page): Promise<number> {
  const tops = await page.getByRole('toolbar').locator('button:visible, select:visible, input:visible').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
  return Math.max(...tops) - Math.min(...tops);
}

/**
 * Every node's visible text and tooltips (what the node is; the problem lines after it are
 * diagnostics, worded by src/model/messages.ts), and the project's name.
 */
async function canvasWords(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const words: string[] = [];
    for (const node of document.querySelectorAll<HTMLElement>(selector)) {
      words.push(node.innerText, (node.getAttribute('title') ?? '').split('\n')[0]);
      for (const el of node.querySelectorAll('[title]')) words.push(el.getAttribute('title') ?? '');
    }
    words.push(document.querySelector('[data-testid="project-name"]')?.textContent ?? '');
    return words;
  }, NODES);
}

/** Node id → its box's width × height in area units (the view's zoom taken out). */
async function nodeSizes(page: Page): Promise<Record<string, string>> {
  return page.evaluate((selector) => Object.fromEntries([...document.querySelectorAll<HTMLElement>(selector)].map((n) => [n.dataset.nodeId, `${n.offsetWidth}×${n.offsetHeight}`])), NODES);
}

/** Downloads an export from the toolbar's Export menu; its suggested file name. */
async function exportedName(page: Page, item: string): Promise<string> {
  await page.getByRole('button', { name: /^Export/ }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: item }).click();
  return (await download).suggestedFilename();
}

describe('a teacher\'s first visit, in English, at 1280×720', () => {
  let app: App;
  const page = () => app.page;

  beforeAll(async () => {
    app = await openFirstVisit('en-US');
    await shown(page(), 18, 'No problems');
  }, 120_000);
  afterAll(async () => app?.close());

  it('opens the LSTM with no problems and a welcome card', async () => {
    const welcome = page().getByRole('region', { name: 'Welcome to Celda' });
    expect(await welcome.isVisible()).toBe(true);
    expect(await welcome.getByRole('button', { name: 'Start blank' }).isVisible()).toBe(true);
    expect(await welcome.getByRole('button', { name: 'GRU (reset before)' }).isVisible()).toBe(true);
    expect(await welcome.getByRole('button', { name: 'Start a lesson' }).isVisible()).toBe(true);
    expect(await page().getByTestId('project-name').textContent()).toBe('LSTM');
    expect(await page().locator(`${CANVAS} .celda-node.error`).count()).toBe(0);
  });

  it('draws captions and sizes at 9 px or more at fit zoom, with the toolbar on one row', async () => {
    const text = await smallestTextAtFit(page(), 'Fit');
    expect(text.caption).toBeGreaterThanOrEqual(9);
    expect(text.size).toBeGreaterThanOrEqual(9);
    expect(await toolbarRows(page())).toBeLessThanOrEqual(4);
  });

  it('does the same at 1440×900', async () => {
    await page().setViewportSize({ width: 1440, height: 900 });
    const text = await smallestTextAtFit(page(), 'Fit');
    expect(Math.min(text.caption, text.size)).toBeGreaterThanOrEqual(9);
    expect(await toolbarRows(page())).toBeLessThanOrEqual(4);
    await page().setViewportSize({ width: 1280, height: 720 });
  });

  it('closes the welcome for good', async () => {
    await page().getByRole('region', { name: 'Welcome to Celda' }).getByRole('button', { name: 'Close' }).click();
    expect(await page().getByRole('region', { name: 'Welcome to Celda' }).count()).toBe(0);
    await page().reload();
    await shown(page(), 18, 'No problems');
    expect(await page().getByRole('region', { name: 'Welcome to Celda' }).count()).toBe(0);
  });

  it('renaming the project renames the cell and the exported files; renaming the cell renames the project', async () => {
    page().once('dialog', (dialog) => void dialog.accept('My LSTM'));
    await page().getByTestId('projects-button').click();
    await page().getByTestId('project-row').filter({ hasText: 'LSTM' }).getByRole('button', { name: 'Rename' }).click();
    await page().getByTestId('project-name').getByText('My LSTM', { exact: true }).waitFor({ timeout: 10_000 });
    await page().getByTestId('projects-button').click();
    expect(await page().getByLabel('Name', { exact: true }).inputValue()).toBe('My LSTM');
    expect(await exportedName(page(), 'Cell file (.json)')).toBe('my-lstm.json');
    expect(await exportedName(page(), 'Project (.celda.json)')).toBe('my-lstm.celda.json');
    expect(await exportedName(page(), 'Diagram (SVG)')).toBe('my-lstm.svg');

    await page().getByLabel('Name', { exact: true }).fill('Peephole LSTM');
    await page().getByLabel('Name', { exact: true }).press('Enter');
    await page().getByTestId('project-name').getByText('Peephole LSTM', { exact: true }).waitFor({ timeout: 10_000 });
    await page().getByTestId('projects-button').click();
    expect(await page().getByTestId('project-row').locator('button.name > span').allTextContents()).toEqual(['Peephole LSTM']);
    await page().getByTestId('projects-button').click();
    expect(await exportedName(page(), 'Cell file (.json)')).toBe('peephole-lstm.json');
  });

  it('cuts a long label with an ellipsis, shows it whole on hover, and never widens the node', async () => {
    const before = await nodeSizes(page());
    const long = 'a forget gate with a label far longer than its node';
    await page().locator(`${NODES}[data-node-id="f"]`).click();
    await page().getByLabel('Label', { exact: true }).fill(long);
    await page().getByLabel('Label', { exact: true }).press('Enter');
    const caption = page().locator(`${NODES}[data-node-id="f"] .caption`);
    await expect.poll(() => caption.textContent()).toBe(long);
    expect(await caption.getAttribute('title')).toBe(long);
    expect(await caption.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).textOverflow === 'ellipsis')).toBe(true);
    expect(await nodeSizes(page())).toEqual(before);
  });

  it('arranges the cell keeping every node\'s width and height', async () => {
    const before = await nodeSizes(page());
    const at = (id: string) => page().locator(`${NODES}[data-node-id="${id}"]`).boundingBox();
    const placed = await at('f');
    await page().getByRole('button', { name: 'Arrange', exact: true }).click();
    await expect.poll(async () => JSON.stringify(await at('f')), { timeout: 10_000 }).not.toBe(JSON.stringify(placed));
    expect(await nodeSizes(page())).toEqual(before);
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});

describe('a teacher\'s first visit, in Spanish (the browser\'s language), at 1280×720', () => {
  let app: App;
  const page = () => app.page;

  beforeAll(async () => {
    app = await openFirstVisit('es-ES');
    await shown(page(), 18, 'Sin problemas');
  }, 120_000);
  afterAll(async () => app?.close());

  it('opens the LSTM in Spanish with no problems and a welcome card in Spanish', async () => {
    const welcome = page().getByRole('region', { name: 'Te damos la bienvenida a Celda' });
    expect(await welcome.isVisible()).toBe(true);
    expect(await welcome.getByRole('button', { name: 'Empezar en blanco' }).isVisible()).toBe(true);
    expect(await page().locator(`${NODES}[data-node-id="f"] .caption`).textContent()).toBe('olvido');
    expect(await page().locator(`${NODES}[data-node-id="cat"] [data-testid="size"]`).textContent()).toBe('oculto + entrada');
  });

  it('shows no English on the nodes, their sizes and tooltips, or the project\'s name', async () => {
    const words = await canvasWords(page());
    expect(words.join(' ')).toContain('olvido');
    for (const w of words) expect(w).not.toMatch(ENGLISH);
  });

  it('draws captions and sizes at 9 px or more at fit zoom, with the toolbar on one row', async () => {
    const text = await smallestTextAtFit(page(), 'Encuadrar');
    expect(text.caption).toBeGreaterThanOrEqual(9);
    expect(text.size).toBeGreaterThanOrEqual(9);
    expect(await toolbarRows(page())).toBeLessThanOrEqual(4);
  });

  it('starts a blank cell in Spanish from the welcome card', async () => {
    await page().getByRole('button', { name: 'Empezar en blanco' }).click();
    await shown(page(), 3, '2 errores, 0 avisos');
    expect(await page().getByTestId('project-name').textContent()).toBe('Celda nueva');
    expect(await page().getByRole('region', { name: 'Te damos la bienvenida a Celda' }).count()).toBe(0);
    const words = await canvasWords(page());
    expect(words.join(' ')).toContain('oculto');
    for (const w of words) expect(w).not.toMatch(ENGLISH);
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});
