/** The equations panel's pacing: batches bounded in lines and LaTeX characters, and lines too long to typeset. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/compiler/analyze';
import { deriveEquations } from '../../src/compiler/equations';
import { batchEnd, EQUATION_BUDGET, splitAtEquals, typesets } from '../../src/ui/lib/equation-lines';
import { loadExample } from '../helpers';

const lines = (...lengths: number[]) => lengths.map((n) => ({ latex: 'x'.repeat(n) }));

describe('equation batches', () => {
  it('takes every line of a small cell in one batch', () => {
    const compiled = analyze(loadExample('lstm')).compiled;
    expect(compiled).toBeDefined();
    const equations = deriveEquations(compiled!.shaped, 'tutorial');
    expect(batchEnd(equations, 0)).toBe(equations.length);
  });

  it('stops at the line budget: 312 short lines show 40, then 40 more from there', () => {
    const many = lines(...Array<number>(312).fill(30));
    expect(batchEnd(many, 0)).toBe(EQUATION_BUDGET.lines);
    expect(batchEnd(many, 40)).toBe(80);
    expect(batchEnd(many, 300)).toBe(312);
    expect(batchEnd(many, 312)).toBe(312);
  });

  it('stops at the character budget, with whole lines', () => {
    const budget = { lines: 100, chars: 1000 };
    expect(batchEnd(lines(400, 400, 400, 10), 0, budget)).toBe(2);
    expect(batchEnd(lines(400, 400, 200, 10), 0, budget)).toBe(3);
    expect(batchEnd(lines(400, 400, 200, 10), 2, budget)).toBe(4);
  });

  it('always takes at least one line, however long, so every batch makes progress', () => {
    const budget = { lines: 10, chars: 100 };
    expect(batchEnd(lines(5000, 5), 0, budget)).toBe(1);
    expect(batchEnd(lines(5000, 5), 1, budget)).toBe(2);
  });

  it('shows a line longer than a whole batch as text rather than typesetting it', () => {
    expect(typesets('x'.repeat(EQUATION_BUDGET.chars))).toBe(true);
    expect(typesets('x'.repeat(EQUATION_BUDGET.chars + 1))).toBe(false);
  });

  it('splits a line at its first " = "', () => {
    expect(splitAtEquals('a_t = b = c')).toEqual({ lhs: 'a_t', rhs: 'b = c' });
    expect(splitAtEquals('x_t')).toBeUndefined();
  });
});
