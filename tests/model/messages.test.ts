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
import { MESSAGES, renderMessage, show, type DiagnosticCode, type Lang, type MessageParams } from '../../src/model/messages';
import { loadExample } from '../helpers';

const node = '"forget" (sigmoid f)';

/** Params for each code, one per form its message takes. */
const SAMPLES: { readonly [C in DiagnosticCode]: readonly MessageParams<C>[] } = {
  'file-too-large': [{ chars: 6000000, max: 5000000 }],
  'not-json': [{ detail: 'X 17' }, { notText: true }],
  'not-an-object': [{ file: 'cell' }, { file: 'project' }, { file: 'backup' }],
  'wrong-format': [{ file: 'cell', expected: 'celda-cell', got: show('celda-params') }, { file: 'backup', expected: 'celda-backup', got: show(42) }],
  'bad-version': [{ got: show(0) }, { got: show('1'), expected: 1 }],
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
  'unknown-param': [{ id: 'Wf', param: 'toString' }, { node, param: 'bias_init', kind: 'linear', accepted: ['out', 'bias'] }, { node, param: 'gain', kind: 'sigmoid', accepted: [] }],
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
  'connection-loop-without-state': [{ kind: 'concat', port: 'in1' }],
  'bad-field': [
    { field: 'project.view.zoom', expected: { kind: 'number', min: 0.01, max: 100, integer: false }, got: show(0) },
    { field: 'runs[0].seed', expected: { kind: 'number', min: 0, max: 4294967295, integer: true }, got: show(1.5) },
    { field: 'project.name', expected: { kind: 'text', max: 200 }, got: show(7) },
    { field: 'runs[0].status', expected: { kind: 'one-of', options: ['done', 'failed'] }, got: show('x') },
    ...(['object', 'list', 'json', 'id', 'hash', 'task', 'typed-array'] as const).map((kind) => ({ field: 'runs[0].config', expected: { kind }, got: show([]) })),
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
    expect(render('unconnected-input', { node, port: 'in' }, 'es')).toBe('La entrada "in" del nodo "forget" (sigmoid f) no está conectada.');
    expect(render('shape-mismatch', SAMPLES['shape-mismatch'][0], 'es')).toBe('Nodo "forget" (sigmoid f): b espera hidden (el tamaño de a), pero recibe hidden + input.');
    expect(render('unknown-size', SAMPLES['unknown-size'][1], 'es')).toContain('que no son tamaños de esta celda');
    expect(render('unknown-port', SAMPLES['unknown-port'][3], 'es')).toContain('no tiene entradas');
  });

  it('shows untrusted values the way preview always has', () => {
    expect(preview('a'.repeat(100))).toBe(JSON.stringify(`${'a'.repeat(40)}…`));
    expect(preview([1, 2])).toBe('a list of 2');
    expect(render('bad-node-kind', { id: 'n', got: show([1, 2]) }, 'es')).toContain('una lista de 2');
    expect(render('bad-node-kind', { id: 'n', got: show({}) }, 'es')).toContain('un objeto');
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
    expect(renderDiagnostic(d, 'es')).toBe('La entrada "in" del nodo "forget" (sigmoid f) no está conectada.');
    expect(renderDiagnostic(warning('no-input', {}), 'es')).toBe('La celda no tiene nodo de entrada: nunca lee x_t.');
  });

  it('made with a ready message (codes not in the table yet) stay in that message in every language', () => {
    const d = error('bad-hyperparameter', 'steps must be a whole number from 1 to 100000, got 0.');
    expect(d.params).toBeUndefined();
    expect(renderDiagnostic(d, 'es')).toBe(d.message);
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
    expect(checkConnection(broken, sizes, 'es')).toEqual({ ok: false, reason: 'Nodo (multiply a_new): b espera hidden (el tamaño de a), pero recibe hidden + input.' });
    expect(checkConnection(broken, sizes)).toEqual({ ok: false, reason: 'Node (multiply a_new): b expects hidden (the size of a), got hidden + input.' });
    const loop = checkConnection(lstm, { from: 'a_new', fromPort: 'out', to: 'cat', toPort: 'in1' }, 'es');
    expect(!loop.ok && loop.reason).toMatch(/^concat\.in1: esto cerraría un ciclo/);
    const port = checkConnection(lstm, { from: 'f', fromPort: 'out', to: 'keep', toPort: 'c' }, 'es');
    expect(!port.ok && port.reason).toMatch(/no tiene la entrada "c"\.$/);
  });

  it('a code in the table takes its params, never a ready message', () => {
    // @ts-expect-error: 'no-output' is in the table, so it must be worded from params
    expect(error('no-output', 'The cell has no output node.').message).toBe('The cell has no output node.');
  });
});

// ---------------------------------------------------------------------------
// The guard: call sites use codes of the table
// ---------------------------------------------------------------------------

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * src/runtime is left out until its diagnostics join the table: train.ts,
 * checkpoint.ts and params-file.ts still pass ready English messages (the legacy
 * form of `error`). Remove it from this list when they are converted.
 */
const NOT_YET_CONVERTED = ['src/runtime'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (NOT_YET_CONVERTED.includes(path)) return [];
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
    expect(callers).toEqual(expect.arrayContaining(['src/model/load.ts', 'src/compiler/validate.ts', 'src/compiler/analyze.ts', 'src/storage/files.ts']));
    expect(calls.length).toBeGreaterThan(70);
  });

  it.each(calls)('%s: %s is a literal code in the message table', (_file, code) => {
    const literal = /^'([a-z0-9-]+)'$/.exec(code);
    expect(literal, 'a code given as a literal string').not.toBeNull();
    expect(Object.keys(MESSAGES)).toContain(literal?.[1]);
  });
});
