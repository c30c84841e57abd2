/**
 * One arena run: a (cell, task, seed) trained on the same driver as `celda train`
 * (createTrainerOn: the gpu.js fast path, else the reference), with the seed alone
 * fixing the data order and the initial parameters. gpu.js threads stay off, so a run
 * computes the same numbers whichever worker (and however many workers) runs it.
 */
import { createTrainerOn } from '../gpu/choose';
import { NonFiniteError, type AsyncTrainer } from '../runtime/train';
import { arenaTask, runConfig, runHyperparameters, sizeCell } from './grid';
import { RUN_FORMAT, RUN_FORMAT_VERSION, type ArenaSpec, type CurvePoint, type RunKey, type RunProgress, type RunRecord } from './types';

/** Curve points per run when the validation loss is measured only at the end. */
export const CURVE_POINTS = 50;

/** Steps between curve points: every validation, else about CURVE_POINTS over the run. */
export function curveEvery(steps: number, evalEvery: number): number {
  return evalEvery > 0 ? evalEvery : Math.max(1, Math.ceil(steps / CURVE_POINTS));
}

/** A run the grid would have refused (runOne is called on planned keys only). */
export class ArenaRunError extends Error {}

export async function runOne(spec: ArenaSpec, key: RunKey, onProgress: (p: RunProgress) => void = () => undefined): Promise<RunRecord> {
  const entry = spec.cells.find((c) => c.id === key.cell);
  const task = arenaTask(key.task, spec);
  if (!entry || 'failed' in task) throw new ArenaRunError(`run ${JSON.stringify(key)}: no such cell or task in the spec`);
  const sized = sizeCell(spec, entry.cell, task);
  if (!sized.ok) throw new ArenaRunError(`run ${JSON.stringify(key)}: the cell cannot be sized for the task (${sized.field})`);
  const config = runConfig(spec, task, key.seed);
  const started = performance.now();
  const trainer = createTrainerOn(spec.backend, sized.cell.compiled, task, config, undefined, undefined, false);
  const record = (rest: Pick<RunRecord, 'curve' | 'finalValidLoss' | 'status'> & { error?: string }): RunRecord => ({
    format: RUN_FORMAT, version: RUN_FORMAT_VERSION, cell: key.cell, task: key.task, seed: key.seed, cellName: entry.name,
    cellHash: sized.cell.cellHash, hidden: sized.cell.hidden, parameters: sized.cell.parameters, backend: trainer.backend,
    hyperparameters: runHyperparameters(spec, task), ...rest, wallMs: Math.round(performance.now() - started),
  });
  const curve: CurvePoint[] = [];
  try {
    await train(trainer, key, curve, onProgress);
    return record({ curve, finalValidLoss: curve[curve.length - 1].validLoss ?? null, status: 'done' });
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e;
    // The curve up to the last point before the divergence shows how it went.
    return record({ curve, finalValidLoss: null, status: 'failed', error: `diverged at step ${e.step}: ${e.problem}` });
  } finally {
    await trainer.destroy();
  }
}

/** Trains to the last step, adding points to `curve`; its last point holds the final validation loss. */
async function train(trainer: AsyncTrainer, key: RunKey, curve: CurvePoint[], onProgress: (p: RunProgress) => void): Promise<void> {
  const { steps, evalEvery = 0 } = trainer.config;
  const every = curveEvery(steps, evalEvery);
  let sum = 0;
  let count = 0;
  while (trainer.stepsDone < steps) {
    const s = await trainer.step();
    sum += s.loss;
    count += 1;
    onProgress({ key, step: s.step, steps, loss: s.loss });
    const last = s.step === steps;
    if (s.step % every !== 0 && !last) continue;
    const validate = last || (evalEvery > 0 && s.step % evalEvery === 0);
    const validLoss = validate ? await trainer.evaluate() : undefined;
    curve.push({ step: s.step, trainLoss: sum / count, ...(validLoss !== undefined && { validLoss }) });
    sum = 0;
    count = 0;
  }
}
