/**
 * The Arena panel's store and helpers: the form kept and read back safely, the spec it makes,
 * the pool's size; and the store on fake-indexeddb training real runs (the arena worker's
 * job, run in-process in place of a Web Worker): finished runs kept, a "reload" showing
 * them and training nothing again, a bad spec refused before any run. The CSV and the charts'
 * numbers are the core's (tests/arena/report.test.ts).
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZOO } from '../../examples/zoo';
import { renderArenaIssue } from '../../src/arena/messages';
import type { ArenaCell } from '../../src/arena/types';
import { handleArenaRequest, type ArenaRequest, type ArenaWorkerEvent } from '../../src/train/arena-job';
import { ArenaStore } from '../../src/ui/arena.svelte';
import { arenaSpec, DEFAULT_ARENA_FORM, FORM_KEY, loadZooCell, poolSize, readArenaForm, ZOO_CHOICES, type ArenaForm } from '../../src/ui/lib/arena';
import { ProjectStore, WELCOMED_KEY } from '../../src/ui/projects.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { memoryStorage } from './memory-storage';

describe('the arena form', () => {
  it('reads back what was kept, and takes the default for any field that is missing or not what it should be', () => {
    const kept: ArenaForm = { cells: ['zoo:gru', 'project:p1'], tasks: ['copy', 'order'], seeds: 5, sizing: 'match-params', hidden: 8, params: 1500, steps: 300, baseline: 'zoo:gru' };
    expect(readArenaForm(JSON.stringify(kept))).toEqual(kept);
    expect(readArenaForm(null)).toEqual(DEFAULT_ARENA_FORM);
    expect(readArenaForm('{not json')).toEqual(DEFAULT_ARENA_FORM);
    expect(readArenaForm('[1, 2]')).toEqual(DEFAULT_ARENA_FORM);
    expect(readArenaForm(JSON.stringify({ cells: [1], tasks: ['adding', 'dance'], seeds: 'five', sizing: 'huge', steps: null, baseline: 3 })))
      .toEqual({ ...DEFAULT_ARENA_FORM, tasks: ['adding'] });
  });

  it('makes the spec of the picked cells that exist, with the picked baseline or else the first cell', () => {
    const cell = (id: string): ArenaCell => ({ id, name: id.toUpperCase(), cell: { metadata: { name: id } } as ArenaCell['cell'] });
    const found = new Map([['zoo:gru', cell('zoo:gru')], ['zoo:mgu', cell('zoo:mgu')]]);
    const form: ArenaForm = { ...DEFAULT_ARENA_FORM, cells: ['project:gone', 'zoo:mgu', 'zoo:gru'], baseline: 'zoo:gru', tasks: ['adding', 'copy'] };
    const spec = arenaSpec(form, found);
    expect(spec.cells.map((c) => c.id)).toEqual(['zoo:mgu', 'zoo:gru']);
    expect(spec).toMatchObject({ tasks: ['adding', 'copy'], seeds: 3, steps: 200, sizing: { kind: 'hidden', hidden: 16 }, baseline: 'zoo:gru', backend: 'auto' });
    expect(arenaSpec({ ...form, baseline: 'zoo:other', sizing: 'match-params' }, found)).toMatchObject({ baseline: 'project:gone', sizing: { kind: 'match-params', params: 2000 } });
  });

  it('sizes the pool from the cores, leaving one to the page, at least 1, at most 4, never more than the runs', () => {
    expect(poolSize(2, 10)).toBe(1);
    expect(poolSize(16, 10)).toBe(4);
    expect(poolSize(8, 2)).toBe(2);
    expect(poolSize(undefined, 10)).toBe(1);
    expect(poolSize(1, 0)).toBe(1);
  });

  it('lists every zoo cell and loads one through the cell loader, lazily', async () => {
    expect(ZOO_CHOICES.map((c) => c.id)).toEqual(ZOO.map((z) => `zoo:${z.id}`));
    const gru = await loadZooCell('zoo:gru');
    expect(gru?.metadata.name).toBe('GRU (reset before)');
    expect(await loadZooCell('zoo:../index')).toBeUndefined();
  });
});

/** A Web Worker stand-in that runs the arena worker's requests in this process, with the real planner and trainer. */
class InProcessWorker {
  static made: InProcessWorker[] = [];
  /** The workers that were sent runs (the pool), not only a plan. */
  static get pool(): InProcessWorker[] {
    return InProcessWorker.made.filter((w) => w.jobs.some((j) => j.type === 'run'));
  }
  onmessage: ((e: MessageEvent<ArenaWorkerEvent>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  jobs: ArenaRequest[] = [];
  constructor() {
    InProcessWorker.made.push(this);
  }
  postMessage(job: ArenaRequest): void {
    this.jobs.push(job);
    void handleArenaRequest(structuredClone(job), (event) => {
      if (!this.terminated) this.onmessage?.({ data: structuredClone(event) } as MessageEvent<ArenaWorkerEvent>);
    });
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('the arena store', () => {
  const stores: ProjectStore[] = [];
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage({ [WELCOMED_KEY]: '1' }));
    vi.stubGlobal('Worker', InProcessWorker);
    vi.stubGlobal('navigator', { ...globalThis.navigator, hardwareConcurrency: 3 });
    InProcessWorker.made = [];
  });
  afterEach(() => {
    for (const s of stores.splice(0)) s.destroy();
    vi.unstubAllGlobals();
  });

  async function app(name: string): Promise<{ projects: ProjectStore; arena: ArenaStore }> {
    const projects = new ProjectStore(new EditorState(), name);
    stores.push(projects);
    await projects.start();
    return { projects, arena: new ArenaStore(projects) };
  }

  const tiny: Partial<ArenaForm> = { cells: ['zoo:elman', 'zoo:mgu'], tasks: ['adding'], seeds: 2, sizing: 'hidden', hidden: 3, steps: 4, baseline: 'zoo:elman' };

  it('trains every run in a pool of workers, keeps each, ranks the cells; after a reload shows them, trains only what is missing, and forgets them on request', async () => {
    const name = `celda-arena-${crypto.randomUUID()}`;
    const first = await app(name);
    Object.assign(first.arena.form, tiny);
    await first.arena.run();
    // One worker planned the study (off the page's thread), two trained it.
    expect(InProcessWorker.made.map((w) => w.jobs[0].type)).toEqual(['plan', 'run', 'run']);
    expect(first.arena.pending).toBe(4);
    await vi.waitFor(() => expect(first.arena.running).toBe(false), { timeout: 20_000 });
    expect(first.arena.finished).toBe(4);
    expect(first.arena.progress).toBe(1);
    expect(first.arena.message).toBe('');
    const results = first.arena.results;
    expect(results?.runs).toHaveLength(4);
    const rows = results?.report.tasks[0].rows ?? [];
    expect(rows.map((r) => r.cell).sort()).toEqual(['zoo:elman', 'zoo:mgu']);
    expect(rows.map((r) => r.rank).sort()).toEqual([1, 2]);
    expect(rows.every((r) => r.summary.n === 2 && r.hidden === 3)).toBe(true);
    expect(rows.find((r) => r.cell === 'zoo:mgu')?.tTest?.n).toBe(2);
    expect(InProcessWorker.made.every((w) => w.terminated)).toBe(true);
    const stored = await first.projects.arenaRuns();
    expect('runs' in stored && stored.runs).toHaveLength(4);
    expect(JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}')).toMatchObject(tiny);

    // A reload: the form comes back from localStorage and the kept runs from IndexedDB.
    first.projects.destroy();
    InProcessWorker.made = [];
    const second = await app(name);
    expect(second.arena.form).toMatchObject(tiny);
    await second.arena.opened();
    expect(second.arena.results?.runs.map((r) => [r.cell, r.seed]).sort()).toEqual(results?.runs.map((r) => [r.cell, r.seed]).sort());
    await second.arena.run();
    expect(InProcessWorker.pool).toHaveLength(0);
    expect(second.arena.pending).toBe(0);
    expect(second.arena.nothingToRun).toBe(true);
    // One seed more trains only the new seed's runs.
    second.arena.form.seeds = 3;
    await second.arena.run();
    expect(second.arena.pending).toBe(2);
    await vi.waitFor(() => expect(second.arena.running).toBe(false), { timeout: 20_000 });
    expect(InProcessWorker.pool.flatMap((w) => w.jobs.map((j) => (j.type === 'run' ? j.key.seed : 0)))).toEqual([3, 3]);
    expect(second.arena.results?.runs).toHaveLength(6);
    // Forgetting the kept runs empties the results and the table.
    await second.arena.forget();
    expect(second.arena.results?.runs).toEqual([]);
    const left = await second.projects.arenaRuns();
    expect('runs' in left && left.runs).toEqual([]);
  }, 60_000);

  it('refuses a bad study before any run, with the core\'s issues naming the field (seeds 0, no task, no cell, an unreachable N)', async () => {
    const { arena } = await app(`celda-arena-${crypto.randomUUID()}`);
    Object.assign(arena.form, { ...tiny, seeds: 0, tasks: [] });
    await arena.run();
    expect(arena.issues.map((i) => i.field)).toEqual(['tasks', 'seeds']);
    expect(renderArenaIssue(arena.issues[1], 'es')).toBe('seeds: debe ser un número entero de 1 a 100; se recibió 0.');
    Object.assign(arena.form, { ...tiny, cells: [] });
    await arena.run();
    expect(arena.issues.map((i) => i.problem.problem)).toEqual(['no-cells']);
    Object.assign(arena.form, { ...tiny, sizing: 'match-params', params: 3 });
    await arena.run();
    expect(arena.issues.map((i) => [i.field, i.problem.problem])).toEqual([['sizing.params', 'unreachable-params'], ['sizing.params', 'unreachable-params']]);
    expect(InProcessWorker.pool).toHaveLength(0);
    expect(arena.running).toBe(false);
  });

  it('stops: every worker ends and the runs in flight are not kept', async () => {
    const { projects, arena } = await app(`celda-arena-${crypto.randomUUID()}`);
    Object.assign(arena.form, { ...tiny, steps: 50 });
    await arena.run();
    expect(arena.running).toBe(true);
    arena.stop();
    expect(arena.running).toBe(false);
    expect(InProcessWorker.made.every((w) => w.terminated)).toBe(true);
    const stored = await projects.arenaRuns();
    expect('runs' in stored && stored.runs).toHaveLength(0);
  });
});
