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
 *
 * First visit: with no project stored and the welcome never dismissed, the app
 * opens the LSTM example in the UI language with a welcome card, rather than a
 * blank cell that starts with two problems.
 *
 * One name: a project's name is its cell's name (metadata.name). Renaming the
 * project renames the cell, and renaming the cell (the cell inspector, undo)
 * renames the project; export file names follow.
 */
import type { RunRecord as ArenaRun } from '../arena/types';
import type { Lesson } from '../lessons/types';
import { ablate, renderSkipReason } from '../model/ablate';
import type { Cell } from '../model/cell';
import { renderDiagnostic, type Diagnostic } from '../model/diagnostics';
import { setMetadata } from '../model/edit';
import { loadCellText } from '../model/load';
import {
  backupDatabase, createProject, deleteProject, describeStorageError, exportProject, getProject,
  importProject, listProjects, openDatabase, restoreDatabase, restoreProject, saveProject,
  importWorkshopPack, listStoredLessons, removeStoredLesson, workshopPackText, type WorkshopCell,
  addCheckpoint, addRun, listCheckpoints, listRuns, updateRun, clearArenaRuns, listArenaRuns, saveArenaRun, type StoredArenaRuns,
  type CeldaDatabase, type CheckpointInput, type CheckpointRecord, type DeletedProject, type ProjectRecord, type ProjectSettings, type RunInput, type RunRecord, type StorageError,
} from '../storage';
import { language } from './i18n.svelte';
import { openDocument } from './lib/commands';
import { downloadText } from './lib/download';
import { blankCell, exampleCell } from './lib/examples';
import { fileBaseName } from './lib/files';
import { openShareFragment, type Shared, type SharedLesson } from './lib/share';
import { Debouncer, fileKind, filterProjects, sameView, type ViewLike } from './lib/projects';
import type { ExampleId } from './lib/strings';
import type { EditorState } from './state.svelte';

export const LAST_PROJECT_KEY = 'celda.lastProject';
/** Set while the app starts or opens a project, until it is on the page (see `rendered`). */
export const OPENING_KEY = 'celda.opening';
const PERSIST_ASKED_KEY = 'celda.persistAsked';
/** Set once the welcome card is dismissed: a browser without projects then starts with a blank cell. */
export const WELCOMED_KEY = 'celda.welcomed';
/** The example a first visit opens. */
const FIRST_EXAMPLE: ExampleId = 'lstm';
const CHANNEL = 'celda';
const SAVE_DELAY_MS = 800;

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';
interface SavedMessage { readonly type: 'saved' | 'changed'; readonly id?: string; readonly revision?: number }

function storageMessage(error: StorageError | { code: string; message: string }): string {
  const known = language.t.storageErrors as Record<string, string>;
  return known[error.code] ?? error.message;
}

/** A localStorage value; null where there is none or the browser refuses storage (private mode, blocked). */
export function localGet(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Remembers a value in localStorage where the browser allows it. */
export function localSet(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered: whoever reads it back takes its default.
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
  /** Lessons workshop packs brought (src/storage/workshop.ts), each with its pack's title. */
  workshopLessons = $state.raw<readonly (Lesson & { readonly pack: string })[]>([]);
  /** Called after a workshop pack has been opened (the app shows the lessons). */
  onworkshop: (() => void) | undefined;
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
  /** The welcome card is shown: this start was a first visit and opened the LSTM (hidden once another project opens). */
  welcome = $state(false);
  /** The lesson part of the share link opened last (for the lessons to pick up); undefined when it had none. */
  sharedLesson = $state.raw<SharedLesson | undefined>();

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

  /** The Arena panel's kept runs (none without storage), or why they cannot be read. */
  async arenaRuns(): Promise<StoredArenaRuns | { problem: string }> {
    if (!this.#db) return { runs: [], unreadable: 0 };
    const listed = await listArenaRuns(this.#db);
    return listed.status === 'ok' ? listed.value : { problem: storageMessage(listed) };
  }

  /** Keeps a finished arena run: '' when kept, else why not (no storage, a full disk). */
  async keepArenaRun(run: ArenaRun): Promise<string> {
    if (!this.#db) return language.t.notStored;
    const saved = await saveArenaRun(this.#db, run);
    return saved.status === 'ok' ? '' : storageMessage(saved);
  }

  /** Forgets every kept arena run: '' when done, else why not. */
  async clearArenaRuns(): Promise<string> {
    if (!this.#db) return '';
    const cleared = await clearArenaRuns(this.#db);
    return cleared.status === 'ok' ? '' : storageMessage(cleared);
  }

  /** The open project's runs, newest first. */
  async runs(): Promise<RunRecord[]> {
    const db = this.#db;
    if (!db || !this.currentId) return [];
    const listed = await listRuns(db, this.currentId);
    return listed.status === 'ok' ? listed.value : [];
  }

  #revision = 0;
  /** The open cell's name as last seen: when the cell's name changes, the project's follows. */
  #cellName = '';
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
   * Opens the database and the last project; with none, a first project: the LSTM and the
   * welcome card on a first visit, else a blank cell. Never throws.
   * `safe` (the address has `?safe`), or a previous start or open that never reached the
   * page: opens the project list instead of the last project.
   * `link` (the address's `#cell=…` fragment): opens the shared cell instead, as a new
   * project; a bad link shows its problems and the start goes on as without it.
   */
  async start(options: { safe?: boolean; link?: string } = {}): Promise<void> {
    const unfinished = localGet(OPENING_KEY) !== null;
    localSet(OPENING_KEY, '1');
    const opened = await openDatabase(this.#databaseName, { onBlocked: (e) => (this.problem = storageMessage(e)) });
    if (!opened.ok) {
      this.problem = storageMessage(opened.error);
      this.status = 'error';
      this.reason = language.t.notStored;
      this.#showBlank();
      if (options.link) await this.openSharedLink(options.link);
      this.awaitingRender = true;
      return;
    }
    this.#db = opened.db;
    this.available = true;
    this.#listen();
    void this.#askPersistence();
    const list = await this.refresh();
    await this.refreshWorkshopLessons();
    if (options.link && (await this.openSharedLink(options.link))) {
      this.awaitingRender = true;
      return;
    }
    const lastId = localGet(LAST_PROJECT_KEY);
    const last = list.find((p) => p.id === lastId) ?? list[0];
    const reason: SafeStartReason | undefined = options.safe ? 'asked' : unfinished ? 'unfinished' : undefined;
    if (last && reason) {
      this.safeStart = { reason, project: last };
      this.#showBlank();
      this.#blank = this.editor.cell;
      this.listOpen = true;
    } else if (last) this.#load(last);
    else await this.#firstProject(opened.db);
    this.awaitingRender = true;
  }

  /**
   * The first project of a browser with none: on a first visit (the welcome never dismissed, the
   * editor untouched) the first example with the welcome card, else the editor's cell.
   */
  async #firstProject(db: CeldaDatabase): Promise<void> {
    const example = this.#untouched() && localGet(WELCOMED_KEY) === null ? exampleCell(FIRST_EXAMPLE, language.current) : undefined;
    if (example?.ok) {
      await this.create(language.t.exampleNames[FIRST_EXAMPLE], example.value);
      this.welcome = this.currentId !== undefined;
      return;
    }
    this.#showBlank();
    const cell = this.editor.cell;
    await this.#adopt(await createProject(db, { name: cell.metadata.name || language.t.newCellName, cell }), false);
  }

  /** Whether the editor still shows the cell it was made with (nothing opened, nothing edited). */
  #untouched(): boolean {
    return this.editor.opened === 0 && !this.editor.canUndo;
  }

  /** Replaces the cell the editor was made with by a blank cell in the UI language; an edited one stays. */
  #showBlank(): void {
    if (this.#untouched()) this.editor.open(blankCell(language.t));
  }

  /** The welcome card was dismissed (or one of its choices taken): it is not shown again. */
  dismissWelcome(): void {
    this.welcome = false;
    localSet(WELCOMED_KEY, '1');
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
      this.#followCellName(cell);
      if (cell !== this.#savedCell) this.#schedule();
    } else if (this.#blank && cell !== this.#blank) void this.#keepBlank(cell);
  }

  /** The cell was renamed (inspector, undo of a rename): the project takes the name; an emptied name is not one. */
  #followCellName(cell: Cell): void {
    const name = cell.metadata.name.trim();
    if (name === this.#cellName) return;
    this.#cellName = name;
    if (name) this.currentName = name;
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
    const result = await saveProject(db, { id, name: this.currentName, cell, view: { x: view.x, y: view.y, zoom: view.zoom }, settings }, this.#revision, language.t.conflictName);
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

  /**
   * Shows `project` in the editor (its cell and view), watched by the opening marker until it is on the page.
   * A cell named otherwise (a project renamed before names were one) shows the project's name; it is
   * stored with it at the next save.
   */
  #load(project: ProjectRecord): void {
    this.#debouncer.cancel();
    localSet(OPENING_KEY, '1');
    this.awaitingRender = true;
    this.safeStart = undefined;
    this.#blank = undefined;
    // The welcome speaks of the cell it opened with.
    this.welcome = false;
    const cell = setMetadata(project.cell, { name: project.name });
    this.#switchTo(project, cell, project.view);
    this.#cellName = project.name.trim();
    this.#view = project.view;
    this.editor.open(cell, project.view);
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
      this.#cellName = result.value.cell.metadata.name.trim();
      this.status = 'saved';
      if (this.#view && !sameView(this.#view, this.#savedView)) this.#schedule();
    }
    this.#post({ type: 'changed' });
    await this.refresh();
    return result.value;
  }

  /** Reads the lessons packs brought; one that no longer loads is left out (and reported in the console). */
  async refreshWorkshopLessons(): Promise<void> {
    if (!this.#db) return;
    const listed = await listStoredLessons(this.#db);
    if (listed.status !== 'ok') return;
    this.workshopLessons = listed.value.lessons;
    for (const d of listed.value.damaged) console.warn(`stored lesson ${d.id} does not load:`, d.diagnostics.map((x) => x.message).join(' '));
  }

  /** A workshop pack: all of it or nothing; its cells become projects (the first one opens), its lessons join the list. */
  async #openWorkshop(fileName: string, text: string): Promise<void> {
    const db = this.#db as CeldaDatabase;
    const imported = await importWorkshopPack(db, text);
    if (!imported.ok) {
      this.fileProblems = { file: fileName, diagnostics: imported.diagnostics };
      return;
    }
    this.fileProblems = undefined;
    const { title, lessons, projects } = imported.value;
    await this.flush();
    if (projects.length > 0) this.#load(projects[0]);
    this.#post({ type: 'changed' });
    await this.refresh();
    await this.refreshWorkshopLessons();
    this.message = language.t.workshop.opened(title, lessons.length, projects.length);
    this.onworkshop?.();
  }

  async removeWorkshopLesson(id: string): Promise<void> {
    if (!this.#db) return;
    const removed = await removeStoredLesson(this.#db, id);
    if (removed.status !== 'ok') return this.#fail(removed);
    await this.refreshWorkshopLessons();
  }

  /** Downloads a workshop pack of these lessons and of the stored cells of these projects. */
  async downloadWorkshop(title: string, lessons: readonly Lesson[], projectIds: readonly string[]): Promise<void> {
    await this.flush();
    const cells: WorkshopCell[] = this.projects.filter((p) => projectIds.includes(p.id)).map((p) => ({ name: p.name, cell: p.cell }));
    downloadText(`${fileBaseName(title, 'workshop')}.celda-workshop.json`, workshopPackText({ title, lessons, cells }), 'application/json');
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

  /** A new project named `name` from a cell (New, an example, an opened cell file); without storage, just shows the cell. */
  async create(name: string, cell: Cell): Promise<void> {
    const named = setMetadata(cell, { name });
    if (!this.#db) {
      this.editor.open(named);
      return;
    }
    await this.flush();
    await this.#adopt(await createProject(this.#db, { name, cell: named }));
  }

  /**
   * A new document: with storage, a new project (the open one stays saved); without, it replaces
   * the cell, asking first when that would drop edits.
   */
  async newDocument(name: string, cell: Cell, ask: (message: string) => boolean = (m) => confirm(m)): Promise<void> {
    if (this.available) await this.create(name, cell);
    else openDocument(this.editor, setMetadata(cell, { name }), language.t, ask);
  }

  /** A blank cell in the UI language, as a new document. */
  newBlank(): Promise<void> {
    return this.newDocument(language.t.newCellName, blankCell(language.t));
  }

  /** An example from the gallery, in the UI language, as a new document. */
  async openExample(id: ExampleId): Promise<void> {
    const example = exampleCell(id, language.current);
    if (example.ok) await this.newDocument(language.t.exampleNames[id], example.value);
    else this.fileProblems = { file: language.t.exampleNames[id], diagnostics: example.diagnostics };
  }

  /**
   * Greff et al.'s ablations of `cell` (src/model/ablate.ts), each a new project named after its
   * variant; the open project stays open and as it was. The passing message says how many were
   * made and which were skipped and why (or why none could be).
   */
  async createAblations(cell: Cell): Promise<void> {
    const db = this.#db;
    if (!db) return;
    const lang = language.current;
    const t = language.t.ablate;
    const result = ablate(cell, lang);
    if (!result.ok) {
      this.message = t.none(result.diagnostics.filter((d) => d.severity === 'error').map((d) => renderDiagnostic(d, lang)).join(' '));
      return;
    }
    await this.flush();
    const made: string[] = [];
    for (const a of result.value.ablations) {
      const created = await createProject(db, { name: a.name[lang], cell: a.cell });
      if (created.status !== 'ok') {
        this.#fail(created);
        break;
      }
      made.push(a.id.toUpperCase());
    }
    this.#post({ type: 'changed' });
    await this.refresh();
    const { skipped } = result.value;
    const reasons = skipped.map((s) => `${s.id.toUpperCase()}: ${renderSkipReason(s.reason, lang)}`).join('; ');
    this.message = [t.made(made.length, cell.metadata.name, made.join(', ')), ...(skipped.length > 0 ? [t.skipped(skipped.length, reasons)] : [])].join(' ');
  }

  /** Renames a project and its cell: the open one as an edit (undo renames back), another one in storage. */
  async rename(id: string, name: string): Promise<void> {
    if (!this.#db) return;
    if (id === this.currentId) {
      this.editor.apply((cell) => setMetadata(cell, { name }));
      this.cellChanged(this.editor.cell);
      await this.flush();
      return;
    }
    await this.flush();
    const stored = await getProject(this.#db, id);
    if (stored.status !== 'ok') {
      this.#fail(stored);
      return;
    }
    const { cell, view, settings, revision } = stored.value;
    const renamed = await saveProject(this.#db, { id, name, cell: setMetadata(cell, { name }), view, settings }, revision, language.t.conflictName);
    if (renamed.status === 'saved') this.#post({ type: 'saved', id, revision: renamed.revision });
    else if (renamed.status === 'conflict') this.#post({ type: 'changed' });
    else this.#fail(renamed);
    await this.refresh();
  }

  /** A copy of a project (cell, view and settings; no runs), named "… (copy)" in the UI language, cell and project alike. */
  async duplicate(id: string): Promise<void> {
    const db = this.#db;
    if (!db) return;
    await this.flush();
    const stored = await getProject(db, id);
    if (stored.status !== 'ok') {
      this.#fail(stored);
      return;
    }
    const { name, cell, view, settings } = stored.value;
    const copy = language.t.copyOf(name.slice(0, 190));
    await this.#adopt(await createProject(db, { name: copy, cell: setMetadata(cell, { name: copy }), view, settings }));
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
      else await this.create(language.t.newCellName, blankCell(language.t));
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
    if (kind === 'workshop' && this.#db) return this.#openWorkshop(fileName, text);
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

  /**
   * Opens a share link's `#cell=…` fragment as a new project named from its cell (no stored
   * project is changed) and keeps its lesson part in `sharedLesson`. A bad link opens nothing
   * and shows its diagnostics where a bad file's show. Returns what the link carried.
   */
  async openSharedLink(fragment: string): Promise<Shared | undefined> {
    const opened = await openShareFragment(fragment);
    if (!opened.ok) {
      this.fileProblems = { file: language.t.share.sharedLink, diagnostics: opened.diagnostics };
      return undefined;
    }
    this.fileProblems = undefined;
    await this.newDocument(opened.value.cell.metadata.name.trim() || language.t.share.sharedCellName, opened.value.cell);
    this.sharedLesson = opened.value.lesson;
    return opened.value;
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
    else await this.create(language.t.newCellName, blankCell(language.t));
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
