/**
 * The build's service worker script (src/offline/vite-plugin.ts): its precache list names every
 * file once, sorted and URL-safe; its version follows every file's name and bytes; and sw.js is
 * a classic script (no import or export) that defines the list and the version for sw.ts's code,
 * and answers with the cross-origin isolation headers even where the cached copy lacks them.
 */
import { createContext, Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, precacheOf, serviceWorkerSource, type BuildFile } from '../../src/offline/vite-plugin';

const FILES: BuildFile[] = [
  { name: 'index.html', content: '<!doctype html>' },
  { name: 'assets/math-abc.js', content: 'export {}' },
  { name: 'icons/app icon.png', content: new Uint8Array([137, 80, 78, 71]) },
];

describe('the precache list', () => {
  it('names every file once, sorted, as URLs relative to the worker', () => {
    expect(precacheOf(FILES).urls).toEqual(['assets/math-abc.js', 'icons/app%20icon.png', 'index.html']);
  });

  it('has a version that changes with any file\'s bytes, name, or a file added, and not with the files\' order', () => {
    const version = precacheOf(FILES).version;
    expect(precacheOf([...FILES].reverse()).version).toBe(version);
    const others = [
      [{ ...FILES[0], content: '<!doctype html> ' }, FILES[1], FILES[2]],
      [FILES[0], { ...FILES[1], name: 'assets/math-abd.js' }, FILES[2]],
      [FILES[0], FILES[1], { ...FILES[2], content: new Uint8Array([137, 80, 78, 72]) }],
      [...FILES, { name: 'manifest.webmanifest', content: '{}' }],
    ];
    const versions = others.map((files) => precacheOf(files).version);
    expect(new Set([version, ...versions]).size).toBe(others.length + 1);
  });
});

describe('sw.js', () => {
  it('is a classic script that defines the list and the version before the worker\'s code', async () => {
    const precache = precacheOf(FILES);
    const source = await serviceWorkerSource(precache);
    // A module's import or export would not compile as a classic script.
    expect(() => new Script(source)).not.toThrow();
    expect(source).not.toMatch(/^\s*(import|export)\b/m);
    expect(source.startsWith(`const PRECACHE = ${JSON.stringify(precache.urls)};\nconst VERSION = ${JSON.stringify(precache.version)};\n`)).toBe(true);
    expect(source).toContain("addEventListener(\"fetch\"");
  });
});

describe('sw.js answers cross-origin isolated', () => {
  /**
   * The built script run in a context with what it touches of a service worker's globals: a
   * cache holding a page stored without the isolation headers (a host that did not send them),
   * and a fetch event for a navigation. Headers and Response are Node's own (the Fetch standard's).
   */
  async function navigate(): Promise<Response> {
    const listeners = new Map<string, (e: unknown) => void>();
    const stored = new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } });
    const cache = { match: async () => stored.clone(), addAll: async () => undefined };
    const scope = 'https://celda.example/';
    const context = createContext({
      self: { registration: { scope }, location: new URL(`${scope}sw.js`), addEventListener: (type: string, f: (e: unknown) => void) => listeners.set(type, f) },
      caches: { open: async () => cache, keys: async () => [] },
      fetch: () => Promise.reject(new Error('offline')),
      Headers, Response, URL, Promise, Object,
    });
    new Script(await serviceWorkerSource(precacheOf(FILES))).runInContext(context);
    let answer: Promise<Response> | undefined;
    listeners.get('fetch')?.({ request: { method: 'GET', mode: 'navigate', url: `${scope}lesson` }, respondWith: (r: Promise<Response>) => (answer = r) });
    if (!answer) throw new Error('the service worker did not answer the navigation');
    return answer;
  }

  it('puts COOP and COEP on a cached page stored without them, keeping its body and type', async () => {
    const page = await navigate();
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(page.headers.get(name)).toBe(value);
    expect(page.headers.get('Content-Type')).toBe('text/html');
    expect(await page.text()).toBe('<!doctype html>');
  });
});
