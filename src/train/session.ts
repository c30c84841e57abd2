/**
 * One training run as a stream of events: what the app's Web Worker runs (worker.ts),
 * with the same tasks, trainer, backends and defaults as `celda train`, so a run in the
 * app and one on the command line with the same seed and backend give the same curve.
 */
import { compileJson } from '../compiler';
import { parameterCounts } from '../compiler/ir';
import { BackendFailure, backendLabel, createTrainerOn, type BackendChoice, type BackendReport, type BrowserProbe, type SkippedBackend } from '../gpu/choose';
import type { Diagnostic } from '../model/diagnostics';
import { taskDiagnostic } from '../runtime/tasks/errors';
import { createTask, isTaskError, type TaskName } from '../runtime/tasks/index';
import type { ModelParameters } from '../runtime/model';
import type { Task } from '../runtime/tasks/types';
import type { OptimizerState } from '../runtime/optim';
import { checkTraining, DEFAULT_CONFIG, NonFiniteError, StepInterrupted, type StepStats, type TrainConfig, type TrainerStart } from '../runtime/train';
import { messagePump } from './yield';

export interface TrainingRequest {
  /** The cell as saved (validated again here: a worker trusts nothing it is sent). */
  readonly cell: unknown;
  readonly task: TaskName;
  /** charlm: a text to model instead of the built-in Spanish corpus. */
  readonly text?: string;
  readonly hidden?: number;
  readonly config: Partial<TrainConfig>;
  readonly backend: BackendChoice;
  /** Report a step event at most this often (ms); the last step is always reported. */
  readonly reportEveryMs?: number;
  /** Send the parameters at most this often (ms), for the live view of the gates; absent: never. */
  readonly snapshotEveryMs?: number;
  /** Continue a stopped run: its parameters, optimiser state and steps done (exactly as if never stopped). */
  readonly start?: TrainerStart;
}

export type TrainingEvent =
  /** `backend`: the backend's short English name (kept with the run); `report`: which backend and why, for the UI to word. */
  | { readonly kind: 'started'; readonly backend: string; readonly report: BackendReport; readonly parameters: number; readonly steps: number; readonly baseline: number; readonly bitsPerChar: boolean }
  /** The backend changed during the first step (a kernel failed to compile or run there and `auto` fell back). */
  | { readonly kind: 'backend'; readonly backend: string; readonly report: BackendReport }
  | {
    readonly kind: 'step'; readonly step: number; readonly loss: number; readonly gradNorm: number; readonly lr: number; readonly stepsPerSecond: number; readonly elapsedMs: number;
    /** Every step's loss since the previous report (reports are throttled; curves keep every step). */
    readonly history: { readonly steps: readonly number[]; readonly losses: readonly number[]; readonly gradNorms: readonly number[] };
  }
  /** The parameters while training (every `snapshotEveryMs`): the canvas and the inside view follow the run. */
  | { readonly kind: 'snapshot'; readonly step: number; readonly params: ModelParameters; readonly inputSize: number; readonly vocabulary?: readonly string[] }
  /** The validation loss, every `config.evalEvery` steps (the final one comes with `done`). */
  | { readonly kind: 'eval'; readonly step: number; readonly loss: number }
  | {
    /**
     * 'diverged': a step's loss or gradient was not finite (NaN or ∞). Training stopped before
     * that step's update: `params`, `optimizer` and `steps` are the last good ones, so the run
     * resumes from there (with other hyperparameters); `divergence` says where it happened.
     */
    readonly kind: 'done'; readonly status: 'done' | 'stopped' | 'diverged'; readonly steps: number; readonly validationLoss: number; readonly elapsedMs: number;
    /** Only with status 'diverged': the step that failed (1-based) and the tensor first found non-finite ("loss", or a parameter's gradient such as "Wf.W"). */
    readonly divergence?: { readonly step: number; readonly tensor: string };
    /** The trained parameters (float64), and for text the vocabulary: the keyboard and the inside view use them. */
    readonly params: ModelParameters; readonly inputSize: number; readonly vocabulary?: readonly string[];
    /** The optimiser's state, to resume the run later. */
    readonly optimizer: OptimizerState;
  }
  /**
   * `message` in English; `diagnostics`, when the run was refused for them (a bad task, cell or
   * hyperparameter), say the same in any language: renderDiagnostic(d, lang) for each, joined by spaces;
   * `backend`, when the chosen backend could not train the cell, says which and why (worded by the UI).
   */
  | { readonly kind: 'failed'; readonly message: string; readonly diagnostics?: readonly Diagnostic[]; readonly backend?: SkippedBackend };

/**
 * Trains until the configured steps or until `stopRequested()` says so, reporting through `emit`.
 * Every problem (bad cell, bad hyperparameter) becomes one `failed` event naming its field.
 * `probe`: what the browser offers (the worker probes it); absent, the run is chosen as in Node.
 */
export async function runTraining(request: TrainingRequest, emit: (e: TrainingEvent) => void, stopRequested: () => boolean, probe?: BrowserProbe): Promise<void> {
  const task = createTask(request.task, request.text === undefined ? {} : { text: request.text });
  if (isTaskError(task)) return emit(refused([taskDiagnostic(task)]));
  const compiled = compileJson(request.cell, { input: task.inputSize, ...(request.hidden !== undefined && { hidden: request.hidden }) });
  if (!compiled.ok) return emit(refused(compiled.diagnostics.filter((d) => d.severity === 'error')));
  const config: TrainConfig = { ...DEFAULT_CONFIG, ...request.config };
  const problems = checkTraining(compiled.value, task, config);
  if (problems.length > 0) return emit(refused(problems));
  let trainer;
  try {
    trainer = createTrainerOn(request.backend, compiled.value, task, config, request.start, probe);
  } catch (e) {
    return emit(failed(e));
  }
  const t0 = performance.now();
  // Text models (charlm, dinosaurs) carry their vocabulary: their losses are per character.
  const vocabulary = (task as Task & { vocabulary?: readonly string[] }).vocabulary;
  emit({
    kind: 'started', backend: backendLabel(trainer.report.backend), report: trainer.report, parameters: parameterCounts(compiled.value.program).total + task.outputSize * (compiled.value.program.values[compiled.value.program.output].size + 1),
    steps: config.steps, baseline: task.baseline.loss, bitsPerChar: vocabulary !== undefined,
  });
  const firstStep = trainer.stepsDone;
  let lastReport = -Infinity;
  let lastSnapshot = -Infinity;
  let last: StepStats | undefined;
  let history = { steps: [] as number[], losses: [] as number[], gradNorms: [] as number[] };
  const letMessagesIn = messagePump();
  // A long step (truncated BPTT) also looks for a stop between its chunks; a step stopped halfway is dropped.
  const betweenChunks = async () => {
    await letMessagesIn();
    return stopRequested();
  };
  let divergence: NonFiniteError | undefined;
  let reported = trainer.report.backend;
  try {
    try {
      while (trainer.stepsDone < config.steps && !stopRequested()) {
        last = await trainer.step(betweenChunks);
        if (trainer.report.backend !== reported) {
          reported = trainer.report.backend;
          emit({ kind: 'backend', backend: backendLabel(reported), report: trainer.report });
        }
        history.steps.push(last.step);
        history.losses.push(last.loss);
        history.gradNorms.push(last.gradNorm);
        await letMessagesIn();
        const now = performance.now();
        if (now - lastReport >= (request.reportEveryMs ?? 0) || last.step === config.steps || stopRequested()) {
          lastReport = now;
          const elapsedMs = now - t0;
          emit({ kind: 'step', step: last.step, loss: last.loss, gradNorm: last.gradNorm, lr: last.lr, stepsPerSecond: (last.step - firstStep) / (elapsedMs / 1000), elapsedMs, history });
          history = { steps: [], losses: [], gradNorms: [] };
        }
        if (request.snapshotEveryMs !== undefined && now - lastSnapshot >= request.snapshotEveryMs) {
          lastSnapshot = now;
          emit({ kind: 'snapshot', step: last.step, params: trainer.params, inputSize: task.inputSize, ...(vocabulary && { vocabulary: [...vocabulary] }) });
        }
        const every = config.evalEvery ?? 0;
        if (every > 0 && last.step % every === 0 && last.step < config.steps) emit({ kind: 'eval', step: last.step, loss: await trainer.evaluate() });
      }
    } catch (e) {
      // Both leave the trainer at its last good step, which the run ends with.
      if (e instanceof NonFiniteError) divergence = e;
      else if (!(e instanceof StepInterrupted)) throw e;
    }
    const validationLoss = await trainer.evaluate();
    const status = divergence ? 'diverged' : trainer.stepsDone < config.steps ? 'stopped' : 'done';
    emit({
      kind: 'done', status, steps: trainer.stepsDone, validationLoss, elapsedMs: performance.now() - t0,
      ...(divergence && { divergence: { step: divergence.step, tensor: divergence.tensor } }),
      params: trainer.params, inputSize: task.inputSize, ...(vocabulary && { vocabulary: [...vocabulary] }), optimizer: trainer.optimizerState,
    });
  } catch (e) {
    emit(failed(e));
  } finally {
    await trainer.destroy();
  }
}

/** A run that could not go on: the error's message, and with a backend failure which backend and why. */
function failed(e: unknown): TrainingEvent {
  return { kind: 'failed', message: e instanceof Error ? e.message : String(e), ...(e instanceof BackendFailure && { backend: e.skipped }) };
}

/** A run refused before it starts: its problems, in English and as diagnostics. */
function refused(diagnostics: readonly Diagnostic[]): TrainingEvent {
  return { kind: 'failed', message: diagnostics.map((d) => d.message).join(' '), diagnostics };
}
