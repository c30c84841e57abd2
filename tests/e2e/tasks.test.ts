/**
 * The spell-number and dinosaurs tasks in the app, in Chromium: each is offered with a line
 * saying what it is, trains the GRU example briefly, and its model gets its own view —
 * new dinosaur names (English), a number spelled by the model (Spanish).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { openExampleAtStart } from './gestures';

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');

describe('the spell-number and dinosaurs tasks in the app (Chromium)', () => {
  let app: App;
  const page = () => app.page;
  const panel = () => page().locator('section.training');

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp({ profileDir: mkdtempSync(join(tmpdir(), 'celda-profile-')) });
    await app.page.setViewportSize({ width: 1600, height: 1000 });
    await openExampleAtStart(page(), 'gru');
  }, 90_000);
  afterAll(async () => app?.close());

  it('dinosaurs: says what it is, trains, and its model invents names, another ten on request', async () => {
    await page().getByRole('button', { name: 'Train', exact: true }).click();
    await panel().waitFor();
    await panel().getByLabel('Task').selectOption({ label: 'Dinosaur names' });
    await panel().getByText('Learns real dinosaur names letter by letter, then invents new ones.').waitFor();
    await panel().getByLabel('Steps').fill('30');
    await panel().getByLabel('Batch').fill('8');
    await panel().getByLabel('Sequence length').fill('16');
    await panel().getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => panel().locator('.progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('done');

    await panel().getByRole('tab', { name: 'Inside the cell' }).click();
    const names = panel().getByRole('region', { name: 'New dinosaur names' });
    await expect.poll(() => names.getByRole('listitem').count()).toBe(10);
    const first = await names.getByRole('listitem').allTextContents();
    for (const name of first) expect(name).toMatch(/^([a-z]+|—)( \(a real genus\))?$/);
    await names.getByRole('button', { name: 'Other names' }).click();
    await expect.poll(() => names.getByRole('listitem').allTextContents()).not.toEqual(first);
    // The keyboard starts from a name the model can read, not the Spanish sentence.
    expect(await panel().getByLabel('Type a beginning').inputValue()).toBe('stegosaurus');
    await panel().screenshot({ path: join(ARTEFACTS, 'dinosaur-names.png') });
    expect(app.errors).toEqual([]);
  }, 180_000);

  it('spell-number, in Spanish: the form takes its only length, and the model spells a typed number', async () => {
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await panel().getByRole('tab', { name: 'Ajustes y pérdida' }).click();
    await panel().getByLabel('Tarea').selectOption({ label: 'Escribir un número en letras' });
    await panel().getByText(/^Uno a muchos: lee un número una vez/).waitFor();
    expect(await panel().getByLabel('Longitud de secuencia').inputValue()).toBe('33');
    await panel().getByLabel('Pasos').fill('20');
    await panel().getByRole('button', { name: 'Empezar' }).click();
    await expect.poll(() => panel().locator('.progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('done');

    await panel().getByRole('tab', { name: 'Dentro de la celda' }).click();
    const box = panel().getByRole('region', { name: 'Escribir un número' });
    await box.getByLabel('Número (de 0 a 999)').fill('42');
    await box.getByText(/^(Correcto\.|No del todo: se escribe «cuarenta y dos»\.)$/).waitFor();
    await box.getByText(/^(Reservado: el modelo no vio este número al entrenar\.|El modelo vio este número al entrenar\.)$/).waitFor();
    await panel().screenshot({ path: join(ARTEFACTS, 'spell-number.png') });
    await box.getByLabel('Número (de 0 a 999)').fill('1000');
    await box.getByText('Escribe un número entero de 0 a 999.').waitFor();
    expect(app.errors).toEqual([]);
  }, 180_000);
});
