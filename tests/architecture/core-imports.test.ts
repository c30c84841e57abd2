/**
 * The core (nodes/, src/model, src/compiler, src/runtime) runs anywhere: it imports no
 * DOM, Node, Svelte, Rete, Dexie or gpu.js (DESIGN §2). tsconfig.core.json (lib ES2022,
 * no types) and the lint rule enforce it too; this test names the offending file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CORE = ['nodes', 'src/model', 'src/compiler', 'src/runtime', 'src/export', 'src/lessons'];
const FORBIDDEN = /from\s+['"](rete[^'"]*|svelte[^'"]*|dexie[^'"]*|gpu\.js|@tensorflow\/[^'"]*|node:[^'"]*|fs|path|os|child_process)['"]/;
const DOM_GLOBALS = /\b(window|document|navigator|localStorage|indexedDB)\s*\./;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('core boundaries', () => {
  const coreFiles = CORE.flatMap((d) => files(join(root, d)));

  it('finds the core files', () => {
    expect(coreFiles.length).toBeGreaterThan(20);
  });

  it.each(coreFiles.map((f) => [f.slice(root.length), f]))('%s imports no DOM, Node, UI, storage or gpu module', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source.match(FORBIDDEN)?.[0]).toBeUndefined();
    expect(source.match(DOM_GLOBALS)?.[0]).toBeUndefined();
  });
});

describe('adapter boundaries', () => {
  const app = files(join(root, 'src'));
  const importers = (pattern: RegExp) => app.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => f.slice(root.length).split('/').slice(0, 2).join('/'));

  it('src/gpu is the only folder importing gpu.js', () => {
    expect([...new Set(importers(/from\s+['"]gpu\.js['"]/))]).toEqual(['src/gpu']);
  });
});
