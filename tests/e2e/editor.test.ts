/**
 * A new user's session in the real app, in Debian's Chromium (DESIGN §11): from
 * the new cell, build an LSTM with the mouse (palette drags, socket-to-socket
 * wires; labels typed in the inspector), see it check clean with the textbook
 * equations, download it and validate it with the CLI, get a bad wire refused
 * with its reason, undo and redo, and leave screenshots in test-results/e2e/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialog } from 'playwright-core';
import { openApp, type App } from './browser';
import {
  CANVAS,
  NOTICE,
  WIRES,
  centre,
  connectSockets,
  drag,
  dropFromPalette,
  inputSocket,
  node,
  nodeIds,
  outputSocket,
  readView,
  toClient,
  type Point,
  type View,
} from './gestures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Test artefacts (screenshots, the downloaded cell): not committed. */
const ARTEFACTS = join(ROOT, 'test-results', 'e2e');

const celda = (...args: string[]): string => execFileSync(process.execPath, [join(ROOT, 'bin', 'celda.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
let exampleEquations: string | undefined;
/** `celda equations examples/lstm.json`: the lines a correctly built LSTM must show. */
const lstmEquations = (): string => (exampleEquations ??= celda('equations', 'examples/lstm.json'));
const lines = (text: string): string[] => text.trim().split('\n');

/**
 * The LSTM of examples/lstm.json, laid out as there (shifted so the new cell's hidden
 * state h stays at 0,0): what to drop where, and the labels the equations name.
 */
const PLAN: readonly { name: string; kind: string; at: Point; label?: string }[] = [
  { name: 'c', kind: 'state', at: { x: 0, y: -160 }, label: 'cell' },
  { name: 'cat', kind: 'concat', at: { x: 200, y: 80 } },
  { name: 'Wf', kind: 'linear', at: { x: 400, y: -80 } },
  { name: 'f', kind: 'sigmoid', at: { x: 600, y: -80 }, label: 'forget' },
  { name: 'Wu', kind: 'linear', at: { x: 400, y: 40 } },
  { name: 'u', kind: 'sigmoid', at: { x: 600, y: 40 }, label: 'update' },
  { name: 'Wcc', kind: 'linear', at: { x: 400, y: 160 } },
  { name: 'cc', kind: 'tanh', at: { x: 600, y: 160 }, label: 'candidate' },
  { name: 'Wo', kind: 'linear', at: { x: 400, y: 280 } },
  { name: 'o', kind: 'sigmoid', at: { x: 600, y: 280 }, label: 'output' },
  { name: 'keep', kind: 'multiply', at: { x: 800, y: -160 } },
  { name: 'write', kind: 'multiply', at: { x: 800, y: 40 } },
  { name: 'c_new', kind: 'add', at: { x: 1000, y: -60 } },
  { name: 'squash', kind: 'tanh', at: { x: 1200, y: 40 } },
  { name: 'a_new', kind: 'multiply', at: { x: 1400, y: 140 } },
];
/** Where the new cell's output y goes (it starts at 900,120, in the middle of the LSTM's place). */
const Y_AT: Point = { x: 1600, y: 140 };
const Y_START: Point = { x: 900, y: 120 };
/** Every node's area, with room for sockets and size labels: must be on screen to be wired. */
const EXTENT = { left: -30, top: -180, right: Y_AT.x + 160, bottom: 360 };

/** The example's wiring, [from, fromPort, to, toPort] by plan name; the last one is undone later. */
const WIRING: readonly (readonly [string, string, string, string])[] = [
  ['h', 'prev', 'cat', 'in0'],
  ['x', 'x', 'cat', 'in1'],
  ['cat', 'out', 'Wf', 'in'],
  ['cat', 'out', 'Wu', 'in'],
  ['cat', 'out', 'Wcc', 'in'],
  ['cat', 'out', 'Wo', 'in'],
  ['Wf', 'out', 'f', 'in'],
  ['Wu', 'out', 'u', 'in'],
  ['Wcc', 'out', 'cc', 'in'],
  ['Wo', 'out', 'o', 'in'],
  ['f', 'out', 'keep', 'a'],
  ['c', 'prev', 'keep', 'b'],
  ['u', 'out', 'write', 'a'],
  ['cc', 'out', 'write', 'b'],
  ['keep', 'out', 'c_new', 'a'],
  ['write', 'out', 'c_new', 'b'],
  ['c_new', 'out', 'c', 'next'],
  ['c_new', 'out', 'squash', 'in'],
  ['o', 'out', 'a_new', 'a'],
  ['squash', 'out', 'a_new', 'b'],
  ['a_new', 'out', 'h', 'next'],
  ['a_new', 'out', 'y', 'y'],
];

describe('building an LSTM by mouse in Chromium', () => {
  let app: App;
  /** Plan name → the id the app gave the node. */
  const ids = new Map<string, string>([
    ['x', 'x'],
    ['h', 'h'],
    ['y', 'y'],
  ]);
  const id = (name: string): string => {
    const found = ids.get(name);
    if (!found) throw new Error(`no node for ${name} yet`);
    return found;
  };

  const page = () => app.page;
  const wires = () => page().locator(WIRES).count();
  const problemRows = () => page().locator('.problems li[data-code]');
  const equationRows = () => page().locator('.equations ol.lines li');
  const equationTexts = () => page().locator('.equations ol.lines li button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const button = (name: string | RegExp) => page().getByRole('button', { name, exact: typeof name === 'string' });

  /** Waits until `n` wires are drawn; if not, fails with what the canvas said. */
  async function expectWires(n: number, what: string): Promise<void> {
    try {
      await page().waitForFunction(([sel, count]) => document.querySelectorAll(sel).length === count, [WIRES, n] as const, { timeout: 10_000 });
    } catch {
      const notice = (await page().locator(NOTICE).count()) > 0 ? await page().locator(NOTICE).textContent() : '(no notice)';
      throw new Error(`${what}: expected ${n} wires, see ${await wires()}; notice: ${notice}`);
    }
  }

  /** Whether every planned node would be on the canvas, clear of the minimap (bottom right). */
  const planFits = (v: View): boolean => {
    const a = toClient(v, { x: EXTENT.left, y: EXTENT.top });
    const b = toClient(v, { x: EXTENT.right, y: EXTENT.bottom });
    return a.x > v.box.left + 10 && a.y > v.box.top + 60 && b.x < v.box.right - 10 && b.y < v.box.bottom - 150;
  };

  /** Waits until the view stops moving (zoomToFit, arrange) and returns it. */
  async function settledView(): Promise<View> {
    let last = '';
    let view: View | undefined;
    await expect
      .poll(
        async () => {
          view = await readView(page());
          const now = JSON.stringify([view.origin, view.k]);
          const same = now === last;
          last = now;
          return same;
        },
        { interval: 100, timeout: 10_000 },
      )
      .toBe(true);
    return view as View;
  }

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await openApp();
    await app.page.setViewportSize({ width: 1800, height: 1100 });
    // A cold Vite (no pre-bundled dependencies yet) can take a while to serve the app.
    await app.page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, `${CANVAS} [data-testid="node"]`, { timeout: 60_000 });
  }, 90_000);
  afterAll(async () => app?.close());

  it('starts with a new cell: input x, state h "hidden", output y, and their problems', async () => {
    expect((await nodeIds(page())).sort()).toEqual(['h', 'x', 'y']);
    expect(await page().locator(node('x')).getAttribute('data-kind')).toBe('input');
    expect(await page().locator(node('h')).getAttribute('data-kind')).toBe('state');
    expect(await page().locator(node('y')).getAttribute('data-kind')).toBe('output');
    expect(await page().locator(`${node('h')} .caption`).textContent()).toBe('hidden');
    expect(await wires()).toBe(0);
    await expect.poll(() => problemRows().count()).toBeGreaterThan(0);
    expect(await page().locator('.equations .empty').textContent()).toContain('does not compile yet');
  });

  it('builds the LSTM from the palette and wires every socket with the mouse', async () => {
    // Fit the view to the window, zoom out with the wheel, and move y out of the LSTM's way.
    await button('Fit').click();
    let view = await settledView();
    for (let i = 0; toClient(view, { x: Y_AT.x + 120, y: Y_AT.y }).x > view.box.right - 20; i++) {
      if (i === 30) throw new Error('the wheel does not zoom the canvas out');
      await page().mouse.move(view.box.left + 30, view.box.top + view.box.height / 2);
      await page().mouse.wheel(0, 120);
      const k = view.k;
      await expect.poll(async () => (await readView(page())).k).toBeLessThan(k);
      view = await readView(page());
    }
    const grab = await centre(page(), `${node('y')} .body`);
    const start = await page().locator(node('y')).boundingBox();
    await drag(page(), grab, { x: grab.x + view.k * (Y_AT.x - Y_START.x), y: grab.y + view.k * (Y_AT.y - Y_START.y) });
    await expect
      .poll(async () => {
        const box = await page().locator(node('y')).boundingBox();
        return box && start ? [Math.round((box.x - start.x) / view.k), Math.round((box.y - start.y) / view.k)] : [];
      })
      .toEqual([Y_AT.x - Y_START.x, Y_AT.y - Y_START.y]);
    await button('Fit').click();
    await expect.poll(async () => planFits(await readView(page())), { message: "the LSTM's place is not all on the canvas after Fit" }).toBe(true);

    // Drop every node the LSTM needs; name the gates and the cell memory in the inspector.
    for (const step of PLAN) {
      const added = await dropFromPalette(page(), step.kind, step.at);
      ids.set(step.name, added);
      expect(await page().locator(node(added)).getAttribute('data-kind')).toBe(step.kind);
      if (step.label) {
        // A dropped node is selected: the inspector shows it.
        await page().locator('.inspector dd code', { hasText: added }).waitFor();
        const field = page().locator('#node-label');
        await field.click();
        await page().keyboard.type(step.label);
        await page().keyboard.press('Enter');
        await expect.poll(() => page().locator(`${node(added)} .caption`).textContent()).toBe(step.label);
      }
    }
    expect(await page().locator(`${CANVAS} [data-testid="node"]`).count()).toBe(3 + PLAN.length);
    expect(await wires()).toBe(0);

    // Wire socket to socket.
    for (const [i, [from, fromPort, to, toPort]] of WIRING.entries()) {
      await connectSockets(page(), { id: id(from), port: fromPort }, { id: id(to), port: toPort });
      await expectWires(i + 1, `wiring ${from}.${fromPort} → ${to}.${toPort}`);
    }
    expect(await page().locator(NOTICE).count()).toBe(0);
    expect(await page().locator(`${CANVAS} svg.recurrent`).count()).toBe(2);

    // Clean, with the LSTM's equations: the same lines the shipped example derives.
    await expect.poll(() => problemRows().count()).toBe(0);
    expect(await page().locator('.problems .none').textContent()).toContain('No problems');
    await expect.poll(() => equationRows().count()).toBeGreaterThanOrEqual(6);
    const shown = await equationTexts();
    expect(shown).toEqual(lines(lstmEquations()));
    const text = shown.join('\n');
    expect(text).toContain('f_t = σ(W_f·[a_{t−1}, x_t] + b_f)');
    expect(text).toContain('u_t = σ(W_u·[a_{t−1}, x_t] + b_u)');
    expect(text).toContain('o_t = σ(W_o·[a_{t−1}, x_t] + b_o)');
    expect(text).toContain("c_t = f_t ⊙ c_{t−1} + u_t ⊙ c'_t");
    expect(await page().locator(`${node(id('cat'))} [data-testid="size"]`).textContent()).toBe('hidden + input');
    await page().screenshot({ path: join(ARTEFACTS, 'lstm-built-by-mouse.png') });
  }, 120_000);

  it('downloads the cell, which the CLI validates, and exports it as PyTorch', async () => {
    await button(/^Export/).click();
    const [download] = await Promise.all([page().waitForEvent('download'), page().locator('[data-export="cell"]').click()]);
    const file = join(ARTEFACTS, 'lstm-built-by-mouse.json');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const cell = JSON.parse(readFileSync(file, 'utf8')) as { nodes: unknown[]; connections: unknown[] };
    expect(cell.nodes).toHaveLength(3 + PLAN.length);
    expect(cell.connections).toHaveLength(WIRING.length);
    // execFileSync throws on a non-zero exit: exit 0 is the assertion.
    celda('validate', file);
    expect(celda('equations', file)).toBe(lstmEquations());

    await button(/^Export/).click();
    const names: string[] = [];
    const two = new Promise<void>((resolve) => {
      const seen = (d: { suggestedFilename(): string }) => {
        names.push(d.suggestedFilename());
        if (names.length === 2) {
          page().off('download', seen);
          resolve();
        }
      };
      page().on('download', seen);
    });
    await page().locator('[data-export="pytorch"]').click();
    await two;
    expect(names.sort()).toEqual(['celda_cell.py', 'weights.json']);
  });

  it('refuses a wire whose sizes disagree and says why', async () => {
    const before = await wires();
    // keep.b holds c_{t−1} (hidden): [a_{t−1}, x_t] (hidden + input) cannot be multiplied with it.
    await connectSockets(page(), { id: id('cat'), port: 'out' }, { id: id('keep'), port: 'a' });
    const notice = page().locator(NOTICE);
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.textContent()).toContain('expects');
    // The wire being dragged goes away; the old one into keep.a stays.
    await expect.poll(wires).toBe(before);
    expect(await problemRows().count()).toBe(0);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('undoes and redoes the last wire with the keyboard', async () => {
    const before = await wires();
    await page().keyboard.press('Control+z');
    await expectWires(before - 1, 'after undo');
    await expect.poll(() => problemRows().count()).toBeGreaterThan(0);
    expect(await page().locator(`${node('y')}`).getAttribute('class')).toContain('error');
    await page().keyboard.press('Control+Shift+z');
    await expectWires(before, 'after redo');
    await expect.poll(() => problemRows().count()).toBe(0);
    await expect.poll(() => equationRows().count()).toBe(7);
  });

  it('arranges the finished LSTM and leaves screenshots', async () => {
    const positions = () => page().locator(`${CANVAS} [data-testid="node"]`).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => `${Math.round(r.x)},${Math.round(r.y)}`).join(' '));
    const before = await positions();
    await button('Arrange').click();
    let last = '';
    await expect
      .poll(
        async () => {
          const now = await positions();
          const settled = now !== before && now === last;
          last = now;
          return settled;
        },
        { interval: 150, timeout: 20_000 },
      )
      .toBe(true);
    expect(await problemRows().count()).toBe(0);
    expect(await wires()).toBe(WIRING.length);
    await page().screenshot({ path: join(ARTEFACTS, 'lstm-arranged.png') });
    await page().locator(CANVAS).screenshot({ path: join(ARTEFACTS, 'lstm-arranged-canvas.png') });
    // Sockets are still where the wires end: one more drag finds them.
    await centre(page(), inputSocket(id('c_new'), 'a'));
    await centre(page(), outputSocket(id('a_new'), 'out'));
  });

  it('opens the shipped LSTM as a new project, without a prompt: the edited cell stays saved in its own', async () => {
    const asked: string[] = [];
    const onDialog = (d: Dialog) => {
      asked.push(d.type());
      void d.accept();
    };
    page().on('dialog', onDialog);
    await button(/^Examples/).click();
    await page().locator('[data-example="lstm"]').click();
    await page().waitForFunction((sel) => document.querySelector(sel) !== null, node('keep'), { timeout: 10_000 });
    page().off('dialog', onDialog);
    expect(asked).toEqual([]);
    await expectWires(WIRING.length, 'the example');
    await expect.poll(() => problemRows().count()).toBe(0);
    await expect.poll(equationTexts).toEqual(lines(lstmEquations()));
    await page().getByTestId('projects-button').click();
    await expect.poll(() => page().getByTestId('project-row').count()).toBe(2);
    await page().getByTestId('projects-button').click();
  });

  it('logs no console errors', () => {
    expect(app.errors).toEqual([]);
  });
});
