import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { serviceWorker } from './src/offline/vite-plugin.ts';

export default defineConfig({
  plugins: [svelte(), serviceWorker()],
  css: { preprocessorOptions: { scss: { silenceDeprecations: ['legacy-js-api', 'import', 'global-builtin', 'color-functions'] } } },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
