/**
 * Loading a lesson: untrusted JSON in (a workshop pack's, or a built-in lesson
 * written as data), a typed Lesson or diagnostics out, each naming the field at
 * fault (`steps[2].hints[0].es`). Cells go through the cell loader; each step's
 * target must compile and ask for something new. Nothing here throws.
 */
import { LIMITS, UNSAFE_TEXT, type Cell } from '../model/cell';
import { error, hasErrors, underPath, type Diagnostic, type Result } from '../model/diagnostics';
import { loadCell } from '../model/load';
import { show, type FieldExpectation } from '../model/messages';
import { compileForCheck, sameComputation } from './check';
import { LESSON_ID, type Lesson, type LessonStep, type StepCheck, type Text } from './types';

export const LESSON_LIMITS = {
  title: 120,
  /** Goals, intros, instructions and hints. */
  text: 4000,
  steps: 40,
  hints: 10,
} as const;

const LANGUAGES = ['en', 'es'] as const;
const CHECK_KINDS: readonly StepCheck['kind'][] = ['match', 'done', 'gate'];

type Out = Diagnostic[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(out: Out, field: string, expected: FieldExpectation, got: unknown): void {
  out.push(error('bad-field', { field, expected, got: show(got) }, { path: field }));
}

/** Keys outside `allowed` are refused: a misspelt field is a mistake, not a silent default. */
function onlyKeys(raw: Record<string, unknown>, allowed: readonly string[], path: string, out: Out): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) out.push(error('bad-key', { field: path || 'lesson', key: show(key) }, { path: path ? `${path}.${key}` : key }));
  }
}

function readRecord(v: unknown, field: string, out: Out): Record<string, unknown> | undefined {
  if (isRecord(v)) return v;
  bad(out, field, { kind: 'object' }, v);
  return undefined;
}

function readString(v: unknown, field: string, max: number, out: Out): string {
  if (typeof v === 'string' && v.trim() !== '' && v.length <= max && !UNSAFE_TEXT.test(v)) return v;
  bad(out, field, { kind: 'nonempty-text', max }, v);
  return '';
}

/** A text in every language the app speaks. */
function readText(v: unknown, field: string, max: number, out: Out): Text {
  const raw = readRecord(v, field, out);
  if (!raw) return { en: '', es: '' };
  onlyKeys(raw, LANGUAGES, field, out);
  return { en: readString(raw.en, `${field}.en`, max, out), es: readString(raw.es, `${field}.es`, max, out) };
}

function readList<T>(v: unknown, field: string, max: number, out: Out, item: (x: unknown, field: string) => T): T[] {
  if (!Array.isArray(v)) {
    bad(out, field, { kind: 'list' }, v);
    return [];
  }
  if (v.length > max) out.push(error('too-many', { field, max, count: v.length, of: 'items' }, { path: field }));
  return v.slice(0, max).map((x, i) => item(x, `${field}[${i}]`));
}

/** A cell through the cell loader, its diagnostics' paths under `field`. */
function readCell(v: unknown, field: string, out: Out): Cell | undefined {
  const loaded = loadCell(v);
  out.push(...loaded.diagnostics.map((d) => underPath(field, d)));
  return loaded.ok ? loaded.value : undefined;
}

function readLabels(v: unknown, start: Cell | undefined, out: Out): Lesson['startLabels'] {
  if (v === undefined) return undefined;
  const raw = readRecord(v, 'startLabels', out);
  if (!raw) return undefined;
  onlyKeys(raw, ['es'], 'startLabels', out);
  const es = readRecord(raw.es, 'startLabels.es', out) ?? {};
  const labels: Record<string, string> = {};
  for (const [id, label] of Object.entries(es)) {
    const field = `startLabels.es.${id.slice(0, LIMITS.idLength)}`;
    if (start && !start.nodes.some((n) => n.id === id)) out.push(error('bad-key', { field: 'startLabels.es', key: show(id) }, { path: field }));
    else labels[id] = readString(label, field, LIMITS.labelLength, out);
  }
  return { es: labels };
}

function readCheck(v: unknown, field: string, out: Out): StepCheck {
  const raw = readRecord(v, field, out);
  if (!raw) return { kind: 'done' };
  const kind = CHECK_KINDS.find((k) => k === raw.kind);
  if (!kind) {
    bad(out, `${field}.kind`, { kind: 'one-of', options: CHECK_KINDS }, raw.kind);
    return { kind: 'done' };
  }
  if (kind !== 'match') {
    onlyKeys(raw, ['kind'], field, out);
    return { kind };
  }
  onlyKeys(raw, ['kind', 'target'], field, out);
  const target = readCell(raw.target, `${field}.target`, out);
  return target ? { kind, target } : { kind: 'done' };
}

function readStep(v: unknown, field: string, out: Out): LessonStep {
  const raw = readRecord(v, field, out) ?? {};
  onlyKeys(raw, ['instruction', 'hints', 'check'], field, out);
  return {
    instruction: readText(raw.instruction, `${field}.instruction`, LESSON_LIMITS.text, out),
    hints: readList(raw.hints, `${field}.hints`, LESSON_LIMITS.hints, out, (h, f) => readText(h, f, LESSON_LIMITS.text, out)),
    check: readCheck(raw.check, `${field}.check`, out),
  };
}

/**
 * Each target must compile, and differ from what the learner's cell already computes when
 * its step begins: the previous step's target, or for the first, the starting cell.
 */
function checkTargets(start: Cell, steps: readonly LessonStep[], out: Out): void {
  let previous = { cell: start, field: 'start' };
  steps.forEach((step, i) => {
    if (step.check.kind !== 'match') return;
    const field = `steps[${i}].check.target`;
    const target = compileForCheck(step.check.target);
    if (!target.ok) {
      out.push(error('lesson-target-does-not-compile', { field }, { path: field }), ...target.diagnostics.map((d) => underPath(field, d)));
    } else if (sameComputation(previous.cell, target.value)) {
      out.push(error('lesson-step-unchanged', { field, previous: previous.field }, { path: field }));
    }
    previous = { cell: step.check.target, field };
  });
}

/** A lesson from untrusted JSON: every problem at once, or the lesson. */
export function loadLesson(json: unknown): Result<Lesson> {
  const out: Out = [];
  const raw = readRecord(json, 'lesson', out);
  if (!raw) return { ok: false, diagnostics: out };
  onlyKeys(raw, ['id', 'title', 'goal', 'intro', 'start', 'startLabels', 'steps'], '', out);
  const id = typeof raw.id === 'string' && LESSON_ID.test(raw.id) ? raw.id : '';
  if (!id) bad(out, 'id', { kind: 'lesson-id' }, raw.id);
  const title = readText(raw.title, 'title', LESSON_LIMITS.title, out);
  const goal = readText(raw.goal, 'goal', LESSON_LIMITS.text, out);
  const intro = readText(raw.intro, 'intro', LESSON_LIMITS.text, out);
  const start = readCell(raw.start, 'start', out);
  const startLabels = readLabels(raw.startLabels, start, out);
  const steps = readList(raw.steps, 'steps', LESSON_LIMITS.steps, out, (s, f) => readStep(s, f, out));
  if (Array.isArray(raw.steps) && raw.steps.length === 0) bad(out, 'steps.length', { kind: 'number', min: 1, max: LESSON_LIMITS.steps, integer: true }, 0);
  if (hasErrors(out) || !start) return { ok: false, diagnostics: out };
  checkTargets(start, steps, out);
  if (hasErrors(out)) return { ok: false, diagnostics: out };
  return { ok: true, value: { id, title, goal, intro, start, ...(startLabels && { startLabels }), steps }, diagnostics: out };
}
