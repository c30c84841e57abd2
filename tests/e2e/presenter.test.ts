/**
 * The presenter view, as an instructor uses it on a 1280×720 projector, in English and Spanish:
 * Present (or ?present in the address) hides the side panels and makes every text on the page at
 * least 18 px on screen — the canvas's node labels, sizes and values after it has fitted the cell
 * (LSTM and GRU), the equations, the caption — with a contrast of at least 7:1; then → plays one
 * time step node by node in data-flow order, ← steps back, Escape leaves.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './browser';
import { CANVAS } from './gestures';

const ARTEFACTS = join(process.cwd(), 'test-results', 'e2e');
const NODES = `${CANVAS} [data-testid="node"]`;
const VALUES = `${CANVAS} [data-testid="node-values"]`;
const VIEWPORT = { width: 1280, height: 720 };

interface Text { text: string; px: number; contrast: number; disabled: boolean }

/**
 * Every piece of text the page shows (a non-empty text node inside the viewport, not hidden,
 * clipped away or transparent): its font size on screen — the computed size times the scale its
 * element is drawn at, so the canvas's zoom counts — and its contrast against the backgrounds
 * behind it. A subscript counts its formula's base size (KaTeX's .katex, a node symbol's <sub>).
 */
function measureTexts(page: Page): Promise<Text[]> {
  return page.evaluate(() => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number).concat(1).slice(0, 4);
    const luminance = ([r, g, b]: number[]) => {
      const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    /** The colour behind an element: its own and its ancestors' backgrounds, composited over white. */
    const backdrop = (el: Element) => {
      const layers: number[][] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const hidden = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.visibility !== 'visible' && e === el) return true;
        if (Number(s.opacity) === 0 || s.clipPath !== 'none' || s.clip !== 'auto' || e.classList.contains('katex-mathml')) return true;
      }
      return false;
    };
    /** How much larger than its computed size an element is drawn: the product of the scales of every transform on the way up (the canvas's zoom, a scaled symbol). */
    const scale = (el: Element) => {
      let k = 1;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const t = getComputedStyle(e).transform;
        if (t !== 'none') k *= new DOMMatrixReadOnly(t).transformPoint(new DOMPoint(1, 0)).x - new DOMMatrixReadOnly(t).transformPoint(new DOMPoint(0, 0)).x;
      }
      return k;
    };
    const out: { text: string; px: number; contrast: number; disabled: boolean }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const inView = [...range.getClientRects()].some((r) => r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight);
      if (!inView || hidden(el)) continue;
      const base = el.closest('.katex') ?? (el.closest('sub, sup')?.parentElement as Element | null) ?? el;
      const px = parseFloat(getComputedStyle(base).fontSize) * scale(base);
      const fg = over(rgba(getComputedStyle(el).color), backdrop(el));
      const [l1, l2] = [luminance(fg), luminance(backdrop(el))].sort((a, b) => b - a);
      out.push({ text, px, contrast: (l1 + 0.05) / (l2 + 0.05), disabled: el.closest(':disabled') !== null });
    }
    return out;
  });
}

const lstm = JSON.parse(readFileSync(join(process.cwd(), 'examples', 'lstm.json'), 'utf8')) as {
  nodes: { id: string; kind: string; label?: string }[];
  connections: { from: string; to: string }[];
};

describe('the presenter view at 1280×720 (Chromium)', () => {
  let app: App;
  const page = () => app.page;
  const caption = () => page().getByTestId('presenter-caption');
  const shownValues = () => page().locator(VALUES).count();

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp();
    await page().setViewportSize(VIEWPORT);
    await page().waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
    await page().getByRole('button', { name: /^Examples/ }).click();
    await page().locator('[data-example="lstm"]').click();
    await page().waitForSelector(`${NODES}[data-node-id="keep"]`, { timeout: 10_000 });
  }, 90_000);
  afterAll(async () => app?.close());

  /**
   * Checks the page: the canvas across the width under the bar, with every node inside it; every text at
   * least 18 px once the canvas has fitted, and its contrast. Returns the texts.
   */
  async function checkLegible(name: string): Promise<string[]> {
    const canvas = await page().locator(CANVAS).boundingBox();
    const bar = await page().getByRole('toolbar', { name: /^(Presenter view|Vista de presentación)$/ }).boundingBox();
    expect(canvas && bar && canvas.width >= VIEWPORT.width - 20 && canvas.y >= bar.y + bar.height - 1, 'the canvas spans the page under the bar').toBe(true);
    const inside = (b: { x: number; y: number; width: number; height: number }) => canvas !== null && b.x >= canvas.x && b.y >= canvas.y && b.x + b.width <= canvas.x + canvas.width && b.y + b.height <= canvas.y + canvas.height;
    // The canvas refits a frame or two after the panels go.
    await expect.poll(async () => (await measureTexts(page())).filter((t) => t.px < 18).map((t) => `"${t.text}" ${t.px.toFixed(1)} px`), { timeout: 5_000 }).toEqual([]);
    for (const box of await page().locator(NODES).evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) expect(inside(box), 'a node inside the canvas').toBe(true);
    const texts = await measureTexts(page());
    for (const t of texts) {
      expect(t.px, `"${t.text}" on screen`).toBeGreaterThanOrEqual(18);
      if (!t.disabled) expect(t.contrast, `contrast of "${t.text}"`).toBeGreaterThanOrEqual(7);
    }
    await page().screenshot({ path: join(ARTEFACTS, `presenter-${name}.png`) });
    return texts.map((t) => t.text);
  }

  it('in English: Present hides the side panels, every text is at least 18 px and 7:1, → reveals one node at a time in data-flow order, ← steps back, Space plays, Escape leaves', async () => {
    await page().getByRole('button', { name: 'Present', exact: true }).click();
    expect(await page().getByRole('button', { name: 'Present', exact: true }).getAttribute('aria-pressed')).toBe('true');
    for (const panel of ['Nodes', 'Inspector', 'Problems']) expect(await page().getByRole('heading', { name: panel, exact: true }).isVisible(), panel).toBe(false);
    expect(await page().getByRole('heading', { name: 'Equations' }).isVisible()).toBe(true);
    const texts = await checkLegible('lstm-en');
    // The canvas's labels and sizes, the equations and the caption were all measured.
    for (const shown of ['forget', 'candidate', 'hidden', 'hidden + input', 'Equations', 'Next']) expect(texts, shown).toContain(shown);
    expect(await caption().textContent()).toContain('Keys: → next, ← previous');

    // One node per step, each after every node wired into it within the step.
    const order: string[] = [];
    const labels = new Map(lstm.nodes.map((n) => [n.id, n.label]));
    for (let step = 1; step <= lstm.nodes.length; step++) {
      await page().keyboard.press('ArrowRight');
      await expect.poll(shownValues).toBe(step);
      const id = (await caption().getAttribute('data-node-id')) ?? '';
      expect(await page().locator(`${NODES}[data-node-id="${id}"] [data-testid="node-values"]`).count(), id).toBe(1);
      const text = await caption().textContent();
      expect(text).toContain(`Node ${step} of ${lstm.nodes.length}`);
      const label = labels.get(id);
      if (label) expect(text).toContain(label);
      order.push(id);
      if (step === 1) {
        // A state comes first, with its value from the previous step, named as the equations write it.
        expect(lstm.nodes.find((n) => n.id === id)?.kind).toBe('state');
        expect(text).toContain('its value from the previous step');
        expect(await caption().locator('.math').getAttribute('aria-label')).toMatch(/^[ac]_\{t−1\}$/);
        expect(await checkLegible('lstm-en-first')).toContain(label);
      }
    }
    expect(new Set(order).size).toBe(lstm.nodes.length);
    const kind = new Map(lstm.nodes.map((n) => [n.id, n.kind]));
    for (const c of lstm.connections.filter((w) => kind.get(w.to) !== 'state')) expect(order.indexOf(c.from), `${c.from} → ${c.to}`).toBeLessThan(order.indexOf(c.to));
    expect(await caption().textContent()).toContain("the cell's output at this step");
    await checkLegible('lstm-en-all');

    await page().keyboard.press('ArrowLeft');
    await expect.poll(shownValues).toBe(lstm.nodes.length - 1);
    expect(await caption().getAttribute('data-node-id')).toBe(order.at(-2));
    await page().keyboard.press('Home');
    await expect.poll(shownValues).toBe(0);
    // Space plays and pauses: the Play button says which.
    await page().keyboard.press(' ');
    await page().getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page().keyboard.press(' ');
    await page().getByRole('button', { name: 'Play', exact: true }).waitFor();

    await page().keyboard.press('Escape');
    await expect.poll(() => page().getByRole('heading', { name: 'Inspector', exact: true }).isVisible()).toBe(true);
    expect(await page().getByRole('button', { name: 'Present', exact: true }).getAttribute('aria-pressed')).toBe('false');
    expect(await shownValues()).toBe(0);
  }, 60_000);

  it('in Spanish, the LSTM and (opened with ?present) the GRU: every text at least 18 px and 7:1, the caption in Spanish', async () => {
    await page().getByRole('button', { name: 'ES', exact: true }).click();
    await page().getByRole('button', { name: 'Presentar', exact: true }).click();
    const texts = await checkLegible('lstm-es');
    // The cell keeps the labels it was opened with (English); its sizes and the page speak Spanish.
    for (const shown of ['forget', 'oculto + entrada', 'Ecuaciones', 'Siguiente']) expect(texts, shown).toContain(shown);
    await page().getByRole('button', { name: 'Siguiente', exact: true }).click();
    await expect.poll(shownValues).toBe(1);
    expect(await caption().textContent()).toMatch(/Nodo 1 de 18 · .+ — su valor del paso anterior/);
    await page().keyboard.press('Escape');
    await expect.poll(() => page().getByRole('heading', { name: 'Nodos', exact: true }).isVisible()).toBe(true);

    // The GRU, straight into the presenter view from the address: its wider layout fits smaller.
    await page().getByRole('button', { name: /^Ejemplos/ }).click();
    await page().locator('[data-example="gru"]').click();
    await page().waitForSelector(`${NODES}[data-node-id="flip"]`, { timeout: 10_000 });
    await expect.poll(() => page().getByText('Guardado', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await page().goto(`${app.url}?present`);
    await page().waitForSelector(`${NODES}[data-node-id="flip"]`, { timeout: 30_000 });
    expect(await page().getByRole('button', { name: 'Presentar', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const gru = await checkLegible('gru-es');
    for (const shown of ['actualización', 'reinicio', 'candidato', 'oculto']) expect(gru, shown).toContain(shown);
    expect(app.errors).toEqual([]);
  }, 60_000);
});
