/**
 * The build's service worker: at `vite build`, emits sw.js (src/offline/sw.ts without its
 * types) headed by the precache list — every file of the build: index.html, every chunk
 * (lazy ones and the training worker too), styles, fonts, and the public folder's manifest
 * and icons — and a version hash of those files. The dev server gets none (it would
 * serve stale modules under hot reload).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformWithOxc, type Plugin } from 'vite';

/**
 * Cross-origin isolation: with these, `crossOriginIsolated` is true, so SharedArrayBuffer exists
 * and gpu.js's webasm plan runs on worker threads. The dev and preview servers send them
 * (vite.config.ts), a static host must too (README), and the service worker puts them on
 * every response it serves, so the page stays isolated offline.
 */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

/** The service worker's file, at the root of the build (its scope is the whole app). */
export const SERVICE_WORKER = 'sw.js';
const SOURCE = fileURLToPath(new URL('./sw.ts', import.meta.url));

/** A file of the build: its path in the output folder ('/'-separated) and its bytes. */
export interface BuildFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

export interface Precache {
  /** The files' URLs relative to the service worker, sorted. */
  readonly urls: readonly string[];
  /** Changes whenever a file is added, removed, renamed or changed. */
  readonly version: string;
}

export function precacheOf(files: readonly BuildFile[]): Precache {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  for (const file of sorted) hash.update(`${file.name}\0`).update(file.content).update('\0');
  return {
    urls: sorted.map((file) => file.name.split('/').map(encodeURIComponent).join('/')),
    version: hash.digest('hex').slice(0, 16),
  };
}

/** The service worker's script for a precache: the three constants sw.ts declares, then its code. */
export async function serviceWorkerSource(precache: Precache): Promise<string> {
  const { code } = await transformWithOxc(readFileSync(SOURCE, 'utf8'), SOURCE, { lang: 'ts' });
  // sw.ts is a module only for its type import; sw.js is a classic script (every browser runs those), so the empty export goes.
  const script = code.replace(/^export \{\};?$/m, '');
  return `const PRECACHE = ${JSON.stringify(precache.urls)};\nconst VERSION = ${JSON.stringify(precache.version)};\nconst ISOLATION_HEADERS = ${JSON.stringify(ISOLATION_HEADERS)};\n${script}`;
}

/** Every file under a folder, named relative to it. */
function filesUnder(folder: string): BuildFile[] {
  if (!folder || !existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { name: relative(folder, path).split(sep).join('/'), content: readFileSync(path) };
    });
}

export function serviceWorker(): Plugin {
  let publicFiles: BuildFile[] = [];
  return {
    name: 'celda-service-worker',
    apply: 'build',
    configResolved(config) {
      publicFiles = config.build.copyPublicDir ? filesUnder(config.publicDir) : [];
    },
    generateBundle: {
      // After Vite's own plugins have added index.html and the worker's chunks.
      order: 'post',
      async handler(_options, bundle) {
        const built = Object.values(bundle).map((file) => ({ name: file.fileName, content: file.type === 'chunk' ? file.code : file.source }));
        const source = await serviceWorkerSource(precacheOf([...built, ...publicFiles]));
        this.emitFile({ type: 'asset', fileName: SERVICE_WORKER, source });
      },
    },
  };
}
