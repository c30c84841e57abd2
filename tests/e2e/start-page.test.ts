import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';

describe('the start page in Chromium', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp();
  }, 60_000);
  afterAll(async () => app?.close());

  it('shows every example checked by the compiler, with its equations', async () => {
    const sections = app.page.locator('section');
    await expect.poll(() => sections.count()).toBe(4);
    const lstm = sections.filter({ hasText: 'Long short-term memory' });
    await expect.poll(() => lstm.locator('.ok').textContent()).toContain('Valid');
    expect(await lstm.locator('pre').first().textContent()).toContain('c_t = f_t ⊙ c_{t−1} + u_t ⊙ c\'_t');
  });

  it('exports a cell as a PyTorch module and weights through real downloads', async () => {
    const gru = app.page.locator('section').filter({ hasText: 'PyTorch nn.GRU' });
    const downloads: { name: string; text: string }[] = [];
    const done = new Promise<void>((resolve) => {
      app.page.on('download', async (d) => {
        const path = await d.path();
        downloads.push({ name: d.suggestedFilename(), text: readFileSync(path, 'utf8') });
        if (downloads.length === 2) resolve();
      });
    });
    await gru.getByRole('button', { name: 'PyTorch module + weights' }).click();
    await done;
    const names = downloads.map((d) => d.name).sort();
    expect(names).toEqual(['celda_cell.py', 'weights.json']);
    const module = downloads.find((d) => d.name === 'celda_cell.py')?.text ?? '';
    expect(module).toContain('class CeldaNativeGRU(nn.Module):');
    expect(JSON.parse(downloads.find((d) => d.name === 'weights.json')?.text ?? '{}').format).toBe('celda-torch-weights');
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});
