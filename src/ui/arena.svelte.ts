/**
 * The Arena panel's state: the form, the runs kept in IndexedDB, and a pool of Web Workers
 * (src/train/arena-worker.ts) that trains every (cell, task, seed) not kept yet. The spec is
 * checked by the arena core (planArena) before any run starts; a refused spec shows the core's
 * issues. A finished run is kept at once, so a reload or a Stop loses only the runs in flight.
 */
import type { Planned, PlannedRun } from '../arena/grid';
import type { ArenaIssue } from '../arena/messages';
import { buildReport, renderRunsCsv, type ArenaReport } from '../arena/report';
import type { ArenaCell, ArenaSpec, RunKey, RunRecord } from '../arena/types';
import { runKeyString } from '../arena/types';
import { arenaRunId } from '../storage/arena';
import type { ArenaRequest, ArenaWorkerEvent } from '../train/arena-job';
import { language } from './i18n.svelte';
import { arenaSpec, FORM_KEY, loadZooCell, poolSize, projectCellId, readArenaForm, type ArenaForm } from './lib/arena';
import { downloadText } from './lib/download';
import { localGet, localSet, type ProjectStore } from './projects.svelte';

/** A plan's run as its stored row's id. */
const plannedId = (p: PlannedRun): string => arenaRunId({ ...p.key, cellHash: p.cellHash, hidden: p.hidden, parameters: p.parameters, hyperparameters: p.hyperparameters });

/** What the results show: the spec last planned and its runs kept so far. */
export interface ArenaResults {
  readonly spec: ArenaSpec;
  readonly runs: readonly RunRecord[];
  readonly report: ArenaReport;
}

export class ArenaStore {
  form = $state<ArenaForm>(readArenaForm(localGet(FORM_KEY)));
  /** Why the spec was refused (the core's issues, worded in the UI's language by the panel). */
  issues = $state.raw<readonly ArenaIssue[]>([]);
  /** A storage or worker problem, in words. */
  message = $state('');
  /** The last Run press found every run of the study kept already. */
  nothingToRun = $state(false);
  results = $state.raw<ArenaResults | undefined>();
  running = $state(false);
  /** Runs of this Run press: finished (kept or failed) and to do. */
  finished = $state(0);
  pending = $state(0);
  /** Steps done / steps of each run in flight, by run key. */
  inFlight = $state.raw<ReadonlyMap<string, number>>(new Map());
  /** Planning (compiling and sizing every cell) is under way. */
  planning = $state(false);

  #workers: Worker[] = [];
  #queue: RunKey[] = [];
  #planned = new Map<string, PlannedRun>();
  /** Every kept run this session has read or made. */
  #kept: RunRecord[] = [];

  constructor(private readonly projects: ProjectStore) {}

  /** The share of this Run press done, 0 … 1 (runs in flight count by their steps). */
  get progress(): number {
    if (this.pending === 0) return 1;
    const partial = [...this.inFlight.values()].reduce((s, f) => s + f, 0);
    return Math.min(1, (this.finished + partial) / this.pending);
  }

  /** Keeps the form (a reload opens the panel on the same study). */
  keepForm(): void {
    localSet(FORM_KEY, JSON.stringify($state.snapshot(this.form)));
  }

  /** The panel opened: the projects listed afresh, a deleted project unpicked, the remembered study's kept runs shown. */
  async opened(): Promise<void> {
    await this.projects.flush();
    const ids = new Set((await this.projects.refresh()).map((p) => projectCellId(p.id)));
    this.form.cells = this.form.cells.filter((id) => id.startsWith('zoo:') || ids.has(id));
    if (this.form.cells.length > 0 && !this.running) await this.show();
  }

  /** Plans the form's study and shows its kept runs, without training anything. */
  async show(): Promise<PlannedRun[] | undefined> {
    this.keepForm();
    this.planning = true;
    try {
      const spec = arenaSpec(this.form, await this.#contestants());
      const planned = await this.#plan(spec);
      if (!planned) return undefined;
      if (!planned.ok) {
        this.issues = planned.issues;
        return undefined;
      }
      this.issues = [];
      this.#planned = new Map(planned.value.map((p) => [runKeyString(p.key), p]));
      const stored = await this.projects.arenaRuns();
      if ('problem' in stored) this.message = stored.problem;
      else this.#kept = mergeById([...stored.runs, ...this.#kept]);
      this.#showResults(spec);
      return [...planned.value];
    } finally {
      this.planning = false;
    }
  }

  /** Trains every run of the form's study that is not kept yet, in a pool of workers. */
  async run(): Promise<void> {
    if (this.running || this.planning) return;
    this.message = '';
    this.nothingToRun = false;
    const plan = await this.show();
    const results = this.results;
    if (!plan || !results) return;
    const kept = new Set(results.runs.map((r) => runKeyString(r)));
    this.#queue = plan.filter((p) => !kept.has(runKeyString(p.key))).map((p) => p.key);
    this.finished = 0;
    this.pending = this.#queue.length;
    if (this.pending === 0) {
      this.nothingToRun = true;
      return;
    }
    this.running = true;
    const size = poolSize(globalThis.navigator?.hardwareConcurrency, this.pending);
    for (let i = 0; i < size; i++) this.#startWorker(results.spec);
  }

  /** Stops every run in flight (finished runs stay kept). */
  stop(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    this.#queue = [];
    this.inFlight = new Map();
    this.running = false;
  }

  /** The shown study's runs as a CSV file. */
  downloadCsv(): void {
    if (this.results) downloadText('arena-runs.csv', renderRunsCsv(this.results.runs), 'text/csv;charset=utf-8');
  }

  /** Forgets every kept arena run. */
  async forget(): Promise<void> {
    if (this.running) return;
    const problem = await this.projects.clearArenaRuns();
    this.message = problem;
    if (problem) return;
    this.#kept = [];
    if (this.results) this.#showResults(this.results.spec);
  }

  destroy(): void {
    this.stop();
  }

  /** The picked contestants that exist: the stored projects (saved first) and the zoo's cells. */
  async #contestants(): Promise<Map<string, ArenaCell>> {
    await this.projects.flush();
    const projects = await this.projects.refresh();
    const found = new Map<string, ArenaCell>();
    for (const p of projects) found.set(projectCellId(p.id), { id: projectCellId(p.id), name: p.name, cell: p.cell });
    for (const id of this.form.cells) {
      if (found.has(id) || !id.startsWith('zoo:')) continue;
      const cell = await loadZooCell(id);
      if (cell) found.set(id, { id, name: cell.metadata.name, cell });
    }
    const picked = new Set(this.form.cells);
    return new Map([...found].filter(([id]) => picked.has(id)));
  }

  #showResults(spec: ArenaSpec): void {
    const ids = new Set([...this.#planned.values()].map(plannedId));
    const runs = this.#kept.filter((r) => ids.has(arenaRunId(r)));
    this.results = { spec, runs, report: buildReport(spec, runs) };
  }

  /** The study planned in a worker: compiling and sizing every cell for every task is seconds of work for a large study. */
  #plan(spec: ArenaSpec): Promise<Planned<readonly PlannedRun[]> | undefined> {
    const worker = newWorker();
    return new Promise((resolve) => {
      const finish = (planned: Planned<readonly PlannedRun[]> | undefined, problem?: string) => {
        worker.terminate();
        if (problem !== undefined) this.message = language.t.arena.workerFailed(problem);
        resolve(planned);
      };
      worker.onmessage = (e: MessageEvent<ArenaWorkerEvent>) => {
        if (e.data.kind === 'planned') finish(e.data.planned);
        else if (e.data.kind === 'error') finish(undefined, e.data.message);
      };
      worker.onerror = (e) => finish(undefined, e.message);
      worker.postMessage({ type: 'plan', spec: $state.snapshot(spec) as ArenaSpec } satisfies ArenaRequest);
    });
  }

  #startWorker(spec: ArenaSpec): void {
    const worker = newWorker();
    this.#workers.push(worker);
    worker.onmessage = (e: MessageEvent<ArenaWorkerEvent>) => void this.#receive(worker, spec, e.data);
    worker.onerror = (e) => {
      this.message = language.t.arena.workerFailed(e.message);
      this.stop();
    };
    this.#next(worker, spec);
  }

  /** Gives the worker the next run, or lets it go when none is left. */
  #next(worker: Worker, spec: ArenaSpec): void {
    const key = this.#queue.shift();
    if (key) {
      worker.postMessage({ type: 'run', spec: $state.snapshot(spec) as ArenaSpec, key } satisfies ArenaRequest);
      this.inFlight = new Map([...this.inFlight, [runKeyString(key), 0]]);
      return;
    }
    worker.terminate();
    this.#workers = this.#workers.filter((w) => w !== worker);
    if (this.#workers.length === 0) this.running = false;
  }

  async #receive(worker: Worker, spec: ArenaSpec, e: ArenaWorkerEvent): Promise<void> {
    if (!this.#workers.includes(worker)) return; // stopped meanwhile
    if (e.kind === 'progress') {
      this.inFlight = new Map([...this.inFlight, [runKeyString(e.key), e.step / e.steps]]);
      return;
    }
    if (e.kind === 'planned') return;
    const key = runKeyString(e.kind === 'done' ? e.record : (e.key as RunKey));
    const inFlight = new Map(this.inFlight);
    inFlight.delete(key);
    this.inFlight = inFlight;
    if (e.kind === 'done') {
      const problem = await this.projects.keepArenaRun(e.record);
      if (problem) this.message = problem;
      this.#kept = mergeById([...this.#kept, e.record]);
      if (this.#workers.includes(worker)) this.#showResults(spec);
    } else {
      this.message = language.t.arena.runFailed(e.message);
    }
    this.finished += 1;
    if (this.#workers.includes(worker)) this.#next(worker, spec);
  }
}

const newWorker = (): Worker => new Worker(new URL('../train/arena-worker.ts', import.meta.url), { type: 'module' });

/** Runs by stored id, the first kept where one appears twice. */
function mergeById(runs: readonly RunRecord[]): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const r of runs) if (!byId.has(arenaRunId(r))) byId.set(arenaRunId(r), r);
  return [...byId.values()];
}
