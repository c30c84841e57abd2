/**
 * A learner takes the LSTM lesson's forget-gate step in the real app (Chromium),
 * in English and then (switched in the toolbar, starting over) in Spanish, by
 * mouse on the canvas: the lesson opens its starting cell as a new project, a
 * deliberate mistake gets the checker's named hint (and the node at fault is
 * selected), the fix by mouse gets "Correct!", and the next step and the
 * progress in the list follow. Things are found by their visible labels; canvas
 * sockets by the gestures' selectors, as the editor tests do. One browser for
 * both languages keeps the file near a minute on a busy machine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS, connectSockets, dropFromPalette, node } from './gestures';

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');
const NODES = `${CANVAS} [data-testid="node"]`;

interface Words {
  readonly locale: string;
  readonly lessons: string;
  readonly start: string;
  readonly step: (k: number) => string;
  readonly check: string;
  readonly notYet: string;
  readonly correct: string;
  readonly next: string;
  readonly showHint: string;
  readonly firstHint: string;
  readonly allLessons: string;
  readonly fit: string;
  readonly project: string;
}

const ENGLISH: Words = {
  locale: 'en-US',
  lessons: 'Lessons',
  start: 'Start: The LSTM, gate by gate',
  step: (k) => `Step ${k} of 3`,
  check: 'Check',
  notYet: 'Not yet:',
  correct: 'Correct!',
  next: 'Next step',
  showHint: 'Show a hint',
  firstHint: 'You need three nodes from the palette',
  allLessons: '← All lessons',
  fit: 'Fit',
  project: 'Lesson: The LSTM, gate by gate',
};

const SPANISH: Words = {
  locale: 'es-ES',
  lessons: 'Lecciones',
  start: 'Volver a empezar: La LSTM, compuerta a compuerta',
  step: (k) => `Paso ${k} de 3`,
  check: 'Comprobar',
  notYet: 'Todavía no:',
  correct: '¡Correcto!',
  next: 'Siguiente paso',
  showHint: 'Ver una pista',
  firstHint: 'Necesitas tres nodos de la paleta',
  allLessons: '← Todas las lecciones',
  fit: 'Encuadrar',
  project: 'Lección: La LSTM, compuerta a compuerta',
};

describe('the LSTM forget-gate step by mouse (Chromium), in English then Spanish', () => {
  let app: App;
  const page = () => app.page;
  const panel = () => page().locator('[data-testid="lessons"]');
  const button = (name: string) => page().getByRole('button', { name, exact: true });

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp({ locale: ENGLISH.locale });
    await page().setViewportSize({ width: 1600, height: 1000 });
    await page().waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
  }, 120_000);
  afterAll(async () => app?.close());

  /** Opens the LSTM lesson from the list (`action`: start or start over) and waits for its starting cell, as a new project. */
  async function openLesson(words: Words, action: string): Promise<void> {
    await panel().getByRole('button', { name: action }).click();
    await expect.poll(() => page().getByTestId('project-name').textContent()).toBe(words.project);
    await page().waitForSelector(node('c_new'), { timeout: 10_000 });
    expect(await page().locator(NODES).count()).toBe(9);
    await expect.poll(() => panel().getByRole('heading', { level: 3 }).textContent()).toBe(words.step(1));
    // The instruction's notation is set with subscripts: Γ_f, a_{t−1}, c_{t−1}…
    expect(await panel().locator('.instruction sub').count()).toBeGreaterThan(3);
    await button(words.showHint).click();
    expect(await panel().locator('ol.hints li').count()).toBe(1);
    expect(await panel().locator('ol.hints').textContent()).toContain(words.firstHint);
    await button(words.fit).click();
  }

  /** Drops the forget gate's three nodes and wires them, with `product.b` reading `state`; returns their ids. */
  async function wireGate(gateKind: string, state: string): Promise<{ linear: string; gate: string; product: string }> {
    const linear = await dropFromPalette(page(), 'linear', { x: 400, y: 70 });
    const gate = await dropFromPalette(page(), gateKind, { x: 600, y: 70 });
    const product = await dropFromPalette(page(), 'multiply', { x: 800, y: -10 });
    await connectSockets(page(), { id: 'cat', port: 'out' }, { id: linear, port: 'in' });
    await connectSockets(page(), { id: linear, port: 'out' }, { id: gate, port: 'in' });
    await connectSockets(page(), { id: gate, port: 'out' }, { id: product, port: 'a' });
    await connectSockets(page(), { id: state, port: 'prev' }, { id: product, port: 'b' });
    await connectSockets(page(), { id: product, port: 'out' }, { id: 'c_new', port: 'a' });
    return { linear, gate, product };
  }

  /** Checks, expecting the named hint, with `atFault` selected on the canvas. */
  async function expectHint(words: Words, hint: RegExp, atFault: string): Promise<void> {
    await button(words.check).click();
    const verdict = panel().getByRole('status');
    await expect.poll(() => verdict.locator('strong').textContent()).toBe(words.notYet);
    expect((await verdict.locator('li').textContent())?.trim()).toMatch(hint);
    await expect.poll(() => page().locator(node(atFault)).getAttribute('class')).toContain('selected');
    await page().screenshot({ path: join(ARTEFACTS, `lesson-hint-${words.locale}.png`) });
  }

  /** Checks, expecting "Correct!", then goes on to step 2; the list shows the progress. */
  async function expectCorrect(words: Words): Promise<void> {
    await button(words.check).click();
    await expect.poll(() => panel().getByRole('status').textContent()).toContain(words.correct);
    await page().screenshot({ path: join(ARTEFACTS, `lesson-correct-${words.locale}.png`) });
    await button(words.next).click();
    await expect.poll(() => panel().getByRole('heading', { level: 3 }).textContent()).toBe(words.step(2));
    expect(await panel().getByRole('status').count()).toBe(0);
    await button(words.allLessons).click();
    expect(await panel().locator('li[data-lesson="lstm"] small').textContent()).toBe(words.step(2));
  }

  it('English: a tanh for the forget gate is named, and the σ that replaces it is correct', async () => {
    await page().getByRole('button', { name: /^Examples/ }).click();
    await page().getByRole('menuitem', { name: /^Lessons/ }).click();
    await openLesson(ENGLISH, ENGLISH.start);
    const { linear, gate, product } = await wireGate('tanh', 'c');
    await expectHint(ENGLISH, /^Node "tanh-\d+" uses tanh where σ is expected \(f_t in the target cell\)\.$/, gate);
    // The tanh at fault is selected: Delete removes it, and a σ takes its place.
    await page().keyboard.press('Delete');
    await expect.poll(() => page().locator(node(gate)).count()).toBe(0);
    const sigma = await dropFromPalette(page(), 'sigmoid', { x: 600, y: 70 });
    await connectSockets(page(), { id: linear, port: 'out' }, { id: sigma, port: 'in' });
    await connectSockets(page(), { id: sigma, port: 'out' }, { id: product, port: 'a' });
    await expectCorrect(ENGLISH);
  });

  it('Spanish: a forget gate multiplying a_{t−1} is named, and rewiring c_{t−1} is correct', async () => {
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await expect.poll(() => panel().getByRole('heading', { level: 2 }).textContent()).toBe(SPANISH.lessons);
    await openLesson(SPANISH, SPANISH.start);
    expect(await page().locator(`${node('c')} .caption`).textContent()).toBe('celda');
    const { product } = await wireGate('sigmoid', 'a');
    await expectHint(SPANISH, /^El nodo "multiply-\d+" multiplica a_\{t−1\}; debería multiplicar c_\{t−1\}\.$/, product);
    // The check centred the product; fit the view again to reach c_{t−1}, and drop it on the
    // product's connected input: it replaces a_{t−1}.
    await button(SPANISH.fit).click();
    await connectSockets(page(), { id: 'c', port: 'prev' }, { id: product, port: 'b' });
    await expectCorrect(SPANISH);
    expect(app.errors).toEqual([]);
  });
});
