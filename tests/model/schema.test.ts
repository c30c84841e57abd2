/**
 * docs/cell.schema.json describes the structure the loader checks. These tests keep
 * the two from drifting: the examples validate, broken files do not (and the loader or
 * compiler rejects them with the expected code), and the kinds and limits match the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { NODES } from '../../nodes';
import { CELL_FORMAT, CELL_FORMAT_VERSION, ID_PATTERN, LIMITS } from '../../src/model/cell';
import { loadCellText } from '../../src/model/load';
import { SIZE_NAME } from '../../src/model/sizes';
import { compile } from '../../src/compiler';
import { example, exampleNames, exampleText, fixtureText, type RawCell } from '../fixtures/examples';

interface Schema {
  $schema: string;
  properties: Record<string, Record<string, unknown>> & {
    format: { const: string };
    version: { const: number };
    nodes: { maxItems: number };
    connections: { maxItems: number };
    sizes: { properties: { named: { maxProperties: number; propertyNames: { pattern: string } } } };
  };
  $defs: Record<string, Record<string, unknown>> & {
    size: { minimum: number; maximum: number };
    shortText: { maxLength: number };
    longText: { maxLength: number };
    id: { pattern: string };
    coordinate: { minimum: number; maximum: number };
    node: { properties: { kind: { enum: string[] } } };
    connection: { properties: Record<string, { maxLength: number }> };
  };
}

const schema = JSON.parse(readFileSync(new URL('../../docs/cell.schema.json', import.meta.url), 'utf8')) as Schema;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateSchema = ajv.compile(schema);

const valid = (data: unknown): boolean => validateSchema(data) as boolean;

/** All diagnostics codes Celda gives for a text: the loader's, else the compiler's. */
function celdaCodes(text: string): string[] {
  const loaded = loadCellText(text);
  if (!loaded.ok) return loaded.diagnostics.map((d) => d.code);
  return compile(loaded.value).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

describe('docs/cell.schema.json', () => {
  it('is itself a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(exampleNames)('accepts the example %s', (name) => {
    expect(valid(JSON.parse(exampleText(name))), JSON.stringify(validateSchema.errors)).toBe(true);
  });

  const brokenDir = new URL('../fixtures/broken/', import.meta.url);
  const broken = readdirSync(brokenDir).filter((f) => f.endsWith('.json')).sort();

  it('has broken fixtures to check', () => {
    expect(broken.length).toBeGreaterThanOrEqual(10);
  });

  it.each(broken)('rejects tests/fixtures/broken/%s, which Celda rejects with the code in its name', (file) => {
    const text = fixtureText(`broken/${file}`);
    expect(valid(JSON.parse(text))).toBe(false);
    expect(celdaCodes(text)).toContain(file.replace(/\.json$/, ''));
  });

  const loose = (v: object): Record<string, unknown> => v as Record<string, unknown>;

  const mutations: [string, (c: RawCell) => void][] = [
    ['a missing "nodes"', (c) => { delete loose(c).nodes; }],
    ['a node without a kind', (c) => { delete loose(c.nodes[0]).kind; }],
    ['an id of 65 characters', (c) => { c.nodes[0].id = 'a'.repeat(65); }],
    ['an empty id', (c) => { c.nodes[0].id = ''; }],
    ['a param that is a list', (c) => { c.nodes[3].params = { out: [16] }; }],
    ['a param string of 201 characters', (c) => { c.nodes[3].params = { out: 'h'.repeat(201) }; }],
    ['a param name of 41 characters', (c) => { c.nodes[3].params = { ['p'.repeat(41)]: 1 }; }],
    ['33 params', (c) => { c.nodes[3].params = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`p${i}`, i])); }],
    ['a coordinate beyond 1e7', (c) => { c.nodes[0].position = { x: 1e7 + 1, y: 0 }; }],
    ['a fractional size', (c) => { c.sizes.input = 8.5; }],
    ['a size of 0', (c) => { c.sizes.input = 0; }],
    ['a named size called "input"', (c) => { c.sizes.named = { input: 3 }; }],
    ['33 named sizes', (c) => { c.sizes.named = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`s${i}`, 1])); }],
    ['a name of 81 characters', (c) => { c.metadata.name = 'n'.repeat(81); }],
    ['a description with an escape character', (c) => { c.metadata.description = 'red \u001b[31m'; }],
    ['a connection port of 65 characters', (c) => { c.connections[0].toPort = 'p'.repeat(65); }],
    ['version 1.5', (c) => { c.version = 1.5; }],
    ['1001 nodes', (c) => { c.nodes = Array.from({ length: 1001 }, (_, i) => ({ id: `n${i}`, kind: 'identity', params: {} })); }],
  ];

  it.each(mutations)('rejects %s, as the loader does', (_name, mutate) => {
    const cell = example('rnn.json');
    mutate(cell);
    expect(valid(cell)).toBe(false);
    expect(loadCellText(JSON.stringify(cell)).ok).toBe(false);
  });

  it('accepts what the loader accepts: tabs and newlines in text, no params, no position, extra fields', () => {
    const cell = example('rnn.json');
    cell.metadata.description = 'line one\n\tline two';
    delete loose(cell.nodes[0]).params;
    delete loose(cell.nodes[0]).position;
    loose(cell).comment = 'ignored';
    expect(valid(cell), JSON.stringify(validateSchema.errors)).toBe(true);
    expect(loadCellText(JSON.stringify(cell)).ok).toBe(true);
  });

  it('lists exactly the registered node kinds (nodes/index.ts)', () => {
    expect([...schema.$defs.node.properties.kind.enum].sort()).toEqual(NODES.map((n) => n.kind).sort());
  });

  it('states the same format, version, id pattern and limits as src/model', () => {
    expect(schema.properties.format.const).toBe(CELL_FORMAT);
    expect(schema.properties.version.const).toBe(CELL_FORMAT_VERSION);
    expect(schema.$defs.id.pattern).toBe(ID_PATTERN.source);
    expect(schema.properties.sizes.properties.named.propertyNames.pattern).toBe(SIZE_NAME.source);
    expect(schema.properties.nodes.maxItems).toBe(LIMITS.nodes);
    expect(schema.properties.connections.maxItems).toBe(LIMITS.connections);
    expect(schema.$defs.size).toMatchObject({ minimum: 1, maximum: LIMITS.size });
    expect(schema.properties.sizes.properties.named.maxProperties).toBe(LIMITS.namedSizes);
    expect(schema.$defs.shortText.maxLength).toBe(LIMITS.labelLength);
    expect(schema.$defs.longText.maxLength).toBe(LIMITS.textLength);
    expect(schema.$defs.coordinate).toMatchObject({ minimum: -LIMITS.coordinate, maximum: LIMITS.coordinate });
    for (const field of ['from', 'fromPort', 'to', 'toPort']) expect(schema.$defs.connection.properties[field].maxLength).toBe(LIMITS.idLength);
  });
});
