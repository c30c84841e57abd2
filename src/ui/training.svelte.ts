/**
 * Training in the app: a Web Worker runs the session (src/train), so the canvas stays
 * responsive; this store turns its events into progress, a loss curve and a stored run.
 */
import { untrack } from 'svelte';
import { compileJson, type Compiled } from '../compiler';
import { UNSAFE_TEXT } from '../model/cell';
import { renderDiagnostic, type Diagnostic } from '../model/diagnostics';
import { gateActivity } from '../runtime/activity';
import { cellHash } from '../runtime/checkpoint';
import type { ModelParameters } from '../runtime/model';
import { DEFAULT_CONFIG, type TrainerStart } from '../runtime/train';
import { language } from './i18n.svelte';
import { checkpointTensors, fromCheckpointTensors } from './lib/run-checkpoint';
import { createTask, isTaskError, TASK_NAMES, type TaskName } from '../runtime/tasks/index';
import type { BackendChoice, BackendReport, SkippedBackend } from '../gpu/choose';
import { failureText, reportText } from './lib/backend-report';
import type { JsonObject, ProjectSettings, RunRecord } from '../storage';
import type { TrainingEvent, TrainingRequest } from '../train/session';
import type { WorkerMessage } from '../train/worker';
import type { ProjectStore } from './projects.svelte';
import type { EditorState } from './state.svelte';

export interface TrainingForm {
  task: TaskName;
  /** charlm: the user's text (pasted or from a file); empty: the built-in Spanish corpus. */
  text: string;
  steps: number;
  batch: number;
  length: number;
  lr: number;
  /** The largest global gradient norm (larger ones are scaled down to it); 0: no clipping. */
  clip: number;
  seed: number;
  backend: BackendChoice;
}

export interface TrainedModel {
  /** The task it learned: spell-number and dinosaurs models have their own views (TrainingPanel). */
  readonly task: TaskName;
  readonly compiled: Compiled;
  readonly params: ModelParameters;
  readonly vocabulary?: readonly string[];
  /** A text model's first text for the keyboard and the inside view (its vocabulary has every character). */
  readonly text?: string;
  /** Node labels (or ids) by node id, for naming what the inside view shows. */
  readonly names: ReadonlyMap<string, string>;
  /** Without a vocabulary: an example sequence of the task (its inputs per step), for the inside view. */
  readonly example?: readonly Float64Array[];
  /** The training step these parameters come from. */
  readonly step: number;
}

/** The training drawer's views: settings and loss, the gradient-flow study, inside the cell, the stored runs. */
export const TRAINING_TABS = ['train', 'flow', 'inside', 'runs'] as const;
export type TrainingTab = (typeof TRAINING_TABS)[number];

/** The first validation sequence of a numeric task (one row per step), or undefined. */
function exampleSequence(name: TaskName, length: number): Float64Array[] | undefined {
  const task = createTask(name);
  if (isTaskError(task) || task.checkShape(1, length)) return undefined;
  const [batch] = task.validationBatches(1, length);
  return batch ? batch.xs.map((x) => x.slice(0, task.inputSize)) : undefined;
}

/**
 * The sequence length the form should hold once `task` is chosen: the task's only length when
 * it takes one (copy, spell-number), else `length` unchanged.
 */
export function lengthFor(task: TaskName, length: number): number {
  const made = createTask(task);
  if (isTaskError(made) || made.lengths.min !== made.lengths.max) return length;
  return made.lengths.min;
}

/** What a dinosaur model reads first: a name between end marks is the whole of its world. */
const DINOSAUR_TEXT = 'stegosaurus';

export const DEFAULT_FORM: TrainingForm = { task: 'charlm', text: '', steps: 300, batch: 16, length: 32, lr: 0.01, clip: DEFAULT_CONFIG.clip, seed: 1, backend: 'auto' };

/** The backends the form offers: Automatic (the honest choice, falling back), or one forced. */
export const FORM_BACKENDS = ['auto', 'webgpu', 'webgl2', 'webasm', 'reference'] as const satisfies readonly BackendChoice[];

/** The form's numeric fields and the ranges its inputs allow (a stored value outside them is not used). */
const FORM_NUMBERS = {
  steps: { min: 1, max: 100_000, integer: true },
  batch: { min: 1, max: 1024, integer: true },
  length: { min: 1, max: 512, integer: true },
  lr: { min: 1e-8, max: 10, integer: false },
  clip: { min: 0, max: 1_000_000, integer: false },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
} as const;

/** Whether the user's text can be kept with the project (storage keeps texts up to this size, without control characters). */
export const textKeptWithProject = (text: string): boolean => text.length <= MAX_STORED_TEXT && !UNSAFE_TEXT.test(text);

/** The form as it is kept in the project's settings (under `training`). */
export function formSettings(form: TrainingForm): JsonObject {
  return { ...form, text: textKeptWithProject(form.text) ? form.text : '' };
}

/** The form kept in a project's settings; a field that is missing, of another type or out of range takes its default. */
export function readForm(settings: ProjectSettings): TrainingForm {
  const stored = settings.training;
  const form: TrainingForm = { ...DEFAULT_FORM };
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return form;
  if (TASK_NAMES.includes(stored.task as TaskName)) form.task = stored.task as TaskName;
  if (FORM_BACKENDS.includes(stored.backend as (typeof FORM_BACKENDS)[number])) form.backend = stored.backend as BackendChoice;
  if (typeof stored.text === 'string' && textKeptWithProject(stored.text)) form.text = stored.text;
  for (const [field, range] of Object.entries(FORM_NUMBERS) as [keyof typeof FORM_NUMBERS, (typeof FORM_NUMBERS)[keyof typeof FORM_NUMBERS]][]) {
    const v = stored[field];
    if (typeof v === 'number' && Number.isFinite(v) && v >= range.min && v <= range.max && (!range.integer || Number.isInteger(v))) form[field] = v;
  }
  return form;
}

/** Where a diverged run went wrong: the step whose loss or gradient was not finite, and the tensor ("loss" or a gradient such as "Wf.W"). */
export interface Divergence {
  readonly step: number;
  readonly tensor: string;
}

/** The hyperparameters a diverged run may change when it resumes. */
export type ResumeChanges = Partial<Pick<TrainingForm, 'lr' | 'clip'>>;

/** A stored run's divergence (kept in its config until it resumes), if it diverged. */
export function runDivergence(run: RunRecord): Divergence | undefined {
  const d = run.config.divergence;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return undefined;
  return typeof d.step === 'number' && typeof d.tensor === 'string' ? { step: d.step, tensor: d.tensor } : undefined;
}

/** The validation loss is measured this often during a run (and at its end). */
export const EVAL_EVERY = 100;

/** Stored runs keep at most this many curve points (evenly thinned beyond it). */
const MAX_POINTS = 2000;
/** The longest training text kept with a run (the storage's bound on a stored text). */
const MAX_STORED_TEXT = 10_000;
/** How often a running run's record is saved (curve so far, status). */
const SAVE_EVERY_MS = 2000;
/** How often the worker sends the parameters while training: the canvas's gate fills and the inside view follow the run. */
export const LIVE_EVERY_MS = 400;
/** What a text model reads for the live gate fills when the user gave no text (the tutorial's sentence, in the built-in corpus). */
const LIVE_TEXT = 'Voy al parque con mi perro.';
/** How many characters of the user's own text the live gate fills read. */
const LIVE_TEXT_CHARS = 40;

/**
 * The short, fixed sequence a model runs over for the live gate fills: for text, the start of
 * the user's text (or the tutorial's sentence), its characters outside the vocabulary left out;
 * for a numeric task, the task's example sequence.
 */
export function liveSequence(model: TrainedModel, text: string): Float64Array[] {
  if (!model.vocabulary) return [...(model.example ?? [])];
  const index = new Map(model.vocabulary.map((c, i) => [c, i]));
  const size = model.vocabulary.length;
  const chars = [...(text.trim() === '' ? LIVE_TEXT : text.slice(0, LIVE_TEXT_CHARS))];
  return chars.flatMap((c) => {
    const id = index.get(c);
    if (id === undefined) return [];
    const x = new Float64Array(size);
    x[id] = 1;
    return [x];
  });
}

export class TrainingStore {
  running = $state(false);
  /** Which backend the run trains on, and why the faster ones did not (worded in the UI's language by `backendText`). */
  report = $state.raw<BackendReport | undefined>();
  step = $state(0);
  total = $state(0);
  stepsPerSecond = $state(0);
  /** Training loss by step (the live curve). */
  steps = $state.raw<number[]>([]);
  losses = $state.raw<number[]>([]);
  gradNorms = $state.raw<number[]>([]);
  /** Validation loss by step (every EVAL_EVERY steps and at the end). */
  validationSteps = $state.raw<number[]>([]);
  validationLosses = $state.raw<number[]>([]);
  /** Whether losses are per character (then bits/char are shown too). */
  bitsPerChar = $state(false);
  validationLoss = $state<number | undefined>();
  status = $state<'idle' | 'running' | 'done' | 'stopped' | 'failed'>('idle');
  message = $state('');
  /** Why the run was refused, when the session said it with diagnostics: worded in the UI's language when shown. */
  failure = $state.raw<readonly Diagnostic[] | undefined>();
  /** The backend the user chose, when it could not train the cell, and why. */
  backendFailure = $state.raw<SkippedBackend | undefined>();
  /** The failure in the UI's language (diagnostics, or the chosen backend's failure), else as the worker said it. */
  get failureText(): string {
    const d = this.failure;
    if (d && d.length > 0) return d.map((x) => renderDiagnostic(x, language.current)).join(' ');
    return this.backendFailure ? failureText(this.backendFailure, language.t.backend) : this.message;
  }

  /** "Training on WebAssembly: WebGPU …", in the UI's language; empty before a run starts. */
  get backendText(): string {
    return this.report ? reportText(this.report, language.t.backend) : '';
  }
  /** Set when the last run diverged (it is stored as stopped, resumable from its last good step). */
  divergence = $state.raw<Divergence | undefined>();
  runs = $state.raw<RunRecord[]>([]);
  /** The last finished run's model, compiled as it trained: what the keyboard and the inside view use. */
  trained = $state.raw<TrainedModel | undefined>();
  /** While a run trains: its model at the latest snapshot (every LIVE_EVERY_MS). */
  live = $state.raw<TrainedModel | undefined>();
  /** The form's values: kept here (and in the project's settings), so closing the panel or a reload keeps them. */
  form = $state<TrainingForm>({ ...DEFAULT_FORM });
  /** The drawer's view, kept while it is closed. */
  tab = $state<TrainingTab>('train');

  #worker: Worker | undefined;
  /** The running cell compiled for the snapshots' input size (once per run). */
  #liveCompiled: Compiled | undefined;
  #run: RunRecord | undefined;
  #lastSave = 0;
  #queue: Promise<void> = Promise.resolve();
  #started = 0;

  constructor(private readonly editor: EditorState, private readonly projects: ProjectStore) {}

  /** The model the keyboard and the inside view show: the live one while training, else the last trained one. */
  get model(): TrainedModel | undefined {
    return this.running ? this.live : this.trained;
  }

  /** Puts the open project's stored form in the panel (after a project opens). */
  restoreForm(): void {
    Object.assign(this.form, readForm(this.projects.settings));
  }

  /** Keeps the form's values with the project (saved with it; nothing happens when they are already kept). */
  keepForm(): void {
    const training = formSettings(this.form);
    untrack(() => this.projects.updateSettings({ training }));
  }

  get eta(): number {
    return this.stepsPerSecond > 0 ? (this.total - this.step) / this.stepsPerSecond : Number.NaN;
  }

  async refreshRuns(): Promise<void> {
    this.runs = await this.projects.runs();
  }

  start(form: TrainingForm): void {
    if (this.running || !this.editor.analysis.compiled) return;
    this.#launch(form);
  }

  /** The run that ran last, while it can resume (it stopped or diverged). */
  get resumable(): RunRecord | undefined {
    return this.status === 'stopped' ? this.#run : undefined;
  }

  /**
   * Continues a stopped run from its checkpoint (kept in IndexedDB, so also after a reload):
   * the same parameters, optimiser state and data stream, the curve going on where it stopped.
   * `changes`: another learning rate or clipping (a diverged run needs one), kept in its record.
   */
  async resume(stored: RunRecord, changes: ResumeChanges = {}): Promise<void> {
    const { divergence: _divergence, ...config } = stored.config;
    const run: RunRecord = { ...stored, config: { ...config, ...changes } };
    const compiled = this.editor.analysis.compiled;
    if (this.running || !compiled) return;
    if (cellHash(compiled.program) !== run.cellHash) {
      this.status = 'failed';
      this.failure = undefined;
      this.message = language.t.training.cellChanged;
      return;
    }
    if (run.config.textNotKept === true) {
      this.status = 'failed';
      this.failure = undefined;
      this.message = language.t.training.textNotKept;
      return;
    }
    const checkpoint = await this.projects.latestCheckpoint(run.id);
    const saved = checkpoint && fromCheckpointTensors(checkpoint.tensors);
    if (!checkpoint || !saved) {
      this.status = 'failed';
      this.failure = undefined;
      this.message = language.t.training.noCheckpoint;
      return;
    }
    const form = { ...DEFAULT_FORM, ...(run.config as Partial<TrainingForm>) };
    const metric = (name: string) => run.metrics.find((m) => m.name === name);
    const numbers = (values: readonly (number | null)[] | undefined) => (values ?? []).map((v) => v ?? Number.NaN);
    this.#launch(form, { params: saved.params, stepsDone: checkpoint.step, optimizer: saved.optimizer }, run, {
      steps: [...(metric('loss')?.steps ?? [])], losses: numbers(metric('loss')?.values), gradNorms: numbers(metric('gradNorm')?.values),
      validationSteps: [...(metric('validation')?.steps ?? [])], validationLosses: numbers(metric('validation')?.values),
    });
  }

  #launch(form: TrainingForm, start?: TrainerStart, run?: RunRecord, curves?: { steps: number[]; losses: number[]; gradNorms: number[]; validationSteps: number[]; validationLosses: number[] }): void {
    const request: TrainingRequest = {
      cell: $state.snapshot(this.editor.cell),
      task: form.task,
      ...(form.task === 'charlm' && form.text.trim() !== '' && { text: form.text }),
      config: { steps: form.steps, batch: form.batch, length: form.length, lr: form.lr, clip: form.clip, seed: form.seed, evalEvery: EVAL_EVERY },
      backend: form.backend,
      reportEveryMs: 50,
      snapshotEveryMs: LIVE_EVERY_MS,
      ...(start && { start }),
    };
    this.#worker ??= new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module' });
    // Events are handled one after another: a run's record must exist before its steps are saved.
    this.#worker.onmessage = (e: MessageEvent<TrainingEvent>) => {
      this.#queue = this.#queue.then(() => this.#receive(e.data, form, request));
    };
    this.#worker.onerror = (e) => this.#fail(e.message);
    this.running = true;
    this.status = 'running';
    this.message = '';
    this.report = undefined;
    this.backendFailure = undefined;
    this.divergence = undefined;
    this.step = start?.stepsDone ?? 0;
    this.total = form.steps;
    this.stepsPerSecond = 0;
    this.steps = curves?.steps ?? [];
    this.losses = curves?.losses ?? [];
    this.gradNorms = curves?.gradNorms ?? [];
    this.validationSteps = curves?.validationSteps ?? [];
    this.validationLosses = curves?.validationLosses ?? [];
    this.validationLoss = undefined;
    this.live = undefined;
    this.#liveCompiled = undefined;
    this.#run = run;
    this.#started = Date.now();
    this.#post({ type: 'start', request });
  }

  stop(): void {
    if (this.running) this.#post({ type: 'stop' });
  }

  destroy(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #post(m: WorkerMessage): void {
    this.#worker?.postMessage(m);
  }

  async #receive(e: TrainingEvent, form: TrainingForm, request: TrainingRequest): Promise<void> {
    switch (e.kind) {
      case 'started': {
        this.report = e.report;
        this.bitsPerChar = e.bitsPerChar;
        if (this.#run) return; // a resumed run keeps its record
        const compiled = this.editor.analysis.compiled;
        this.#run = await this.projects.addRun({
          // A long text of the user's is not kept with the run (storage bounds texts): such a run cannot resume.
          config: { ...form, text: form.text.length <= MAX_STORED_TEXT ? form.text : '', textNotKept: form.text.length > MAX_STORED_TEXT, cellName: this.editor.cell.metadata.name, parameters: e.parameters }, seed: form.seed, backend: e.backend, status: 'running', metrics: [], timings: {},
          cellHash: compiled ? cellHash(compiled.program) : '0000000000000000',
        });
        await this.refreshRuns();
        return;
      }
      case 'backend':
        // The first step fell back (a kernel failed to compile or run): the run is kept under the backend it trains on.
        this.report = e.report;
        if (this.#run) this.#run = { ...this.#run, backend: e.backend };
        return;
      case 'step':
        this.step = e.step;
        this.stepsPerSecond = e.stepsPerSecond;
        this.steps = [...this.steps, ...e.history.steps];
        this.losses = [...this.losses, ...e.history.losses];
        this.gradNorms = [...this.gradNorms, ...e.history.gradNorms];
        if (Date.now() - this.#lastSave > SAVE_EVERY_MS) await this.#save('running');
        return;
      case 'snapshot':
        this.#follow(e, form, request);
        return;
      case 'eval':
        this.validationSteps = [...this.validationSteps, e.step];
        this.validationLosses = [...this.validationLosses, e.loss];
        return;
      case 'done': {
        this.validationLoss = e.validationLoss;
        this.validationSteps = [...this.validationSteps, e.steps];
        this.validationLosses = [...this.validationLosses, e.validationLoss];
        const compiled = compileJson(request.cell, { input: e.inputSize });
        if (compiled.ok) this.trained = this.#model(compiled.value, e.params, e.steps, form, e.vocabulary);
        // A diverged run is stored as stopped, where it diverged in its config: its last good parameters resume it.
        const status = e.status === 'diverged' ? 'stopped' : e.status;
        const divergence = e.status === 'diverged' ? e.divergence : undefined;
        if (divergence && this.#run) this.#run = { ...this.#run, config: { ...this.#run.config, divergence: { step: divergence.step, tensor: divergence.tensor } } };
        await this.#save(status, e.elapsedMs);
        if (status === 'stopped' && this.#run) {
          await this.projects.addCheckpoint({ runId: this.#run.id, step: e.steps, cellHash: this.#run.cellHash, tensors: checkpointTensors(e.params, e.optimizer) });
        }
        // Shown as finished only once the run and its checkpoint are stored: a reload now loses nothing.
        this.#endLive();
        this.running = false;
        this.status = status;
        this.divergence = divergence;
        return;
      }
      case 'failed':
        this.#fail(e.message, e.diagnostics, e.backend);
    }
  }

  /** A model of the cell on the canvas with `params`, named and with its inside-view inputs. */
  #model(compiled: Compiled, params: ModelParameters, step: number, form: TrainingForm, vocabulary?: readonly string[]): TrainedModel {
    const names = new Map(this.editor.cell.nodes.map((n) => [n.id, n.label?.trim() || n.id]));
    const example = vocabulary ? undefined : exampleSequence(form.task, Math.min(form.length, 60));
    const text = form.task === 'dinosaurs' ? DINOSAUR_TEXT : undefined;
    return { task: form.task, compiled, params, step, ...(vocabulary && { vocabulary }), ...(text && { text }), ...(example && { example }), names };
  }

  /** A snapshot while training: the live model, and each gate's mean activation on the canvas. */
  #follow(e: Extract<TrainingEvent, { kind: 'snapshot' }>, form: TrainingForm, request: TrainingRequest): void {
    if (!this.running) return;
    if (!this.#liveCompiled) {
      const compiled = compileJson(request.cell, { input: e.inputSize });
      if (!compiled.ok) return;
      this.#liveCompiled = compiled.value;
    }
    const model = this.#model(this.#liveCompiled, e.params, e.step, form, e.vocabulary);
    this.live = model;
    this.editor.nodeActivity = gateActivity(model.compiled.program, model.params.cell, liveSequence(model, form.task === 'charlm' ? form.text : model.text ?? ''), 1);
  }

  /** The gate fills show only while a cell trains: a finished run's gates are in the inside view. */
  #endLive(): void {
    this.live = undefined;
    this.#liveCompiled = undefined;
    this.editor.nodeActivity = undefined;
  }

  #fail(message: string, diagnostics?: readonly Diagnostic[], backendFailure?: SkippedBackend): void {
    this.#endLive();
    this.running = false;
    this.status = 'failed';
    this.message = message;
    this.failure = diagnostics;
    this.backendFailure = backendFailure;
    void this.#save('failed');
  }

  async #save(status: RunRecord['status'], elapsedMs?: number): Promise<void> {
    this.#lastSave = Date.now();
    const run = this.#run;
    if (!run) return;
    const keep = Math.max(1, Math.ceil(this.steps.length / MAX_POINTS));
    const steps = this.steps.filter((_, i) => i % keep === 0 || i === this.steps.length - 1);
    const values = this.losses.filter((_, i) => i % keep === 0 || i === this.losses.length - 1).map((v) => (Number.isFinite(v) ? v : null));
    const gradNorms = this.gradNorms.filter((_, i) => i % keep === 0 || i === this.gradNorms.length - 1).map((v) => (Number.isFinite(v) ? v : null));
    const metrics = [{ name: 'loss', steps, values }, { name: 'gradNorm', steps, values: gradNorms }];
    if (this.validationSteps.length > 0) metrics.push({ name: 'validation', steps: [...this.validationSteps], values: this.validationLosses.map((v) => (Number.isFinite(v) ? v : null)) });
    this.#run = { ...run, status, metrics, timings: { totalMs: elapsedMs ?? Date.now() - this.#started } };
    await this.projects.updateRun(this.#run);
    await this.refreshRuns();
  }
}
