/** Shared helpers for the storage tests: fresh databases, table contents, example cells. */
import 'fake-indexeddb/auto';
import { expect } from 'vitest';
import type { Cell } from '../../src/model/cell';
import { loadCell } from '../../src/model/load';
import { openDatabase, type CeldaDatabase, type Stored } from '../../src/storage/db';
import { example } from '../fixtures/examples';

export function freshName(): string {
  return `celda-test-${crypto.randomUUID()}`;
}

export async function freshDb(name = freshName()): Promise<CeldaDatabase> {
  const opened = await openDatabase(name);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.db;
}

/** An example cell as loadCell returns it. */
export function exampleCell(name: string): Cell {
  const loaded = loadCell(example(name));
  if (!loaded.ok) throw new Error(`example ${name} does not load`);
  return loaded.value;
}

export async function counts(db: CeldaDatabase): Promise<Record<string, number>> {
  const entries = await Promise.all(db.allTables.map(async (t) => [t.name, await t.count()] as const));
  return Object.fromEntries(entries);
}

/** Every row of every table, sorted by id: for "unchanged" checks. */
export async function contents(db: CeldaDatabase): Promise<Record<string, unknown[]>> {
  const entries = await Promise.all(db.allTables.map(async (t) => [t.name, (await t.toArray()).sort((a, b) => a.id.localeCompare(b.id))] as const));
  return Object.fromEntries(entries);
}

/** The value of a successful operation; fails the test otherwise. */
export function value<T>(r: Stored<T>): T {
  if (r.status !== 'ok') expect.fail(`${r.code}: ${r.message}`);
  return r.value;
}
