import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { ISOLATION_HEADERS, serviceWorker } from './src/offline/vite-plugin.ts';

export default defineConfig({
  plugins: [svelte(), serviceWorker()],
  // Cross-origin isolation (SharedArrayBuffer, so gpu.js's webasm runs on threads); a static host must send the same.
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  css: { preprocessorOptions: { scss: { silenceDeprecations: ['legacy-js-api', 'import', 'global-builtin', 'color-functions'] } } },
  test: {
    include: ['tests/**/*.test.ts'],
    // One dev server for all the browser tests of a run (tests/e2e/dev-server.ts).
    globalSetup: ['tests/e2e/dev-server.ts'],
    testTimeout: 60_000,
    // Two test files at a time, even on a 2-core machine (Vitest's default there is one): the
    // browser, CLI and export tests spend much of their time waiting on Chromium, child
    // processes and Python, so the second core is otherwise idle.
    maxWorkers: 2,
  },
});
