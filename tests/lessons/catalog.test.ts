/**
 * The built-in lessons are valid data: each survives JSON and the lesson loader
 * unchanged (as a workshop pack would carry it), its starting cell loads, every
 * target compiles and asks for something new, and the last target of a lesson
 * that builds a known cell computes that example.
 */
import { describe, expect, it } from 'vitest';
import { compareCells } from '../../src/compiler/equivalence';
import { LESSONS } from '../../src/lessons/catalog';
import { compileForCheck } from '../../src/lessons/check';
import { loadLesson } from '../../src/lessons/load';
import { LESSON_ID, type Lesson } from '../../src/lessons/types';
import { loadCell } from '../../src/model/load';
import { loadExample } from '../helpers';

/** The example each cell-building lesson ends with. */
const REFERENCES: Readonly<Record<string, string>> = { recurrence: 'rnn', lstm: 'lstm', gru: 'gru' };

const targets = (lesson: Lesson) => lesson.steps.flatMap((s) => (s.check.kind === 'match' ? [s.check.target] : []));

describe('the built-in lessons', () => {
  it('follow the tutorial: recurrence, task shapes, short memory, LSTM, GRU, a gate of your own', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['recurrence', 'task-shapes', 'short-memory', 'lstm', 'gru', 'own-gate']);
  });

  describe.each(LESSONS.map((l) => [l.id, l] as const))('%s', (_id, lesson) => {
    it('loads through loadLesson from its JSON, unchanged', () => {
      expect(lesson.id).toMatch(LESSON_ID);
      const loaded = loadLesson(JSON.parse(JSON.stringify(lesson)));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics, null, 1));
      expect(loaded.value).toEqual(lesson);
    });

    it('has a starting cell that loads, and Spanish labels only for its nodes', () => {
      expect(loadCell(JSON.parse(JSON.stringify(lesson.start))).ok).toBe(true);
      const ids = new Set(lesson.start.nodes.map((n) => n.id));
      for (const id of Object.keys(lesson.startLabels?.es ?? {})) expect(ids).toContain(id);
    });

    it('has every text in English and Spanish, translated', () => {
      const texts = [lesson.title, lesson.goal, lesson.intro, ...lesson.steps.flatMap((s) => [s.instruction, ...s.hints])];
      for (const t of texts) {
        expect(t.en.trim()).not.toBe('');
        expect(t.es.trim()).not.toBe('');
        expect(t.es).not.toBe(t.en);
      }
    });

    it('has targets that compile, each one different from the cell before it', () => {
      let previous = compileForCheck(lesson.start);
      for (const target of targets(lesson)) {
        const compiled = compileForCheck(target);
        if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
        if (previous.ok) expect(compareCells(previous.value, compiled.value).equivalent).toBe(false);
        previous = compiled;
      }
    });
  });

  it.each(Object.entries(REFERENCES))('%s ends with the %s example', (id, example) => {
    const lesson = LESSONS.find((l) => l.id === id) as Lesson;
    const last = compileForCheck(targets(lesson).at(-1) as Lesson['start']);
    const reference = compileForCheck(loadExample(example));
    if (!last.ok || !reference.ok) throw new Error('does not compile');
    expect(compareCells(last.value, reference.value).equivalent).toBe(true);
  });

  it('checks the LSTM and GRU lessons at every step and the others where they build a cell', () => {
    const kinds = Object.fromEntries(LESSONS.map((l) => [l.id, l.steps.map((s) => s.check.kind).join(' ')]));
    expect(kinds).toMatchObject({ recurrence: 'match match done', lstm: 'match match match', gru: 'match match', 'own-gate': 'gate' });
  });
});
