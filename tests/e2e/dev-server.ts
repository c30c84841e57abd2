/**
 * Vitest global setup: one Vite dev server for every e2e file of a run (it transforms a module
 * only when a page first asks for it). Each file used to start its own, and each new server
 * transformed the whole app again on its first page (≈ 30 s on 2 cores); a shared one does it once.
 * The URL reaches tests/e2e/browser.ts in CELDA_E2E_SERVER: the test workers start after this
 * setup and inherit the environment. (Outside Vitest, e.g. the benchmarks, it is unset.)
 */
import { createServer, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let server: ViteDevServer | undefined;

export default async function setup(): Promise<() => Promise<void>> {
  // Unit-test runs pay only a listening socket: Vite transforms nothing until a page asks.
  // No HMR: a source file saved while a test runs must not reload the page under it.
  server = await createServer({ root: ROOT, server: { host: '127.0.0.1', port: 0, hmr: false }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (address && typeof address !== 'string') process.env.CELDA_E2E_SERVER = `http://127.0.0.1:${address.port}/`;
  return async () => {
    await server?.close();
  };
}
