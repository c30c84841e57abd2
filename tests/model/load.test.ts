/**
 * The loader's structural checks: untrusted text in, a Cell or diagnostics out,
 * never an exception. Node-level checks are in tests/compiler/validate.test.ts;
 * the migration hook with a newer current version is in migrate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CELL_FORMAT_VERSION, LIMITS } from '../../src/model/cell';
import type { Diagnostic, Result } from '../../src/model/diagnostics';
import { loadCell, loadCellText, MIGRATIONS, preview } from '../../src/model/load';
import { example, exampleNames, exampleText, type RawCell } from '../fixtures/examples';

const loose = (v: object): Record<string, unknown> => v as Record<string, unknown>;

function codes(r: Result<unknown>): string[] {
  return r.diagnostics.map((d) => d.code);
}

/** Rejected, with exactly these codes; returns the first diagnostic. */
function rejected(r: Result<unknown>, ...expected: string[]): Diagnostic {
  expect(r.ok).toBe(false);
  expect(codes(r)).toEqual(expected);
  return r.diagnostics[0];
}

const load = (mutate: (c: RawCell) => void): Result<unknown> => {
  const c = example('rnn.json');
  mutate(c);
  return loadCellText(JSON.stringify(c));
};

/** Replaces the JSON value `"@@"` in a serialised example by raw text, e.g. 1e309. */
const withRaw = (mutate: (c: RawCell) => void, raw: string): string => {
  const c = example('rnn.json');
  mutate(c);
  return JSON.stringify(c).replace('"@@"', raw);
};

describe('loadCellText', () => {
  it.each(exampleNames)('loads %s with no diagnostics', (name) => {
    const r = loadCellText(exampleText(name));
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('not-json: text that is not JSON', () => {
    const d = rejected(loadCellText('{"format": "celda-cell",'), 'not-json');
    expect(d.message).toMatch(/not valid JSON/);
  });

  it('not-json: an empty file', () => {
    rejected(loadCellText(''), 'not-json');
  });

  it('file-too-large: text over the default limit of 5,000,000 characters is refused before parsing', () => {
    const text = `{"format":"celda-cell","pad":"${'x'.repeat(5_000_001)}"}`;
    const d = rejected(loadCellText(text), 'file-too-large');
    expect(d.message).toContain('5000000');
  });

  it('file-too-large: the limit can be lowered', () => {
    rejected(loadCellText(exampleText('rnn.json'), { maxTextLength: 100 }), 'file-too-large');
  });
});

describe('loadCell: the envelope', () => {
  it.each([null, 3, 'cell', [], true])('not-an-object: %j', (value) => {
    rejected(loadCell(value), 'not-an-object');
  });

  it('wrong-format: another format', () => {
    const d = rejected(load((c) => { c.format = 'celda-project'; }), 'wrong-format');
    expect(d.path).toBe('format');
    expect(d.message).toContain('"celda-project"');
  });

  it('wrong-format: no format at all', () => {
    rejected(load((c) => { delete loose(c).format; }), 'wrong-format');
  });

  it.each([[0], [-1], [1.5], ['1'], [null]])('bad-version: %j', (version) => {
    const d = rejected(load((c) => { c.version = version; }), 'bad-version');
    expect(d.path).toBe('version');
  });

  it('bad-version: versions start at 1, so version 0 is refused even with a migration for it', () => {
    const c = example('rnn.json');
    c.version = 0;
    rejected(loadCell(c, { migrations: { 0: (old) => old } }), 'bad-version');
  });

  it('newer-version: a file from a newer Celda asks for an update', () => {
    const d = rejected(load((c) => { c.version = CELL_FORMAT_VERSION + 1; }), 'newer-version');
    expect(d.message).toContain('Update Celda');
  });

  it('the migration table is empty while version 1 is the only format', () => {
    expect(CELL_FORMAT_VERSION).toBe(1);
    expect(Object.keys(MIGRATIONS)).toEqual([]);
  });

  it('migrations are not run for a current file', () => {
    const c = example('rnn.json');
    let called = false;
    const r = loadCell(c, { migrations: { 1: (old) => { called = true; return old; } } });
    expect(r.ok).toBe(true);
    expect(called).toBe(false);
  });
});

describe('loadCell: metadata and sizes', () => {
  it('bad-metadata: metadata missing', () => {
    rejected(load((c) => { delete loose(c).metadata; }), 'bad-metadata');
  });

  it('bad-text: a name that is not text', () => {
    const d = rejected(load((c) => { c.metadata.name = 42; }), 'bad-text');
    expect(d.path).toBe('metadata.name');
  });

  it('bad-text: a name is required', () => {
    rejected(load((c) => { delete c.metadata.name; }), 'bad-text');
  });

  it.each([
    ['a bell', '\u0007'], ['an escape sequence', '\u001b[2J'], ['a NUL', '\u0000'], ['a DEL', '\u007f'], ['a carriage return', 'a\rb'],
  ])('bad-text: a name with %s', (_what, bad) => {
    const d = rejected(load((c) => { c.metadata.name = `RNN${bad}`; }), 'bad-text');
    expect(d.path).toBe('metadata.name');
    // The message shows the value JSON-escaped, never a raw C0 control such as ESC.
    expect(d.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/); // eslint-disable-line no-control-regex
  });

  it('bad-text: newlines and tabs are allowed in descriptions', () => {
    expect(load((c) => { c.metadata.description = 'one\n\ttwo'; }).ok).toBe(true);
  });

  it('bad-text: a name over 80 characters, a description over 10,000', () => {
    rejected(load((c) => { c.metadata.name = 'n'.repeat(LIMITS.labelLength + 1); }), 'bad-text');
    rejected(load((c) => { c.metadata.description = 'd'.repeat(LIMITS.textLength + 1); }), 'bad-text');
    expect(load((c) => { c.metadata.name = 'n'.repeat(LIMITS.labelLength); }).ok).toBe(true);
  });

  it('bad-text: a label with a control character names the node', () => {
    const d = rejected(load((c) => { c.nodes[1].label = 'hidden\u001b'; }), 'bad-text');
    expect(d.nodeId).toBe('h');
    expect(d.path).toBe('nodes[1].label');
  });

  it('bad-sizes: sizes missing, or named sizes that are not an object', () => {
    rejected(load((c) => { delete loose(c).sizes; }), 'bad-sizes');
    rejected(load((c) => { loose(c.sizes).named = [4]; }), 'bad-sizes');
  });

  it.each([[0], [4097], [2.5], ['16'], [null], [-3]])('bad-size: hidden = %j', (hidden) => {
    const d = rejected(load((c) => { c.sizes.hidden = hidden; }), 'bad-size');
    expect(d.path).toBe('sizes.hidden');
  });

  it('bad-size: a number too large for a double (1e309 parses as Infinity)', () => {
    const d = rejected(loadCellText(withRaw((c) => { c.sizes.input = '@@'; }, '1e309')), 'bad-size');
    expect(d.message).toContain('Infinity');
  });

  it('bad-size: a named size out of range', () => {
    const d = rejected(load((c) => { c.sizes.named = { proj: 10_000 }; }), 'bad-size');
    expect(d.path).toBe('sizes.named.proj');
  });

  it.each([['input'], ['hidden'], ['2x'], ['_p'], ['has space'], ['__proto__'], ['a'.repeat(33)]])('bad-size-name: %j', (name) => {
    rejected(load((c) => { c.sizes.named = JSON.parse(`{${JSON.stringify(name)}: 4}`) as Record<string, unknown>; }), 'bad-size-name');
  });

  it('too-many-sizes: more than 32 named sizes', () => {
    const named = Object.fromEntries(Array.from({ length: LIMITS.namedSizes + 1 }, (_, i) => [`s${i}`, 1]));
    rejected(load((c) => { c.sizes.named = named; }), 'too-many-sizes');
  });
});

describe('loadCell: nodes and connections', () => {
  it('bad-nodes: nodes that are not a list', () => {
    rejected(load((c) => { loose(c).nodes = { x: {} }; }), 'bad-nodes');
  });

  it('too-many-nodes: more than 1000 nodes', () => {
    const d = rejected(load((c) => {
      c.nodes = Array.from({ length: LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}`, kind: 'identity', params: {} }));
    }), 'too-many-nodes');
    expect(d.message).toContain('1001');
  });

  it.each([
    ['a space', 'my node'], ['a quote', 'a"b'], ['a backtick', 'a`b'], ['a template', '${x}'], ['a tag', '</script>'],
    ['nothing', ''], ['65 characters', 'a'.repeat(65)], ['a number', 7], ['a non-ASCII letter', 'señal'],
  ])('bad-node-id: an id with %s', (_what, id) => {
    const d = rejected(load((c) => { loose(c.nodes[0]).id = id; }), 'bad-node-id');
    expect(d.path).toBe('nodes[0].id');
    expect(d.nodeId).toBeUndefined();
  });

  it('ids may use letters, digits, "_", ".", ":" and "-", up to 64 characters', () => {
    const id = `Aa0_.:-${'z'.repeat(57)}`;
    expect(id).toHaveLength(64);
    const r = load((c) => {
      c.nodes[0].id = id;
      for (const conn of c.connections) if (conn.from === 'x') conn.from = id;
    });
    expect(r.ok).toBe(true);
  });

  it('bad-node-kind: an empty kind, or one over 40 characters', () => {
    rejected(load((c) => { c.nodes[2].kind = ''; }), 'bad-node-kind');
    rejected(load((c) => { c.nodes[2].kind = 'k'.repeat(41); }), 'bad-node-kind');
  });

  it.each([
    ['Infinity (1e309)', '1e309'], ['-Infinity', '-1e309'],
  ])('bad-param-value: a param of %s', (_what, raw) => {
    const d = rejected(loadCellText(withRaw((c) => { c.nodes[3].params = { biasInit: '@@' }; }, raw)), 'bad-param-value');
    expect(d.nodeId).toBe('lin');
  });

  it.each([[null], [[1]], [{ n: 1 }], ['s'.repeat(201)]])('bad-param-value: %j', (value) => {
    rejected(load((c) => { c.nodes[3].params = { out: value }; }), 'bad-param-value');
  });

  it('bad-param-value: a param name over 40 characters', () => {
    rejected(load((c) => { c.nodes[3].params = { ['p'.repeat(41)]: 1 }; }), 'bad-param-value');
  });

  it('bad-params: more than 32 params', () => {
    const params = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`p${i}`, i]));
    rejected(load((c) => { c.nodes[3].params = params; }), 'bad-params');
  });

  it.each([['1e309'], ['"12"'], ['null'], ['1e8']])('bad-position: x = %s', (raw) => {
    const d = rejected(loadCellText(withRaw((c) => { c.nodes[0].position = { x: '@@' as unknown as number, y: 0 }; }, raw)), 'bad-position');
    expect(d.nodeId).toBe('x');
  });

  it('params and position may be left out', () => {
    const r = load((c) => {
      delete loose(c.nodes[0]).params;
      delete loose(c.nodes[0]).position;
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.value as { nodes: unknown[] }).nodes[0]).toEqual({ id: 'x', kind: 'input', params: {}, position: { x: 0, y: 0 } });
  });

  it('an empty label is dropped', () => {
    const r = load((c) => { c.nodes[1].label = ''; });
    expect(r.ok && 'label' in (r.value as { nodes: object[] }).nodes[1]).toBe(false);
  });

  it('bad-connections: connections that are not a list', () => {
    rejected(load((c) => { loose(c).connections = 'x->h'; }), 'bad-connections');
  });

  it('too-many-connections: more than 4000', () => {
    rejected(load((c) => {
      c.connections = Array.from({ length: LIMITS.connections + 1 }, () => ({ ...c.connections[0] }));
    }), 'too-many-connections');
  });

  it.each([
    ['a missing field', (c: RawCell) => { delete loose(c.connections[0]).toPort; }],
    ['a number', (c: RawCell) => { loose(c.connections[0]).to = 3; }],
    ['a long port name', (c: RawCell) => { c.connections[0].fromPort = 'p'.repeat(65); }],
    ['not an object', (c: RawCell) => { loose(c.connections)[0] = 'h.prev -> cat.in0'; }],
  ])('bad-connection: %s', (_what, mutate) => {
    const d = rejected(load(mutate), 'bad-connection');
    expect(d.path).toBe('connections[0]');
  });

  it('reports every structural problem at once', () => {
    const r = load((c) => {
      c.metadata.name = 1;
      c.sizes.hidden = 0;
      c.nodes[0].id = 'bad id';
      loose(c.connections[0]).from = null;
    });
    expect(codes(r)).toEqual(['bad-text', 'bad-size', 'bad-node-id', 'bad-connection']);
  });
});

describe('preview', () => {
  it('shows untrusted values short and quoted', () => {
    expect(preview('a'.repeat(100))).toBe(JSON.stringify(`${'a'.repeat(40)}…`));
    expect(preview('</script>')).toBe('"</script>"');
    expect(preview({ toString: () => 'pwned' })).toBe('object');
    expect(preview([1, 2])).toBe('a list of 2');
    expect(preview(Infinity)).toBe('Infinity');
  });
});
