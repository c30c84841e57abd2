/** The Arena panel's kept runs (schema 4): one row per run and its facts, checked on the way in and out, outside backups. */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/arena/types';
import { arenaRunId, clearArenaRuns, listArenaRuns, saveArenaRun } from '../../src/storage/arena';
import { CURRENT_SCHEMA_VERSION, openDatabase, SCHEMA } from '../../src/storage/db';
import { backupDatabase, restoreDatabase } from '../../src/storage/files';
import { createProject } from '../../src/storage/projects';
import { exampleCell, freshDb, freshName, value } from './helpers';

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  format: 'celda-arena-run', version: 1, cell: 'zoo:elman', task: 'adding', seed: 1, cellName: 'Elman RNN', cellHash: '0123456789abcdef',
  hidden: 4, parameters: 37, backend: 'gpu.js webasm',
  hyperparameters: { steps: 10, batch: 16, length: 32, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 },
  curve: [{ step: 5, trainLoss: 0.4 }, { step: 10, trainLoss: 0.2, validLoss: 0.25 }], finalValidLoss: 0.25, wallMs: 120, status: 'done',
  ...over,
});

describe('arena runs in IndexedDB', () => {
  it('keeps a finished run and reads it back equal, oldest first', async () => {
    const db = await freshDb();
    const first = run();
    const second = run({ seed: 2, finalValidLoss: 0.3 });
    value(await saveArenaRun(db, first));
    value(await saveArenaRun(db, second));
    expect(value(await listArenaRuns(db))).toEqual({ runs: [first, second], unreadable: 0 });
  });

  it('names a row by its key and everything that made it: another size or setting is another row, the same run again replaces its row', async () => {
    const db = await freshDb();
    const base = run();
    const reordered = { ...base, hyperparameters: { evalEvery: 0, clip: 1, optimizer: 'adam', lr: 0.01, length: 32, batch: 16, steps: 10 } } as RunRecord;
    expect(arenaRunId(reordered)).toBe(arenaRunId(base));
    expect(arenaRunId(run({ hidden: 5 }))).not.toBe(arenaRunId(base));
    expect(arenaRunId(run({ cellHash: 'fedcba9876543210' }))).not.toBe(arenaRunId(base));
    expect(arenaRunId(run({ hyperparameters: { ...base.hyperparameters, steps: 11 } }))).not.toBe(arenaRunId(base));
    value(await saveArenaRun(db, base));
    value(await saveArenaRun(db, reordered));
    value(await saveArenaRun(db, run({ hidden: 5 })));
    expect(await db.arenaRuns.count()).toBe(2);
  });

  it('refuses a record that is not a run, naming the field, and stores nothing', async () => {
    const db = await freshDb();
    const bad = await saveArenaRun(db, run({ finalValidLoss: Number.NaN }));
    expect(bad).toMatchObject({ status: 'error', code: 'invalid', message: expect.stringMatching(/finalValidLoss must be a number/) });
    const noTask = await saveArenaRun(db, run({ task: 'dance' as RunRecord['task'] }));
    expect(noTask).toMatchObject({ status: 'error', code: 'invalid', message: expect.stringMatching(/task must be a task name/) });
    expect(await db.arenaRuns.count()).toBe(0);
  });

  it('leaves out a damaged row (edited by hand, or under another id) and counts it, showing the others', async () => {
    const db = await freshDb();
    const good = run();
    value(await saveArenaRun(db, good));
    await db.arenaRuns.put({ id: 'x', cell: 'zoo:mgu', savedAt: Date.now(), run: { ...run({ cell: 'zoo:mgu' }), curve: 'no' } as unknown as RunRecord });
    await db.arenaRuns.put({ id: 'not its id', cell: 'zoo:mgu', savedAt: Date.now(), run: run({ cell: 'zoo:mgu' }) });
    expect(value(await listArenaRuns(db))).toEqual({ runs: [good], unreadable: 2 });
  });

  it('are not part of a backup: a restore neither carries nor clears them', async () => {
    const db = await freshDb();
    value(await createProject(db, { name: 'RNN', cell: exampleCell('rnn.json') }));
    value(await saveArenaRun(db, run()));
    const backup = value(await backupDatabase(db));
    expect(backup).not.toContain('celda-arena-run');
    expect(await restoreDatabase(db, backup)).toMatchObject({ ok: true });
    expect(value(await listArenaRuns(db)).runs).toHaveLength(1);
    expect(value(await clearArenaRuns(db))).toBe(1);
    expect(value(await listArenaRuns(db)).runs).toEqual([]);
  });

  it('a schema-3 database (projects and workshop lessons) upgrades to schema 4 with every row kept and an empty arenaRuns table', async () => {
    const name = freshName();
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA[1]);
    old.version(2).stores(SCHEMA[2]);
    old.version(3).stores(SCHEMA[3]);
    const project = { id: 'p1', name: 'RNN', cell: exampleCell('rnn.json'), view: { x: 0, y: 0, zoom: 1 }, settings: {}, createdAt: 1, updatedAt: 2, revision: 3 };
    const lesson = { id: 'l1', lesson: { id: 'l1' }, pack: 'Taller', addedAt: 5, position: 0 };
    await old.table('projects').add(project);
    await old.table('lessons').add(lesson);
    old.close();

    const opened = await openDatabase(name);
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.db;
    expect(CURRENT_SCHEMA_VERSION).toBe(4);
    expect(db.verno).toBe(4);
    expect(await db.projects.toArray()).toEqual([project]);
    expect(await db.lessons.toArray()).toEqual([lesson]);
    expect(value(await listArenaRuns(db))).toEqual({ runs: [], unreadable: 0 });
    value(await saveArenaRun(db, run()));
    expect(await db.arenaRuns.count()).toBe(1);
  });
});
