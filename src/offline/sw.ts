/// <reference lib="webworker" />
/**
 * Celda's service worker: after one visit the app starts with the network off.
 *
 * Built by src/offline/vite-plugin.ts into sw.js (a classic script: no imports at run time),
 * which defines PRECACHE and VERSION before this code. A new build has a new VERSION, so a
 * new sw.js: the browser installs it next to the running one, and it waits there until the
 * page asks it to take over (the user chose "Reload"); it never skips waiting on its own.
 */
import type { TakeOverMessage } from './protocol';

declare const self: ServiceWorkerGlobalScope;
/** Every file of the build, relative to this script (index.html, scripts, styles, fonts, icons, manifest). */
declare const PRECACHE: readonly string[];
/** A hash of the build's files: names and contents. */
declare const VERSION: string;
/** Cross-origin isolation's headers (vite-plugin.ts ISOLATION_HEADERS): on every response served, so an offline start stays isolated. */
declare const ISOLATION_HEADERS: Readonly<Record<string, string>>;

const CACHE_PREFIX = 'celda-';
const CACHE = `${CACHE_PREFIX}${VERSION}`;
/** The app's page: every navigation in scope gets it (the app has one page). */
const PAGE = new URL('index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // 'reload': straight from the server, never a stale copy from the HTTP cache.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const stale = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
    await Promise.all(stale.map((name) => caches.delete(name)));
    // The first visit's page is controlled at once, so it works offline without a reload;
    // an update only gets here once the page asked for it (or every old page has closed).
    await self.clients.claim();
  })());
});

// The literal, not protocol.ts's TAKE_OVER: sw.js imports nothing at run time (the type still checks it).
self.addEventListener('message', (event) => {
  if ((event.data as TakeOverMessage | undefined)?.type === 'celda-take-over') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') event.respondWith(cachedOrNetwork(PAGE, request));
  else event.respondWith(cachedOrNetwork(request, request));
});

/** The cached copy of `key` (this version's), else the network's answer to `request`; either with the isolation headers. */
async function cachedOrNetwork(key: RequestInfo, request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  // ignoreVary: a server may answer with "Vary: Origin" (Vite's preview does), and the page's
  // module scripts and styles are requested with an Origin header the precache's requests lacked.
  return isolated((await cache.match(key, { ignoreVary: true })) ?? (await fetch(request)));
}

/**
 * The response with COOP and COEP set: a cached copy keeps the headers it was fetched with,
 * which a host may not have sent, and a page without them loses SharedArrayBuffer (gpu.js threads).
 */
function isolated(response: Response): Response {
  if (response.type !== 'basic' && response.type !== 'default') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
