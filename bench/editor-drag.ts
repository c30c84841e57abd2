/**
 * How smooth is dragging a node on a big cell? Starts the app as the e2e tests do
 * (Vite dev server + Debian Chromium, tests/e2e/browser.ts), opens a generated
 * 152-node valid cell through Open…, drags one node with the mouse for ~2 s and
 * records frame times with requestAnimationFrame in the page. Prints median / p95
 * frame time against the 16.7 ms (60 Hz) budget. A benchmark, not a test: no
 * assertion, not part of `npm test`.
 *
 *   npm run bench                    # tsx bench/editor-drag.ts
 *   npm run bench -- --profile       # also a CPU profile of the drag: top functions by self time
 *   npm run bench -- --prod          # against a production build (vite build + preview), no Svelte dev checks
 *   npm run bench -- --seconds 5 --blocks 40
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/compiler/analyze';
import type { Cell } from '../src/model/cell';
import { addNode, connect, newCell } from '../src/model/edit';
import { cellFileText } from '../src/ui/lib/files';
import { openApp } from '../tests/e2e/browser';
import { CANVAS, WIRES, centre, node, readView } from '../tests/e2e/gestures';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
};
const BLOCKS = option('blocks', 30);
const SECONDS = option('seconds', 2);
const PROFILE = args.includes('--profile');
const PRODUCTION = args.includes('--prod');
const VIEWPORT = { width: 1600, height: 1000 };

/**
 * `blocks` gated blocks of 5 nodes each, chained: block i's state s_i and the previous
 * block's output go through [·,·] → W·v+b → σ, and s_i's next value is σ ⊙ s_i.
 * Block 0 reads x; y reads the last block. 5·blocks + 2 nodes, 7·blocks + 1 wires.
 */
function gatedChain(blocks: number): { cell: Cell; middleState: string } {
  let cell: Cell = { ...newCell(`Bench: ${blocks} gated blocks`), nodes: [], connections: [] };
  const add = (kind: string, x: number, y: number): string => {
    const r = addNode(cell, kind, { x, y });
    cell = r.cell;
    return r.id;
  };
  const wire = (from: string, fromPort: string, to: string, toPort: string): void => {
    cell = connect(cell, { from, fromPort, to, toPort });
  };
  const columns = Math.ceil(Math.sqrt(blocks * 1.2));
  let previous = add('input', -220, 0);
  let previousPort = 'x';
  const states: string[] = [];
  for (let i = 0; i < blocks; i++) {
    const ox = (i % columns) * 560;
    const oy = Math.floor(i / columns) * 240;
    const s = add('state', ox, oy);
    const cat = add('concat', ox + 180, oy);
    const lin = add('linear', ox + 330, oy);
    const sig = add('sigmoid', ox + 330, oy + 110);
    const mul = add('multiply', ox + 180, oy + 120);
    wire(s, 'prev', cat, 'in0');
    wire(previous, previousPort, cat, 'in1');
    wire(cat, 'out', lin, 'in');
    wire(lin, 'out', sig, 'in');
    wire(sig, 'out', mul, 'a');
    wire(s, 'prev', mul, 'b');
    wire(mul, 'out', s, 'next');
    states.push(s);
    previous = mul;
    previousPort = 'out';
  }
  const y = add('output', columns * 560, 0);
  wire(previous, previousPort, y, 'y');
  return { cell, middleState: states[Math.floor(blocks / 2)] };
}

const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
};

function summary(deltas: readonly number[]): { frames: number; median: number; p95: number; max: number; fps: number } {
  const sorted = [...deltas].sort((a, b) => a - b);
  const total = deltas.reduce((s, d) => s + d, 0);
  return { frames: deltas.length, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN, fps: total > 0 ? (1000 * deltas.length) / total : NaN };
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

/** Installs window.__bench: rAF timestamps and long task durations while `running`. */
const RECORDER = `(() => {
  const bench = { stamps: [], longTasks: [], running: true };
  window.__bench = bench;
  requestAnimationFrame(function tick(t) {
    bench.stamps.push(t);
    if (bench.running) requestAnimationFrame(tick);
  });
  try {
    new PerformanceObserver(function (list) {
      if (bench.running) for (const e of list.getEntries()) bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // No long task timing in this browser.
  }
})()`;

declare global {
  interface Window {
    __bench?: { stamps: number[]; longTasks: number[]; running: boolean };
  }
}

async function main(): Promise<void> {
  const { cell, middleState } = gatedChain(BLOCKS);
  const analysis = analyze(cell);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated cell is not valid: ${errors[0].message}`);
  const dir = mkdtempSync(join(tmpdir(), 'celda-bench-'));
  const file = join(dir, 'gated-chain.json');
  writeFileSync(file, cellFileText(cell));

  const started = Date.now();
  const app = await openApp({ production: PRODUCTION });
  try {
    const { page } = app;
    await page.setViewportSize(VIEWPORT);
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, `${CANVAS} [data-testid="node"]`, { timeout: 60_000 });

    // Open… → the file chooser, as a person would.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open…', exact: true }).click()]);
    await chooser.setFiles(file);
    await page.waitForFunction(
      ([nodes, wires, n, w]) => document.querySelectorAll(nodes).length === n && document.querySelectorAll(wires).length === w,
      [`${CANVAS} [data-testid="node"]`, WIRES, cell.nodes.length, cell.connections.length] as const,
      { timeout: 60_000 },
    );
    const loadedIn = Date.now() - started;
    const problems = await page.locator('.problems li[data-code]').count();

    // The view settles after the open's zoom-to-fit.
    let last = '';
    for (;;) {
      const v = await readView(page);
      const now = JSON.stringify([v.origin, v.k]);
      if (now === last) break;
      last = now;
      await page.waitForTimeout(150);
    }
    const view = await readView(page);

    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl');
      if (!gl) return 'no WebGL';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    });
    const browserVersion = app.context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));

    // Frame recorder: every rAF timestamp, and long tasks, until told to stop. A string, so
    // that tsx's helpers (it names inner functions with __name) stay out of the page.
    const record = async (): Promise<void> => page.evaluate(RECORDER);
    const stop = async (): Promise<{ deltas: number[]; longTasks: number[] }> =>
      page.evaluate(() => {
        const bench = window.__bench;
        if (!bench) return { deltas: [], longTasks: [] };
        bench.running = false;
        const deltas = bench.stamps.slice(1).map((t, i) => t - bench.stamps[i]);
        return { deltas, longTasks: bench.longTasks };
      });

    // Idle baseline: the same page, nothing moving.
    await record();
    await page.waitForTimeout(1000);
    const idle = await stop();

    // The drag: press on a state node in the middle of the chain, circle around for SECONDS, let go.
    const target = node(middleState);
    const before = await page.locator(target).boundingBox();
    const grab = await centre(page, `${target} .body`);
    const radius = Math.min(120, view.box.width / 6);
    // Real mouse events through the DevTools protocol at 120 Hz without waiting for each to be
    // handled (page.mouse.move waits for the renderer's ack, which paces it to ~20 moves/s);
    // Chromium coalesces them per frame as it does for a real mouse.
    const cdp = await app.context.newCDPSession(page);
    const mouse = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, y: number) =>
      cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons: type === 'mouseReleased' ? 0 : 1, clickCount: type === 'mouseMoved' ? 0 : 1 });
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await mouse('mouseMoved', grab.x, grab.y);
    await mouse('mousePressed', grab.x, grab.y);
    await record();
    const t0 = Date.now();
    let moves = 0;
    const sent: Promise<unknown>[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      const angle = (moves / 120) * 2 * Math.PI;
      sent.push(mouse('mouseMoved', grab.x + radius * Math.sin(angle), grab.y + radius * (1 - Math.cos(angle)) * 0.5));
      moves += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000 / 120));
    }
    await Promise.all(sent);
    const dragMs = Date.now() - t0;
    const drag = await stop();
    const end = { x: grab.x + 40, y: grab.y + 20 };
    await mouse('mouseMoved', end.x, end.y);
    await mouse('mouseReleased', end.x, end.y);
    const profile = PROFILE ? ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile : undefined;
    const after = await page.locator(target).boundingBox();
    const moved = before && after ? Math.hypot(after.x - before.x, after.y - before.y) : NaN;

    const a = summary(idle.deltas);
    const d = summary(drag.deltas);
    const software = /swiftshader|llvmpipe|software/i.test(renderer);
    const lines = [
      `Celda editor drag benchmark (${new Date().toISOString()})`,
      `  browser      Chromium ${browserVersion}, headless, WebGL renderer: ${renderer}`,
      software
        ? '  NOTE         no GPU: Chromium renders and composites in software (SwiftShader) on this machine; a desktop browser with a GPU paints faster.'
        : '  NOTE         a GPU renderer was reported.',
      `  app          ${PRODUCTION ? 'production build (vite build + vite preview)' : 'Vite dev server (Svelte dev mode, as the e2e tests run it; try --prod)'}`,
      `  machine      ${(await import('node:os')).cpus().length} CPU cores, viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
      `  cell         ${cell.nodes.length} nodes, ${cell.connections.length} wires (${BLOCKS} gated blocks), ${problems} problems shown, opened via Open… in ${(loadedIn / 1000).toFixed(1)} s (incl. app start)`,
      `  view         zoom ${view.k.toFixed(2)} after fit; dragged node ${middleState} (3 wires) by ${moved.toFixed(0)} px on screen at the end`,
      `  idle         ${a.frames} frames: median ${ms(a.median)}, p95 ${ms(a.p95)}, max ${ms(a.max)} (${a.fps.toFixed(1)} fps)`,
      `  drag         ${d.frames} frames in ${(dragMs / 1000).toFixed(2)} s, ${moves} pointer moves sent (${((moves * 1000) / dragMs).toFixed(0)}/s, coalesced per frame by Chromium)`,
      `               median ${ms(d.median)}, p95 ${ms(d.p95)}, max ${ms(d.max)} (${d.fps.toFixed(1)} fps)`,
      `               long tasks (>50 ms): ${drag.longTasks.length}${drag.longTasks.length ? `, longest ${ms(Math.max(...drag.longTasks))}` : ''}`,
      `  verdict      median ${d.median <= 16.7 ? 'UNDER' : 'OVER'} 16.7 ms, p95 ${d.p95 <= 16.7 ? 'UNDER' : 'OVER'} 16.7 ms (60 Hz budget)`,
    ];
    if (profile) {
      const saved = join(dir, 'drag.cpuprofile');
      writeFileSync(saved, JSON.stringify(profile));
      lines.push(...topFunctions(profile, 15), `  profile file ${saved} (open in Chrome DevTools → Performance)`);
    }
    if (app.errors.length > 0) lines.push(`  console errors: ${app.errors.join(' | ')}`);
    console.log(lines.join('\n'));
  } finally {
    await app.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions that spent the most time themselves during the drag (the CPU profile's self time). */
function topFunctions(profile: CpuProfile, n: number): string[] {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  let total = 0;
  for (const p of profile.nodes) {
    const t = self.get(p.id) ?? 0;
    total += t;
    const file = p.callFrame.url.replace(/^.*\/\/[^/]+\//, '').replace(/\?.*$/, '');
    const key = `${p.callFrame.functionName || '(anonymous)'}  ${file ? `${file}:${p.callFrame.lineNumber + 1}` : ''}`;
    byName.set(key, (byName.get(key) ?? 0) + t);
  }
  const top = [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`  profile      ${total.toFixed(0)} ms sampled; top ${n} by self time:`, ...top.map(([k, t]) => `    ${t.toFixed(0).padStart(6)} ms  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)];
}

await main();
