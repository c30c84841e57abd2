/**
 * `npm run bench:browser`: the char-LM training benchmark inside Chromium, in one page:
 * Celda's gpu.js backends (webgl2, webasm) against TF.js (webgl, wasm), LSTM, vocab 65,
 * batch 32, seq 64, Adam. On a machine without a GPU, Chromium's WebGL2 is SwiftShader
 * (software): the table says which renderer ran. webasm runs twice: on one thread, and on
 * gpu.js's worker threads (SharedArrayBuffer: the page is cross-origin isolated, vite.config.ts).
 *
 *   npm run bench:browser [-- --hidden 32,128] [-- --json]
 */
import { openApp } from '../tests/e2e/browser';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const hiddenArg = argv[argv.indexOf('--hidden') + 1];
const HIDDEN = argv.includes('--hidden') && hiddenArg ? hiddenArg.split(',').map(Number) : [32];
const WARMUP = 1;
const STEPS = 3;

const app = await openApp({ path: 'bench/browser/index.html' });
try {
  const page = app.page;
  await page.waitForFunction(() => window.celdaLab?.ready === true, undefined, { timeout: 120_000 });
  const env = await page.evaluate(() => window.celdaLab.environment());
  const rows: Record<string, unknown>[] = [];
  for (const hidden of HIDDEN) {
    const runs = [['webasm', false, 'webasm, 1 thread'], ['webasm', true, `webasm, threads (${env.cores} cores)`], ['webgl2', undefined, 'webgl2']] as const;
    for (const [mode, threads, name] of runs) {
      const r = await page.evaluate(([h, m, w, s, t]) => window.celdaLab.train('lstm', h, m, w, s, t), [hidden, mode, WARMUP, STEPS, threads] as const);
      rows.push({ who: `Celda gpu.js ${name}`, hidden, ...r });
      process.stderr.write(`Celda ${name} h${hidden}: ${r.charsPerSecond.toFixed(0)} chars/s\n`);
    }
    for (const backend of ['wasm', 'webgl'] as const) {
      const r = await page.evaluate(([h, b, w, s]) => window.celdaLab.tfjsTrain('lstm', h, b, w, s), [hidden, backend, WARMUP, STEPS] as const);
      rows.push({ who: `TF.js ${backend}`, hidden, ...r });
      process.stderr.write(`TF.js ${backend} h${hidden}: ${r.charsPerSecond.toFixed(0)} chars/s\n`);
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ environment: env, rows }, null, 2)}\n`);
  } else {
    const lines = [`Chromium, WebGL2 renderer: ${env.renderer ?? 'none'}${env.software ? ' (software)' : ''}; WebGPU adapter: ${env.webgpu ? 'yes' : 'no'}; automatic choice: ${env.auto}; cross-origin isolated: ${env.isolated ? 'yes' : 'no'}.`, '', '| who | hidden | chars/s (median of 3) | ms/step |', '|---|---|---|---|'];
    for (const r of rows as { who: string; hidden: number; charsPerSecond: number; medianMs: number }[]) lines.push(`| ${r.who} | ${r.hidden} | ${r.charsPerSecond.toFixed(0)} | ${r.medianMs.toFixed(0)} |`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} finally {
  await app.close();
}
