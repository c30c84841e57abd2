/**
 * The zoo's files: one per listed cell and no other, each exactly what
 * examples/zoo/build.ts writes, named and cited as the list says, with the
 * paper's equations in its description, loading and compiling with no diagnostic.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ZOO, ZOO_GROUPS, formatCitation } from '../../examples/zoo';
import { cellJson } from '../../examples/zoo/build';
import { parameterCounts } from '../../src/compiler';
import { compileZoo, zooText } from './zoo';

const DIR = fileURLToPath(new URL('../../examples/zoo/', import.meta.url));

describe('the zoo list', () => {
  it('lists at least 24 cells under unique ids, one file each and no file it does not list', () => {
    const ids = ZOO.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(24);
    expect(new Set(ids).size).toBe(ids.length);
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...ids].sort());
  });

  it('has a row in examples/zoo/README.md for every cell, with its group', () => {
    const readme = readFileSync(`${DIR}README.md`, 'utf8');
    for (const e of ZOO) {
      const row = readme.split('\n').find((l) => l.includes(`| \`${e.id}.json\` |`));
      expect(row, e.id).toContain(`| ${ZOO_GROUPS.find((g) => g.id === e.group)?.title} |`);
    }
  });

  it('puts every cell in a known group and leaves no group empty', () => {
    const groups = ZOO_GROUPS.map((g) => g.id);
    for (const e of ZOO) expect(groups, e.id).toContain(e.group);
    for (const g of groups) expect(ZOO.some((e) => e.group === g), g).toBe(true);
  });
});

describe.each(ZOO.map((e) => [e.id, e] as const))('zoo cell %s', (id, entry) => {
  it('is the file build.ts writes', () => {
    expect(zooText(id)).toBe(cellJson(entry));
  });

  it('carries its name, citation and equations in its metadata', () => {
    const { metadata } = JSON.parse(zooText(id)) as { metadata: { name: string; description: string } };
    expect(metadata.name).toBe(entry.name);
    expect(metadata.description.startsWith(formatCitation(entry.citation))).toBe(true);
    expect(entry.citation.year).toBeGreaterThanOrEqual(1990);
    expect(metadata.description.split('\n').filter((l) => /_t = /.test(l)).length, 'equation lines').toBeGreaterThan(0);
  });

  it('loads and compiles with no diagnostic and learns something', () => {
    expect(parameterCounts(compileZoo(id).program).total).toBeGreaterThan(0);
  });
});
