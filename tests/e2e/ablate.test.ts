/**
 * The ablation generator in the real app (Chromium): Export ▸ Ablations as new projects makes one
 * project per Greff variant of the open cell, names each after it, leaves the open project as it
 * was, and says how many were made and which were skipped and why. English with the zoo's vanilla
 * LSTM (opened as a file: all eight variants), then Spanish with the LSTM example, whose gates are
 * labelled in Spanish and which has no peepholes (NP skipped). Found by visible labels.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';

let app: App | undefined;
afterAll(async () => {
  await app?.close();
});

describe('ablations as new projects (Chromium)', () => {
  it('makes the variants of the open cell as new projects, in English and in Spanish, and keeps the open one', async () => {
    app = await openApp({ locale: 'en-US' });
    const page = app.page;
    const vanilla = readFileSync(new URL('../../examples/zoo/lstm-peephole.json', import.meta.url));
    await page.getByTestId('open-file').setInputFiles({ name: 'lstm-peephole.json', mimeType: 'application/json', buffer: vanilla });
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Vanilla LSTM with peepholes');

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menuitem', { name: /^Ablations as new projects/ }).click();
    await page.getByText('Made 8 ablations of “Vanilla LSTM with peepholes” as new projects: NIG, NFG, NOG, NIAF, NOAF, NP, CIFG, FGR.').waitFor({ timeout: 15_000 });
    // The open project is still the one the variants came from.
    expect(await page.getByTestId('project-name').textContent()).toBe('Vanilla LSTM with peepholes');

    await page.getByRole('button', { name: /^Projects/ }).click();
    const panel = page.getByRole('dialog', { name: 'Projects' });
    for (const name of ['no input gate (NIG)', 'no peepholes (NP)', 'coupled input and forget gate (CIFG)', 'full gate recurrence (FGR)']) {
      expect(await panel.getByText(`Vanilla LSTM with peepholes, ${name}`, { exact: true }).count(), name).toBe(1);
    }
    await panel.getByText('Vanilla LSTM with peepholes, no output gate (NOG)', { exact: true }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Vanilla LSTM with peepholes, no output gate (NOG)');

    // Spanish: the LSTM example, labelled olvido, actualización, salida, candidato; it has no peepholes.
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByRole('button', { name: /^Ejemplos/ }).click();
    await page.getByRole('menuitem', { name: /^LSTM/ }).first().click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('LSTM');
    await page.getByRole('button', { name: 'Exportar', exact: true }).click();
    await page.getByRole('menuitem', { name: /^Ablaciones como proyectos nuevos/ }).click();
    await page.getByText('Se hicieron 7 ablaciones de «LSTM» como proyectos nuevos: NIG, NFG, NOG, NIAF, NOAF, CIFG, FGR. '
      + 'Se omitió NP: ninguna puerta suma un vector aprendido por un estado (una mirilla).').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('project-name').textContent()).toBe('LSTM');
    await page.getByRole('button', { name: /^Proyectos/ }).click();
    const lista = page.getByRole('dialog', { name: 'Proyectos' });
    expect(await lista.getByText('LSTM, puertas de entrada y olvido acopladas (CIFG)', { exact: true }).count()).toBe(1);
    // The blank cell the app started with, the vanilla LSTM and its 8 variants, the LSTM example and its 7.
    expect(await lista.getByTestId('project-row').count()).toBe(1 + 1 + 8 + 1 + 7);
    expect(app.errors).toEqual([]);
  }, 120_000);
});
