/**
 * `npm run bench:browser`: the char-LM training benchmark inside Chromium, in one page:
 * Celda's gpu.js backends (webgl2, webasm) against TF.js (webgl, wasm), LSTM, vocab 65,
 * seq 64, Adam. On a machine without a GPU, Chromium's WebGL2 is SwiftShader
 * (software): the table says which renderer ran. webasm runs twice: on one thread, and on
 * gpu.js's worker threads (SharedArrayBuffer: the page is cross-origin isolated, vite.config.ts).
 *
 * `--gpu`: Chromium with WebGPU on, and the grid hidden 32, 128, 512 × batch 32, 256 for Celda
 * webgpu / webgl2 / webasm and TF.js webgpu / webgl / wasm side by side, with each Celda
 * backend's speed as a ratio of each TF.js peer's in the same run. A cell that fails or runs
 * past the cap (`--cap`, seconds) says so in the table and the run goes on.
 *
 *   npm run bench:browser [-- --hidden 32,128] [-- --batch 32,256] [-- --json] [-- --gpu [--cap 60]]
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openApp, type App } from '../tests/e2e/browser';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const gpu = argv.includes('--gpu');

/** `--name 1,2,3` as numbers, or `fallback` without the flag. */
function listArg(name: string, fallback: number[]): number[] {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const values = (argv[at + 1] ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name} takes positive integers separated by commas, e.g. ${name} 32,128`);
  return values;
}

const HIDDEN = listArg('--hidden', gpu ? [32, 128, 512] : [32]);
const BATCH = listArg('--batch', gpu ? [32, 256] : [32]);
const WARMUP = 1;
const STEPS = 3;
/** A grid cell that runs longer than this (`--cap` seconds, default 60) is abandoned (its page closed) and reported as skipped. */
const CELL_CAP_S = listArg('--cap', [60])[0];

interface Timing {
  charsPerSecond: number;
  medianMs: number;
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.celdaLab?.ready === true, undefined, { timeout: 120_000 });
}

type Environment = Awaited<ReturnType<typeof window.celdaLab.environment>>;

/** Without --gpu: webasm on 1 thread and on threads, webgl2, and TF.js wasm and webgl, per hidden × batch. */
async function runClassic(page: Page, env: Environment, asJson: boolean): Promise<void> {
  const rows: ({ who: string; hidden: number; batch: number } & Timing)[] = [];
  for (const hidden of HIDDEN) {
    for (const batch of BATCH) {
      const runs = [['webasm', false, 'webasm, 1 thread'], ['webasm', true, `webasm, threads (${env.cores} cores)`], ['webgl2', undefined, 'webgl2']] as const;
      for (const [mode, threads, name] of runs) {
        const r = await page.evaluate(([h, b, m, w, s, t]) => window.celdaLab.train('lstm', h, b, m, w, s, t), [hidden, batch, mode, WARMUP, STEPS, threads] as const);
        rows.push({ who: `Celda gpu.js ${name}`, hidden, batch, ...r });
        process.stderr.write(`Celda ${name} h${hidden} b${batch}: ${r.charsPerSecond.toFixed(0)} chars/s\n`);
      }
      for (const backend of ['wasm', 'webgl'] as const) {
        const r = await page.evaluate(([h, b, k, w, s]) => window.celdaLab.tfjsTrain('lstm', h, b, k, w, s), [hidden, batch, backend, WARMUP, STEPS] as const);
        rows.push({ who: `TF.js ${backend}`, hidden, batch, ...r });
        process.stderr.write(`TF.js ${backend} h${hidden} b${batch}: ${r.charsPerSecond.toFixed(0)} chars/s\n`);
      }
    }
  }
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ environment: env, rows }, null, 2)}\n`);
    return;
  }
  const lines = [`Chromium, WebGL2 renderer: ${env.renderer ?? 'none'}${env.software ? ' (software)' : ''}; WebGPU adapter: ${env.webgpu ? 'yes' : 'no'}; automatic choice: ${env.auto}; cross-origin isolated: ${env.isolated ? 'yes' : 'no'}.`, '', '| who | hidden | batch | chars/s (median of 3) | ms/step |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.who} | ${r.hidden} | ${r.batch} | ${r.charsPerSecond.toFixed(0)} | ${r.medianMs.toFixed(0)} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const CELDA = ['webgpu', 'webgl2', 'webasm'] as const;
const TFJS = ['webgpu', 'webgl', 'wasm'] as const;

/** One backend at one hidden × batch: its timing, or why there is none. */
interface GridCell {
  who: string;
  hidden: number;
  batch: number;
  timing?: Timing;
  outcome?: string;
}

/**
 * Runs one measurement with a time cap. Past the cap the page is still busy (a kernel cannot be
 * interrupted from outside), so it is closed and a fresh one opened for the next cell.
 */
async function capped(app: App, page: Page, setPage: (p: Page) => void, measure: (p: Page) => Promise<Timing>): Promise<{ timing?: Timing; outcome?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<'cap'>((resolve) => (timer = setTimeout(() => resolve('cap'), CELL_CAP_S * 1000)));
  try {
    const r = await Promise.race([measure(page), cap]);
    if (r !== 'cap') return { timing: r };
    await page.close({ runBeforeUnload: false });
    const fresh = await app.newPage();
    await waitReady(fresh);
    setPage(fresh);
    return { outcome: `skipped: over ${CELL_CAP_S} s` };
  } catch (e) {
    return { outcome: `failed: ${shortReason(e)}` };
  } finally {
    clearTimeout(timer);
  }
}

function shortReason(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0].trim();
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}

/** Whether the lab page can import TF.js's WebGPU backend (a devDependency; a checkout may lack it). */
const tfjsWebgpuInstalled = () => existsSync(new URL('../node_modules/@tensorflow/tfjs-backend-webgpu/package.json', import.meta.url));

async function runGrid(app: App, first: Page): Promise<GridCell[]> {
  let page = first;
  const track = (p: Page) => (page = p);
  const tfWebgpu = tfjsWebgpuInstalled();
  const cells: GridCell[] = [];
  const note = (c: GridCell) => {
    cells.push(c);
    process.stderr.write(`${c.who} h${c.hidden} b${c.batch}: ${c.timing ? `${c.timing.charsPerSecond.toFixed(0)} chars/s` : c.outcome}\n`);
  };
  for (const hidden of HIDDEN) {
    for (const batch of BATCH) {
      for (const mode of CELDA) {
        const r = await capped(app, page, track, (p) => p.evaluate(([h, b, m, w, s]) => window.celdaLab.train('lstm', h, b, m, w, s), [hidden, batch, mode, WARMUP, STEPS] as const));
        note({ who: `Celda ${mode}`, hidden, batch, ...r });
      }
      for (const backend of TFJS) {
        if (backend === 'webgpu' && !tfWebgpu) {
          note({ who: 'TF.js webgpu', hidden, batch, outcome: 'TF.js webgpu: not installed' });
          continue;
        }
        const r = await capped(app, page, track, (p) => p.evaluate(([h, b, k, w, s]) => window.celdaLab.tfjsTrain('lstm', h, b, k, w, s), [hidden, batch, backend, WARMUP, STEPS] as const));
        note({ who: `TF.js ${backend}`, hidden, batch, ...r });
      }
    }
  }
  return cells;
}

function speed(c: GridCell | undefined): string {
  if (!c) return '—';
  return c.timing ? c.timing.charsPerSecond.toFixed(0) : (c.outcome ?? '—');
}

/** The adapter and renderer lines, a loud warning when either is software, then chars/s and the Celda ÷ TF.js ratios per hidden × batch. */
function gridReport(env: Environment, cells: GridCell[]): string {
  const adapter = env.adapter ? [env.adapter.vendor, env.adapter.architecture, env.adapter.device, env.adapter.description].filter((s) => s).join(' / ') || 'unnamed' : 'none';
  const lines = [`WebGPU adapter: ${adapter}${env.adapter?.isFallbackAdapter ? ' (fallback adapter)' : ''}`, `WebGL2 renderer: ${env.renderer ?? 'none'}`, `cross-origin isolated: ${env.isolated ? 'yes' : 'no'}; cores: ${env.cores}`];
  const software = [env.softwareAdapter && `WebGPU adapter is ${env.softwareAdapter}`, env.software && `WebGL2 renderer is ${env.renderer}`].filter(Boolean);
  if (software.length > 0 || !env.adapter) {
    lines.push('', `!!! SOFTWARE RENDERING: ${[...software, ...(env.adapter ? [] : ['no WebGPU adapter'])].join('; ')}.`, '!!! These webgpu / webgl numbers are CPU emulation (SwiftShader), NOT GPU speed. Do not publish them as GPU numbers.');
  }
  const at = (who: string, hidden: number, batch: number) => cells.find((c) => c.who === who && c.hidden === hidden && c.batch === batch);
  const whos = [...CELDA.map((m) => `Celda ${m}`), ...TFJS.map((b) => `TF.js ${b}`)];
  lines.push('', `chars/s, median of ${STEPS} steps after ${WARMUP} warm-up (LSTM, seq 64, vocab 65, Adam):`, '', `| hidden | batch | ${whos.join(' | ')} |`, `|---|---|${whos.map(() => '---|').join('')}`);
  for (const hidden of HIDDEN) for (const batch of BATCH) lines.push(`| ${hidden} | ${batch} | ${whos.map((w) => speed(at(w, hidden, batch))).join(' | ')} |`);
  lines.push('', 'Celda ÷ TF.js (chars/s; > 1: Celda faster):', '', `| hidden | batch | Celda | ${TFJS.map((b) => `÷ TF.js ${b}`).join(' | ')} |`, `|---|---|---|${TFJS.map(() => '---|').join('')}`);
  for (const hidden of HIDDEN) {
    for (const batch of BATCH) {
      for (const mode of CELDA) {
        const celda = at(`Celda ${mode}`, hidden, batch)?.timing;
        const ratios = TFJS.map((b) => {
          const peer = at(`TF.js ${b}`, hidden, batch)?.timing;
          return celda && peer ? `${(celda.charsPerSecond / peer.charsPerSecond).toFixed(2)}×` : '—';
        });
        lines.push(`| ${hidden} | ${batch} | ${mode} | ${ratios.join(' | ')} |`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const app = await openApp({ path: 'bench/browser/index.html', webgpu: gpu });
try {
  const page = app.page;
  await waitReady(page);
  const env = await page.evaluate(() => window.celdaLab.environment());
  if (gpu) {
    const grid = await runGrid(app, page);
    process.stdout.write(json ? `${JSON.stringify({ environment: env, cells: grid }, null, 2)}\n` : gridReport(env, grid));
  } else {
    await runClassic(page, env, json);
  }
} finally {
  await app.close();
}
