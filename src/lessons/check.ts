/**
 * Checking a learner's cell at a lesson step. A `match` step compiles the cell
 * and compares it with the step's target (compareCells: the same equations,
 * however wired); the answer is "correct", or the first difference in the
 * learner's terms with the node to point at. A cell that does not compile gets
 * its own problems instead. Results are data; `feedback` words them in a language.
 */
import { compile, type Compiled } from '../compiler';
import { differenceMessage } from '../compiler/difference-messages';
import type { Notation } from '../compiler/equations';
import { compareCells, type Difference } from '../compiler/equivalence';
import type { Cell } from '../model/cell';
import { hasErrors, renderDiagnostic, type Diagnostic, type Result } from '../model/diagnostics';
import type { Language, Lesson, LessonStep, Text } from './types';

/**
 * Both cells are compiled at these sizes, whatever the learner set in the toolbar: a
 * comparison needs equal sizes, and small ones keep the numerical check instant.
 */
export const CHECK_SIZES = { input: 3, hidden: 4 } as const;

export type StepResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'difference'; readonly difference: Difference }
  | { readonly ok: false; readonly reason: 'does-not-compile'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly reason: 'no-gate' };

/** What to tell the learner: sentences, and the node of theirs to show (select and centre). */
export interface Feedback {
  readonly messages: readonly string[];
  readonly nodeId?: string;
}

const NO_GATE: Text = {
  en: 'Your cell compiles, but no σ feeds a multiply yet: a gate is a σ whose output scales another value (⊙).',
  es: 'Tu celda compila, pero todavía ningún σ alimenta una multiplicación: una compuerta es un σ cuya salida escala otro valor (⊙).',
};

/** How many of a broken cell's errors are shown (the first ones are the ones to fix first). */
const SHOWN_ERRORS = 3;

export function compileForCheck(cell: Cell): Result<Compiled> {
  return compile(cell, CHECK_SIZES);
}

/** Whether `cell` computes what `target` does (false when it does not compile). */
export function sameComputation(cell: Cell, target: Compiled): boolean {
  const compiled = compileForCheck(cell);
  return compiled.ok && compareCells(compiled.value, target).equivalent;
}

/**
 * The cell a learner has when step `step` begins, done right so far: the last target
 * before it, or the starting cell. (A lesson resumed without its project starts from it.)
 */
export function cellAtStep(lesson: Lesson, step: number): Cell {
  const targets = lesson.steps.slice(0, step).flatMap((s) => (s.check.kind === 'match' ? [s.check.target] : []));
  return targets.at(-1) ?? lesson.start;
}

/** Whether some σ's output is an operand of a multiply: the shape of a gate. */
function hasGate(cell: Cell): boolean {
  const kinds = new Map(cell.nodes.map((n) => [n.id, n.kind]));
  return cell.connections.some((c) => kinds.get(c.from) === 'sigmoid' && kinds.get(c.to) === 'multiply');
}

/** Checks the learner's `cell` at `step`; a `done` step is passed by saying so, so it always is. */
export function checkStep(cell: Cell, step: LessonStep, notation: Notation = 'tutorial'): StepResult {
  if (step.check.kind === 'done') return { ok: true };
  const learner = compileForCheck(cell);
  if (!learner.ok || hasErrors(learner.diagnostics)) return { ok: false, reason: 'does-not-compile', diagnostics: learner.diagnostics };
  if (step.check.kind === 'gate') return hasGate(cell) ? { ok: true } : { ok: false, reason: 'no-gate' };
  const target = compileForCheck(step.check.target);
  // loadLesson refuses a lesson whose target does not compile: this is a lesson built around the loader.
  if (!target.ok) throw new Error(`the step's target cell does not compile: ${target.diagnostics[0]?.message}`);
  const comparison = compareCells(learner.value, target.value, { notation });
  return comparison.equivalent ? { ok: true } : { ok: false, reason: 'difference', difference: comparison.difference };
}

export function feedback(result: StepResult, language: Language): Feedback {
  if (result.ok) return { messages: [] };
  switch (result.reason) {
    case 'difference': {
      const d = result.difference;
      return { messages: [differenceMessage(d, language)], ...('nodeId' in d && { nodeId: d.nodeId }) };
    }
    case 'does-not-compile': {
      const errors = result.diagnostics.filter((d) => d.severity === 'error').slice(0, SHOWN_ERRORS);
      const nodeId = errors.find((d) => d.nodeId !== undefined)?.nodeId;
      return { messages: errors.map((d) => renderDiagnostic(d, language)), ...(nodeId !== undefined && { nodeId }) };
    }
    case 'no-gate':
      return { messages: [NO_GATE[language]] };
  }
}
