/**
 * Mouse gestures on the real canvas, shared by the e2e tests and bench/: where
 * things are on screen (selectors, the view's zoom and pan) and the drags a
 * person makes (palette → canvas, socket → socket, a node across the canvas).
 * Everything here reads the DOM and moves the mouse; nothing calls into the app.
 */
import type { Page } from 'playwright-core';

export const CANVAS = '[data-testid="canvas"]';
export const node = (id: string): string => `${CANVAS} [data-testid="node"][data-node-id="${id}"]`;
export const inputSocket = (id: string, port: string): string => `${node(id)} .port.input[data-port="${port}"] [data-testid="input-socket"]`;
export const outputSocket = (id: string, port: string): string => `${node(id)} .port.output[data-port="${port}"] [data-testid="output-socket"]`;
export const WIRES = `${CANVAS} [data-testid="connection"]`;
export const NODES = `${CANVAS} [data-testid="node"]`;
/** The toast that says why a connection was refused (beside the Rete element, not inside it). */
export const NOTICE = '[data-testid="notice"]';

/** Where a dropped node's top-left corner lands relative to the pointer (src/editor: DROP_OFFSET). */
export const DROP_OFFSET = { x: 50, y: 26 } as const;

export interface Point {
  x: number;
  y: number;
}

/** The view: client = origin + k · area (Rete's content holder, as src/editor's clientToArea reads it). */
export interface View {
  readonly origin: Point;
  readonly k: number;
  /** The canvas element's box in client pixels. */
  readonly box: { left: number; top: number; right: number; bottom: number; width: number; height: number };
}

export async function readView(page: Page): Promise<View> {
  return page.evaluate((selector) => {
    const root = document.querySelector<HTMLElement>(selector);
    if (!root) throw new Error('no canvas');
    const holder = [...root.children].find((c): c is HTMLElement => c instanceof HTMLElement && c.style.transform.includes('scale'));
    if (!holder) throw new Error('no Rete content holder under the canvas');
    const k = new DOMMatrix(getComputedStyle(holder).transform).a;
    const h = holder.getBoundingClientRect();
    const b = root.getBoundingClientRect();
    return {
      origin: { x: h.left, y: h.top },
      k,
      box: { left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width, height: b.height },
    };
  }, CANVAS);
}

export const toClient = (view: View, area: Point): Point => ({ x: view.origin.x + view.k * area.x, y: view.origin.y + view.k * area.y });

/** The centre of the first element matching `selector`, scrolled into view if needed. */
export async function centre(page: Page, selector: string): Promise<Point> {
  const target = page.locator(selector).first();
  await target.waitFor({ state: 'visible', timeout: 10_000 });
  const box = await target.boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Press at `from`, move in steps to `to`, release: how DESIGN §11 drags a connection. */
export async function drag(page: Page, from: Point, to: Point, steps = 10): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/** The ids of the nodes drawn on the canvas, in document order. */
export async function nodeIds(page: Page): Promise<string[]> {
  return page.locator(`${CANVAS} [data-testid="node"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
}

/**
 * Drags a palette item onto the canvas (HTML5 drag and drop, by mouse) so that the new
 * node's top-left corner lands at `area`; returns the new node's id once it is drawn.
 */
export async function dropFromPalette(page: Page, kind: string, area: Point): Promise<string> {
  const before = new Set(await nodeIds(page));
  const item = page.locator(`button[data-kind="${kind}"]`);
  await item.scrollIntoViewIfNeeded();
  const from = await centre(page, `button[data-kind="${kind}"]`);
  const view = await readView(page);
  const to = toClient(view, { x: area.x + DROP_OFFSET.x, y: area.y + DROP_OFFSET.y });
  if (to.x < view.box.left || to.x > view.box.right || to.y < view.box.top || to.y > view.box.bottom) {
    throw new Error(`dropping ${kind} at (${area.x}, ${area.y}) would miss the canvas`);
  }
  await drag(page, from, to, 5);
  await page
    .waitForFunction(([selector, n]) => document.querySelectorAll(selector).length > n, [`${CANVAS} [data-testid="node"]`, before.size] as const, { timeout: 10_000 })
    .catch(() => {
      throw new Error(`dropping ${kind} from the palette added no node`);
    });
  const added = (await nodeIds(page)).filter((id) => !before.has(id));
  if (added.length !== 1) throw new Error(`dropping ${kind} added ${added.length} nodes: ${added.join(', ')}`);
  return added[0];
}

/** Drags a wire from an output socket to an input socket. */
export async function connectSockets(page: Page, from: { id: string; port: string }, to: { id: string; port: string }): Promise<void> {
  await drag(page, await centre(page, outputSocket(from.id, from.port)), await centre(page, inputSocket(to.id, to.port)));
}

/**
 * Waits for the first visit's new cell (its three nodes), then opens `example` from the
 * Examples menu (English) and waits until it is on the canvas.
 */
export async function openExampleAtStart(page: Page, example: string): Promise<void> {
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, NODES, { timeout: 60_000 });
  await page.getByRole('button', { name: /^Examples/ }).click();
  await page.locator(`[data-example="${example}"]`).click();
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 3, NODES, { timeout: 10_000 });
}

/**
 * Waits until the toolbar says everything is saved (English), as a person does before closing
 * the browser: an edit's autosave runs after a short debounce, so a close right after a change
 * can come before it.
 */
export async function waitUntilSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="save-status"][title="Saved"]').waitFor({ timeout: 15_000 });
}
