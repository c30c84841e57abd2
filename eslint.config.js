import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outsideDependencies = ['rete', 'rete-*', 'svelte', 'svelte/*', 'dexie', 'gpu.js', '@tensorflow/*'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage', 'test-results', '.scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core stays portable: see DESIGN.md §2.
    files: ['nodes/**', 'src/model/**', 'src/compiler/**', 'src/runtime/**', 'src/export/**', 'src/lessons/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: outsideDependencies, message: 'The core imports no UI, storage or gpu package.' },
          { group: ['node:*', 'fs', 'path', 'os'], message: 'The core runs in the browser too: no Node modules.' }],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'indexedDB', 'process'],
    },
  },
  {
    // The arena also runs in a browser Web Worker (the app's Arena panel): its Node side is src/cli/arena-*.
    files: ['src/arena/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'worker_threads'], message: 'src/arena runs in a browser worker too: no Node modules.' }],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'process'],
    },
  },
  {
    files: ['bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
