/**
 * The zoo gallery in Debian's Chromium, found by its visible labels in Spanish (the browser's
 * language) and then in English (switched in the toolbar): Examples → Zoo of published cells
 * opens a dialog with the search box focused; typing a name keeps that cell, the MGU, under its
 * group, with its citation, its parameter count and its equations typeset; Open makes it a new
 * project (its name in the toolbar) and the project open before stays in the list. Escape closes
 * the dialog. One browser for both languages keeps the file short.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';

interface Words {
  readonly examples: RegExp;
  readonly zoo: RegExp;
  readonly title: string;
  readonly shown: string;
  readonly group: string;
  readonly mgu: string;
  readonly parameters: string;
  readonly equations: string;
  readonly open: string;
  readonly projects: string;
}

const SPANISH: Words = {
  examples: /^Ejemplos/,
  zoo: /^Zoo de celdas publicadas/,
  title: 'Zoo de celdas publicadas',
  shown: '1 de 27 celdas',
  group: 'Unidades con compuertas mínimas',
  mgu: 'Unidad con compuerta mínima (MGU)',
  parameters: '800 parámetros aprendidos (entrada 8, oculto 16)',
  equations: 'Ecuaciones de Unidad con compuerta mínima (MGU)',
  open: 'Abrir Unidad con compuerta mínima (MGU)',
  projects: 'Proyectos',
};

const ENGLISH: Words = {
  examples: /^Examples/,
  zoo: /^Zoo of published cells/,
  title: 'Zoo of published cells',
  shown: '1 of 27 cells',
  group: 'Minimal gated units',
  mgu: 'Minimal gated unit (MGU)',
  parameters: '800 learned parameters (input 8, hidden 16)',
  equations: 'Equations of Minimal gated unit (MGU)',
  open: 'Open Minimal gated unit (MGU)',
  projects: 'Projects',
};

const CITATION = 'G.-B. Zhou, J. Wu, C.-L. Zhang, Z.-H. Zhou (2016). Minimal gated unit for recurrent neural networks.';

const projectName = (page: Page) => page.getByTestId('project-name').textContent();

/** The names in the Projects panel, found by its label. */
async function projectNames(page: Page, words: Words): Promise<string> {
  await page.getByRole('button', { name: new RegExp(`^${words.projects}`) }).click();
  const text = (await page.getByRole('dialog', { name: words.projects }).getByRole('list').textContent()) ?? '';
  await page.keyboard.press('Escape');
  return text;
}

async function openGallery(page: Page, words: Words) {
  await page.getByRole('button', { name: words.examples }).click();
  await page.getByRole('menuitem', { name: words.zoo }).click();
  const dialog = page.getByRole('dialog', { name: words.title });
  await dialog.waitFor();
  return dialog;
}

describe('the zoo gallery (Chromium)', () => {
  let app: App;
  const page = () => app.page;

  beforeAll(async () => {
    app = await openApp({ locale: 'es-ES' });
    await page().setViewportSize({ width: 1280, height: 800 });
    await page().getByTestId('project-name').waitFor({ timeout: 60_000 });
  }, 120_000);
  afterAll(async () => app?.close());

  for (const words of [SPANISH, ENGLISH]) {
    it(`finds the MGU under its group, with citation and equations, and opens it as a new project (${words === SPANISH ? 'es' : 'en'})`, async () => {
      if (words === ENGLISH) await page().getByRole('button', { name: 'EN', exact: true }).click();
      const before = (await projectName(page()))!;

      // Escape closes the gallery, and nothing is opened.
      await openGallery(page(), words);
      await page().keyboard.press('Escape');
      await page().getByRole('dialog', { name: words.title }).waitFor({ state: 'hidden' });
      expect(await projectName(page())).toBe(before);

      const dialog = await openGallery(page(), words);
      // The search box has the focus: typing filters at once.
      await page().keyboard.type('mgu');
      await dialog.getByRole('status').getByText(words.shown).waitFor();
      expect(await dialog.getByRole('searchbox').inputValue()).toBe('mgu');

      const card = dialog.getByRole('region', { name: words.group }).getByRole('article', { name: words.mgu });
      await card.getByText(CITATION).waitFor();
      await card.getByText(words.parameters).waitFor();
      const equations = card.getByRole('list', { name: words.equations });
      await equations.locator('.katex').first().waitFor({ timeout: 30_000 });
      expect(await equations.locator('.katex').count()).toBe(await equations.getByRole('listitem').count());
      expect(await equations.textContent()).toContain('tanh');

      await card.getByRole('button', { name: words.open }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => projectName(page()), { timeout: 10_000 }).toBe(words.mgu);
      const names = await projectNames(page(), words);
      expect(names).toContain(before);
      expect(names).toContain(words.mgu);
    });
  }

  it('raised no error in the page', () => {
    expect(app.errors).toEqual([]);
  });
});
