/** Workshop packs: an instructor's lessons and cells in one file, opened all-or-nothing. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../src/lessons/catalog';
import type { Lesson } from '../../src/lessons/types';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { backupDatabase, restoreDatabase } from '../../src/storage/files';
import { createProject, listProjects } from '../../src/storage/projects';
import {
  importWorkshopPack, listStoredLessons, readWorkshopPack, removeStoredLesson, workshopPackText, WORKSHOP_LIMITS,
} from '../../src/storage/workshop';
import { contents, counts, exampleCell, freshDb, value } from './helpers';

const lstm = LESSONS.find((l) => l.id.includes('lstm')) as Lesson;
const gru = LESSONS.find((l) => l.id.includes('gru')) as Lesson;

/** A pack as an instructor's file holds it (plain JSON, as written to disk). */
function packJson(): Record<string, unknown> {
  return JSON.parse(workshopPackText({
    title: 'Taller RNN — Lima',
    lessons: [lstm, gru],
    cells: [{ name: 'Mi LSTM', cell: exampleCell('lstm.json') }, { name: 'GRU de referencia', cell: exampleCell('gru.json') }],
  })) as Record<string, unknown>;
}

const text = (json: unknown) => JSON.stringify(json);

describe('a workshop pack', () => {
  it('round-trips: the lessons and cells that went in come out, equal', () => {
    const read = readWorkshopPack(text(packJson()));
    if (!read.ok) throw new Error(read.diagnostics.map((d) => d.message).join('\n'));
    expect(read.value.title).toBe('Taller RNN — Lima');
    expect(read.value.lessons).toEqual([lstm, gru]);
    expect(read.value.cells.map((c) => c.name)).toEqual(['Mi LSTM', 'GRU de referencia']);
    expect(read.value.cells[0].cell).toEqual(exampleCell('lstm.json'));
  });

  it('opens as new projects and stored lessons, in one go, never touching existing projects', async () => {
    const db = await freshDb();
    const mine = value(await createProject(db, { name: 'Mi LSTM', cell: exampleCell('rnn.json') }));
    const opened = await importWorkshopPack(db, text(packJson()));
    if (!opened.ok) throw new Error(opened.diagnostics[0].message);
    expect(opened.value.projects.map((p) => p.name)).toEqual(['Mi LSTM', 'GRU de referencia']);
    expect(opened.value.replaced).toEqual([]);
    const projects = value(await listProjects(db));
    expect(projects).toHaveLength(3);
    expect(projects.find((p) => p.id === mine.id)?.cell).toEqual(exampleCell('rnn.json'));
    const stored = value(await listStoredLessons(db));
    expect(stored.damaged).toEqual([]);
    expect(stored.lessons.map((l) => [l.id, l.pack])).toEqual([[lstm.id, 'Taller RNN — Lima'], [gru.id, 'Taller RNN — Lima']]);
    expect(stored.lessons[0].steps).toEqual(lstm.steps);

    // The same pack again: its lessons replace their copies (an updated pack), its cells are new projects.
    const again = await importWorkshopPack(db, text(packJson()));
    expect(again.ok && again.value.replaced).toEqual([lstm.id, gru.id]);
    expect(value(await listStoredLessons(db)).lessons).toHaveLength(2);
    expect(value(await listProjects(db))).toHaveLength(5);
    value(await removeStoredLesson(db, gru.id));
    expect(value(await listStoredLessons(db)).lessons.map((l) => l.id)).toEqual([lstm.id]);
  });

  it('is refused whole, naming each field at fault in both languages, when any part is bad', async () => {
    const cases: [string, (p: Record<string, unknown>) => unknown, string, string][] = [
      ['a lesson with a bad hint', (p) => {
        ((p.lessons as { steps: { hints: unknown[] }[] }[])[1].steps[0].hints)[0] = { en: 'only English' };
        return p;
      }, 'lessons[1].steps[0].hints[0].es', 'bad-field'],
      ['a cell that does not load', (p) => {
        (p.cells as { cell: { nodes: unknown } }[])[1].cell.nodes = 'none';
        return p;
      }, 'cells[1].cell.nodes', 'bad-nodes'],
      ['two lessons with one id', (p) => ({ ...p, lessons: [lstm, lstm] }), 'lessons[1].id', 'duplicate-id'],
      ['an unknown field', (p) => ({ ...p, script: 'alert(1)' }), 'script', 'bad-key'],
      ['a cell entry with an extra key', (p) => {
        (p.cells as Record<string, unknown>[])[0].onload = 'x';
        return p;
      }, 'cells[0].onload', 'bad-key'],
      ['nothing in it', (p) => ({ ...p, lessons: [], cells: [] }), '', 'empty-workshop-pack'],
      ['too many cells', (p) => ({ ...p, cells: Array.from({ length: WORKSHOP_LIMITS.cells + 1 }, () => (p.cells as unknown[])[0]) }), 'cells', 'too-many'],
      ['a blank title', (p) => ({ ...p, title: '  ' }), 'title', 'bad-field'],
      ['a project file instead', () => ({ format: 'celda-project', version: 1, project: {} }), 'format', 'wrong-format'],
      ['a newer version', (p) => ({ ...p, version: 2 }), 'version', 'newer-version'],
    ];
    for (const [what, mutate, path, code] of cases) {
      const db = await freshDb();
      value(await createProject(db, { name: 'kept', cell: exampleCell('rnn.json') }));
      const before = await contents(db);
      const r = await importWorkshopPack(db, text(mutate(packJson())));
      expect(r.ok, what).toBe(false);
      const found = r.diagnostics.find((d) => d.code === code && (d.path ?? '').startsWith(path));
      expect(found, `${what}: ${r.diagnostics.map((d) => `${d.code} ${d.path}`).join('; ')}`).toBeDefined();
      for (const d of r.diagnostics) {
        expect(renderDiagnostic(d, 'en'), what).toBe(d.message);
        expect(renderDiagnostic(d, 'es'), what).not.toBe(d.message);
      }
      expect(await contents(db), what).toEqual(before);
    }
  });

  it('says which lesson a problem belongs to before the problem itself', () => {
    const bad = packJson();
    (bad.lessons as Record<string, unknown>[])[0].steps = [];
    const r = readWorkshopPack(text(bad));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'workshop-lesson-invalid', path: 'lessons[0]' });
    expect(r.diagnostics[0].message).toContain(lstm.id);
    expect(renderDiagnostic(r.diagnostics[0], 'es')).toMatch(/^lessons\[0\] \(id .*\) no es una lección/);
    expect(r.diagnostics.slice(1).every((d) => d.path?.startsWith('lessons[0].'))).toBe(true);
  });

  it('travels in backups: a restore brings the stored lessons back; a backup without lessons still restores', async () => {
    const db = await freshDb();
    const opened = await importWorkshopPack(db, text(packJson()));
    expect(opened.ok).toBe(true);
    const before = await contents(db);
    const backup = value(await backupDatabase(db));
    const other = await freshDb();
    expect(await restoreDatabase(other, backup)).toMatchObject({ ok: true, value: { lessons: 2, projects: 2 } });
    expect(await contents(other)).toEqual(before);

    const old = JSON.parse(backup) as Record<string, unknown>;
    delete old.lessons;
    const third = await freshDb();
    expect(await restoreDatabase(third, JSON.stringify(old))).toMatchObject({ ok: true, value: { lessons: 0, projects: 2 } });

    const damaged = JSON.parse(backup) as { lessons: { id: string }[] };
    damaged.lessons[0].id = 'another-id';
    const fourth = await freshDb();
    const refused = await restoreDatabase(fourth, JSON.stringify(damaged));
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => d.path)).toContain('lessons[0].id');
    expect(await counts(fourth)).toEqual({ projects: 0, runs: 0, checkpoints: 0, snapshots: 0, lessons: 0 });
  });
});
