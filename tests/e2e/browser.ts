/** The real app in Debian's Chromium (DESIGN §11): a Vite dev server on loopback and playwright-core. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, createServer, preview } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface App {
  readonly url: string;
  /** The production build's folder (production only): the server serves what a test writes there. */
  readonly outDir?: string;
  /** The Chromium profile (user-data) folder: IndexedDB and localStorage live there. */
  readonly profileDir: string;
  /** The current browser and its first page (both change on relaunch). */
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far (on every page of every launch). */
  readonly errors: string[];
  /** Opens another page (tab) of the same browser on the app, its errors collected too. */
  newPage(): Promise<Page>;
  /** Closes the browser and starts it again on the same profile and server, opening the app. */
  relaunch(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Serve a production build (`vite build` into a temporary folder, then `vite preview`)
   * instead of the dev server: for timings without Svelte's dev-mode checks. Slower to start.
   */
  production?: boolean;
  /** The Chromium profile folder to use (default: a new, empty one). */
  profileDir?: string;
  /** The page to open, relative to the server root (default: the app). */
  path?: string;
  /**
   * Start as a first visit: with no project stored, the app opens the LSTM and its welcome card.
   * By default the browser has dismissed the welcome before (a returning visitor without
   * projects), so the app starts with a blank cell, as the other tests expect.
   */
  firstVisit?: boolean;
  /** The browser's language (navigator.language), e.g. "es-ES"; default: Chromium's own. */
  locale?: string;
  /**
   * Turn WebGPU on (`--enable-unsafe-webgpu`): headless Chromium then answers a page served from
   * loopback (a secure context) with a SwiftShader (software) adapter on a machine without a GPU.
   */
  webgpu?: boolean;
}

/**
 * The first load of a dev server optimises the app's dependencies (Vite): tens of seconds on a
 * busy 2-core machine, more than Playwright's default 30 s.
 */
const GOTO_TIMEOUT = 90_000;

/** src/ui/projects.svelte.ts WELCOMED_KEY: the welcome card was dismissed. */
const WELCOMED_KEY = 'celda.welcomed';

/**
 * Builds the app for production into `outDir`, as `vite build` from a shell does: Vitest runs
 * with NODE_ENV=test, under which Vite would build a development bundle (Svelte's dev checks on,
 * import.meta.env.PROD false, so no service worker).
 */
async function buildApp(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Starts the app on loopback; returns its URL and how to stop it. */
async function serve(production: boolean): Promise<{ url: string; outDir?: string; close(): Promise<void> }> {
  if (production) {
    const outDir = mkdtempSync(join(tmpdir(), 'celda-build-'));
    await buildApp(outDir);
    const server = await preview({ root: ROOT, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('the preview server has no port');
    return { url: `http://127.0.0.1:${address.port}/`, outDir, close: () => server.close() };
  }
  // The run's shared dev server (tests/e2e/dev-server.ts): the app is transformed once per run, not per file.
  const shared = process.env.CELDA_E2E_SERVER;
  if (shared) return { url: shared, close: async () => undefined };
  // No HMR: a source file saved while a test runs must not reload the page under it.
  const server = await createServer({ root: ROOT, server: { host: '127.0.0.1', port: 0, hmr: false }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the dev server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

async function launch(profileDir: string, options: OpenOptions): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    ...(options.locale && { locale: options.locale }),
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
  if (!options.firstVisit) await context.addInitScript({ content: `try { localStorage.setItem(${JSON.stringify(WELCOMED_KEY)}, '1'); } catch {}` });
  return context;
}

export async function openApp(options: OpenOptions = {}): Promise<App> {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}: install it with "apt-get install chromium" (.ci/run does).`);
  const server = await serve(options.production ?? false);
  const url = `${server.url}${options.path ?? ''}`;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'celda-chromium-'));
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  };
  let context = await launch(profileDir, options);
  let page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  await page.goto(url, { timeout: GOTO_TIMEOUT });
  return {
    url, profileDir, errors, outDir: server.outDir,
    get context() {
      return context;
    },
    get page() {
      return page;
    },
    async newPage() {
      const other = await context.newPage();
      watch(other);
      await other.goto(url, { timeout: GOTO_TIMEOUT });
      return other;
    },
    async relaunch() {
      await context.close();
      context = await launch(profileDir, options);
      page = context.pages()[0] ?? (await context.newPage());
      watch(page);
      await page.goto(url, { timeout: GOTO_TIMEOUT });
    },
    async close() {
      await context.close();
      await server.close();
    },
  };
}
