/**
 * The lessons panel's state: which lesson is open at which step, the last
 * check of that step and how many hints are shown. A lesson opens its starting
 * cell as a new project (the learner's other work stays saved); checks read the
 * editor's cell, whatever project it is. Progress (the step reached, done or
 * not, and the lesson's project) is kept per lesson in localStorage, read back
 * as untrusted data.
 */
import type { Analysis } from '../compiler/analyze';
import type { CanvasHandle } from '../editor';
import { LESSONS } from '../lessons/catalog';
import { cellAtStep, checkStep, feedback, type StepResult } from '../lessons/check';
import type { Lesson } from '../lessons/types';
import { setMetadata } from '../model/edit';
import { language } from './i18n.svelte';
import { showNode } from './lib/commands';
import type { SharedLesson } from './lib/share';
import type { ProjectStore } from './projects.svelte';
import type { EditorState } from './state.svelte';

export const LESSON_PROGRESS_KEY = 'celda.lessons';

export interface LessonProgress {
  /** The step the learner is at (0-based); equal to the number of steps once done. */
  readonly step: number;
  readonly done: boolean;
  /** The project the lesson opened, reopened by "Continue". */
  readonly projectId?: string;
}

type Progress = Readonly<Record<string, LessonProgress>>;

const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Progress as stored, keeping only entries of known lessons (built-in, or from workshop packs) with sane values. */
export function readProgress(text: string | null, lessons: readonly Lesson[] = LESSONS): Progress {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '{}');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Record<string, LessonProgress> = {};
  for (const lesson of lessons) {
    const entry = (raw as Record<string, unknown>)[lesson.id];
    if (typeof entry !== 'object' || entry === null) continue;
    const { step, done, projectId } = entry as Record<string, unknown>;
    if (!Number.isInteger(step) || (step as number) < 0 || (step as number) > lesson.steps.length || typeof done !== 'boolean') continue;
    out[lesson.id] = { step: step as number, done, ...(typeof projectId === 'string' && PROJECT_ID.test(projectId) && { projectId }) };
  }
  return out;
}

function storedProgress(lessons: readonly Lesson[]): Progress {
  try {
    return readProgress(globalThis.localStorage?.getItem(LESSON_PROGRESS_KEY) ?? null, lessons);
  } catch {
    return {};
  }
}

export class LessonStore {
  /** Whether the panel is shown. */
  open = $state(false);
  /** The lesson shown; undefined: the list of lessons. */
  currentId = $state<string | undefined>();
  progress = $state.raw<Progress>(storedProgress(LESSONS));
  /** The last check of the current step and what the compiler said of the cell it checked. */
  #checked = $state.raw<{ result: StepResult; analysis: Analysis } | undefined>();
  hintsShown = $state(0);

  lesson: Lesson | undefined = $derived(this.currentId === undefined ? undefined : this.#byId(this.currentId));
  step: number = $derived(this.currentId === undefined ? 0 : (this.progress[this.currentId]?.step ?? 0));
  /** The check's words in the UI language (they follow a language switch). */
  feedback = $derived(this.result === undefined ? undefined : feedback(this.result, language.current));

  constructor(
    readonly editor: EditorState,
    readonly projects: ProjectStore,
  ) {}

  /** The last check, while the cell is as checked (moving nodes keeps it): an edit makes it stale. */
  get result(): StepResult | undefined {
    return this.#checked?.analysis === this.editor.analysis ? this.#checked.result : undefined;
  }

  /** The built-in lessons, then those workshop packs brought (by id, a built-in one is not repeated). */
  get all(): readonly (Lesson & { readonly pack?: string })[] {
    // A pack may carry a built-in lesson (an instructor's set): the built-in one is listed, once.
    const builtIn = new Set(LESSONS.map((l) => l.id));
    return [...LESSONS, ...this.projects.workshopLessons.filter((l) => !builtIn.has(l.id))];
  }

  #byId(id: string): Lesson | undefined {
    return this.all.find((l) => l.id === id);
  }

  /** After a workshop pack brought lessons: their progress, kept from an earlier visit, is read too. */
  reloadProgress(): void {
    this.progress = storedProgress(this.all);
  }

  /** Shows the panel at the list of lessons. */
  showList(): void {
    this.open = true;
    this.currentId = undefined;
    this.#resetStep();
  }

  /** Opens `lesson`'s starting cell (or, at `step`, the cell that step begins from) as a new project. */
  async #openCell(lesson: Lesson, step: number): Promise<void> {
    const lang = language.current;
    const cell = cellAtStep(lesson, step);
    const labels = step === 0 && lang === 'es' ? (lesson.startLabels?.es ?? {}) : {};
    const labelled = { ...cell, nodes: cell.nodes.map((n) => (Object.hasOwn(labels, n.id) ? { ...n, label: labels[n.id] } : n)) };
    const name = language.t.lessons.projectName(lesson.title[lang]);
    await this.projects.newDocument(name, setMetadata(labelled, { description: lesson.goal[lang] }));
  }

  /** Starts a lesson from its first step, in a new project. */
  async start(id: string): Promise<void> {
    const lesson = this.#byId(id);
    if (!lesson) return;
    await this.#openCell(lesson, 0);
    this.#save(id, { step: 0, done: false, ...(this.projects.currentId && { projectId: this.projects.currentId }) });
    this.#show(id);
  }

  /** Goes back to a lesson: its project if it is still there, else a new one from the cell its step begins with. */
  async resume(id: string): Promise<void> {
    const lesson = this.#byId(id);
    const saved = this.progress[id];
    if (!lesson || !saved) return this.start(id);
    if (saved.projectId && this.projects.projects.some((p) => p.id === saved.projectId)) {
      await this.projects.open(saved.projectId);
    } else {
      await this.#openCell(lesson, saved.step);
      this.#save(id, { ...saved, ...(this.projects.currentId && { projectId: this.projects.currentId }) });
    }
    this.#show(id);
  }

  /** The lesson and step a share link of the open project carries: the open lesson, when this is its project. */
  sharePlace(): SharedLesson | undefined {
    const lesson = this.lesson;
    const saved = lesson && this.progress[lesson.id];
    if (!lesson || !saved || saved.projectId !== this.projects.currentId || this.step >= lesson.steps.length) return undefined;
    return { id: lesson.id, step: this.step };
  }

  /** A share link carried a lesson's place: that lesson goes on, at that step, in the project the link just opened. */
  follow(place: SharedLesson): void {
    const lesson = this.#byId(place.id);
    if (!lesson) return;
    const step = Math.min(place.step, lesson.steps.length - 1);
    this.#save(lesson.id, { step, done: false, ...(this.projects.currentId && { projectId: this.projects.currentId }) });
    this.#show(lesson.id);
  }

  /** Checks the editor's cell at the current step; a miss selects and centres the node at fault. */
  check(canvas: CanvasHandle | undefined): void {
    const step = this.lesson?.steps[this.step];
    if (!step) return;
    this.#checked = { result: checkStep(this.editor.cell, step, this.editor.notation), analysis: this.editor.analysis };
    const nodeId = this.feedback?.nodeId;
    if (nodeId !== undefined) showNode(this.editor, canvas, nodeId);
  }

  /** A passed step (or a watching step the learner has done): on to the next, or the lesson is complete. */
  advance(): void {
    const lesson = this.lesson;
    const saved = lesson && this.progress[lesson.id];
    if (!lesson || !saved) return;
    const step = Math.min(this.step + 1, lesson.steps.length);
    this.#save(lesson.id, { ...saved, step, done: step === lesson.steps.length });
    this.#resetStep();
  }

  revealHint(): void {
    const hints = this.lesson?.steps[this.step]?.hints.length ?? 0;
    this.hintsShown = Math.min(this.hintsShown + 1, hints);
  }

  #show(id: string): void {
    this.open = true;
    this.currentId = id;
    this.#resetStep();
  }

  #resetStep(): void {
    this.#checked = undefined;
    this.hintsShown = 0;
  }

  #save(id: string, entry: LessonProgress): void {
    this.progress = { ...this.progress, [id]: entry };
    try {
      globalThis.localStorage?.setItem(LESSON_PROGRESS_KEY, JSON.stringify(this.progress));
    } catch {
      // Not remembered across visits; the lesson goes on in this one.
    }
  }
}
