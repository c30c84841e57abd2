/**
 * Workshop packs: an instructor's lessons and cells as one `.celda-workshop.json` file.
 *
 *   { "format": "celda-workshop", "version": 1, "title": "…",
 *     "lessons": [ <lesson, as src/lessons/load.ts reads it> ],
 *     "cells": [ { "name": "…", "cell": <cell file> } ] }
 *
 * Opening one is all-or-nothing, like a project file: every lesson through loadLesson,
 * every cell through loadCell, every problem reported at once with its path
 * (`lessons[1].steps[2].hints[0].es`); only then, in one transaction, each cell becomes a
 * new project and each lesson is stored (replacing an earlier copy of the same id).
 */
import { error, underPath, type Diagnostic, type Result } from '../model/diagnostics';
import { show } from '../model/messages';
import type { Cell } from '../model/cell';
import { loadLesson } from '../lessons/load';
import type { Lesson } from '../lessons/types';
import { DEFAULT_VIEW, guard, newId, type CeldaDatabase, type JsonObject, type LessonRecord, type ProjectRecord, type Stored } from './db';
import { parseFile, requiredList, write } from './files';
import { checkUnique, isRecord, readCell, readText } from './validate';

export const WORKSHOP_FORMAT = 'celda-workshop';
export const WORKSHOP_VERSION = 1;
export const WORKSHOP_LIMITS = { title: 200, lessons: 50, cells: 100 } as const;

export interface WorkshopCell {
  readonly name: string;
  readonly cell: Cell;
}

export interface WorkshopPack {
  readonly title: string;
  readonly lessons: readonly Lesson[];
  readonly cells: readonly WorkshopCell[];
}

/** What opening a pack added. */
export interface WorkshopImport {
  readonly title: string;
  readonly lessons: readonly Lesson[];
  /** The new projects, in the pack's order. */
  readonly projects: readonly ProjectRecord[];
  /** Ids of lessons that replaced an earlier copy. */
  readonly replaced: readonly string[];
}

/** The pack as the text of a workshop file. */
export function workshopPackText(pack: WorkshopPack): string {
  const file = { format: WORKSHOP_FORMAT, version: WORKSHOP_VERSION, title: pack.title, lessons: pack.lessons, cells: pack.cells };
  return JSON.stringify(file, null, 2);
}

/** Checks a workshop file through and through: the pack, or every problem in it. */
export function readWorkshopPack(text: string): Result<WorkshopPack> {
  const parsed = parseFile(text, WORKSHOP_FORMAT, WORKSHOP_VERSION, 'workshop');
  if (!parsed.ok) return parsed;
  const file = parsed.value;
  const out: Diagnostic[] = [];
  for (const key of Object.keys(file)) {
    if (!['format', 'version', 'title', 'lessons', 'cells'].includes(key)) out.push(error('bad-key', { field: 'pack', key: show(key) }, { path: key }));
  }
  const title = readText(file.title, 'title', out, WORKSHOP_LIMITS.title);
  if (typeof file.title === 'string' && file.title.trim() === '') out.push(error('bad-field', { field: 'title', expected: { kind: 'text', max: WORKSHOP_LIMITS.title }, got: show(file.title) }, { path: 'title' }));
  const lessons = requiredList(file.lessons ?? [], 'lessons', out, (x, path) => readLesson(x, path, out), { max: WORKSHOP_LIMITS.lessons, of: 'items' });
  const cells = requiredList(file.cells ?? [], 'cells', out, (x, path) => readWorkshopCell(x, path, out), { max: WORKSHOP_LIMITS.cells, of: 'items' });
  checkUnique(lessons.map((l) => ({ id: l?.id ?? '' })), 'lessons', out);
  if (Array.isArray(file.lessons ?? []) && Array.isArray(file.cells ?? []) && lessons.length === 0 && cells.length === 0) out.push(error('empty-workshop-pack', {}, { path: '' }));
  if (out.length > 0) return { ok: false, diagnostics: out };
  return { ok: true, value: { title, lessons: lessons as Lesson[], cells }, diagnostics: [] };
}

/** A lesson of the pack: its own problems follow one line that says which lesson they belong to. */
function readLesson(v: unknown, path: string, out: Diagnostic[]): Lesson | undefined {
  const loaded = loadLesson(v);
  if (loaded.ok) return loaded.value;
  const id = isRecord(v) && typeof v.id === 'string' ? v.id.slice(0, 64) : '';
  out.push(error('workshop-lesson-invalid', { field: path, id: show(id) }, { path }));
  out.push(...loaded.diagnostics.map((d) => underPath(path, d)));
  return undefined;
}

function readWorkshopCell(v: unknown, path: string, out: Diagnostic[]): WorkshopCell {
  if (!isRecord(v)) {
    out.push(error('bad-field', { field: path, expected: { kind: 'object' }, got: show(v) }, { path }));
    return { name: '', cell: v as Cell };
  }
  for (const key of Object.keys(v)) {
    if (key !== 'name' && key !== 'cell') out.push(error('bad-key', { field: path, key: show(key) }, { path: `${path}.${key}` }));
  }
  return { name: readText(v.name, `${path}.name`, out), cell: readCell(v.cell, `${path}.cell`, out) };
}

/** Opens a workshop file: checked whole first, then its cells become projects and its lessons are kept, in one transaction. */
export async function importWorkshopPack(db: CeldaDatabase, text: string): Promise<Result<WorkshopImport>> {
  const read = readWorkshopPack(text);
  if (!read.ok) return read;
  const pack = read.value;
  const now = Date.now();
  const projects: ProjectRecord[] = pack.cells.map(({ name, cell }) => ({
    id: newId(), name, cell, view: { ...DEFAULT_VIEW }, settings: {}, createdAt: now, updatedAt: now, revision: 1,
  }));
  const records: LessonRecord[] = pack.lessons.map((lesson, position) => ({
    id: lesson.id, lesson: JSON.parse(JSON.stringify(lesson)) as JsonObject, pack: pack.title, addedAt: now, position,
  }));
  const replaced: string[] = [];
  const result = await write(null, () => db.transaction('rw', db.projects, db.lessons, async () => {
    for (const r of records) if (await db.lessons.get(r.id)) replaced.push(r.id);
    await db.projects.bulkAdd(projects);
    await db.lessons.bulkPut(records);
  }));
  if (!result.ok) return result;
  return { ok: true, value: { title: pack.title, lessons: pack.lessons, projects, replaced }, diagnostics: [] };
}

/** A stored lesson that no longer loads (a damaged record) is reported, never shown half-read. */
export interface StoredLessons {
  readonly lessons: readonly (Lesson & { readonly pack: string })[];
  readonly damaged: readonly { readonly id: string; readonly diagnostics: readonly Diagnostic[] }[];
}

/** The lessons packs brought, each through loadLesson again: oldest pack first, each in its own order. */
export function listStoredLessons(db: CeldaDatabase): Promise<Stored<StoredLessons>> {
  return guard(async () => {
    const records = (await db.lessons.toArray()).sort((a, b) => a.addedAt - b.addedAt || a.position - b.position);
    const lessons: (Lesson & { pack: string })[] = [];
    const damaged: { id: string; diagnostics: Diagnostic[] }[] = [];
    for (const r of records) {
      const loaded = loadLesson(r.lesson);
      if (loaded.ok) lessons.push({ ...loaded.value, pack: r.pack });
      else damaged.push({ id: r.id, diagnostics: loaded.diagnostics });
    }
    return { status: 'ok' as const, value: { lessons, damaged } };
  });
}

/** Removes a lesson a pack brought (built-in lessons cannot be removed). */
export function removeStoredLesson(db: CeldaDatabase, id: string): Promise<Stored<null>> {
  return guard(async () => {
    await db.lessons.delete(id);
    return { status: 'ok' as const, value: null };
  });
}
