/**
 * A lesson: a path through one idea of the tutorial, as plain data (texts and
 * cells, no functions), so that a workshop pack can carry lessons as JSON and
 * load them through the same loader (load.ts) as the built-in ones.
 */
import type { Text } from '../../nodes/types';
import type { Cell } from '../model/cell';

export type { Text };
export type Language = keyof Text;

/** A lesson's id: lower-case letters, digits and dashes (it names the lesson's progress). */
export const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * How a step is passed:
 * - `match`: the learner's cell must compute the target cell's equations (compareCells,
 *   up to ids, labels, layout, operand order, concat order and split or stacked linears);
 * - `done`: a step about watching or reading, passed when the learner says so;
 * - `gate`: an open design, passed by any cell that compiles and has a σ feeding a multiply.
 */
export type StepCheck =
  | { readonly kind: 'match'; readonly target: Cell }
  | { readonly kind: 'done' }
  | { readonly kind: 'gate' };

export type CheckKind = StepCheck['kind'];

export interface LessonStep {
  readonly instruction: Text;
  /** Revealed one by one on request, from a nudge to nearly the answer. */
  readonly hints: readonly Text[];
  readonly check: StepCheck;
}

export interface Lesson {
  readonly id: string;
  readonly title: Text;
  /** What the learner will have built or seen at the end, in one sentence. */
  readonly goal: Text;
  /** Where the lesson starts from and why, a short paragraph. */
  readonly intro: Text;
  /** The cell the lesson opens, as a new project; its labels are English. */
  readonly start: Cell;
  /** The starting cell's labels in Spanish, node id → label (labels name gates in the equations). */
  readonly startLabels?: { readonly es: Readonly<Record<string, string>> };
  readonly steps: readonly LessonStep[];
}
