import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { renderDiagnostic } from '../../src/model/diagnostics';
import { loadCell } from '../../src/model/load';
import { backupDatabase, exportProject, importProject, restoreDatabase } from '../../src/storage/files';
import { createProject, getProject, snapshotProject } from '../../src/storage/projects';
import { addCheckpoint, addRun, listCheckpoints, listRuns } from '../../src/storage/runs';
import { float64ToBase64 } from '../../src/storage/validate';
import type { CeldaDatabase } from '../../src/storage/db';
import { example, exampleNames, exampleText, node, type RawCell } from '../fixtures/examples';
import { contents, counts, exampleCell, freshDb, value } from './helpers';

/** A project with a run and a checkpoint whose values include awkward floats. */
async function filled(db: CeldaDatabase, name = 'lstm.json') {
  const p = value(await createProject(db, { name: `Project ${name}`, cell: exampleCell(name), view: { x: -12.5, y: 3, zoom: 0.8 }, settings: { notation: 'olah', task: 'adding', training: { lr: 0.01, steps: 500 } } }));
  const r = value(await addRun(db, {
    projectId: p.id, config: { steps: 3, schedule: { kind: 'constant' } }, seed: 7, backend: 'reference', status: 'done',
    metrics: [{ name: 'loss', steps: [0, 1, 2], values: [0.5, null, 0.1] }], timings: { totalMs: 12.5 }, cellHash: 'fedcba9876543210',
  }));
  const values = new Float64Array([0.1, -0, 5e-324, Number.MAX_VALUE, -1 / 3, 1e-300]);
  value(await addCheckpoint(db, { runId: r.id, step: 2, cellHash: r.cellHash, tensors: [{ name: 'Wf.W', shape: [2, 3], values }, { name: 'readout.b', shape: [0], values: new Float64Array(0) }] }));
  return p;
}

/** A valid project file around `cell`, for hostile variants. */
function projectFile(cell: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'celda-project', version: 1, project: { name: 'x', cell, view: { x: 0, y: 0, zoom: 1 }, settings: {} }, ...extra });
}

async function expectRejectedAndNothingWritten(db: CeldaDatabase, text: string): Promise<string[]> {
  const before = await counts(db);
  const r = await importProject(db, text);
  expect(r.ok).toBe(false);
  expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) expect(d).toMatchObject({ severity: 'error', code: expect.any(String), message: expect.any(String) });
  expect(await counts(db)).toEqual(before);
  return r.diagnostics.map((d) => d.code);
}

describe('export → import', () => {
  it.each(exampleNames)('round-trips %s byte-identically, with its runs and checkpoints bit-exact', async (name) => {
    const db = await freshDb();
    const p = await filled(db, name);
    const text = value(await exportProject(db, p.id, { includeCheckpoints: true }));
    const imported = await importProject(db, text);
    if (!imported.ok) throw new Error(JSON.stringify(imported.diagnostics));
    const q = imported.value;
    expect(q.id).not.toBe(p.id);
    expect(JSON.stringify(q.cell)).toBe(JSON.stringify(p.cell));
    expect(JSON.stringify(q.cell)).toBe(JSON.stringify((loadCell(JSON.parse(exampleText(name))) as { value: unknown }).value));
    expect({ name: q.name, view: q.view, settings: q.settings, createdAt: q.createdAt, revision: q.revision }).toEqual({ name: p.name, view: p.view, settings: p.settings, createdAt: p.createdAt, revision: 1 });
    const [runA, runB] = [value(await listRuns(db, p.id)), value(await listRuns(db, q.id))];
    expect(runB).toHaveLength(1);
    expect({ ...runB[0], id: 0, projectId: 0 }).toEqual({ ...runA[0], id: 0, projectId: 0 });
    const [ckA, ckB] = [value(await listCheckpoints(db, runA[0].id)), value(await listCheckpoints(db, runB[0].id))];
    expect(ckB[0].projectId).toBe(q.id);
    expect(float64ToBase64(ckB[0].tensors[0].values)).toBe(float64ToBase64(ckA[0].tensors[0].values));
    expect(Object.is(ckB[0].tensors[0].values[1], -0)).toBe(true);
    // Exporting the imported project gives the same file, but for the new run and checkpoint ids.
    const again = value(await exportProject(db, q.id, { includeCheckpoints: true }));
    expect(again.replaceAll(runB[0].id, runA[0].id).replaceAll(ckB[0].id, ckA[0].id)).toBe(text);
  });

  it('exports only the project unless asked for runs and checkpoints', async () => {
    const db = await freshDb();
    const p = await filled(db);
    const file = JSON.parse(value(await exportProject(db, p.id)));
    expect(Object.keys(file)).toEqual(['format', 'version', 'project']);
    expect(Object.keys(JSON.parse(value(await exportProject(db, p.id, { includeRuns: true }))))).toEqual(['format', 'version', 'project', 'runs']);
    expect(await exportProject(db, 'missing')).toMatchObject({ status: 'error', code: 'not-found' });
  });
});

describe('import of hostile files: diagnostics, and nothing written', () => {
  it('refuses files that are not Celda projects of a known version', async () => {
    const db = await freshDb();
    await filled(db);
    const lstm = example('lstm.json');
    const cases: [string, string][] = [
      ['', 'not-json'],
      ['{"format":"celda-project","version":1,', 'not-json'],
      ['[]', 'not-an-object'],
      [exampleText('lstm.json'), 'wrong-format'],
      [JSON.stringify({ format: 'celda-project', version: 2, project: {} }), 'newer-version'],
      [JSON.stringify({ format: 'celda-project', version: '1', project: {} }), 'bad-version'],
      [JSON.stringify({ format: 'celda-project', project: {} }), 'bad-version'],
      [JSON.stringify({ format: 'celda-project', version: 1 }), 'bad-field'],
      [projectFile(lstm).replace('"zoom":1', '"zoom":"NaN"'), 'bad-field'],
      [projectFile(lstm).replace('"zoom":1', '"zoom":1e999'), 'bad-field'],
      [projectFile(lstm, { runs: 'all' }), 'bad-field'],
      [projectFile(lstm).replace('"settings":{}', '"settings":{"__proto__":{"pwned":1}}'), 'bad-key'],
      [projectFile(lstm).replace('"settings":{}', '"settings":{"notation":"</script>"}'), 'bad-field'],
    ];
    for (const [text, code] of cases) expect(await expectRejectedAndNothingWritten(db, text), text.slice(0, 80)).toContain(code);
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('refuses hostile cells: ids with quotes or </script>, NaN as text, 10^9 sizes, 10^5 nodes, prototype names', async () => {
    const db = await freshDb();
    await filled(db);
    const mutate = (f: (c: RawCell) => void): unknown => { const c = example('lstm.json'); f(c); return c; };
    const cases: [unknown, string][] = [
      [mutate((c) => { node(c, 'f').id = 'f"; alert(1); "'; }), 'bad-node-id'],
      [mutate((c) => { node(c, 'f').id = '</script><script>globalThis.pwned=1</script>'; }), 'bad-node-id'],
      [mutate((c) => { node(c, 'f').id = '__proto__'; }), 'reserved-node-id'],
      [mutate((c) => { c.sizes.hidden = 'NaN'; }), 'bad-size'],
      [mutate((c) => { c.sizes.input = 1e9; }), 'bad-size'],
      [mutate((c) => { c.sizes.named = { constructor: 4 }; }), 'bad-size-name'],
      [mutate((c) => { node(c, 'f').position = { x: 'NaN' as never, y: 0 }; }), 'bad-position'],
      [mutate((c) => { node(c, 'f').label = 'a\u202egnp.exe'; }), 'bad-text'],
      [mutate((c) => { c.nodes = Array.from({ length: 100_000 }, (_, i) => ({ id: `n${i}`, kind: 'identity', params: {} })); }), 'too-many-nodes'],
      [mutate((c) => { c.nodes.push({ ...node(c, 'f') }); }), 'duplicate-node-id'],
      [mutate((c) => { c.version = 99; }), 'newer-version'],
      [mutate((c) => { c.format = 'celda-project'; }), 'wrong-format'],
      [undefined, 'not-an-object'],
    ];
    for (const [cell, code] of cases) {
      const codes = await expectRejectedAndNothingWritten(db, projectFile(cell));
      expect(codes, code).toContain(code);
    }
    const lstm = example('lstm.json');
    const r = await importProject(db, projectFile(mutate((c) => { node(c, 'f').id = 'a"b'; })));
    expect(r.diagnostics[0]).toMatchObject({ path: `project.cell.nodes[${lstm.nodes.findIndex((n) => n.id === 'f')}].id`, message: expect.stringContaining('"a\\"b"') });
  });

  it('words every refusal in Spanish too, from the same params (English stays the message)', async () => {
    const db = await freshDb();
    const texts = [
      '{"format":',
      '[]',
      JSON.stringify({ format: 'celda-project', version: 2, project: {} }),
      JSON.stringify({ format: 'celda-project', version: 1, project: { name: 7, cell: [], view: {}, settings: { notation: 'x' } } }),
      projectFile(example('rnn.json'), { runs: {}, checkpoints: [{ id: 'c1', runId: 'r9', step: 0, createdAt: 0, cellHash: '0123456789abcdef', tensors: [{ name: 'W', shape: [2], values: '!!' }] }] }),
    ];
    const diagnostics = (await Promise.all(texts.map((t) => importProject(db, t)))).flatMap((r) => r.diagnostics);
    expect([...new Set(diagnostics.map((d) => d.code))].sort()).toEqual(['bad-field', 'missing-run', 'newer-version', 'not-an-object', 'not-json']);
    for (const d of diagnostics) {
      expect(renderDiagnostic(d, 'en')).toBe(d.message);
      expect(renderDiagnostic(d, 'es'), d.message).not.toBe(d.message);
    }
  });

  it('agrees with the cell loader on one-field mutations of every example', async () => {
    const db = await freshDb();
    const values: unknown[] = [null, true, -1, 0, 1.5, 1e9, 'NaN', 'Infinity', '</script>', 'a"b', '', [], {}, { __proto__: null }];
    const slots: ((c: RawCell, v: unknown) => void)[] = [
      (c, v) => { c.sizes.input = v; },
      (c, v) => { c.sizes.hidden = v; },
      (c, v) => { c.nodes[0].id = v as string; },
      (c, v) => { c.nodes[1].kind = v as string; },
      (c, v) => { c.nodes[1].params = { out: v }; },
      (c, v) => { c.nodes[0].position = v as never; },
      (c, v) => { c.metadata.name = v; },
      (c, v) => { c.connections[0].from = v as string; },
      (c, v) => { c.nodes = v as never; },
    ];
    let rejected = 0;
    let accepted = 0;
    for (const name of exampleNames) {
      for (const slot of slots) {
        for (const v of values) {
          const cell = example(name);
          slot(cell, v);
          const expected = loadCell(JSON.parse(JSON.stringify(cell))).ok;
          const before = await counts(db);
          const r = await importProject(db, projectFile(cell));
          expect(r.ok, `${name} ${String(slot)} ${JSON.stringify(v)}`).toBe(expected);
          if (r.ok) accepted++;
          else {
            rejected++;
            expect(r.diagnostics.every((d) => d.path?.startsWith('project.cell'))).toBe(true);
            expect(await counts(db)).toEqual(before);
          }
        }
      }
    }
    expect(rejected).toBeGreaterThan(300);
    expect(accepted).toBeGreaterThan(20);
  });

  it('refuses bad runs and checkpoints: NaN as text, non-finite floats, broken base64, dangling links, wrong shapes', async () => {
    const db = await freshDb();
    const p = await filled(db);
    const file = JSON.parse(value(await exportProject(db, p.id, { includeCheckpoints: true })));
    const variants: [(f: Record<string, any>) => void, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      [(f) => { f.runs[0].metrics[0].values[0] = 'NaN'; }, 'runs[0].metrics[0].values[0]'],
      [(f) => { f.runs[0].seed = 1e20; }, 'runs[0].seed'],
      [(f) => { f.runs[0].status = 'exploded'; }, 'runs[0].status'],
      [(f) => { f.runs[0].cellHash = '<script>'; }, 'runs[0].cellHash'],
      [(f) => { f.runs[0].timings = { totalMs: -1 }; }, 'runs[0].timings.totalMs'],
      [(f) => { f.runs[0].config = JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)); }, 'runs[0].config'],
      [(f) => { f.runs.push({ ...f.runs[0] }); }, 'runs[1].id'],
      [(f) => { f.checkpoints[0].runId = 'elsewhere'; }, 'checkpoints[0].runId'],
      [(f) => { f.checkpoints[0].tensors[0].values = float64ToBase64(new Float64Array([1, 2, 3, 4, 5, NaN])); }, 'checkpoints[0].tensors[0].values[5]'],
      [(f) => { f.checkpoints[0].tensors[0].values = '!!!not base64!!!'; }, 'checkpoints[0].tensors[0].values'],
      [(f) => { f.checkpoints[0].tensors[0].values = 'AAAA'; }, 'checkpoints[0].tensors[0].values'],
      [(f) => { f.checkpoints[0].tensors[0].shape = [1e9, 1e9]; }, 'checkpoints[0].tensors[0].shape'],
      [(f) => { f.checkpoints[0].step = -1; }, 'checkpoints[0].step'],
    ];
    for (const [change, path] of variants) {
      const bad = structuredClone(file);
      change(bad);
      const before = await contents(db);
      const r = await importProject(db, JSON.stringify(bad));
      expect(r.ok, path).toBe(false);
      expect(r.diagnostics.map((d) => d.path).some((x) => x?.startsWith(path)), `${path}: ${JSON.stringify(r.diagnostics)}`).toBe(true);
      expect(await contents(db)).toEqual(before);
    }
  });

  it('a write that fails midway (quota on the checkpoints) leaves nothing behind', async () => {
    const db = await freshDb();
    const p = await filled(db);
    const text = value(await exportProject(db, p.id, { includeCheckpoints: true }));
    const before = await contents(db);
    const spy = vi.spyOn(db.checkpoints, 'bulkAdd').mockImplementation(() => { throw new DOMException('full', 'QuotaExceededError'); });
    const r = await importProject(db, text);
    spy.mockRestore();
    expect(r).toMatchObject({ ok: false, diagnostics: [{ code: 'storage-quota' }] });
    expect(await contents(db)).toEqual(before);
  });
});

describe('backup and restore', () => {
  async function fullDb() {
    const db = await freshDb();
    const a = await filled(db, 'lstm.json');
    await filled(db, 'gru.json');
    value(await snapshotProject(db, a.id, 'last week'));
    return db;
  }

  it('restores a backup into another database exactly, and undoes later changes in the same one', async () => {
    const db = await fullDb();
    const before = await contents(db);
    const text = value(await backupDatabase(db));
    const other = await freshDb();
    await filled(other, 'rnn.json');
    expect(await restoreDatabase(other, text)).toMatchObject({ ok: true, value: { projects: 2, runs: 2, checkpoints: 2, snapshots: 1 } });
    expect(await contents(other)).toEqual(before);
    await createProject(db, { name: 'later', cell: exampleCell('rnn.json') });
    expect((await restoreDatabase(db, text)).ok).toBe(true);
    expect(await contents(db)).toEqual(before);
    expect(value(await getProject(db, (before.projects[0] as { id: string }).id))).toEqual(before.projects[0]);
  });

  it('a corrupted backup writes nothing', async () => {
    const db = await fullDb();
    const text = value(await backupDatabase(db));
    const file = JSON.parse(text);
    const variants: [string, string][] = [
      [text.slice(0, text.length / 2), 'not-json'],
      [JSON.stringify({ ...file, format: 'celda-project' }), 'wrong-format'],
      [JSON.stringify({ ...file, version: 9 }), 'newer-version'],
      [JSON.stringify({ ...file, snapshots: undefined }), 'bad-field'],
    ];
    const edits: [(f: Record<string, any>) => void, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      [(f) => { f.projects[1].cell.nodes[0].id = '</script>'; }, 'bad-node-id'],
      [(f) => { f.projects[0].revision = 0; }, 'bad-field'],
      [(f) => { f.projects[1].id = f.projects[0].id; }, 'duplicate-id'],
      [(f) => { f.runs[0].projectId = 'gone'; }, 'missing-link'],
      [(f) => { f.checkpoints[0].runId = 'gone'; }, 'missing-link'],
      [(f) => { f.checkpoints[1].tensors[0].values = float64ToBase64(new Float64Array([1, 2, 3, 4, 5, Infinity])); }, 'bad-field'],
      [(f) => { f.snapshots[0].cell.sizes.hidden = 1e9; }, 'bad-size'],
    ];
    for (const [edit, code] of edits) {
      const bad = structuredClone(file);
      edit(bad);
      variants.push([JSON.stringify(bad), code]);
    }
    const before = await contents(db);
    for (const [bad, code] of variants) {
      const r = await restoreDatabase(db, bad);
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.code), code).toContain(code);
      expect(await contents(db)).toEqual(before);
    }
  });

  it('a restore whose write fails midway (after clearing) leaves the database as it was', async () => {
    const db = await fullDb();
    const text = value(await backupDatabase(db));
    await createProject(db, { name: 'newer work', cell: exampleCell('rnn.json') });
    const before = await contents(db);
    const spy = vi.spyOn(db.snapshots, 'bulkAdd').mockImplementation(() => { throw new DOMException('full', 'QuotaExceededError'); });
    const r = await restoreDatabase(db, text);
    spy.mockRestore();
    expect(r).toMatchObject({ ok: false, diagnostics: [{ code: 'storage-quota' }] });
    expect(await contents(db)).toEqual(before);
  });
});
