/**
 * The Arena panel in Debian's Chromium, in Spanish, found by its visible labels: from the
 * Examples menu, two zoo cells × the adding task; seeds 0 is refused with the core's message
 * before anything runs; with 2 seeds the four runs train in Web Workers to a full progress
 * bar; the table ranks both cells and says what a model without memory scores; the CSV holds
 * the four runs; after a reload the panel shows the same kept runs, and running again trains
 * nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';

const CELLS = ['Elman RNN', 'Minimal gated unit (MGU)'];

async function openArena(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Ejemplos/ }).click();
  await page.getByRole('menuitem', { name: /Comparar celdas \(arena\)/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Arena de celdas' });
  await dialog.waitFor();
  return dialog;
}

/** The task table's rows as [rank, cell] (the cell's name without the baseline mark). */
async function ranking(dialog: Locator): Promise<[string, string][]> {
  const rows = dialog.getByRole('table').first().locator('tbody tr');
  const count = await rows.count();
  const out: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    out.push([(await row.locator('td').first().textContent())?.trim() ?? '', (await row.getByRole('rowheader').textContent())?.replace('(referencia)', '').trim() ?? '']);
  }
  return out;
}

describe('the Arena panel (Chromium)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ locale: 'es-ES' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('runs two zoo cells × adding × 2 seeds in workers, ranks them, downloads the CSV, and keeps the runs over a reload', async () => {
    const page = app.page;
    let dialog = await openArena(page);
    for (const name of CELLS) await dialog.getByRole('checkbox', { name }).check();
    await expect.poll(() => dialog.getByRole('checkbox', { name: /Problema de la suma/ }).isChecked()).toBe(true);
    await dialog.getByLabel('Tamaño oculto H', { exact: true }).fill('4');
    await dialog.getByLabel('Pasos por ejecución', { exact: true }).fill('20');
    await dialog.getByLabel('Semillas', { exact: true }).fill('0');
    await dialog.getByRole('button', { name: 'Ejecutar la arena' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('seeds: debe ser un número entero de 1 a 100; se recibió 0.');
    await expect(dialog.getByRole('progressbar', { name: 'Progreso de la arena' }).count()).resolves.toBe(0);

    await dialog.getByLabel('Semillas', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Ejecutar la arena' }).click();
    await dialog.getByText('4 de 4 ejecuciones terminadas').waitFor({ timeout: 60_000 });
    expect(await dialog.getByRole('alert').count()).toBe(0);
    const ranked = await ranking(dialog);
    expect(ranked.map(([, cell]) => cell).sort()).toEqual([...CELLS].sort());
    expect(ranked.map(([rank]) => rank).sort()).toEqual(['1', '2']);
    expect(await dialog.getByText(/^Error cuadrático medio; un modelo sin memoria obtiene 0\.\d+ en esta tarea\.$/).count()).toBe(1);
    expect(await dialog.getByRole('img', { name: /Problema de la suma: pérdida de entrenamiento/ }).count()).toBe(1);

    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Descargar las ejecuciones (CSV)' }).click();
    const csv = (await readFile(await (await download).path(), 'utf8')).trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^cell,cell_name,task,seed,status,final_valid_loss,hidden,parameters/);
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 5).join(',')).sort()).toEqual([
      'zoo:elman,Elman RNN,adding,1,done', 'zoo:elman,Elman RNN,adding,2,done', 'zoo:mgu,Minimal gated unit (MGU),adding,1,done', 'zoo:mgu,Minimal gated unit (MGU),adding,2,done',
    ]);

    await page.reload();
    dialog = await openArena(page);
    await dialog.getByText('4 ejecuciones de este estudio guardadas en este navegador.').waitFor();
    expect(await ranking(dialog)).toEqual(ranked);
    await dialog.getByRole('button', { name: 'Ejecutar la arena' }).click();
    await dialog.getByText('Todas las ejecuciones de este estudio ya están guardadas.').waitFor();
    expect(app.errors).toEqual([]);
  }, 120_000);
});
