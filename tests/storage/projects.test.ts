import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { CURRENT_SCHEMA_VERSION, describeStorageError, openDatabase, SCHEMA } from '../../src/storage/db';
import {
  createProject, deleteProject, duplicateProject, getProject, listProjects, listSnapshots, renameProject, restoreProject,
  saveProject, snapshotProject,
} from '../../src/storage/projects';
import { addCheckpoint, addRun } from '../../src/storage/runs';
import { loadCell } from '../../src/model/load';
import { example } from '../fixtures/examples';
import { contents, counts, exampleCell, freshDb, freshName, value } from './helpers';
import v1 from './fixtures/v1-projects.json';

const run = (projectId: string) => ({
  projectId, config: { steps: 10, lr: 0.01 }, seed: 1, backend: 'reference', status: 'done' as const,
  metrics: [{ name: 'loss', steps: [0, 10], values: [1, null] }], timings: { totalMs: 5 }, cellHash: '0123456789abcdef',
});

describe('projects: create, read, list, rename, duplicate, delete', () => {
  it('creates and reads a project, with defaults for view and settings', async () => {
    const db = await freshDb();
    const p = value(await createProject(db, { name: 'LSTM', cell: exampleCell('lstm.json') }));
    expect(p).toMatchObject({ name: 'LSTM', view: { x: 0, y: 0, zoom: 1 }, settings: {}, revision: 1 });
    expect(value(await getProject(db, p.id))).toEqual(p);
    expect(await getProject(db, 'nope')).toMatchObject({ status: 'error', code: 'not-found' });
  });

  it('lists by last change, newest first, and searches by name in any case', async () => {
    const db = await freshDb();
    const a = value(await createProject(db, { name: 'Plain RNN', cell: exampleCell('rnn.json') }));
    await new Promise((r) => setTimeout(r, 2));
    const b = value(await createProject(db, { name: 'LSTM', cell: exampleCell('lstm.json') }));
    await new Promise((r) => setTimeout(r, 2));
    value(await renameProject(db, a.id, 'Plain RNN, renamed'));
    expect(value(await listProjects(db)).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(value(await listProjects(db, { search: 'lst' })).map((p) => p.name)).toEqual(['LSTM']);
    expect(value(await getProject(db, a.id))).toMatchObject({ name: 'Plain RNN, renamed', revision: 2 });
  });

  it('refuses an invalid cell, name or view and writes nothing', async () => {
    const db = await freshDb();
    const cell = example('lstm.json');
    cell.nodes[0].id = '</script>';
    const r = await createProject(db, { name: 'bad', cell: cell as never });
    expect(r).toMatchObject({ status: 'error', code: 'invalid' });
    expect(r.status === 'error' && r.diagnostics?.[0]).toMatchObject({ code: 'bad-node-id', path: 'project.cell.nodes[0].id' });
    expect(await createProject(db, { name: 'x\u0000', cell: exampleCell('rnn.json') })).toMatchObject({ code: 'invalid' });
    expect(await createProject(db, { name: 'x', cell: exampleCell('rnn.json'), view: { x: NaN, y: 0, zoom: 1 } })).toMatchObject({ code: 'invalid' });
    expect(await counts(db)).toEqual({ projects: 0, runs: 0, checkpoints: 0, snapshots: 0, lessons: 0 });
  });

  it('duplicates a project as a new one', async () => {
    const db = await freshDb();
    const p = value(await createProject(db, { name: 'GRU', cell: exampleCell('gru.json'), settings: { notation: 'olah' } }));
    const copy = value(await duplicateProject(db, p.id));
    expect(copy).toMatchObject({ name: 'GRU (copy)', cell: p.cell, settings: { notation: 'olah' }, revision: 1 });
    expect(copy.id).not.toBe(p.id);
    expect(value(await listProjects(db))).toHaveLength(2);
  });

  it('deletes a project with its runs, checkpoints and snapshots; restoreProject undoes it exactly', async () => {
    const db = await freshDb();
    const keep = value(await createProject(db, { name: 'keep', cell: exampleCell('rnn.json') }));
    const p = value(await createProject(db, { name: 'LSTM', cell: exampleCell('lstm.json') }));
    const r = value(await addRun(db, run(p.id)));
    value(await addCheckpoint(db, { runId: r.id, step: 10, cellHash: r.cellHash, tensors: [{ name: 'W', shape: [2], values: new Float64Array([1, -0]) }] }));
    value(await snapshotProject(db, p.id, 'before'));
    const before = await contents(db);
    const deleted = value(await deleteProject(db, p.id));
    expect(deleted).toMatchObject({ project: { id: p.id }, runs: [{ id: r.id }], checkpoints: [{ runId: r.id }], snapshots: [{ name: 'before' }] });
    expect(await counts(db)).toEqual({ projects: 1, runs: 0, checkpoints: 0, snapshots: 0, lessons: 0 });
    expect(value(await getProject(db, keep.id)).id).toBe(keep.id);
    value(await restoreProject(db, deleted));
    expect(await contents(db)).toEqual(before);
    expect(value(await listSnapshots(db, p.id)).map((s) => s.name)).toEqual(['before']);
  });
});

describe('transactions', () => {
  it('a transaction that writes a project and then throws leaves the database unchanged', async () => {
    const db = await freshDb();
    value(await createProject(db, { name: 'one', cell: exampleCell('rnn.json') }));
    const before = await contents(db);
    const p = value(await getProject(db, (before.projects[0] as { id: string }).id));
    await expect(db.transaction('rw', db.projects, db.runs, async () => {
      await db.projects.put({ ...p, name: 'changed', revision: 2 });
      await db.projects.add({ ...p, id: 'another' });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await contents(db)).toEqual(before);
  });
});

describe('saveProject: revisions and conflicts', () => {
  it('saves with revision + 1', async () => {
    const db = await freshDb();
    const p = value(await createProject(db, { name: 'RNN', cell: exampleCell('rnn.json') }));
    const r = await saveProject(db, { ...p, view: { x: 5, y: 6, zoom: 2 } }, 1);
    expect(r).toMatchObject({ status: 'saved', revision: 2 });
    expect(value(await getProject(db, p.id))).toMatchObject({ view: { x: 5, y: 6, zoom: 2 }, revision: 2, createdAt: p.createdAt });
  });

  it('two tabs saving from the same revision: the second gets a conflict, and both versions are kept', async () => {
    const name = freshName();
    const tabA = await freshDb(name);
    const tabB = await freshDb(name);
    const p = value(await createProject(tabA, { name: 'LSTM', cell: exampleCell('lstm.json') }));
    const cellA = { ...p.cell, metadata: { ...p.cell.metadata, name: 'edited in A' } };
    const cellB = { ...p.cell, metadata: { ...p.cell.metadata, name: 'edited in B' } };
    const [a, b] = await Promise.all([saveProject(tabA, { ...p, cell: cellA }, 1), saveProject(tabB, { ...p, cell: cellB }, 1)]);
    expect(a).toMatchObject({ status: 'saved', revision: 2 });
    expect(b).toMatchObject({ status: 'conflict', current: { revision: 2, cell: cellA }, copy: { name: 'LSTM (conflict)', cell: cellB, revision: 1 } });
    const names = value(await listProjects(tabA)).map((x) => `${x.name}: ${x.cell.metadata.name}`).sort();
    expect(names).toEqual(['LSTM (conflict): edited in B', 'LSTM: edited in A']);
    // Tab B goes on editing its copy without further conflicts.
    if (b.status !== 'conflict') throw new Error('unreachable');
    expect(await saveProject(tabB, b.copy, 1)).toMatchObject({ status: 'saved', revision: 2 });
  });

  it('an invalid cell is never written', async () => {
    const db = await freshDb();
    const p = value(await createProject(db, { name: 'RNN', cell: exampleCell('rnn.json') }));
    const before = await contents(db);
    const bad = { ...p.cell, sizes: { input: 1e9, hidden: 16, named: {} } };
    const r = await saveProject(db, { ...p, cell: bad }, 1);
    expect(r).toMatchObject({ status: 'error', code: 'invalid', diagnostics: [{ code: 'bad-size', path: 'project.cell.sizes.input' }] });
    expect(await contents(db)).toEqual(before);
  });

  it('a full disk (QuotaExceededError) gives a quota message and leaves the database unchanged', async () => {
    const db = await freshDb();
    const p = value(await createProject(db, { name: 'RNN', cell: exampleCell('rnn.json') }));
    const before = await contents(db);
    const put = vi.spyOn(db.projects, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const r = await saveProject(db, { ...p, name: 'renamed' }, 1);
    expect(put).toHaveBeenCalled();
    expect(r).toMatchObject({ status: 'error', code: 'quota' });
    expect(r.status === 'error' && r.message).toMatch(/quota exceeded.*export/i);
    put.mockRestore();
    expect(await contents(db)).toEqual(before);
  });
});

describe('schema upgrades', () => {
  it('a database written with schema version 1 (committed fixture) opens with every project kept and upgraded', async () => {
    const name = freshName();
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA[1]);
    await old.table('projects').bulkAdd(v1.projects);
    await old.table('runs').bulkAdd(v1.runs);
    old.close();

    const opened = await openDatabase(name);
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.db;
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    const projects = value(await listProjects(db));
    expect(projects.map((p) => p.id).sort()).toEqual(v1.projects.map((p) => p.id).sort());
    for (const original of v1.projects) {
      const p = value(await getProject(db, original.id));
      expect(p.cell).toEqual(original.cell);
      expect(loadCell(p.cell).ok).toBe(true);
      expect(p).toMatchObject({ name: original.name, updatedAt: original.updatedAt, revision: 'revision' in original ? original.revision : 1 });
      expect(p.settings).toEqual('settings' in original ? original.settings : {});
      expect(p.view).toEqual('view' in original ? original.view : { x: 0, y: 0, zoom: 1 });
    }
    expect(await db.runs.toArray()).toEqual(v1.runs);
    expect(await counts(db)).toEqual({ projects: v1.projects.length, runs: 1, checkpoints: 0, snapshots: 0, lessons: 0 });
    // The upgraded projects save normally.
    const lstm = value(await getProject(db, 'v1-lstm'));
    expect(await saveProject(db, lstm, 1)).toMatchObject({ status: 'saved', revision: 2 });
  });

  it('an older tab that holds the database open blocks the upgrade: onBlocked says so, and opening goes on once it closes', async () => {
    const name = freshName();
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA[1]);
    await old.open();
    const raw = old.backendDB();
    raw.onversionchange = null; // an old tab that does not give way
    old.on('versionchange', () => false);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // Dexie logs the blocked upgrade
    const onBlocked = vi.fn(() => old.close());
    const opened = await openDatabase(name, { onBlocked });
    expect(onBlocked).toHaveBeenCalledWith(expect.objectContaining({ code: 'blocked', message: expect.stringMatching(/other Celda tabs/) }));
    expect(opened.ok).toBe(true);
    warn.mockRestore();
  });
});

describe('describeStorageError', () => {
  it('maps Dexie and DOM errors to a code and a clear message', () => {
    const cases: [unknown, string][] = [
      [new DOMException('x', 'QuotaExceededError'), 'quota'],
      [new Dexie.AbortError('aborted', new DOMException('x', 'QuotaExceededError')), 'quota'],
      [new Dexie.OpenFailedError('open', new DOMException('x', 'VersionError')), 'version'],
      [new Dexie.MissingAPIError('no indexedDB'), 'unavailable'],
      [new DOMException('private mode', 'InvalidStateError'), 'unavailable'],
      [new Dexie.DatabaseClosedError('closed'), 'closed'],
      [{ type: 'blocked' }, 'blocked'],
      [new Error('weird'), 'unknown'],
      ['a string', 'unknown'],
      [undefined, 'unknown'],
    ];
    for (const [e, code] of cases) {
      const d = describeStorageError(e);
      expect(d.code, String(e)).toBe(code);
      expect(d.message.length).toBeGreaterThan(10);
    }
  });

  it('opening without a usable IndexedDB (private mode) returns an error, not an exception', async () => {
    const broken = { open: () => { throw new DOMException('The operation is insecure.', 'InvalidStateError'); } } as unknown as IDBFactory;
    const opened = await openDatabase(freshName(), { indexedDB: broken, IDBKeyRange });
    expect(opened).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('a closed database gives the "closed" message from every operation', async () => {
    const db = await freshDb();
    db.close();
    expect(await listProjects(db)).toMatchObject({ status: 'error', code: 'closed' });
  });
});
