/**
 * Why an arena cannot start, in English and Spanish. An issue names the spec's field at
 * fault (and the cell and task it is about); a cell that does not compile carries the
 * compiler's own diagnostics, worded in either language by renderDiagnostic.
 */
import { renderDiagnostic, type Diagnostic } from '../model/diagnostics';
import type { Lang } from '../model/messages';

export type ArenaProblem =
  | { readonly problem: 'no-cells' }
  | { readonly problem: 'duplicate-cell' }
  | { readonly problem: 'no-tasks' }
  | { readonly problem: 'unknown-task'; readonly name: string; readonly tasks: readonly string[] }
  | { readonly problem: 'duplicate-task' }
  | { readonly problem: 'whole-number'; readonly min: number; readonly max: number; readonly got: string }
  | { readonly problem: 'unknown-baseline'; readonly cells: readonly string[] }
  /** No hidden size gives a parameter count within the tolerance of the target: the nearest one. */
  | {
    readonly problem: 'unreachable-params'; readonly params: number; readonly tolerance: number;
    readonly nearest: { readonly hidden: number; readonly parameters: number };
    /** The count does not depend on the hidden size (the cell's state takes the input's size). */
    readonly fixed: boolean;
  }
  /** The cell, the task or the hyperparameters refused the run: the diagnostics say why. */
  | { readonly problem: 'diagnostics'; readonly diagnostics: readonly Diagnostic[] };

export interface ArenaIssue {
  /** The spec's field at fault: "seeds", "tasks[2]", "cells[1]", "sizing.params", "hyperparameters.lr" … */
  readonly field: string;
  /** The cell's id, where the issue is about one cell. */
  readonly cell?: string;
  readonly task?: string;
  readonly problem: ArenaProblem;
}

const pick = (lang: Lang, words: Record<Lang, string>): string => words[lang];
const quote = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** The issue as one sentence, starting with what it is about. */
export function renderArenaIssue(issue: ArenaIssue, lang: Lang): string {
  const about = [
    issue.cell === undefined ? '' : pick(lang, { en: `cell ${quote(issue.cell)}`, es: `celda ${quote(issue.cell)}` }),
    issue.task === undefined ? '' : pick(lang, { en: `task ${issue.task}`, es: `tarea ${issue.task}` }),
  ].filter((s) => s !== '').join(', ');
  return `${issue.field}${about === '' ? '' : ` (${about})`}: ${renderProblem(issue.problem, lang)}`;
}

function renderProblem(p: ArenaProblem, lang: Lang): string {
  switch (p.problem) {
    case 'no-cells':
      return pick(lang, { en: 'an arena needs at least one cell.', es: 'una arena necesita al menos una celda.' });
    case 'duplicate-cell':
      return pick(lang, { en: 'this cell is listed twice.', es: 'esta celda aparece dos veces.' });
    case 'no-tasks':
      return pick(lang, { en: 'an arena needs at least one task.', es: 'una arena necesita al menos una tarea.' });
    case 'unknown-task':
      return pick(lang, {
        en: `there is no task ${quote(p.name)}; the tasks are ${p.tasks.join(', ')}.`,
        es: `no hay ninguna tarea ${quote(p.name)}; las tareas son ${p.tasks.join(', ')}.`,
      });
    case 'duplicate-task':
      return pick(lang, { en: 'this task is listed twice.', es: 'esta tarea aparece dos veces.' });
    case 'whole-number':
      return pick(lang, {
        en: `must be a whole number from ${p.min} to ${p.max}, got ${p.got}.`,
        es: `debe ser un número entero de ${p.min} a ${p.max}; se recibió ${p.got}.`,
      });
    case 'unknown-baseline':
      return pick(lang, {
        en: `the baseline must be one of the cells: ${p.cells.map(quote).join(', ')}.`,
        es: `la referencia debe ser una de las celdas: ${p.cells.map(quote).join(', ')}.`,
      });
    case 'unreachable-params':
      if (p.fixed) {
        return pick(lang, {
          en: `no hidden size gives ${p.params} parameters within ${p.tolerance * 100}%: this cell's count does not change with the hidden size (its state takes the input's size); it has ${p.nearest.parameters}.`,
          es: `ningún tamaño oculto da ${p.params} parámetros con un margen del ${p.tolerance * 100}%: el número de parámetros de esta celda no cambia con el tamaño oculto (su estado toma el tamaño de la entrada); tiene ${p.nearest.parameters}.`,
        });
      }
      return pick(lang, {
        en: `no hidden size gives ${p.params} parameters within ${p.tolerance * 100}%; the nearest is ${p.nearest.parameters} at hidden ${p.nearest.hidden}.`,
        es: `ningún tamaño oculto da ${p.params} parámetros con un margen del ${p.tolerance * 100}%; el más cercano es ${p.nearest.parameters} con tamaño oculto ${p.nearest.hidden}.`,
      });
    case 'diagnostics':
      return p.diagnostics.map((d) => renderDiagnostic(d, lang)).join(' ');
  }
}
