/**
 * docs/cell-format.md and docs/diagnostics.md are checked against the code, so that
 * a new node kind, param or diagnostic code cannot ship undocumented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODES } from '../../nodes';
import type { Params } from '../../nodes/types';
import { compile } from '../../src/compiler';
import { loadCellText } from '../../src/model/load';
import { example } from '../fixtures/examples';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const cellFormat = read('docs/cell-format.md');
const diagnosticsDoc = read('docs/diagnostics.md');

/** Every diagnostic code the loader, the compiler and the lesson loader can emit, read from their sources. */
function emittedCodes(): Set<string> {
  const files = [
    ...readdirSync(new URL('../../src/model/', import.meta.url)).map((f) => `src/model/${f}`),
    ...readdirSync(new URL('../../src/compiler/', import.meta.url)).map((f) => `src/compiler/${f}`),
    ...readdirSync(new URL('../../src/lessons/', import.meta.url)).map((f) => `src/lessons/${f}`),
  ].filter((f) => f.endsWith('.ts'));
  const codes = new Set<string>();
  for (const f of files) {
    const src = read(f);
    for (const m of src.matchAll(/\b(?:error|warning)\(\s*'([a-z-]+)'/g)) codes.add(m[1]);
    // Codes chosen by a conditional: error(cond ? 'a' : 'b', …)
    for (const m of src.matchAll(/\b(?:error|warning)\(\s*[^'(),]+\?\s*'([a-z-]+)'\s*:\s*'([a-z-]+)'/g)) codes.add(m[1]).add(m[2]);
  }
  return codes;
}

describe('docs/diagnostics.md', () => {
  const codes = emittedCodes();

  it('finds the codes in the sources', () => {
    expect(codes.size).toBeGreaterThan(30);
    expect(codes).toContain('duplicate-connection');
  });

  it.each([...emittedCodes()].sort())('documents %s in a table row', (code) => {
    expect(diagnosticsDoc).toMatch(new RegExp(`^\\| \`${code}\`( \\(warning\\))? \\|`, 'm'));
  });

  it('lists every registered kind under unknown-kind', () => {
    const row = diagnosticsDoc.split('\n').find((l) => l.startsWith('| `unknown-kind` |')) as string;
    for (const n of NODES) expect(row, n.kind).toMatch(new RegExp(`[ :,]${n.kind}[,.]`));
  });

  it('documents no code that is no longer emitted', () => {
    const listing = diagnosticsDoc.slice(diagnosticsDoc.indexOf('## Loading'));
    const documented = [...listing.matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1]);
    for (const code of documented) expect(codes, code).toContain(code);
  });
});

describe('docs/cell-format.md', () => {
  const defaults = (params: Record<string, { default: unknown }>): Params =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.default])) as Params;

  it.each(NODES.map((n) => [n.kind, n] as const))('documents the kind %s with its ports', (kind, def) => {
    expect(cellFormat).toContain(`\`${kind}\``);
    for (const port of [...def.inputPorts(defaults(def.params)), def.outputPort].filter((p) => p !== null)) {
      expect(cellFormat, `${kind} port ${port}`).toContain(`\`${port}\``);
    }
  });

  it.each(NODES.filter((n) => Object.keys(n.params).length > 0).map((n) => [n.kind, n] as const))(
    'documents every param of %s with its type and default, in its own section',
    (kind, def) => {
      const start = cellFormat.indexOf(`#### \`${kind}\``);
      expect(start, kind).toBeGreaterThan(0);
      const end = cellFormat.indexOf('\n#', start + 1);
      const section = cellFormat.slice(start, end);
      for (const [name, spec] of Object.entries(def.params)) {
        const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
        expect(row, `${kind}.${name}`).toBeDefined();
        expect(row, `${kind}.${name} default`).toContain(`| \`${JSON.stringify(spec.default)}\` |`);
        const type = spec.type === 'integer' ? 'integer' : spec.type;
        expect(row, `${kind}.${name} type`).toContain(type);
        if (spec.type === 'enum') for (const option of spec.options) expect(row).toContain(`\`${option}\``);
      }
    },
  );

  it('its Elman example is examples/rnn.json without positions, and compiles cleanly', () => {
    const block = /## A short example[\s\S]*?```json\n([\s\S]*?)```/.exec(cellFormat);
    expect(block).not.toBeNull();
    const text = (block as RegExpExecArray)[1];
    const loaded = loadCellText(text);
    expect(loaded.diagnostics).toEqual([]);
    if (!loaded.ok) return;
    expect(compile(loaded.value).diagnostics).toEqual([]);
    const rnn = example('rnn.json');
    const doc = JSON.parse(text) as typeof rnn;
    expect(doc.nodes).toEqual(rnn.nodes.map(({ position: _position, ...n }) => n));
    expect(doc.connections).toEqual(rnn.connections);
    expect(doc.sizes).toEqual(rnn.sizes);
  });
});
