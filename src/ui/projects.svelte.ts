/**
 * The project store: the editor's link to browser storage (src/storage). It
 * opens the database, lists projects, opens, creates, renames, duplicates and
 * deletes them (with undo), autosaves the open one (debounced, and at once when
 * the page is hidden), tells other tabs about each save (BroadcastChannel) and
 * reloads a project another tab changed. Storage never stops the editor: on any
 * failure the work stays in memory and the user is offered an export.
 *
 * Safe start: a project that froze the page while opening would freeze it again
 * at every start, since the last project reopens. So a marker is kept in
 * localStorage from the moment the app starts (or opens a project) until that
 * project is on the page; a start that finds it still set, or a `?safe` address,
 * opens the project list instead, saying why and offering to open or export it.
 */
import type { Cell } from '../model/cell';
import type { Diagnostic } from '../model/diagnostics';
import { loadCellText } from '../model/load';
import {
  backupDatabase, createProject, deleteProject, describeStorageError, duplicateProject, exportProject, getProject,
  importProject, listProjects, openDatabase, renameProject, restoreDatabase, restoreProject, saveProject,
  addCheckpoint, addRun, listCheckpoints, listRuns, updateRun,
  type CeldaDatabase, type CheckpointInput, type CheckpointRecord, type DeletedProject, type ProjectRecord, type ProjectSettings, type RunInput, type RunRecord, type StorageError,
} from '../storage';
import { language } from './i18n.svelte';
import { downloadText } from './lib/download';
import { fileBaseName } from './lib/files';
import { Debouncer, fileKind, filterProjects, sameView, type ViewLike } from './lib/projects';
import type { EditorState } from './state.svelte';

export const LAST_PROJECT_KEY = 'celda.lastProject';
/** Set while the app starts or opens a project, until it is on the page (see `rendered`). */
export const OPENING_KEY = 'celda.opening';
const PERSIST_ASKED_KEY = 'celda.persistAsked';
const CHANNEL = 'celda';
const SAVE_DELAY_MS = 800;

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';
interface SavedMessage { readonly type: 'saved' | 'changed'; readonly id?: string; readonly revision?: number }

function storageMessage(error: StorageError | { code: string; message: string }): string {
  const known = language.t.storageErrors as Record<string, string>;
  return known[error.code] ?? error.message;
}

function localGet(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function localSet(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

function localRemove(key: string): void {
  try {
    globalThis.localStorage?.removeItem(key);
  } catch {
    // As with localSet.
  }
}

/** Why a start opened the project list instead of the last project: it did not finish last time, or `?safe` asked. */
export type SafeStartReason = 'unfinished' | 'asked';

export class ProjectStore {
  readonly editor: EditorState;
  #db: CeldaDatabase | undefined;
  /** True once the database is open and usable. */
  available = $state(false);
  /** A storage problem that stops saving (open failed, quota…): shown in a banner with an export offer. */
  problem = $state('');
  /** A passing message (conflict kept as a copy, project deleted, reloaded from another tab). */
  message = $state('');
  /** The last deleted project, while its "Undo delete" is offered. */
  deleted = $state.raw<DeletedProject | undefined>();
  /** A file that could not be opened or imported, and why. */
  fileProblems = $state.raw<{ file: string; diagnostics: readonly Diagnostic[] } | undefined>();
  projects = $state.raw<ProjectRecord[]>([]);
  search = $state('');
  currentId = $state<string | undefined>();
  currentName = $state('');
  status = $state<SaveStatus>('idle');
  /** Why the last save failed (shown as "Not saved: …"). */
  reason = $state('');
  usage = $state<{ used: number; quota: number; persisted: boolean } | undefined>();
  /** Whether the project list (the toolbar's Projects panel) is open. */
  listOpen = $state(false);
  /** Set when this start opened the project list instead of `project`, the last one; cleared when a project opens. */
  safeStart = $state.raw<{ reason: SafeStartReason; project: ProjectRecord } | undefined>();
  /** True from a start or an open until App.svelte reports the document on the page (`rendered`). */
  awaitingRender = $state(false);
  /** The open project's settings (e.g. the training form, under `training`), saved with it. */
  settings = $state.raw<ProjectSettings>({});

  filtered: ProjectRecord[] = $derived(filterProjects(this.projects, this.search));

  /** Records a training run of the open project; undefined when storage is unavailable or refuses it. */
  async addRun(input: Omit<RunInput, 'projectId'>): Promise<RunRecord | undefined> {
    const db = this.#db;
    const projectId = this.currentId;
    if (!db || !projectId) return undefined;
    const stored = await addRun(db, { ...input, projectId });
    return stored.status === 'ok' ? stored.value : undefined;
  }

  async updateRun(run: RunRecord): Promise<void> {
    if (this.#db) await updateRun(this.#db, run);
  }

  async addCheckpoint(input: CheckpointInput): Promise<boolean> {
    return this.#db !== undefined && (await addCheckpoint(this.#db, input)).status === 'ok';
  }

  /** A run's latest checkpoint, if any. */
  async latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
    if (!this.#db) return undefined;
    const listed = await listCheckpoints(this.#db, runId);
    return listed.status === 'ok' ? listed.value.at(-1) : undefined;
  }

  /** The open project's runs, newest first. */
  async runs(): Promise<RunRecord[]> {
    const db = this.#db;
    if (!db || !this.currentId) return [];
    const listed = await listRuns(db, this.currentId);
    return listed.status === 'ok' ? listed.value : [];
  }

  #revision = 0;
  /** The blank cell a safe start shows while no project is open (undefined once one is). */
  #blank: Cell | undefined;
  #savedCell: Cell | undefined;
  #savedView: ViewLike | undefined;
  #savedSettings: ProjectSettings = {};
  #view: ViewLike | undefined;
  #chain: Promise<void> = Promise.resolve();
  #debouncer = new Debouncer(SAVE_DELAY_MS, () => void this.save());
  #channel: BroadcastChannel | undefined;
  #cleanups: (() => void)[] = [];

  readonly #databaseName: string | undefined;

  /** `databaseName`: another database than Celda's own (tests). */
  constructor(editor: EditorState, databaseName?: string) {
    this.editor = editor;
    this.#databaseName = databaseName;
  }

  /**
   * Opens the database and the last project (or a first "New cell" project). Never throws.
   * `safe` (the address has `?safe`), or a previous start or open that never reached the
   * page: opens the project list instead of the last project.
   */
  async start(options: { safe?: boolean } = {}): Promise<void> {
    const unfinished = localGet(OPENING_KEY) !== null;
    localSet(OPENING_KEY, '1');
    const opened = await openDatabase(this.#databaseName, { onBlocked: (e) => (this.problem = storageMessage(e)) });
    if (!opened.ok) {
      this.problem = storageMessage(opened.error);
      this.status = 'error';
      this.reason = language.t.notStored;
      this.awaitingRender = true;
      return;
    }
    this.#db = opened.db;
    this.available = true;
    this.#listen();
    void this.#askPersistence();
    const list = await this.refresh();
    const lastId = localGet(LAST_PROJECT_KEY);
    const last = list.find((p) => p.id === lastId) ?? list[0];
    const reason: SafeStartReason | undefined = options.safe ? 'asked' : unfinished ? 'unfinished' : undefined;
    if (last && reason) {
      this.safeStart = { reason, project: last };
      this.#blank = this.editor.cell;
      this.listOpen = true;
    } else if (last) this.#load(last);
    else await this.#adopt(await createProject(opened.db, { name: this.editor.cell.metadata.name || language.t.newCellName, cell: this.editor.cell }), false);
    this.awaitingRender = true;
  }

  /** The document opened last is on the page (App.svelte, a frame after canvas and equations showed it). */
  rendered(): void {
    this.awaitingRender = false;
    localRemove(OPENING_KEY);
  }

  destroy(): void {
    this.#debouncer.cancel();
    for (const c of this.#cleanups) c();
    this.#channel?.close();
    this.#db?.close();
  }

  /** The canvas's view changed (zoom, pan, fit). */
  viewChanged(view: ViewLike): void {
    this.#view = view;
    if (this.currentId && !sameView(view, this.#savedView)) this.#schedule();
  }

  /** Changes some of the open project's settings; saved with the project unless nothing changed. */
  updateSettings(changes: ProjectSettings): void {
    const next = { ...this.settings, ...changes };
    if (JSON.stringify(next) === JSON.stringify(this.settings)) return;
    this.settings = next;
    if (this.currentId) this.#schedule();
  }

  /** The editor's cell changed (an edit, undo, or an open). */
  cellChanged(cell: Cell): void {
    if (this.currentId) {
      if (cell !== this.#savedCell) this.#schedule();
    } else if (this.#blank && cell !== this.#blank) void this.#keepBlank(cell);
  }

  /** A safe start opened no project: the first edit of the blank cell it shows makes it a project, so no work is lost. */
  async #keepBlank(cell: Cell): Promise<void> {
    const db = this.#db;
    if (!db) return;
    this.#blank = undefined;
    await this.#adopt(await createProject(db, { name: cell.metadata.name || language.t.newCellName, cell }), false);
  }

  get dirty(): boolean {
    return this.editor.cell !== this.#savedCell || this.settings !== this.#savedSettings || (this.#view !== undefined && !sameView(this.#view, this.#savedView));
  }

  #schedule(): void {
    if (!this.available) return;
    this.status = 'saving';
    this.#debouncer.schedule();
  }

  /** Saves now if a save is pending (page hidden, export, switching projects). */
  flush(): Promise<void> {
    this.#debouncer.flush();
    return this.#chain;
  }

  /** Saves the open project (one save at a time). */
  save(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#save()).catch((e: unknown) => this.#fail(describeStorageError(e)));
    return this.#chain;
  }

  async #save(): Promise<void> {
    const db = this.#db;
    const id = this.currentId;
    if (!db || !id) return;
    if (!this.dirty) {
      if (this.status === 'saving') this.status = 'saved';
      return;
    }
    const cell = this.editor.cell;
    const settings = this.settings;
    const view = this.#view ?? this.#savedView ?? { x: 0, y: 0, zoom: 1 };
    if (cell === this.#savedCell && settings === this.#savedSettings) {
      // Only the view changed: never make a conflict copy for that; take the other tab's version instead.
      const stored = await getProject(db, id);
      if (stored.status === 'ok' && stored.value.revision !== this.#revision) {
        this.#load(stored.value);
        return;
      }
    }
    this.status = 'saving';
    const result = await saveProject(db, { id, name: this.currentName, cell, view: { x: view.x, y: view.y, zoom: view.zoom }, settings }, this.#revision);
    if (result.status === 'saved') {
      if (this.currentId === id) {
        this.#revision = result.revision;
        this.#savedCell = cell;
        this.#savedView = view;
        this.#savedSettings = settings;
      }
      this.#done();
      this.#post({ type: 'saved', id, revision: result.revision });
    } else if (result.status === 'conflict') {
      this.#switchTo(result.copy, cell, view);
      this.message = language.t.conflictKept(result.copy.name);
      this.#done();
      this.#post({ type: 'changed' });
    } else if (result.code === 'not-found') {
      // Deleted in another tab: keep the work as a new project.
      const created = await createProject(db, { name: this.currentName, cell, view, settings });
      if (created.status === 'ok') {
        this.#switchTo(created.value, cell, view);
        this.#done();
        this.#post({ type: 'changed' });
      } else this.#fail(created);
    } else this.#fail(result);
    await this.refresh();
  }

  #done(): void {
    this.status = this.dirty ? 'saving' : 'saved';
    this.reason = '';
    this.problem = '';
  }

  #fail(error: { code: string; message: string }): void {
    this.status = 'error';
    this.reason = storageMessage(error);
    if (error.code !== 'invalid' && error.code !== 'not-found') this.problem = this.reason;
  }

  /** Makes `project` the open one without reloading the editor (its cell is the editor's). */
  #switchTo(project: ProjectRecord, cell: Cell, view: ViewLike): void {
    this.currentId = project.id;
    this.currentName = project.name;
    this.#revision = project.revision;
    this.#savedCell = cell;
    this.#savedView = view;
    this.settings = project.settings;
    this.#savedSettings = project.settings;
    localSet(LAST_PROJECT_KEY, project.id);
  }

  /** Shows `project` in the editor (its cell and view), watched by the opening marker until it is on the page. */
  #load(project: ProjectRecord): void {
    this.#debouncer.cancel();
    localSet(OPENING_KEY, '1');
    this.awaitingRender = true;
    this.safeStart = undefined;
    this.#blank = undefined;
    this.#switchTo(project, project.cell, project.view);
    this.#view = project.view;
    this.editor.open(project.cell, project.view);
    this.status = 'saved';
    this.reason = '';
  }

  /** Opens a freshly stored project; `load`: show it in the editor (false: the editor already shows it). */
  async #adopt(result: Awaited<ReturnType<typeof createProject>>, load = true): Promise<ProjectRecord | undefined> {
    if (result.status !== 'ok') {
      this.#fail(result);
      return undefined;
    }
    if (load) this.#load(result.value);
    else {
      this.#switchTo(result.value, result.value.cell, result.value.view);
      this.status = 'saved';
      if (this.#view && !sameView(this.#view, this.#savedView)) this.#schedule();
    }
    this.#post({ type: 'changed' });
    await this.refresh();
    return result.value;
  }

  async refresh(): Promise<ProjectRecord[]> {
    if (!this.#db) return [];
    const list = await listProjects(this.#db);
    if (list.status === 'ok') this.projects = list.value;
    return this.projects;
  }

  async open(id: string): Promise<void> {
    if (!this.#db || id === this.currentId) return;
    await this.flush();
    const got = await getProject(this.#db, id);
    if (got.status === 'ok') this.#load(got.value);
    else this.#fail(got);
  }

  /** A new project from a cell (New, an example, an opened cell file); without storage, just shows the cell. */
  async create(name: string, cell: Cell): Promise<void> {
    if (!this.#db) {
      this.editor.open(cell);
      return;
    }
    await this.flush();
    await this.#adopt(await createProject(this.#db, { name, cell }));
  }

  async rename(id: string, name: string): Promise<void> {
    if (!this.#db) return;
    await this.flush();
    const renamed = await renameProject(this.#db, id, name);
    if (renamed.status !== 'ok') {
      this.#fail(renamed);
      return;
    }
    if (id === this.currentId) {
      this.currentName = renamed.value.name;
      this.#revision = renamed.value.revision;
    }
    this.#post({ type: 'saved', id, revision: renamed.value.revision });
    await this.refresh();
  }

  async duplicate(id: string): Promise<void> {
    if (!this.#db) return;
    await this.flush();
    await this.#adopt(await duplicateProject(this.#db, id));
  }

  async remove(id: string): Promise<void> {
    const db = this.#db;
    if (!db) return;
    await this.flush();
    const deleted = await deleteProject(db, id);
    if (deleted.status !== 'ok') {
      this.#fail(deleted);
      return;
    }
    this.deleted = deleted.value;
    if (this.safeStart?.project.id === id) this.safeStart = undefined;
    this.message = language.t.projectDeleted(deleted.value.project.name);
    this.#post({ type: 'changed' });
    const list = await this.refresh();
    if (id === this.currentId) {
      this.currentId = undefined;
      if (list[0]) this.#load(list[0]);
      else {
        const { newCell } = await import('../model/edit');
        await this.create(language.t.newCellName, newCell(language.t.newCellName));
      }
    }
  }

  async undoDelete(): Promise<void> {
    const db = this.#db;
    const deleted = this.deleted;
    if (!db || !deleted) return;
    this.deleted = undefined;
    this.message = '';
    const restored = await restoreProject(db, deleted);
    if (restored.status !== 'ok') {
      this.#fail(restored);
      return;
    }
    this.#post({ type: 'changed' });
    await this.refresh();
    await this.open(restored.value.id);
  }

  /** Opens a file: a project file is imported, a cell file becomes a new project. Bad files change nothing. */
  async openFile(fileName: string, text: string): Promise<void> {
    const kind = fileKind(text);
    if (kind === 'project' && this.#db) {
      const imported = await importProject(this.#db, text);
      if (!imported.ok) {
        this.fileProblems = { file: fileName, diagnostics: imported.diagnostics };
        return;
      }
      this.fileProblems = undefined;
      await this.flush();
      this.#load(imported.value);
      this.#post({ type: 'changed' });
      await this.refresh();
      return;
    }
    const loaded = loadCellText(text);
    if (!loaded.ok) {
      this.fileProblems = { file: fileName, diagnostics: loaded.diagnostics };
      return;
    }
    this.fileProblems = undefined;
    await this.create(loaded.value.metadata.name || fileName.replace(/\.json$/i, ''), loaded.value);
  }

  /** Downloads the open project as a .celda.json file. */
  async exportCurrent(): Promise<void> {
    if (this.currentId) await this.exportProject(this.currentId);
  }

  /** Downloads a stored project as a .celda.json file, open or not. */
  async exportProject(id: string): Promise<void> {
    const db = this.#db;
    if (!db) return;
    await this.flush();
    const name = id === this.currentId ? this.currentName : (this.projects.find((p) => p.id === id)?.name ?? '');
    const text = await exportProject(db, id);
    if (text.status === 'ok') downloadText(`${fileBaseName(name, 'project')}.celda.json`, text.value, 'application/json');
    else this.#fail(text);
  }

  async backup(): Promise<void> {
    if (!this.#db) return;
    await this.flush();
    const text = await backupDatabase(this.#db);
    if (text.status === 'ok') downloadText(`celda-backup-${new Date().toISOString().slice(0, 10)}.json`, text.value, 'application/json');
    else this.#fail(text);
  }

  /** Replaces the database with a backup (all or nothing), after `confirm`. */
  async restore(fileName: string, text: string, confirm: (message: string) => boolean): Promise<void> {
    const db = this.#db;
    if (!db || !confirm(language.t.confirmRestore)) return;
    await this.flush();
    const restored = await restoreDatabase(db, text);
    if (!restored.ok) {
      this.fileProblems = { file: fileName, diagnostics: restored.diagnostics };
      this.message = language.t.restoreFailed;
      return;
    }
    this.fileProblems = undefined;
    this.message = language.t.restored(restored.value.projects);
    this.#post({ type: 'changed' });
    const list = await this.refresh();
    this.currentId = undefined;
    const last = list.find((p) => p.id === localGet(LAST_PROJECT_KEY)) ?? list[0];
    if (last) this.#load(last);
    else {
      const { newCell } = await import('../model/edit');
      await this.create(language.t.newCellName, newCell(language.t.newCellName));
    }
  }

  /** Storage used and available (for the project list's footer). */
  async estimate(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    if (!storage?.estimate) return;
    try {
      const e = await storage.estimate();
      const persisted = storage.persisted ? await storage.persisted() : false;
      this.usage = { used: e.usage ?? 0, quota: e.quota ?? 0, persisted };
    } catch {
      this.usage = undefined;
    }
  }

  async #askPersistence(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist || localGet(PERSIST_ASKED_KEY)) return;
    localSet(PERSIST_ASKED_KEY, '1');
    try {
      await storage.persist();
    } catch {
      // Best effort: the browser may evict the data under pressure.
    }
  }

  #post(message: SavedMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // No other tab will hear of it; they refresh when they next save.
    }
  }

  #listen(): void {
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (e: MessageEvent<SavedMessage>) => void this.#heard(e.data);
      this.#channel = channel;
    }
    if (typeof window === 'undefined') return;
    const hidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    const pagehide = () => void this.flush();
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', pagehide);
    this.#cleanups.push(() => document.removeEventListener('visibilitychange', hidden), () => window.removeEventListener('pagehide', pagehide));
  }

  /** Another tab saved: refresh the list; reload the open project if it changed there and has no edits here. */
  async #heard(message: SavedMessage): Promise<void> {
    if (!message || typeof message !== 'object') return;
    await this.refresh();
    const db = this.#db;
    const id = message.id;
    if (!db || message.type !== 'saved' || !id || id !== this.currentId || typeof message.revision !== 'number') return;
    if (message.revision <= this.#revision) return;
    // Unsaved edits here: the next save finds the newer revision and keeps both versions.
    if (this.editor.cell !== this.#savedCell) return;
    await this.#chain;
    const got = await getProject(db, id);
    if (got.status !== 'ok' || got.value.id !== this.currentId || this.editor.cell !== this.#savedCell) return;
    if (got.value.revision <= this.#revision) return;
    this.#load(got.value);
    this.message = language.t.reloadedFromOtherTab;
  }
}
