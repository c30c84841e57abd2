/** The project store (autosave, conflicts, two tabs, delete with undo, imports, safe start) on fake-indexeddb, and its pure helpers. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addNode, newCell, setMetadata } from '../../src/model/edit';
import { getProject, listProjects, openDatabase, renameProject } from '../../src/storage';
import { language } from '../../src/ui/i18n.svelte';
import { Debouncer, fileKind, filterProjects, formatBytes, sameView } from '../../src/ui/lib/projects';
import { OPENING_KEY, ProjectStore, WELCOMED_KEY } from '../../src/ui/projects.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { memoryStorage } from './memory-storage';

describe('project helpers', () => {
  it('tells project, backup and cell files apart by content', () => {
    expect(fileKind('{"format": "celda-project", "version": 1}')).toBe('project');
    expect(fileKind('{"version": 1, "format": "celda-backup"}')).toBe('backup');
    expect(fileKind('{"version": 1, "nodes": []}')).toBe('cell');
    expect(fileKind('not json')).toBe('cell');
  });

  it('compares views to half a pixel and filters by name', () => {
    expect(sameView({ x: 1, y: 2, zoom: 1 }, { x: 1.2, y: 2, zoom: 1 })).toBe(true);
    expect(sameView({ x: 1, y: 2, zoom: 1 }, { x: 1, y: 2, zoom: 1.1 })).toBe(false);
    expect(sameView(undefined, { x: 0, y: 0, zoom: 1 })).toBe(false);
    expect(filterProjects([{ name: 'LSTM' }, { name: 'GRU' }, { name: 'my lstm' }], ' lst').map((p) => p.name)).toEqual(['LSTM', 'my lstm']);
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
  });

  it('debounces and flushes', () => {
    vi.useFakeTimers();
    const work = vi.fn();
    const d = new Debouncer(800, work);
    d.schedule();
    d.schedule();
    vi.advanceTimersByTime(799);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(work).toHaveBeenCalledTimes(1);
    d.schedule();
    d.flush();
    expect(work).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

const stores: ProjectStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.destroy();
});

// A returning visitor (the welcome dismissed long ago) unless a test says otherwise.
beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage({ [WELCOMED_KEY]: '1' }));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A start of the app on database `name`, its document not yet on the page. */
async function start(name: string, options: { safe?: boolean } = {}): Promise<ProjectStore> {
  const store = new ProjectStore(new EditorState(), name);
  stores.push(store);
  await store.start(options);
  return store;
}

/** A start whose document reached the page (as App.svelte reports it). */
async function opened(name: string): Promise<ProjectStore> {
  const store = await start(name);
  store.rendered();
  return store;
}

const edit = (store: ProjectStore, kind = 'tanh') => {
  store.editor.apply((cell) => addNode(cell, kind, { x: 100, y: 100 }).cell);
  store.cellChanged(store.editor.cell);
};

describe('the project store', () => {
  it('creates a first project, autosaves edits and reopens the last project', async () => {
    const name = `celda-ui-${crypto.randomUUID()}`;
    const a = await opened(name);
    expect(a.available).toBe(true);
    expect(a.projects.map((p) => p.name)).toEqual(['New cell']);
    expect(a.status).toBe('saved');
    edit(a);
    expect(a.status).toBe('saving');
    await a.flush();
    expect(a.status).toBe('saved');
    const b = await opened(name);
    expect(b.editor.cell.nodes.map((n) => n.id)).toEqual(a.editor.cell.nodes.map((n) => n.id));
  });

  it('reloads a project another tab saved, and keeps both versions on a conflict', async () => {
    const name = `celda-ui-${crypto.randomUUID()}`;
    const a = await opened(name);
    const b = await opened(name);
    expect(b.currentId).toBe(a.currentId);
    edit(a);
    await a.flush();
    await vi.waitFor(() => expect(b.editor.cell.nodes).toHaveLength(a.editor.cell.nodes.length));

    // Both edit before either hears of the other: the second save keeps its version as a copy.
    edit(a, 'sigmoid');
    edit(b, 'add');
    await a.flush();
    await b.flush();
    expect(b.currentId).not.toBe(a.currentId);
    expect(b.currentName).toBe('New cell (conflict)');
    expect(b.message).toContain('New cell (conflict)');
    const db = await openDatabase(name);
    if (!db.ok) throw new Error(db.error.message);
    const list = await listProjects(db.db);
    if (list.status !== 'ok') throw new Error(list.message);
    expect(list.value.map((p) => p.name).sort()).toEqual(['New cell', 'New cell (conflict)']);
    db.db.close();
  });

  it('names the conflict copy in the UI language', async () => {
    language.set('es');
    try {
      const name = `celda-ui-${crypto.randomUUID()}`;
      const a = await opened(name);
      const b = await opened(name);
      edit(a, 'sigmoid');
      edit(b, 'add');
      await a.flush();
      await b.flush();
      expect(b.currentName).toBe(`${a.currentName} (conflicto)`);
      expect(b.message).toContain('se conservó como');
    } finally {
      language.set('en');
    }
  });

  it('deletes with undo, and refuses a bad file without writing', async () => {
    const a = await opened(`celda-ui-${crypto.randomUUID()}`);
    await a.create('Second', newCell('Second'));
    // Both were made within the same millisecond here, so their order is not the point.
    expect(a.projects.map((p) => p.name).sort()).toEqual(['New cell', 'Second']);
    const id = a.currentId as string;
    await a.remove(id);
    expect(a.projects.map((p) => p.name)).toEqual(['New cell']);
    expect(a.currentName).toBe('New cell');
    await a.undoDelete();
    expect(a.projects.map((p) => p.name).sort()).toEqual(['New cell', 'Second']);
    expect(a.currentId).toBe(id);

    await a.openFile('bad.celda.json', JSON.stringify({ format: 'celda-project', version: 1, project: { name: 'x' } }));
    expect(a.fileProblems?.diagnostics.length).toBeGreaterThan(0);
    await a.openFile('bad.json', '{ nope');
    expect(a.fileProblems?.file).toBe('bad.json');
    expect(a.projects).toHaveLength(2);
  });
});

describe('safe start', () => {
  /** Two projects, "Second" opened last, and a start that opened it and finished (it reached the page). */
  async function twoProjects(): Promise<string> {
    const name = `celda-ui-${crypto.randomUUID()}`;
    const a = await start(name);
    await a.create('Second', addNode(newCell('Second'), 'tanh', { x: 0, y: 0 }).cell);
    expect(a.awaitingRender).toBe(true);
    a.rendered();
    expect(localStorage.getItem(OPENING_KEY)).toBeNull();
    return name;
  }

  it('opens the last project when the previous start finished', async () => {
    const b = await start(await twoProjects());
    expect(b.safeStart).toBeUndefined();
    expect(b.currentName).toBe('Second');
    expect(b.listOpen).toBe(false);
  });

  it('opens the project list, and no project, after a start that never reached the page', async () => {
    const name = await twoProjects();
    const frozen = await start(name);
    expect(frozen.currentName).toBe('Second');
    expect(localStorage.getItem(OPENING_KEY)).not.toBeNull();

    const next = await start(name);
    expect(next.safeStart?.reason).toBe('unfinished');
    expect(next.safeStart?.project.name).toBe('Second');
    expect(next.listOpen).toBe(true);
    expect(next.currentId).toBeUndefined();
    expect(next.editor.cell.metadata.name).toBe('New cell');
    expect(next.projects.map((p) => p.name).sort()).toEqual(['New cell', 'Second']);

    // Once this start is on the page, the one after opens the last project again.
    next.rendered();
    const after = await start(name);
    expect(after.safeStart).toBeUndefined();
    expect(after.currentName).toBe('Second');
  });

  it('opens the project list when asked (?safe), and a project from it', async () => {
    const name = await twoProjects();
    const safe = await start(name, { safe: true });
    expect(safe.safeStart?.reason).toBe('asked');
    const first = safe.projects.find((p) => p.name === 'New cell');
    await safe.open(first!.id);
    expect(safe.currentName).toBe('New cell');
    expect(safe.safeStart).toBeUndefined();
    // Opening watches the marker again, until the project is on the page.
    expect(safe.awaitingRender).toBe(true);
    expect(localStorage.getItem(OPENING_KEY)).not.toBeNull();
  });

  it('keeps an edit of the blank cell a safe start shows as a new project', async () => {
    const name = await twoProjects();
    const safe = await start(name, { safe: true });
    edit(safe);
    await vi.waitFor(() => expect(safe.projects).toHaveLength(3));
    expect(safe.currentName).toBe('New cell');
    expect(safe.currentId).toBeDefined();
    expect(safe.editor.cell.nodes.map((n) => n.kind)).toContain('tanh');
  });
});

describe('a first visit', () => {
  afterEach(() => language.set('en'));

  it('opens the LSTM, checking clean, with the welcome card; dismissed, it is not shown again', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const name = `celda-ui-${crypto.randomUUID()}`;
    const first = await opened(name);
    expect(first.welcome).toBe(true);
    expect(first.projects.map((p) => p.name)).toEqual(['LSTM']);
    expect(first.editor.cell.nodes.find((n) => n.id === 'f')?.label).toBe('forget');
    expect(first.editor.analysis.diagnostics).toEqual([]);

    first.dismissWelcome();
    expect(first.welcome).toBe(false);
    expect(localStorage.getItem(WELCOMED_KEY)).not.toBeNull();
    const next = await opened(name);
    expect(next.welcome).toBe(false);
    expect(next.currentName).toBe('LSTM');
  });

  it('hides the welcome when another project opens', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const store = await opened(`celda-ui-${crypto.randomUUID()}`);
    expect(store.welcome).toBe(true);
    await store.openExample('rnn');
    expect(store.welcome).toBe(false);
    expect(store.currentName).toBe('Elman RNN');
  });

  it('is not a first visit once there are projects, dismissed or not', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const name = `celda-ui-${crypto.randomUUID()}`;
    await opened(name);
    const next = await opened(name);
    expect(next.welcome).toBe(false);
    expect(next.projects).toHaveLength(1);
  });

  it('opens the LSTM in Spanish for a Spanish user: names, labels and the description translated', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    language.set('es');
    const store = await opened(`celda-ui-${crypto.randomUUID()}`);
    expect(store.currentName).toBe('LSTM');
    expect(store.editor.cell.nodes.filter((n) => n.label).map((n) => n.label).sort()).toEqual(['actualización', 'candidato', 'celda', 'oculto', 'olvido', 'salida']);
    expect(store.editor.cell.metadata.description).toMatch(/^Memoria larga/);
    expect(store.editor.analysis.diagnostics).toEqual([]);
  });

  it('without the welcome, a browser with no projects starts blank, named and labelled in the UI language', async () => {
    language.set('es');
    const store = await opened(`celda-ui-${crypto.randomUUID()}`);
    expect(store.welcome).toBe(false);
    expect(store.currentName).toBe('Celda nueva');
    expect(store.editor.cell.metadata.name).toBe('Celda nueva');
    expect(store.editor.cell.nodes.find((n) => n.kind === 'state')?.label).toBe('oculto');
  });
});

describe('one name for a project and its cell', () => {
  afterEach(() => language.set('en'));

  const storedCellName = async (database: string, id: string): Promise<string> => {
    const db = await openDatabase(database);
    if (!db.ok) throw new Error(db.error.message);
    const got = await getProject(db.db, id);
    db.db.close();
    if (got.status !== 'ok') throw new Error(got.message);
    return `${got.value.name} | ${got.value.cell.metadata.name}`;
  };

  it('renaming the open project renames its cell, and undo renames both back', async () => {
    const database = `celda-ui-${crypto.randomUUID()}`;
    const store = await opened(database);
    const id = store.currentId as string;
    await store.rename(id, 'My LSTM');
    expect(store.editor.cell.metadata.name).toBe('My LSTM');
    expect(store.currentName).toBe('My LSTM');
    expect(store.projects.map((p) => p.name)).toEqual(['My LSTM']);
    expect(await storedCellName(database, id)).toBe('My LSTM | My LSTM');

    store.editor.undo();
    store.cellChanged(store.editor.cell);
    await store.flush();
    expect(store.currentName).toBe('New cell');
    expect(await storedCellName(database, id)).toBe('New cell | New cell');
  });

  it('renaming the cell renames the project; an emptied name leaves the project\'s', async () => {
    const database = `celda-ui-${crypto.randomUUID()}`;
    const store = await opened(database);
    const rename = (name: string) => {
      store.editor.apply((cell) => setMetadata(cell, { name }));
      store.cellChanged(store.editor.cell);
    };
    rename('Peephole LSTM');
    await store.flush();
    expect(store.currentName).toBe('Peephole LSTM');
    expect(await storedCellName(database, store.currentId as string)).toBe('Peephole LSTM | Peephole LSTM');
    rename('');
    await store.flush();
    expect(store.currentName).toBe('Peephole LSTM');
  });

  it('renames a project that is not open, cell and all, and names copies and examples in the UI language', async () => {
    const database = `celda-ui-${crypto.randomUUID()}`;
    const store = await opened(database);
    const blankId = store.currentId as string;
    language.set('es');
    await store.openExample('gru');
    expect(store.currentName).toBe('GRU (reinicio antes)');
    expect(store.editor.cell.metadata.name).toBe('GRU (reinicio antes)');
    expect(store.editor.cell.nodes.find((n) => n.id === 'r')?.label).toBe('reinicio');

    await store.rename(blankId, 'Mi celda');
    expect(await storedCellName(database, blankId)).toBe('Mi celda | Mi celda');
    expect(store.currentName).toBe('GRU (reinicio antes)');

    await store.duplicate(store.currentId as string);
    expect(store.currentName).toBe('GRU (reinicio antes) (copia)');
    expect(store.editor.cell.metadata.name).toBe('GRU (reinicio antes) (copia)');
  });

  it('opens a project whose cell is named otherwise under the project\'s name', async () => {
    const database = `celda-ui-${crypto.randomUUID()}`;
    const store = await opened(database);
    await store.create('Second', newCell('Second'));
    const db = await openDatabase(database);
    if (!db.ok) throw new Error(db.error.message);
    const first = store.projects.find((p) => p.name === 'New cell');
    await renameProject(db.db, first!.id, 'Renamed before');
    db.db.close();
    await store.open(first!.id);
    expect(store.currentName).toBe('Renamed before');
    expect(store.editor.cell.metadata.name).toBe('Renamed before');
  });
});
