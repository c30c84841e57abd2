/**
 * The lessons store on a real project store (fake-indexeddb): a lesson opens its
 * starting cell as a new project and leaves the learner's work saved; a check
 * points at the node at fault and goes stale when the cell changes; progress is
 * kept in localStorage and read back as untrusted data; "Continue" reopens the
 * lesson's project.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lessonById, LESSONS } from '../../src/lessons/catalog';
import { workshopPackText } from '../../src/storage/workshop';
import { makeShareFragment } from '../../src/ui/lib/share';
import { example } from '../fixtures/examples';
import type { Cell } from '../../src/model/cell';
import { addNode } from '../../src/model/edit';
import { getProject, openDatabase } from '../../src/storage';
import { language } from '../../src/ui/i18n.svelte';
import { LESSON_PROGRESS_KEY, LessonStore, readProgress } from '../../src/ui/lessons.svelte';
import { ProjectStore, WELCOMED_KEY } from '../../src/ui/projects.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { memoryStorage } from './memory-storage';

const stores: ProjectStore[] = [];
beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage({ [WELCOMED_KEY]: '1' }));
  language.set('en');
});
afterEach(() => {
  for (const s of stores.splice(0)) s.destroy();
  vi.unstubAllGlobals();
});

async function app(): Promise<{ projects: ProjectStore; lessons: LessonStore; editor: EditorState; database: string }> {
  const editor = new EditorState();
  const database = `celda-lessons-${crypto.randomUUID()}`;
  const projects = new ProjectStore(editor, database);
  stores.push(projects);
  await projects.start();
  projects.rendered();
  return { projects, lessons: new LessonStore(editor, projects), editor, database };
}

/** What the database holds for a project, read apart from the store. */
async function storedCell(database: string, id: string): Promise<Cell | undefined> {
  const opened = await openDatabase(database);
  if (!opened.ok) throw new Error('no database');
  const got = await getProject(opened.db, id);
  opened.db.close();
  return got.status === 'ok' ? got.value.cell : undefined;
}

const lstmTarget = (k: number): Cell => {
  const check = lessonById('lstm')?.steps[k].check;
  if (check?.kind !== 'match') throw new Error('not a checked step');
  return check.target;
};

describe('reading stored progress', () => {
  it('keeps known lessons with a step in range, and drops the rest', () => {
    const text = JSON.stringify({
      lstm: { step: 2, done: false, projectId: 'p_1' },
      gru: { step: 2, done: true },
      recurrence: { step: 9, done: false },
      'own-gate': { step: 1, done: 'yes' },
      'task-shapes': { step: 0, done: false, projectId: '<script>' },
      unknown: { step: 0, done: false },
      __proto__: { step: 0, done: false },
    });
    expect(readProgress(text)).toEqual({
      lstm: { step: 2, done: false, projectId: 'p_1' },
      gru: { step: 2, done: true },
      'task-shapes': { step: 0, done: false },
    });
  });

  it('reads anything else as no progress', () => {
    for (const text of [null, '', 'not json', '[]', '7', 'null', '{"lstm": 3}']) expect(readProgress(text)).toEqual({});
  });
});

describe('the lessons store', () => {
  it('opens a lesson as a new project, leaving the learner\'s project saved as it was', async () => {
    const { projects, lessons, editor, database } = await app();
    const ownId = projects.currentId as string;
    editor.apply((cell) => addNode(cell, 'tanh', { x: 10, y: 10 }).cell);
    projects.cellChanged(editor.cell);
    const own = editor.cell;

    await lessons.start('lstm');
    expect(projects.currentId).not.toBe(ownId);
    expect(projects.currentName).toBe('Lesson: The LSTM, gate by gate');
    expect(editor.cell.nodes.map((n) => n.id).sort()).toEqual(lessonById('lstm')?.start.nodes.map((n) => n.id).sort());
    expect((await storedCell(database, ownId))?.nodes).toEqual(own.nodes);
    expect(readProgress(localStorage.getItem(LESSON_PROGRESS_KEY)).lstm).toEqual({ step: 0, done: false, projectId: projects.currentId });
    expect(lessons.open && lessons.lesson?.id).toBe('lstm');
  });

  it('points at the node at fault, forgets a check once the cell changes, and moves on when it passes', async () => {
    const { lessons, editor } = await app();
    await lessons.start('lstm');
    lessons.check(undefined);
    expect(lessons.result?.ok).toBe(false);
    expect(lessons.feedback?.messages[0]).toContain('f_t is missing');
    expect(editor.selection).toEqual([lessons.feedback?.nodeId]);

    editor.apply(() => lstmTarget(0));
    expect(lessons.result).toBeUndefined();
    lessons.check(undefined);
    expect(lessons.result).toEqual({ ok: true });
    language.set('es');
    expect(lessons.feedback?.messages).toEqual([]);

    lessons.revealHint();
    lessons.advance();
    expect(lessons.step).toBe(1);
    expect(lessons.result).toBeUndefined();
    expect(lessons.hintsShown).toBe(0);
    expect(readProgress(localStorage.getItem(LESSON_PROGRESS_KEY)).lstm?.step).toBe(1);
  });

  it('shows hints one at a time, up to the step\'s last', async () => {
    const { lessons } = await app();
    await lessons.start('lstm');
    const hints = lessonById('lstm')?.steps[0].hints.length ?? 0;
    for (let i = 0; i < hints + 2; i++) lessons.revealHint();
    expect(lessons.hintsShown).toBe(hints);
  });

  it('opens the starting cell with Spanish labels and a Spanish name in Spanish', async () => {
    const { projects, lessons, editor } = await app();
    language.set('es');
    await lessons.start('lstm');
    expect(projects.currentName).toBe('Lección: La LSTM, compuerta a compuerta');
    expect(editor.cell.nodes.find((n) => n.id === 'c')?.label).toBe('celda');
    expect(editor.cell.metadata.description).toBe(lessonById('lstm')?.goal.es);
  });

  it('completes a lesson after its last step', async () => {
    const { lessons } = await app();
    await lessons.start('task-shapes');
    for (let i = 0; i < 3; i++) lessons.advance();
    expect(lessons.progress['task-shapes']).toMatchObject({ step: 3, done: true });
  });

  it('continues a lesson in its own project, or in a new one from its step when that is gone', async () => {
    const { projects, lessons, editor } = await app();
    await lessons.start('lstm');
    const lessonProject = projects.currentId;
    editor.apply(() => lstmTarget(0));
    lessons.check(undefined);
    lessons.advance();
    await projects.newBlank();
    lessons.showList();
    await lessons.resume('lstm');
    expect(projects.currentId).toBe(lessonProject);
    expect(lessons.step).toBe(1);

    await projects.remove(lessonProject as string);
    await lessons.resume('lstm');
    expect(projects.currentId).not.toBe(lessonProject);
    expect(lessons.progress.lstm?.projectId).toBe(projects.currentId);
    // The new project holds the cell step 2 begins with: the forget gate done.
    lessons.check(undefined);
    expect(lessons.feedback?.messages[0]).toContain('u_t is missing');
  });
});

describe('workshop packs in the app', () => {
  /** A pack with one lesson that is not built in (the GRU lesson under another id) and the LSTM example. */
  function pack(): string {
    const gru = lessonById('gru');
    if (!gru) throw new Error('no gru lesson');
    const lstm = example('lstm.json') as unknown as Cell;
    return workshopPackText({ title: 'Taller de Lima', lessons: [{ ...gru, id: 'gru-lima' }], cells: [{ name: 'LSTM del taller', cell: lstm }] });
  }

  it('opens a pack as new projects and lessons the list shows and starts; its progress and removal work like any lesson', async () => {
    const { projects, lessons } = await app();
    let shown = 0;
    projects.onworkshop = () => (shown += 1);
    const before = projects.projects.length;
    language.set('es');
    await projects.openFile('taller.celda-workshop.json', pack());
    expect(projects.fileProblems).toBeUndefined();
    expect(shown).toBe(1);
    expect(projects.message).toBe('Se abrió el paquete de taller «Taller de Lima»: 1 lección, 1 celda.');
    expect(projects.projects.map((p) => p.name)).toContain('LSTM del taller');
    expect(projects.projects).toHaveLength(before + 1);
    expect(projects.currentName).toBe('LSTM del taller');
    expect(lessons.all.map((l) => l.id)).toEqual([...LESSONS.map((l) => l.id), 'gru-lima']);
    expect(lessons.all.at(-1)?.pack).toBe('Taller de Lima');

    await lessons.start('gru-lima');
    expect(lessons.lesson?.id).toBe('gru-lima');
    expect(lessons.progress['gru-lima']).toMatchObject({ step: 0, done: false });
    // Progress of a pack's lesson survives a reload once the pack's lessons are read again.
    const again = new LessonStore(lessons.editor, projects);
    expect(again.progress['gru-lima']).toBeUndefined();
    again.reloadProgress();
    expect(again.progress['gru-lima']).toMatchObject({ step: 0 });

    await projects.removeWorkshopLesson('gru-lima');
    expect(lessons.all.map((l) => l.id)).toEqual(LESSONS.map((l) => l.id));
  });

  it('refuses a damaged pack whole: its problems shown, nothing added', async () => {
    const { projects, lessons } = await app();
    const names = projects.projects.map((p) => p.name);
    const bad = JSON.parse(pack()) as { cells: { cell: { nodes: unknown } }[] };
    bad.cells[0].cell.nodes = 7;
    await projects.openFile('taller.celda-workshop.json', JSON.stringify(bad));
    expect(projects.fileProblems?.diagnostics.map((d) => d.path)).toContain('cells[0].cell.nodes');
    expect(projects.projects.map((p) => p.name)).toEqual(names);
    expect(lessons.all).toHaveLength(LESSONS.length);
  });
});

describe('a lesson in a share link', () => {
  it('carries the open lesson and step, and a fresh store that opens the link goes on there', async () => {
    const { lessons } = await app();
    expect(lessons.sharePlace()).toBeUndefined();
    await lessons.start('lstm');
    lessons.advance();
    expect(lessons.sharePlace()).toEqual({ id: 'lstm', step: 1 });
    const made = await makeShareFragment(lessons.editor.cell, lessons.sharePlace());
    if (!made.ok) throw new Error('no link');

    const learner = await app();
    const opened = await learner.projects.openSharedLink(made.fragment);
    expect(opened?.lesson).toEqual({ id: 'lstm', step: 1 });
    learner.lessons.follow({ id: 'lstm', step: 1 });
    expect(learner.lessons.lesson?.id).toBe('lstm');
    expect(learner.lessons.step).toBe(1);
    expect(learner.lessons.progress.lstm?.projectId).toBe(learner.projects.currentId);
    // The shared cell is the one step 1 begins from: checking it against step 1 misses, naming what is missing.
    learner.lessons.check(undefined);
    expect(learner.lessons.result?.ok).toBe(false);
    // An unknown lesson in a link is ignored; a step past the end is the last step.
    learner.lessons.follow({ id: 'no-such-lesson', step: 0 });
    expect(learner.lessons.lesson?.id).toBe('lstm');
    learner.lessons.follow({ id: 'gru', step: 99 });
    expect(learner.lessons.step).toBe((lessonById('gru')?.steps.length ?? 0) - 1);
  });
});
