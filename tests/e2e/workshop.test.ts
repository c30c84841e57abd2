/**
 * Workshop packs in the real app (Chromium): an instructor exports lessons and a cell from
 * the lessons panel (English), and a learner in a fresh profile (Spanish) opens a pack with
 * Open: its cell becomes a project, its lesson joins the list and starts; a damaged pack is
 * refused whole, with its problem named, and adds nothing. Found by visible labels.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { lessonById } from '../../src/lessons/catalog';
import type { Cell } from '../../src/model/cell';
import { readWorkshopPack, workshopPackText } from '../../src/storage/workshop';
import { example } from '../fixtures/examples';
import { openApp, type App } from './browser';

const apps: App[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function openLessons(app: App): Promise<void> {
  await app.page.getByRole('button', { name: /^(Examples|Ejemplos)/ }).click();
  await app.page.getByRole('menuitem', { name: /^(Lessons|Lecciones)/ }).click();
}

describe('workshop packs (Chromium)', () => {
  it('English: the instructor picks a title, a lesson and a saved cell, and downloads one pack file that reads back whole', async () => {
    const app = await openApp({ locale: 'en-US' });
    apps.push(app);
    const page = app.page;
    // A saved project to put in the pack: the LSTM example.
    await page.getByRole('button', { name: /^Examples/ }).click();
    await page.getByRole('menuitem', { name: /^LSTM/ }).click();
    await openLessons(app);
    const panel = page.getByTestId('lessons');
    await panel.getByRole('button', { name: 'Export a workshop pack…' }).click();
    const download = panel.getByRole('button', { name: 'Download pack' });
    expect(await download.isDisabled()).toBe(true);
    await panel.getByLabel('Title of the pack').fill('Workshop Lima');
    await panel.getByRole('checkbox', { name: 'The LSTM, gate by gate' }).check();
    const cells = panel.getByRole('group', { name: 'Cells (saved projects)' }).getByRole('checkbox');
    await expect.poll(() => cells.count()).toBeGreaterThan(0);
    await cells.first().check();
    const saved = page.waitForEvent('download');
    await download.click();
    const file = await saved;
    expect(file.suggestedFilename()).toBe('workshop-lima.celda-workshop.json');
    const read = readWorkshopPack(readFileSync(await file.path(), 'utf8'));
    if (!read.ok) throw new Error(read.diagnostics.map((d) => d.message).join('\n'));
    expect(read.value.title).toBe('Workshop Lima');
    expect(read.value.lessons.map((l) => l.id)).toEqual(['lstm']);
    expect(read.value.cells).toHaveLength(1);
  }, 120_000);

  it('Spanish, a fresh profile: Open adds the pack\'s cell and lesson, which starts; a damaged pack adds nothing', async () => {
    const app = await openApp({ locale: 'es-ES' });
    apps.push(app);
    const page = app.page;
    const gru = lessonById('gru');
    if (!gru) throw new Error('no GRU lesson');
    const lesson = { ...gru, id: 'gru-lima', title: { en: 'The GRU, Lima edition', es: 'La GRU, edición Lima' } };
    const text = workshopPackText({ title: 'Taller de Lima', lessons: [lesson], cells: [{ name: 'LSTM del taller', cell: example('lstm.json') as unknown as Cell }] });

    const damaged = JSON.parse(text) as { cells: { cell: { nodes: unknown } }[] };
    damaged.cells[0].cell.nodes = 'ninguno';
    await page.getByTestId('open-file').setInputFiles({ name: 'roto.celda-workshop.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
    await page.getByText('cells[0].cell.nodes', { exact: false }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByText('LSTM del taller').count()).toBe(0);

    await page.getByTestId('open-file').setInputFiles({ name: 'taller.celda-workshop.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.getByText('Se abrió el paquete de taller «Taller de Lima»: 1 lección, 1 celda.').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('LSTM del taller');
    const panel = page.getByTestId('lessons');
    const item = panel.locator('li[data-lesson="gru-lima"]');
    expect(await item.getByText('Del paquete «Taller de Lima»').count()).toBe(1);
    await panel.getByRole('button', { name: 'Empezar: La GRU, edición Lima' }).click();
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent()).toBe('La GRU, edición Lima');
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Lección: La GRU, edición Lima');
  }, 120_000);
});
