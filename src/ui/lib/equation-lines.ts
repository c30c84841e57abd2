/**
 * How the equations panel lays out and paces a cell's lines. KaTeX's output
 * grows with the LaTeX it is given, and a large cell has hundreds of lines:
 * typesetting them all at once froze the page for minutes. So lines are
 * typeset in batches bounded by a number of lines and of LaTeX characters: the
 * first batch when a cell opens, the others one per frame once the user asks
 * to see them all, so the page stays responsive throughout.
 */

/** A batch holds at most this many lines… */
export const BATCH_LINES = 40;
/** …and at most this many characters of LaTeX (unless its one line is longer on its own). */
export const BATCH_LATEX_CHARS = 20_000;

export interface Budget {
  readonly lines: number;
  readonly chars: number;
}

export const EQUATION_BUDGET: Budget = { lines: BATCH_LINES, chars: BATCH_LATEX_CHARS };

/**
 * Where the batch starting at line `from` ends (exclusive): whole lines within
 * the budget, and always at least one line, so every batch makes progress.
 */
export function batchEnd(lines: readonly { readonly latex: string }[], from: number, budget: Budget = EQUATION_BUDGET): number {
  let end = from;
  let chars = 0;
  while (end < lines.length && end - from < budget.lines) {
    chars += lines[end].latex.length;
    if (chars > budget.chars && end > from) break;
    end += 1;
  }
  return end;
}

/**
 * Whether a line is typeset. A line longer than a whole batch would cost as
 * much as one on its own; it is shown as plain text instead.
 */
export function typesets(latex: string, budget: Budget = EQUATION_BUDGET): boolean {
  return latex.length <= budget.chars;
}

/** Splits "lhs = rhs" at the first " = " (left-hand sides are generated names, never containing one). */
export function splitAtEquals(latex: string): { lhs: string; rhs: string } | undefined {
  const at = latex.indexOf(' = ');
  return at < 0 ? undefined : { lhs: latex.slice(0, at), rhs: latex.slice(at + 3) };
}
