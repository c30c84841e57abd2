/**
 * Diagnostics are worded from their code and params (src/model/messages.ts), in
 * English and Spanish. Every code renders in both languages from sample params;
 * a guard fails when a call site uses a code the table does not have.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConnection } from '../../src/compiler/analyze';
import { compile } from '../../src/compiler';
import { disconnect } from '../../src/model/edit';
import { error, renderDiagnostic, warning, type Diagnostic } from '../../src/model/diagnostics';
import { loadCellText, preview } from '../../src/model/load';
import { MESSAGES, renderMessage, renderTaskProblem, show, showKind, showWhat, type DiagnosticCode, type Lang, type MessageParams, type TaskProblem } from '../../src/model/messages';
import { loadExample } from '../helpers';

const node = { id: 'f', kind: 'sigmoid', label: 'forget', kindEs: 'sigmoide' };

/** One of every task problem (src/runtime/tasks), with the field its TaskError names. */
const TASK_ERRORS: readonly { field: string; problem: TaskProblem }[] = [
  { field: 'delay', problem: { problem: 'out-of-range', field: 'delay', number: 'whole', min: 1, max: 9980, got: showWhat([1], 'array') } },
  { field: 'noise', problem: { problem: 'out-of-range', field: 'noise', number: 'any', min: 0, max: 1, got: show('loud') } },
  { field: 'task', problem: { problem: 'unknown-task', name: '"nope"', tasks: ['charlm', 'adding', 'copy', 'order', 'sine'] } },
  { field: 'options', problem: { problem: 'options-not-an-object', got: show(null) } },
  { field: 'foo', problem: { problem: 'unknown-option', option: 'foo', task: 'copy', options: ['delay'] } },
  { field: 'foo', problem: { problem: 'unknown-option', option: 'foo', task: 'adding', options: [] } },
  { field: 'length', problem: { problem: 'copy-length', length: 120, delay: 100, span: 20, got: show(50) } },
  { field: 'length', problem: { problem: 'window-length', min: 1, max: 5113, validation: 5114, got: show(9999) } },
  { field: 'text', problem: { problem: 'text-not-a-string' } },
  { field: 'text', problem: { problem: 'text-empty' } },
  { field: 'text', problem: { problem: 'text-too-long', bytes: 62914560, atLeast: true, max: 52428800 } },
  { field: 'text', problem: { problem: 'text-too-long', bytes: 62914560, atLeast: false, max: 52428800 } },
  { field: 'text', problem: { problem: 'text-too-many-characters', distinct: 400, max: 256 } },
  { field: 'text', problem: { problem: 'text-too-short', chars: 2, min: 200 } },
  { field: 'validationFraction', problem: { problem: 'split-too-small', fraction: 0.01, chars: 240, train: 238, validation: 2, min: 20 } },
  { field: 'text', problem: { problem: 'unknown-character', character: '"☃" (U+2603)', position: 5 } },
];

/** Params for each code, one per form its message takes. */
const SAMPLES: { readonly [C in DiagnosticCode]: readonly MessageParams<C>[] } = {
  'file-too-large': [{ chars: 6000000, max: 5000000 }],
  'not-json': [{ detail: 'X 17' }, { notText: true }],
  'not-an-object': [{ file: 'cell' }, { file: 'project' }, { file: 'backup' }, { file: 'workshop' }],
  'wrong-format': [{ file: 'cell', expected: 'celda-cell', got: show('celda-params') }, { file: 'backup', expected: 'celda-backup', got: show(42) }],
  'bad-version': [{ got: show(0) }, { got: show('1'), expected: 1 }, { file: 'checkpoint', version: '2', supported: 1 }],
  'newer-version': [{ file: 'cell', version: 3, supported: 1 }, { file: 'project', version: 2, supported: 1 }],
  'no-migration': [{ version: 1 }],
  'migration-failed': [{ version: 1, detail: 'X 17' }],
  'bad-metadata': [{}],
  'bad-sizes': [{ field: 'sizes' }, { field: 'sizes.named' }],
  'too-many-sizes': [{ max: 32, count: 33 }],
  'bad-size-name': [{ name: show('2x') }],
  'bad-size': [{ field: 'sizes.input', max: 4096, got: show([1, 2]) }, { size: 'hidden', max: 4096, got: show(0) }],
  'bad-nodes': [{}],
  'too-many-nodes': [{ max: 1000, count: 1001 }],
  'duplicate-node-id': [{ id: 'Wf' }],
  'bad-node': [{ field: 'nodes[3]' }],
  'bad-node-id': [{ field: 'nodes[3].id', max: 64, got: show('W f') }],
  'reserved-node-id': [{ id: 'constructor' }],
  'bad-node-kind': [{ id: 'Wf', got: show({}) }],
  'bad-params': [{ id: 'Wf' }, { id: 'Wf', count: 40 }],
  'bad-param-value': [{ id: 'Wf', param: show('out'), got: show(null) }],
  'bad-position': [{ id: 'Wf' }],
  'bad-connections': [{}],
  'too-many-connections': [{ max: 4000, count: 4001 }],
  'bad-connection': [{ field: 'connections[2]' }],
  'bad-text': [{ field: 'metadata.name', max: 80, got: show(12) }],
  'unknown-kind': [{ node, kind: 'softsign' }],
  'unknown-param': [{ id: 'Wf', param: 'toString' }, { node: { id: 'Wf', kind: 'linear', kindEs: 'lineal' }, param: 'bias_init', accepted: ['out', 'bias'] }, { node, param: 'gain', accepted: [] }],
  'bad-param': [
    { node, param: 'biasInit', problem: { problem: 'number-range', min: -100, max: 100, got: '1000' } },
    { node, param: 'inputs', problem: { problem: 'integer-range', min: 1, max: 8, got: '2.5' } },
    { node, param: 'bias', problem: { problem: 'not-boolean', got: '"yes"' } },
    { node, param: 'init', problem: { problem: 'not-an-option', options: ['xavier', 'zeros'], got: '"he"' } },
    { node, param: 'out', problem: { problem: 'not-whole', max: 1048576, got: '-1' } },
    { node, param: 'out', problem: { problem: 'not-a-size', type: 'boolean' } },
    { node, param: 'out', problem: { problem: 'too-long' } },
    { node, param: 'out', problem: { problem: 'too-many-terms', max: 8 } },
    { node, param: 'out', problem: { problem: 'unreadable-term', term: 'hidden * 2', size: 'hidden * 2' } },
    { node, param: 'out', problem: { problem: 'coefficient-too-large', coefficient: 9999999, size: '9999999*hidden' } },
  ],
  'dangling-connection': [{ index: 4, end: 'from', id: 'gone' }, { index: 4, end: 'to', id: 'gone' }],
  'unknown-port': [{ node, port: 'y', output: 'out' }, { node, port: 'y', output: null }, { node, port: 'c', inputs: ['a', 'b'] }, { node, port: 'c', inputs: [] }],
  'duplicate-connection': [{ node, port: 'in' }],
  'port-already-connected': [{ node, port: 'in', first: 'cat', second: 'Wf' }],
  'state-never-written': [{ node }],
  'unconnected-input': [{ node, port: 'in' }],
  'no-output': [{}],
  'several-outputs': [{ node }],
  'no-input': [{}],
  'cycle-without-state': [{ node, port: 'in1', from: 'cat' }],
  'shape-mismatch': [
    { node, problem: { problem: 'operand-size', port: 'b', expected: 'hidden', reference: 'a', got: 'hidden + input' } },
    { node, problem: { problem: 'state-size', expected: 'hidden', got: '2*hidden' } },
  ],
  'unknown-size': [{ node, param: 'out', unknown: ['proj'], known: ['hidden', 'input'] }, { node, param: 'out', unknown: ['p', 'q'], known: ['hidden', 'input'] }],
  'size-too-large': [{ node, elements: 100000, max: 65536 }, { node, weight: 'W', elements: 33554432, perTensor: 16777216, total: 67108864 }],
  'size-out-of-range': [{ node, size: 'hidden + -4', value: 0 }, { node, problem: { problem: 'slice-beyond-input', port: 'in', first: 17, last: 32, available: 32 } }],
  'connection-end-missing': [{}],
  'connection-unknown-output': [{ node, port: 'y' }],
  'connection-unknown-input': [{ node, port: 'c' }],
  'connection-loop-without-state': [{ node: { id: 'cat', kind: 'concat', kindEs: 'concatenar' }, port: 'in1' }],
  'bad-field': [
    { field: 'project.view.zoom', expected: { kind: 'number', min: 0.01, max: 100, integer: false }, got: show(0) },
    { field: 'runs[0].seed', expected: { kind: 'number', min: 0, max: 4294967295, integer: true }, got: show(1.5) },
    { field: 'project.name', expected: { kind: 'text', max: 200 }, got: show(7) },
    { field: 'runs[0].status', expected: { kind: 'one-of', options: ['done', 'failed'] }, got: show('x') },
    ...(['object', 'list', 'json', 'id', 'hash', 'task', 'typed-array', 'lesson-id'] as const).map((kind) => ({ field: 'runs[0].config', expected: { kind }, got: show([]) })),
    { field: 'title.es', expected: { kind: 'nonempty-text', max: 200 }, got: show('') },
    { field: 'checkpoints[0].tensors[0].values', expected: { kind: 'base64' }, got: { undecodable: true } },
    { field: 'runs[0].metrics[0]', problem: 'lengths-differ' },
    { field: 'checkpoints[0].tensors[0].values[3]', problem: 'not-finite' },
    { field: 'checkpoints[0].tensors[0]', problem: 'shape-mismatch', shape: [2, 3], values: 5 },
  ],
  'too-many': [
    { field: 'runs', max: 10000, count: 10001, of: 'records' },
    { field: 'runs[0].metrics', max: 64, count: 65, of: 'items' },
    { field: 'project.settings', max: 256, count: 300, of: 'keys' },
    { field: 'checkpoints[0].tensors[0].values', max: 16777216, count: 16777217, of: 'numbers' },
  ],
  'bad-key': [{ field: 'project.settings.__proto__', key: show('__proto__') }],
  'too-deep': [{ field: 'project.settings.a', max: 8 }],
  'duplicate-id': [{ field: 'runs[1].id', id: 'r1' }],
  'missing-run': [{ field: 'checkpoints[0].runId', id: 'r9' }],
  'missing-link': [{ field: 'runs[0].projectId', target: 'project' }, { field: 'checkpoints[0].runId', target: 'run' }],
  'storage-quota': [{}],
  'storage-blocked': [{}],
  'storage-version': [{}],
  'storage-unavailable': [{}],
  'storage-closed': [{}],
  'storage-unknown': [{ detail: 'X 17' }],
  'bad-hyperparameter': [
    { problem: 'out-of-range', field: 'steps', number: 'whole', min: 1, max: 10000000, got: { text: '0' } },
    { problem: 'out-of-range', field: 'lr', number: 'finite', min: 1e-8, max: 10, got: { text: '-1' } },
    { problem: 'one-of', field: 'optimizer', options: ['sgd', 'rmsprop', 'adam'], got: { text: '"adamw"' } },
    { problem: 'task-shape', task: 'copy', shape: { problem: 'copy-length', length: 120, delay: 100, span: 20, got: show(50) } },
  ],
  'bad-task': TASK_ERRORS,
  'cell-reads-no-input': [{ task: 'adding' }],
  'input-size-mismatch': [{ task: 'adding', feeds: 2, compiled: 3 }],
  'output-size': [{}],
  'not-a-checkpoint': [{ format: 'celda-checkpoint' }],
  'checkpoint-cell-mismatch': [{ name: 'GRU', hash: 'deadbeefdeadbeef', expected: 'ab26f4c2f0855eaa' }],
  'bad-checkpoint': [
    { problem: 'out-of-range', field: 'stepsDone', number: 'whole', min: 0, max: 10000000, got: showWhat({}) },
    { problem: 'out-of-range', field: 'config.batch', number: 'whole', min: 1, max: 1024, got: { text: '0' } },
    { problem: 'one-of', field: 'task.loss', options: ['"cross-entropy"', '"mse"'], got: show('hinge') },
    { problem: 'not-an-object', part: 'optimizer' },
    { problem: 'not-an-object', part: 'task' },
    { problem: 'bad-config', got: showWhat([]) },
    { problem: 'bad-schedule' },
    { problem: 'slot-count', field: 'optimizer.slots.m', arrays: 8 },
    { problem: 'task-name', got: show('') },
    { problem: 'input-size', inputSize: 3, reads: 2 },
    { problem: 'vocabulary-not-characters' },
    { problem: 'vocabulary-size', characters: 3, inputSize: show(2), outputSize: show('q') },
    { problem: 'list-length', field: 'readout.W', length: 8, count: 4 },
    { problem: 'not-a-list', field: 'params.Wz.W', length: 24, type: 'object' },
    { problem: 'not-finite', field: 'params.Wz.W[3]' },
  ],
  'params-not-an-object': [{ format: 'celda-params', got: showKind([]) }, { format: 'celda-params', got: showKind('abc') }],
  'params-wrong-format': [{ expected: 'celda-params', got: show('celda-cell') }],
  'params-bad-version': [{ got: show('1') }],
  'params-newer-version': [{ version: 2, supported: 1 }],
  'params-bad-seed': [{ max: 4294967295, got: show(-1) }],
  'params-bad-sizes': [{}, { count: 40, max: 34 }],
  'params-bad-size': [{ field: 'sizes.input', max: 4096, got: show(3.5) }],
  'params-missing-size': [{ size: 'hidden' }, { size: 'proj', cell: 2 }],
  'params-size-mismatch': [{ size: 'hidden', file: 5, cell: 3 }],
  'params-unknown-size': [{ size: 'zzz', known: ['proj', 'input', 'hidden'] }],
  'params-bad-params': [{}],
  'params-other-cell': [{ fileNodes: ['a', 'b'], more: false, cellNodes: ['h', 'lin'] }, { fileNodes: ['n0', 'n1'], more: true, cellNodes: [] }],
  'params-unknown-node': [{ id: 'Wx', known: ['h', 'lin'] }, { id: 'Wx', known: [] }],
  'params-bad-node': [{ id: 'lin', got: showKind(3) }, { id: 'lin', got: showKind({}) }, { id: 'lin', got: showKind(null) }],
  'params-unknown-tensor': [{ id: 'lin', tensor: 'gamma', tensors: ['W', 'b'] }, { id: 'lin', tensor: 'gamma', tensors: [] }],
  'params-missing-tensor': [{ id: 'lin', tensor: 'W', shape: [3, 5] }],
  'params-bad-shape': [
    { id: 'lin', tensor: 'W', shape: [3], problem: { problem: 'not-a-list', got: showKind('abc') } },
    { id: 'lin', tensor: 'W', shape: [3, 5], problem: { problem: 'not-a-list', got: showKind(true) } },
    { id: 'lin', tensor: 'W', shape: [3, 5], problem: { problem: 'rows', rows: 1 } },
    { id: 'lin', tensor: 'W', shape: [3, 5], problem: { problem: 'length', row: 1, entries: 1 } },
    { id: 'lin', tensor: 'W', shape: [3], problem: { problem: 'length', row: null, entries: 7 } },
    { id: 'lin', tensor: 'W', shape: [3, 5], problem: { problem: 'row-not-a-list', row: 1, got: showKind({}) } },
  ],
  'params-not-finite': [{ id: 'lin', tensor: 'W', index: [1, 2], got: show(null) }],
  'params-too-many-errors': [{ more: 30 }],
  'link-empty': [{}],
  'link-too-long': [{ chars: 40000, max: 32000 }],
  'link-not-base64': [{ character: '"!" (U+0021)', position: 7 }, { length: 5 }],
  'link-not-deflate': [{ detail: 'invalid block type' }],
  'link-too-large': [{ max: 1000000 }],
  'link-not-json': [{ detail: 'X 17' }, { notText: true }],
  'link-not-an-object': [{ got: show([1]) }],
  'link-version': [{ got: show(2), supported: 1 }],
  'link-bad-lesson': [{ field: 'lesson', got: show('x') }, { field: 'lesson.id', got: show('Bad Id') }, { field: 'lesson.step', got: show(1.5) }],
  'lesson-target-does-not-compile': [{ field: 'steps[2].check.target' }],
  'lesson-step-unchanged': [{ field: 'steps[1].check.target', previous: 'steps[0].check.target' }],
  'workshop-lesson-invalid': [{ field: 'lessons[1]', id: show('lstm-gates') }],
  'empty-workshop-pack': [{}],
  'no-labelled-gates': [{ sigmoids: ['s1', 'gate'] }, { sigmoids: [] }],
};

const CODES = Object.keys(MESSAGES) as DiagnosticCode[];
const rows = CODES.flatMap((code) => (SAMPLES[code] as readonly object[]).map((params, i) => [code, i, params] as const));
const render = (code: DiagnosticCode, params: object, lang: Lang): string => renderMessage(code, params as never, lang);

/** Params that name what is at fault: both languages must show them as they are. */
const NAMING = ['node', 'id', 'port', 'field', 'param', 'kind', 'weight', 'size'];
/** English words that must not be left in a Spanish message (outside quotes and params). */
const ENGLISH = /\b(the|must|got|has|have|is|are|not|and|or|of|to|with|which|this|node|file|field|size|expects?|would|cannot)\b/i;

function withoutNames(text: string, params: object): string {
  let out = text.replace(/"[^"]*"/g, '');
  for (const v of Object.values(params)) if (typeof v === 'string') out = out.split(v).join('');
  return out;
}

describe('the message table', () => {
  it('has samples for every code and nothing else', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...CODES].sort());
  });

  it.each(rows)('%s (form %i) reads in English and in Spanish', (code, _i, params) => {
    const en = render(code, params, 'en');
    const es = render(code, params, 'es');
    for (const text of [en, es]) {
      expect(text.trim().length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|\[object |NaN/);
      expect(text).toMatch(/[.)]$|: X 17$/);
    }
    expect(es).not.toBe(en);
    expect(withoutNames(es, params)).not.toMatch(ENGLISH);
    for (const key of NAMING) {
      const value = (params as Record<string, unknown>)[key];
      if (typeof value !== 'string') continue;
      expect(en, key).toContain(value);
      expect(es, key).toContain(value);
    }
  });

  it('writes Spanish with its accents and signs where the words need them', () => {
    expect(render('no-output', {}, 'es')).toBe('La celda no tiene nodo de salida: añade un nodo "output" y conecta y_t a él.');
    expect(render('unconnected-input', { node, port: 'in' }, 'es')).toBe('La entrada "in" del nodo "forget" (sigmoide f) no está conectada.');
    expect(render('shape-mismatch', SAMPLES['shape-mismatch'][0], 'es')).toBe('Nodo "forget" (sigmoide f): b espera hidden (el tamaño de a), pero recibe hidden + input.');
    expect(render('unknown-size', SAMPLES['unknown-size'][1], 'es')).toContain('que no son tamaños de esta celda');
    expect(render('unknown-port', SAMPLES['unknown-port'][3], 'es')).toContain('no tiene entradas');
    expect(render('bad-hyperparameter', SAMPLES['bad-hyperparameter'][1], 'es')).toBe('lr debe ser un número finito de 1e-8 a 10; recibido: -1.');
    expect(render('bad-task', { field: 'text', problem: { problem: 'text-too-short', chars: 2, min: 200 } }, 'es')).toBe('text: text es demasiado corto: 2 caracteres; se necesitan al menos 200.');
    expect(render('not-a-checkpoint', { format: 'celda-checkpoint' }, 'es')).toBe('Esto no es un punto de control de Celda (su "format" debe ser "celda-checkpoint").');
    expect(render('params-missing-tensor', SAMPLES['params-missing-tensor'][0], 'es')).toBe('Nodo lin: falta el tensor W [3×5] en el archivo de parámetros.');
  });

  it('words a task problem as a clause that follows a field or a task name, in both languages', () => {
    const { problem } = TASK_ERRORS[4];
    expect(renderTaskProblem(problem, 'en')).toBe('foo is not an option of the copy task: its options are delay');
    expect(renderTaskProblem(problem, 'es')).toBe('foo no es una opción de la tarea copy: sus opciones son delay');
  });

  it('shows untrusted values the way preview always has', () => {
    expect(preview('a'.repeat(100))).toBe(JSON.stringify(`${'a'.repeat(40)}…`));
    expect(preview([1, 2])).toBe('a list of 2');
    expect(render('bad-node-kind', { id: 'n', got: show([1, 2]) }, 'es')).toContain('una lista de 2');
    expect(render('bad-node-kind', { id: 'n', got: show({}) }, 'es')).toContain('un objeto');
  });

  it('names a value by what it is, or by its type before its text, in the language asked for', () => {
    expect(render('bad-checkpoint', { problem: 'task-name', got: showWhat([1]) }, 'en')).toBe('task.name must be the task\'s name, got a list.');
    expect(render('bad-checkpoint', { problem: 'task-name', got: showWhat([1]) }, 'es')).toBe('task.name debe ser el nombre de la tarea; recibido: una lista.');
    expect(render('params-bad-node', { id: 'lin', got: showKind('x') }, 'en')).toBe('Node lin: the params file\'s entry must be an object of tensor name → values, got string "x".');
    expect(render('params-bad-node', { id: 'lin', got: showKind('x') }, 'es')).toMatch(/; recibido: el texto "x"\.$/);
    expect(render('bad-task', TASK_ERRORS[0], 'en')).toBe('delay: delay must be a whole number from 1 to 9980, got an array.');
  });
});

describe('diagnostics', () => {
  it('keep the English rendering as their message and carry their params', () => {
    const d = error('unconnected-input', { node, port: 'in' }, { nodeId: 'f', port: 'in' });
    expect(d).toEqual({
      code: 'unconnected-input', severity: 'error', message: 'Node "forget" (sigmoid f) input "in" is not connected.',
      params: { node, port: 'in' }, nodeId: 'f', port: 'in',
    });
    expect(renderDiagnostic(d, 'en')).toBe(d.message);
    expect(renderDiagnostic(d, 'es')).toBe('La entrada "in" del nodo "forget" (sigmoide f) no está conectada.');
    expect(renderDiagnostic(warning('no-input', {}), 'es')).toBe('La celda no tiene nodo de entrada: nunca lee x_t.');
  });

  it('from the loader and the compiler render in English as their message, and in Spanish differently', () => {
    const lstm = loadExample('lstm');
    const broken = disconnect(lstm, lstm.connections.find((c) => c.to === 'squash') as (typeof lstm.connections)[number]);
    const found: Diagnostic[] = [
      ...compile(broken).diagnostics,
      ...compile({ ...lstm, nodes: [...lstm.nodes, { id: 'y2', kind: 'output', params: {}, position: { x: 0, y: 0 } }] }).diagnostics,
      ...loadCellText('{"format": "celda-cell", "version": 1, "metadata": {}, "sizes": [], "nodes": {}, "connections": 3}').diagnostics,
    ];
    expect(found.length).toBeGreaterThan(5);
    for (const d of found) {
      expect(d.params, d.code).toBeDefined();
      expect(renderDiagnostic(d, 'en')).toBe(d.message);
      expect(renderDiagnostic(d, 'es'), d.code).not.toBe(d.message);
    }
  });

  it('a refused connection gives its reason in the language asked for', () => {
    const lstm = loadExample('lstm');
    const broken = disconnect(lstm, lstm.connections.find((c) => c.to === 'squash') as (typeof lstm.connections)[number]);
    const sizes = { from: 'cat', fromPort: 'out', to: 'squash', toPort: 'in' };
    expect(checkConnection(broken, sizes, 'es')).toEqual({ ok: false, reason: 'Nodo (producto a_new): b espera hidden (el tamaño de a), pero recibe hidden + input.' });
    expect(checkConnection(broken, sizes)).toEqual({ ok: false, reason: 'Node (multiply a_new): b expects hidden (the size of a), got hidden + input.' });
    const loop = checkConnection(lstm, { from: 'a_new', fromPort: 'out', to: 'cat', toPort: 'in1' }, 'es');
    expect(!loop.ok && loop.reason).toMatch(/^Entrada "in1" del nodo \(concatenar cat\): esto cerraría un ciclo/);
    const port = checkConnection(lstm, { from: 'f', fromPort: 'out', to: 'keep', toPort: 'c' }, 'es');
    expect(!port.ok && port.reason).toMatch(/no tiene la entrada "c"\.$/);
  });

  it('take only codes of the table, worded from their params, never a ready message (tsc checks the call sites)', () => {
    // @ts-expect-error: 'no-output' is in the table, so it must be worded from params
    expect(error('no-output', 'The cell has no output node.').message).toBe(renderMessage('no-output', {}, 'en'));
    // @ts-expect-error: a code outside the table has no wording, so it does not compile
    expect(() => error('no-such-code', {})).toThrow();
  });
});

// ---------------------------------------------------------------------------
// The guard: call sites use codes of the table
// ---------------------------------------------------------------------------

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** Files that import `error` or `warning` from the diagnostics module. */
const callers = [...sourceFiles('src'), ...sourceFiles('nodes')].filter((f) =>
  /import \{[^}]*\b(?:error|warning)\b[^}]*\} from '[./]*(?:model\/)?diagnostics'/.test(readFileSync(join(root, f), 'utf8')));
const CALL = /(?<![\w.])(?:error|warning)\(\s*([^,)]*)/g;

describe('every error(…) and warning(…) call site', () => {
  const calls = callers.flatMap((f) => [...readFileSync(join(root, f), 'utf8').matchAll(CALL)].map((m) => [f, m[1].trim()] as const));

  it('is found in the sources', () => {
    expect(callers).toEqual(expect.arrayContaining([
      'src/model/load.ts', 'src/compiler/validate.ts', 'src/compiler/analyze.ts', 'src/storage/files.ts',
      'src/runtime/train.ts', 'src/runtime/checkpoint.ts', 'src/runtime/params-file.ts', 'src/runtime/tasks/errors.ts',
    ]));
    expect(calls.length).toBeGreaterThan(70);
  });

  it.each(calls)('%s: %s is a literal code in the message table', (_file, code) => {
    const literal = /^'([a-z0-9-]+)'$/.exec(code);
    expect(literal, 'a code given as a literal string').not.toBeNull();
    expect(Object.keys(MESSAGES)).toContain(literal?.[1]);
  });
});
