/**
 * Teaching with the training drawer, as a workshop teacher does it on a 1280×720 projector,
 * in English and Spanish: the drawer leaves the cell's output node, the language switch
 * and the help in view and shows all of its own fields; the gates on the canvas fill
 * live while the cell trains and the inside view follows the run; the form survives
 * closing the drawer and a reload; the gradient-flow study trains the examples and says
 * what this run shows; no legend reads "--" or stays in English in the Spanish UI.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS } from './gestures';

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');
const NODES = `${CANVAS} [data-testid="node"]`;
const VIEWPORT = { width: 1280, height: 720 };

interface Box { x: number; y: number; width: number; height: number }

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inViewport = (b: Box) => b.x >= 0 && b.y >= 0 && b.x + b.width <= VIEWPORT.width && b.y + b.height <= VIEWPORT.height;

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${locator.toString()} is not on the page`);
  return b;
}

/** Whether the element itself is what the page shows at its centre (nothing drawn over it). */
const onTop = (locator: Locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return hit !== null && (el === hit || el.contains(hit));
});

/** Every legend's text in the drawer. */
const legends = (page: Page) => page.locator('section.training [data-testid="chart-legend"]').allTextContents();

/** Words an English legend would show; none may appear in the Spanish UI's legends. */
const ENGLISH = /\b(step|Latest|Training loss|Validation|Gradient norm|At time|This cell|Point at|No steps)\b|--/;

describe('teaching with the training drawer at 1280×720 (Chromium)', () => {
  let app: App;
  const page = () => app.page;
  const drawer = () => page().locator('section.training');

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-profile-')) });
    await page().setViewportSize(VIEWPORT);
    await page().waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
    await page().getByRole('button', { name: /^Examples/ }).click();
    await page().locator('[data-example="lstm"]').click();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 10_000 });
  }, 90_000);
  afterAll(async () => app?.close());

  /** The output node, the language switch and the help are in view and nothing covers them; neither do the drawer's own controls leave the viewport. */
  async function checkLayout(language: string, help: string): Promise<void> {
    const panel = await box(drawer());
    const output = page().locator(`${NODES}[data-kind="output"]`);
    const languages = page().getByRole('group', { name: language });
    const helpButton = page().getByRole('button', { name: help });
    // The canvas refits after the drawer opens (a frame later).
    await expect.poll(async () => inViewport(await box(output)) && !overlap(await box(output), panel) && (await onTop(output)), { timeout: 5_000 }).toBe(true);
    for (const [name, item] of [['language switch', languages], ['help', helpButton]] as const) {
      const b = await box(item);
      expect(inViewport(b), `${name} in view`).toBe(true);
      expect(overlap(b, panel), `${name} clear of the drawer`).toBe(false);
      expect(await onTop(item), `${name} not covered`).toBe(true);
    }
    const controls = drawer().locator('form input, form select, form textarea, header button');
    const count = await controls.count();
    expect(count).toBeGreaterThanOrEqual(12);
    for (let i = 0; i < count; i++) {
      const b = await box(controls.nth(i));
      expect(inViewport(b), `control ${i} (${await controls.nth(i).getAttribute('type')}) inside the viewport: ${JSON.stringify(b)}`).toBe(true);
    }
  }

  it('leaves the output node, the language switch and the help in view, in English and Spanish, and shows every field of its own', async () => {
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    await drawer().waitFor();
    await checkLayout('Language', 'Keyboard shortcuts (?)');
    await page().screenshot({ path: join(ARTEFACTS, 'teaching-drawer-en.png') });

    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await drawer().getByRole('tab', { name: 'Ajustes y pérdida' }).waitFor();
    await checkLayout('Idioma', 'Atajos de teclado (?)');
    // Resizing by keyboard: the drawer grows and the canvas refits to the room left.
    const before = (await box(drawer())).height;
    const handle = page().getByRole('separator', { name: /Alto del panel/ });
    await handle.focus();
    for (let i = 0; i < 3; i++) await page().keyboard.press('ArrowUp');
    await expect.poll(async () => (await box(drawer())).height).toBeGreaterThan(before + 50);
    await checkLayout('Idioma', 'Atajos de teclado (?)');
    for (let i = 0; i < 3; i++) await page().keyboard.press('ArrowDown');
    await page().screenshot({ path: join(ARTEFACTS, 'teaching-drawer-es.png') });
    expect((await legends(page())).join(' ')).not.toMatch(ENGLISH);
  }, 60_000);

  it('keeps the training settings when the drawer closes and after a reload', async () => {
    const form = drawer().locator('form');
    await form.getByLabel('Pasos').fill('150');
    await form.getByLabel('Tasa de aprendizaje').fill('0.02');
    await form.getByLabel('Semilla').fill('5');
    await form.getByLabel('Tarea').selectOption('adding');
    await drawer().getByRole('button', { name: 'Cerrar' }).click();
    await page().getByRole('button', { name: 'Entrenar', exact: true }).click();
    const read = async () => [await form.getByLabel('Pasos').inputValue(), await form.getByLabel('Tasa de aprendizaje').inputValue(), await form.getByLabel('Semilla').inputValue(), await form.getByLabel('Tarea').inputValue()];
    expect(await read()).toEqual(['150', '0.02', '5', 'adding']);

    // Saved with the project (autosave waits for a pause in the typing).
    await expect.poll(() => page().getByText('Guardado', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await page().reload();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 30_000 });
    await page().getByRole('button', { name: 'Entrenar', exact: true }).click();
    expect(await read()).toEqual(['150', '0.02', '5', 'adding']);
    await form.getByLabel('Tarea').selectOption('charlm');
  }, 60_000);

  it('fills each gate on the canvas with its activation while the cell trains, changing as it learns; the inside view follows the run', async () => {
    const levels = page().locator(`${CANVAS} [data-testid="node-activity"]`);
    expect(await levels.count()).toBe(0);
    // Long enough to watch it; stopped below.
    await drawer().locator('form').getByLabel('Pasos').fill('3000');
    await drawer().getByRole('button', { name: 'Empezar' }).click();
    // Sample the fills as the run goes: each snapshot of the parameters gives new levels.
    const seen = new Set<string>();
    await expect.poll(async () => {
      const now = await levels.evaluateAll((els) => els.map((el) => `${el.closest('[data-node-id]')?.getAttribute('data-node-id')}=${el.getAttribute('data-level')}`).join(' '));
      if (now) seen.add(now);
      return seen.size;
    }, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    // The LSTM's five σ and tanh nodes each have a fill, a level in [0, 1].
    const sample = [...seen].at(-1)?.split(' ') ?? [];
    expect(sample.map((s) => s.split('=')[0]).sort()).toEqual(['cc', 'f', 'o', 'squash', 'u']);
    for (const s of sample) expect(Number(s.split('=')[1])).toBeGreaterThanOrEqual(0);
    await page().locator(CANVAS).screenshot({ path: join(ARTEFACTS, 'teaching-live-fills.png') });

    await drawer().getByRole('tab', { name: 'Dentro de la celda' }).click();
    const live = drawer().locator('section.inside .step');
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).toMatch(/^Siguiendo el entrenamiento: los parámetros del paso \d+\.$/);
    const first = await live.textContent();
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).not.toBe(first);
    expect(await drawer().locator('section.inside .saturation').textContent()).toMatch(/^Saturada: σ por debajo de 0,05/);
    await page().screenshot({ path: join(ARTEFACTS, 'teaching-inside-live-es.png') });

    await drawer().getByRole('button', { name: 'Detener' }).click();
    await expect.poll(() => drawer().locator('.progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    // The fills show only while a cell trains.
    expect(await levels.count()).toBe(0);
    await drawer().getByRole('tab', { name: 'Ajustes y pérdida' }).click();
    const texts = (await legends(page())).join(' ');
    expect(texts).toMatch(/^Último, paso \d+/);
    expect(texts).not.toMatch(ENGLISH);
  }, 120_000);

  it('measures the gradient flow before and after training on adding T = 50, and says what this run shows', async () => {
    await page().getByRole('button', { name: 'EN', exact: true }).click();
    await drawer().getByRole('tab', { name: 'Gradient flow' }).click();
    const flow = drawer().locator('section.flow');
    await flow.getByRole('button', { name: /^Measure before and after training/ }).click();
    // At once: the curves before training, with the forget-bias explanation.
    await expect.poll(() => flow.locator('table.ratios tbody tr').count()).toBe(4);
    expect(await flow.locator('.explain').textContent()).toContain('f ≈ σ(1) ≈ 0.73');
    await expect.poll(() => flow.locator('.progress-text').textContent(), { timeout: 30_000 }).toMatch(/^Training (Elman RNN|LSTM|GRU \(reset before\)) \([1-3] of 3\): step \d+ of 600$/);
    await expect.poll(() => flow.getByRole('radio', { name: 'After training (600 steps)' }).isChecked(), { timeout: 240_000, interval: 1000 }).toBe(true);

    const after = async (cell: string) => Number(await flow.locator(`tr[data-cell="${cell}"]`).getAttribute('data-after'));
    const elman = await after('rnn');
    const lstm = await after('lstm');
    expect(elman > 0 && lstm > 0).toBe(true);
    // This cell is the LSTM example: measured once, its curve drawn over the LSTM's.
    expect(await after('own')).toBe(lstm);
    const verdict = flow.locator('.verdict');
    if (lstm >= 100 * elman) expect(await verdict.textContent()).toMatch(/^After training, the (LSTM|GRU \(reset before\)) keeps \S+ of the gradient back to a_0, the Elman cell \S+: \S+ times more\./);
    else expect(await verdict.textContent()).toMatch(/^In this run the claim does not hold: /);
    const items = await flow.locator('[data-testid="chart-legend"] .item').evaluateAll((els) => els.map((el) => el.getAttribute('data-label')));
    expect(items).toEqual(['Elman RNN', 'LSTM', 'GRU (reset before)', 'This cell (= LSTM)']);
    // Every curve is drawn differently (colour, width or dashes): none can hide another.
    const strokes = await flow.locator('[data-testid="chart-legend"] line').evaluateAll((els) => els.map((el) => `${el.getAttribute('stroke')} ${el.getAttribute('stroke-width')} ${el.getAttribute('stroke-dasharray')}`));
    expect(new Set(strokes).size).toBe(4);
    await flow.screenshot({ path: join(ARTEFACTS, 'teaching-gradient-flow.png') });

    // The before chart is a toggle away; in Spanish, the verdict and the legend are Spanish.
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    expect(await flow.locator('.verdict').textContent()).toMatch(/^(Tras entrenar, la|En esta ejecución la afirmación no se cumple)/);
    await flow.getByRole('radio', { name: 'Antes de entrenar' }).check();
    expect(await flow.locator('.plot').getAttribute('data-shown')).toBe('before');
    expect(await flow.locator('.explain').textContent()).toContain('f ≈ σ(1) ≈ 0,73');
    expect((await legends(page())).join(' ')).not.toMatch(ENGLISH);
    expect(app.errors).toEqual([]);
  }, 300_000);
});
