/**
 * Checking a learner's cell at each checked step of the built-in lessons: the
 * target however wired passes; the cell the step starts from, and a typical
 * mistake, are refused with the first difference named in the learner's terms
 * (English and Spanish) and the node to show; a cell that does not compile gets
 * its own problems; the open gate lesson takes any compiling σ-feeds-⊙ cell.
 */
import { describe, expect, it } from 'vitest';
import { lessonById } from '../../src/lessons/catalog';
import { grow } from '../../src/lessons/cells';
import { cellAtStep, checkStep, feedback } from '../../src/lessons/check';
import type { Lesson, LessonStep } from '../../src/lessons/types';
import type { Cell } from '../../src/model/cell';
import { removeNodes } from '../../src/model/edit';
import { disguise, swapAllOperands, withKind } from '../compiler/rewire';

const lesson = (id: string): Lesson => {
  const found = lessonById(id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
};

const targetOf = (step: LessonStep): Cell => {
  if (step.check.kind !== 'match') throw new Error('not a checked step');
  return step.check.target;
};

const before = cellAtStep;

/** [lesson, step, a mistake (made from the cell the step starts with), its English message, its Spanish one, the node shown]. */
const MISTAKES: readonly (readonly [string, number, (start: Cell) => Cell, string, string, string])[] = [
  ['recurrence', 0, (c) => grow(c, [{ id: 'lin', kind: 'linear', at: [0, 0] }, { id: 'act', kind: 'sigmoid', at: [0, 0] }], ['x -> lin.in', 'lin -> act.in', 'act -> a.next', 'act -> y.y']),
    'Node "act" uses σ where tanh is expected (a_t in the target cell).', 'El nodo "act" usa σ donde se espera tanh (a_t en la celda objetivo).', 'act'],
  ['recurrence', 1, (c) => grow(c, [{ id: 'cat', kind: 'concat', at: [0, 0] }], ['a -> cat.in0', 'x -> cat.in1', 'cat -> lin.in', 'lin -> a.next']),
    'Node "hidden" stores W·a_{t−1} + W·x_t + b where the target cell has tanh(W·a_{t−1} + W·x_t + b): tanh is missing.',
    'El nodo "hidden" guarda W·a_{t−1} + W·x_t + b donde la celda objetivo tiene tanh(W·a_{t−1} + W·x_t + b): falta tanh.', 'a'],
  ['lstm', 0, (c) => grow(c, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'tanh', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }],
    ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'c -> times.b', 'times -> c_new.a']),
  'Node "gate" uses tanh where σ is expected (f_t in the target cell).', 'El nodo "gate" usa tanh donde se espera σ (f_t en la celda objetivo).', 'gate'],
  ['lstm', 0, (c) => grow(c, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'sigmoid', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }],
    ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'a -> times.b', 'times -> c_new.a']),
  'Node "times" multiplies a_{t−1}; it should multiply c_{t−1}.', 'El nodo "times" multiplica a_{t−1}; debería multiplicar c_{t−1}.', 'times'],
  ['lstm', 1, (c) => grow(c, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'sigmoid', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }],
    ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'Wcc -> times.b', 'times -> c_new.b']),
  'Node "times" multiplies W·a_{t−1} + W·x_t + b where the target cell has tanh(W·a_{t−1} + W·x_t + b): tanh is missing.',
  'El nodo "times" multiplica W·a_{t−1} + W·x_t + b donde la celda objetivo tiene tanh(W·a_{t−1} + W·x_t + b): falta tanh.', 'times'],
  ['lstm', 2, (c) => grow(c, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'sigmoid', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }],
    ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'c_new -> times.b', 'times -> a.next', 'times -> y.y']),
  'Node "times" multiplies f_t ⊙ c_{t−1} + u_t ⊙ c\'_t where the target cell has tanh(c_t): tanh is missing.',
  'El nodo "times" multiplica f_t ⊙ c_{t−1} + u_t ⊙ c\'_t donde la celda objetivo tiene tanh(c_t): falta tanh.', 'times'],
  // The whole update gate wired, with a multiply where the two branches should be added.
  ['gru', 0, () => withKind(targetOf(lesson('gru').steps[0]), 'h_new', 'multiply'),
    'Node "h_new" computes ⊙ where the target cell computes + (a_t).', 'El nodo "h_new" calcula ⊙ donde la celda objetivo calcula + (a_t).', 'h_new'],
  ['gru', 1, (c) => grow(c, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'tanh', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }, { id: 'cat2', kind: 'concat', at: [0, 0] }],
    ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'h -> times.b', 'x -> cat2.in0', 'times -> cat2.in1', 'cat2 -> Wh.in']),
  'Node "gate" uses tanh where σ is expected (r_t in the target cell).', 'El nodo "gate" usa tanh donde se espera σ (r_t en la celda objetivo).', 'gate'],
];

describe('checking a step', () => {
  const checked = (['recurrence', 'lstm', 'gru'] as const).flatMap((id) => lesson(id).steps.flatMap((s, k) => (s.check.kind === 'match' ? [[id, k] as const] : [])));

  it.each(checked)('%s step %i passes with its target, disguised and with every operand swapped', (id, k) => {
    const step = lesson(id).steps[k];
    expect(checkStep(targetOf(step), step)).toEqual({ ok: true });
    expect(checkStep(disguise(swapAllOperands(targetOf(step))).cell, step)).toEqual({ ok: true });
  });

  it.each(checked)('%s step %i refuses the cell it starts from, naming a node of it', (id, k) => {
    const l = lesson(id);
    const result = checkStep(before(l, k), l.steps[k]);
    // The recurrence lesson starts unwired: its cell does not compile yet.
    expect(result).toMatchObject({ ok: false, reason: id === 'recurrence' && k === 0 ? 'does-not-compile' : 'difference' });
    const said = feedback(result, 'en');
    expect(said.messages.length).toBeGreaterThan(0);
    expect(before(l, k).nodes.map((n) => n.id)).toContain(said.nodeId);
  });

  it.each(MISTAKES)('%s step %i: a mistake gets its named hint', (id, k, mistake, en, es, nodeId) => {
    const l = lesson(id);
    const result = checkStep(mistake(before(l, k)), l.steps[k]);
    expect(result.ok).toBe(false);
    expect(feedback(result, 'en').messages[0]).toContain(en);
    expect(feedback(result, 'es').messages[0]).toContain(es);
    expect(feedback(result, 'en').nodeId).toBe(nodeId);
  });

  it('words a difference in the notation asked for', () => {
    const l = lesson('lstm');
    const mistake = grow(l.start, [{ id: 'g', kind: 'linear', at: [0, 0] }, { id: 'gate', kind: 'sigmoid', at: [0, 0] }, { id: 'times', kind: 'multiply', at: [0, 0] }],
      ['cat -> g.in', 'g -> gate.in', 'gate -> times.a', 'a -> times.b', 'times -> c_new.a']);
    expect(feedback(checkStep(mistake, l.steps[0], 'olah'), 'en').messages[0]).toBe('Node "times" multiplies h_{t−1}; it should multiply C_{t−1}.');
  });

  it('answers a cell that does not compile with its own errors, in each language, pointing at a node', () => {
    const l = lesson('lstm');
    const broken = removeNodes(targetOf(l.steps[0]), ['Wf']);
    const result = checkStep(broken, l.steps[0]);
    expect(result).toMatchObject({ ok: false, reason: 'does-not-compile' });
    const en = feedback(result, 'en');
    expect(en.messages.length).toBeGreaterThan(0);
    expect(en.messages[0]).toMatch(/not connected|unconnected/i);
    expect(feedback(result, 'es').messages[0]).not.toBe(en.messages[0]);
    expect(en.nodeId).toBe('f');
  });

  it('resumes a step from the last target before it', () => {
    const l = lesson('recurrence');
    expect(cellAtStep(l, 0)).toBe(l.start);
    expect(cellAtStep(l, 2)).toBe(targetOf(l.steps[1]));
    expect(cellAtStep(l, 3)).toBe(targetOf(l.steps[1]));
  });

  it('passes a "done" step whatever the cell', () => {
    const step = lesson('task-shapes').steps[0];
    expect(checkStep(lesson('recurrence').start, step)).toEqual({ ok: true });
  });
});

describe('the open gate lesson', () => {
  const step = lesson('own-gate').steps[0];
  const elman = lesson('own-gate').start;
  /** The tutorial-style read gate: g ⊙ a_{t−1} in place of a_{t−1}. */
  const gated = grow(elman, [{ id: 'Wg', kind: 'linear', at: [0, 0] }, { id: 'g', kind: 'sigmoid', at: [0, 0] }, { id: 'read', kind: 'multiply', at: [0, 0] }],
    ['cat -> Wg.in', 'Wg -> g.in', 'g -> read.a', 'a -> read.b', 'read -> cat.in0']);

  it('refuses the plain Elman cell: no σ feeds a multiply', () => {
    const result = checkStep(elman, step);
    expect(result).toEqual({ ok: false, reason: 'no-gate' });
    expect(feedback(result, 'en').messages[0]).toContain('no σ feeds a multiply');
    expect(feedback(result, 'es').messages[0]).toContain('ningún σ alimenta una multiplicación');
  });

  it('refuses a gate that makes the cell loop without a state', () => {
    expect(checkStep(gated, step)).toMatchObject({ ok: false, reason: 'does-not-compile' });
  });

  it('takes a σ that scales a value of the cell', () => {
    const onOutput = grow(elman, [{ id: 'Wg', kind: 'linear', at: [0, 0] }, { id: 'g', kind: 'sigmoid', at: [0, 0] }, { id: 'out', kind: 'multiply', at: [0, 0] }],
      ['cat -> Wg.in', 'Wg -> g.in', 'act -> out.a', 'g -> out.b', 'out -> y.y']);
    expect(checkStep(onOutput, step)).toEqual({ ok: true });
  });
});
