/**
 * The vanishing-gradient study the gradient-flow chart shows: each cell's ‖∂L/∂a_t‖ on the
 * adding problem (loss at the last step only) at its initial parameters AND after training
 * it on that problem, same seed, data and settings for every cell. The tutorial's claim —
 * a trained LSTM or GRU keeps the gradient orders of magnitude above the Elman cell — is
 * then checked against what this run measured, and reported either way.
 */
import { compileJson, type Compiled } from '../compiler';
import { createTrainerOn, type BackendChoice } from '../gpu/choose';
import { FLOW_STUDY_DEFAULTS, hiddenStateFlow } from '../runtime/gradient-flow';
import { createAddingTask } from '../runtime/tasks/adding';
import { DEFAULT_CONFIG, type TrainConfig } from '../runtime/train';
import { messagePump } from './yield';
import type { Task } from '../runtime/tasks/types';

export interface FlowStudyCell {
  /** Shown in the legend; never parsed. */
  readonly name: string;
  /** The cell as saved (validated again here). */
  readonly cell: unknown;
  /** Which role the cell plays in the verdict. */
  readonly role: 'elman' | 'gated' | 'own';
}

export interface FlowStudyRequest {
  readonly cells: readonly FlowStudyCell[];
  /** Sequence length T of the adding problem (the gradient crosses T − 1 steps). */
  readonly length: number;
  readonly hidden: number;
  /** Training steps per cell before the "after" curve. */
  readonly steps: number;
  readonly seed: number;
  readonly backend: BackendChoice;
}

export { FLOW_STUDY_DEFAULTS };

/** One cell's measured curves: ‖∂L/∂a_t‖ for t = 0 … T − 2, before and after training. */
export interface FlowCurve {
  readonly name: string;
  readonly role: FlowStudyCell['role'];
  readonly before: readonly number[];
  readonly after: readonly number[];
  /** Validation loss after training (the adding baseline is 1/6: below it the cell remembers). */
  readonly validationLoss: number;
  readonly backend: string;
}

/** A cell that could not be studied (it does not compile with the task's input, or has no state). */
export interface FlowSkip {
  readonly name: string;
  readonly reason: string;
}

export interface FlowVerdict {
  /** First over last: how much of the gradient at the last step reaches a_0 (1: none lost). */
  readonly elman: number;
  readonly gated: number;
  /** The gated cell's ratio over the Elman cell's, after training. */
  readonly factor: number;
  /** The tutorial's point holds in this run: the gated cell keeps ≥ 100× more of the gradient. */
  readonly holds: boolean;
  readonly gatedName: string;
}

export interface FlowStudyResult {
  readonly length: number;
  readonly steps: number;
  readonly curves: readonly FlowCurve[];
  readonly skipped: readonly FlowSkip[];
  /** Absent when the study lacks an Elman cell or a gated cell. */
  readonly verdict?: FlowVerdict;
}

export type FlowStudyProgress = { readonly cell: number; readonly cells: number; readonly step: number; readonly steps: number };

/** The factor the tutorial's claim needs ("orders of magnitude"). */
export const CLAIM_FACTOR = 100;

export const firstOverLast = (curve: readonly number[]): number => curve[0] / curve[curve.length - 1];

/** Trains and measures every cell in turn; `progress` after every step, `stopRequested` between steps. */
export async function runFlowStudy(request: FlowStudyRequest, progress: (p: FlowStudyProgress) => void, stopRequested: () => boolean = () => false): Promise<FlowStudyResult> {
  const task = createAddingTask();
  if ('error' in task) throw new Error(`adding task: ${task.error}`);
  const config: TrainConfig = { ...DEFAULT_CONFIG, steps: request.steps, length: request.length, seed: request.seed };
  const curves: FlowCurve[] = [];
  const skipped: FlowSkip[] = [];
  for (const [index, entry] of request.cells.entries()) {
    if (stopRequested()) break;
    const compiled = compileJson(entry.cell, { input: task.inputSize, hidden: request.hidden });
    if (!compiled.ok || compiled.value.program.states.length === 0) {
      const reason = compiled.ok ? 'it has no state, so nothing flows back through time' : compiled.diagnostics.map((d) => d.message).join(' ');
      skipped.push({ name: entry.name, reason });
      continue;
    }
    const report = (step: number) => progress({ cell: index, cells: request.cells.length, step, steps: request.steps });
    curves.push(await studyCell(entry, compiled.value, task, config, request.backend, report, stopRequested));
  }
  return { length: request.length, steps: request.steps, curves, skipped, ...verdictOf(curves) };
}

async function studyCell(entry: FlowStudyCell, compiled: Compiled, task: Task, config: TrainConfig, backend: BackendChoice, report: (step: number) => void, stopRequested: () => boolean): Promise<FlowCurve> {
  const before = hiddenStateFlow(compiled, task, config.length, config.seed);
  const trainer = createTrainerOn(backend, compiled, task, config);
  try {
    const letMessagesIn = messagePump();
    while (trainer.stepsDone < config.steps && !stopRequested()) {
      await trainer.step();
      report(trainer.stepsDone);
      await letMessagesIn();
    }
    const params = trainer.params;
    return { name: entry.name, role: entry.role, before, after: hiddenStateFlow(compiled, task, config.length, config.seed, params), validationLoss: await trainer.evaluate(), backend: trainer.backend };
  } finally {
    await trainer.destroy();
  }
}

function verdictOf(curves: readonly FlowCurve[]): { verdict?: FlowVerdict } {
  const elman = curves.find((c) => c.role === 'elman');
  const gated = curves.filter((c) => c.role === 'gated');
  if (!elman || gated.length === 0) return {};
  // The weakest gated cell decides: the claim is about LSTM and GRU, not the best of them.
  const weakest = gated.reduce((a, b) => (firstOverLast(a.after) <= firstOverLast(b.after) ? a : b));
  const e = firstOverLast(elman.after);
  const g = firstOverLast(weakest.after);
  const factor = g / e;
  return { verdict: { elman: e, gated: g, factor, holds: factor >= CLAIM_FACTOR, gatedName: weakest.name } };
}
