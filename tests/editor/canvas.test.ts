/**
 * The canvas in the real app, in Debian's Chromium (DESIGN §11): open the LSTM,
 * wire with the mouse, and see refused connections explained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../e2e/browser';

const CANVAS = '[data-testid="canvas"]';
const NOTICE = '[data-testid="notice"]';
const node = (id: string) => `${CANVAS} [data-node-id="${id}"]`;
const socket = (id: string, port: string) => `${node(id)} [data-port="${port}"] .socket-ref`;

describe('the canvas in Chromium', () => {
  let app: App;

  async function centre(selector: string): Promise<{ x: number; y: number }> {
    const box = await app.page.locator(selector).first().boundingBox({ timeout: 5000 });
    if (!box) throw new Error(`${selector} is not on screen`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Drags with the mouse from one point to another, as a person would. */
  async function drag(from: string, to: string | { x: number; y: number }): Promise<void> {
    const a = await centre(from);
    const b = typeof to === 'string' ? await centre(to) : to;
    await app.page.mouse.move(a.x, a.y);
    await app.page.mouse.down();
    await app.page.mouse.move(b.x, b.y, { steps: 10 });
    await app.page.mouse.up();
  }

  const wires = () => app.page.locator(`${CANVAS} [data-testid="connection"]`).count();

  beforeAll(async () => {
    app = await openApp();
    await app.page.getByRole('button', { name: /Examples|Ejemplos/ }).first().click();
    await app.page.locator('[data-example="lstm"]').click();
    await app.page.waitForFunction((sel) => document.querySelectorAll(sel).length === 18, `${CANVAS} [data-node-id]`, { timeout: 20_000 });
  }, 60_000);
  afterAll(async () => app?.close());

  it('draws the LSTM with symbols, labels and sizes under the nodes, and dashed recurrences', async () => {
    expect(await app.page.locator(`${node('f')} .symbol`).textContent()).toBe('σ');
    expect(await app.page.locator(`${node('f')} .caption`).textContent()).toBe('forget');
    await expect.poll(() => app.page.locator(`${node('cat')} [data-testid="size"]`).textContent()).toBe('hidden + input');
    expect(await wires()).toBe(22);
    expect(await app.page.locator(`${CANVAS} svg.recurrent`).count()).toBe(2);
  });

  it('connects two sockets dragged one onto the other', async () => {
    const before = await wires();
    await drag(socket('f', 'out'), socket('y', 'y'));
    // y.y was fed by a_new: the new wire replaces it.
    await expect.poll(() => app.page.locator(NOTICE).count()).toBe(0);
    await expect.poll(wires).toBe(before);
    await expect.poll(() => app.page.locator(`${node('y')} [data-testid="size"], ${node('y')} .size`).first().textContent()).toBe('hidden');
  });

  it('refuses a connection whose sizes disagree, says why, and keeps the old wire', async () => {
    const before = await wires();
    await drag(socket('x', 'x'), socket('write', 'a'));
    const notice = app.page.locator(NOTICE);
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.textContent()).toContain('write');
    expect(await notice.textContent({ timeout: 5000 })).toMatch(/expects .*got/);
    // The dragged (pseudo) wire leaves a frame or two after the notice shows on a busy machine.
    await expect.poll(wires).toBe(before);
    await notice.getByRole('button').click({ timeout: 5000 });
    expect(await notice.count()).toBe(0);
  });

  it('disconnects a wire dragged off its input', async () => {
    const before = await wires();
    const { x, y } = await centre(socket('keep', 'a'));
    await drag(socket('keep', 'a'), { x: x - 40, y: y + 160 });
    await expect.poll(wires).toBe(before - 1);
    await expect.poll(() => app.page.locator(node('keep')).getAttribute('class')).toContain('error');
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});
