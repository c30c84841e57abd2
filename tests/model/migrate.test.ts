/**
 * The migration hook. While version 1 is the only format, no migration can run (the
 * loader refuses versions below 1), so this file pretends the current version is 2:
 * a version-1 file is then "old" and goes through the migrations passed in options.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadCell, loadCellText, type Migration } from '../../src/model/load';
import { example } from '../fixtures/examples';

vi.mock('../../src/model/cell', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/model/cell')>()),
  CELL_FORMAT_VERSION: 2,
}));

/** Version 1 called the hidden size "state"; version 2 calls it "hidden". */
const renameHidden: Migration = (v1) => {
  const { state, ...sizes } = v1.sizes as Record<string, unknown>;
  return { ...v1, sizes: { ...sizes, hidden: state } };
};

function oldFile(): Record<string, unknown> {
  const c = example('rnn.json') as unknown as Record<string, unknown>;
  const { hidden, ...sizes } = c.sizes as Record<string, unknown>;
  return { ...c, version: 1, sizes: { ...sizes, state: hidden } };
}

describe('migrations (current version pretended to be 2)', () => {
  it('an old file is upgraded by the migration and loads as the current version', () => {
    const r = loadCellText(JSON.stringify(oldFile()), { migrations: { 1: renameHidden } });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok && r.value.version).toBe(2);
    expect(r.ok && r.value.sizes.hidden).toBe(16);
  });

  it('the migrated file is checked like any other', () => {
    const r = loadCell(oldFile(), { migrations: { 1: (v1) => v1 } });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['bad-size']);
  });

  it('the migration receives the old file and its version, and does not alter the input', () => {
    const file = oldFile();
    const before = JSON.stringify(file);
    let seen: unknown;
    loadCell(file, { migrations: { 1: (v1) => { seen = v1.version; return renameHidden(v1); } } });
    expect(seen).toBe(1);
    expect(JSON.stringify(file)).toBe(before);
  });

  it('no-migration: no migration from the file\'s version (the built-in table is empty)', () => {
    const d = loadCell(oldFile()).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['no-migration']);
    expect(d[0].message).toContain('version 1');
  });

  it('migration-failed: a migration that throws is reported, not thrown', () => {
    const r = loadCell(oldFile(), { migrations: { 1: () => { throw new Error('sizes.state is missing'); } } });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((x) => x.code)).toEqual(['migration-failed']);
    expect(r.diagnostics[0].message).toContain('sizes.state is missing');
  });

  it('newer-version: a version above the current one', () => {
    const c = { ...oldFile(), version: 3 };
    expect(loadCell(c).diagnostics.map((x) => x.code)).toEqual(['newer-version']);
  });

  it('migration-failed: a migration that throws a non-Error value is reported, not thrown', () => {
    const r = loadCell(oldFile(), { migrations: { 1: () => { throw null; } } });
    expect(r.diagnostics.map((x) => x.code)).toEqual(['migration-failed']);
  });
});
