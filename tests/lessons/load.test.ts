/**
 * loadLesson takes untrusted JSON (a workshop pack's lessons): every problem is
 * refused with a diagnostic naming the field at fault, worded in English and
 * Spanish from its code, and nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { lessonById } from '../../src/lessons/catalog';
import { loadLesson } from '../../src/lessons/load';
import { renderDiagnostic, type Diagnostic } from '../../src/model/diagnostics';

type Json = Record<string, unknown> & { steps: Record<string, unknown>[] };

/** The LSTM lesson as JSON, to break one field at a time. */
const lstmJson = (): Json => JSON.parse(JSON.stringify(lessonById('lstm'))) as Json;
const checkOf = (json: Json, k: number) => json.steps[k].check as Record<string, unknown>;

const refused = (json: unknown): Diagnostic[] => {
  const loaded = loadLesson(json);
  if (loaded.ok) throw new Error('loaded');
  return loaded.diagnostics;
};

/** [what is wrong, the broken lesson, the code and path of the first error expected]. */
const BROKEN: readonly (readonly [string, () => unknown, string, string])[] = [
  ['not an object', () => [1, 2], 'bad-field', 'lesson'],
  ['an id with capitals', () => ({ ...lstmJson(), id: 'LSTM' }), 'bad-field', 'id'],
  ['an id with a slash', () => ({ ...lstmJson(), id: '../x' }), 'bad-field', 'id'],
  ['no Spanish title', () => ({ ...lstmJson(), title: { en: 'LSTM' } }), 'bad-field', 'title.es'],
  ['an empty goal', () => ({ ...lstmJson(), goal: { en: ' ', es: 'x' } }), 'bad-field', 'goal.en'],
  ['a language the app does not speak', () => ({ ...lstmJson(), intro: { en: 'a', es: 'b', fr: 'c' } }), 'bad-key', 'intro.fr'],
  ['a control character in an instruction', () => {
    const json = lstmJson();
    json.steps[1].instruction = { en: 'ok', es: 'bad\u0007' };
    return json;
  }, 'bad-field', 'steps[1].instruction.es'],
  ['a bidi override in a hint', () => {
    const json = lstmJson();
    json.steps[0].hints = [{ en: 'x\u202ey', es: 'z' }];
    return json;
  }, 'bad-field', 'steps[0].hints[0].en'],
  ['an unknown field', () => ({ ...lstmJson(), script: 'alert(1)' }), 'bad-key', 'script'],
  ['no steps', () => ({ ...lstmJson(), steps: [] }), 'bad-field', 'steps.length'],
  ['steps that are not a list', () => ({ ...lstmJson(), steps: {} }), 'bad-field', 'steps'],
  ['too many steps', () => ({ ...lstmJson(), steps: Array.from({ length: 41 }, () => lstmJson().steps[0]) }), 'too-many', 'steps'],
  ['an unknown check', () => {
    const json = lstmJson();
    json.steps[2].check = { kind: 'eval' };
    return json;
  }, 'bad-field', 'steps[2].check.kind'],
  ['a starting cell of another format', () => ({ ...lstmJson(), start: { format: 'celda-project' } }), 'wrong-format', 'start.format'],
  ['a target node with a bad id', () => {
    const json = lstmJson();
    (checkOf(json, 1).target as { nodes: { id: string }[] }).nodes[0].id = 'x y';
    return json;
  }, 'bad-node-id', 'steps[1].check.target.nodes[0].id'],
  ['a target that does not compile', () => {
    const json = lstmJson();
    const target = checkOf(json, 0).target as { connections: { to: string }[] };
    target.connections = target.connections.filter((c) => c.to !== 'f');
    return json;
  }, 'lesson-target-does-not-compile', 'steps[0].check.target'],
  ['a step that asks for nothing new', () => {
    const json = lstmJson();
    checkOf(json, 1).target = checkOf(json, 0).target;
    return json;
  }, 'lesson-step-unchanged', 'steps[1].check.target'],
  ['a first step whose target is the starting cell', () => {
    const json = lstmJson();
    checkOf(json, 0).target = json.start;
    return json;
  }, 'lesson-step-unchanged', 'steps[0].check.target'],
  ['a Spanish label for a node the starting cell lacks', () => ({ ...lstmJson(), startLabels: { es: { ghost: 'fantasma' } } }), 'bad-key', 'startLabels.es.ghost'],
];

describe('loadLesson refuses', () => {
  it.each(BROKEN)('%s, naming the field', (_what, broken, code, path) => {
    const errors = refused(broken()).filter((d) => d.severity === 'error');
    expect(errors[0]).toMatchObject({ code, path });
    for (const d of errors) {
      expect(renderDiagnostic(d, 'en')).not.toBe(renderDiagnostic(d, 'es'));
    }
  });

  it('names the field in the sentence itself, in both languages', () => {
    const [d] = refused({ ...lstmJson(), title: { en: 'LSTM', es: 7 } });
    expect(renderDiagnostic(d, 'en')).toBe('title.es must be text of 1 to 120 characters without control characters; got 7.');
    expect(renderDiagnostic(d, 'es')).toBe('title.es debe ser un texto de 1 a 120 caracteres, sin caracteres de control; recibido: 7.');
  });

  it('reports every problem at once', () => {
    const codes = refused({ ...lstmJson(), id: 'X', goal: 3, steps: 'none' }).map((d) => d.path);
    expect(codes).toEqual(['id', 'goal', 'steps']);
  });

  it('says why a step asks for nothing new', () => {
    const json = lstmJson();
    checkOf(json, 2).target = checkOf(json, 1).target;
    const [d] = refused(json);
    expect(renderDiagnostic(d, 'en')).toBe('steps[2].check.target computes the same as steps[1].check.target: the step asks for nothing new.');
  });
});

describe('loadLesson accepts', () => {
  it('a lesson whose steps are all about watching, and one with no Spanish labels', () => {
    const json = { ...lstmJson(), steps: [{ instruction: { en: 'Look', es: 'Mira' }, hints: [], check: { kind: 'done' } }] };
    delete (json as Record<string, unknown>).startLabels;
    const loaded = loadLesson(json);
    expect(loaded.ok && loaded.value.steps[0].check).toEqual({ kind: 'done' });
    expect(loaded.ok && loaded.value.startLabels).toBeUndefined();
  });
});
