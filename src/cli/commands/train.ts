/** `celda train <cell> --task NAME`: train a cell plus a readout on a task, on the gpu.js fast path or the reference runtime. */
import { parameterCounts } from '../../compiler';
import { LIMITS } from '../../model/cell';
import type { Compiled } from '../../compiler';
import {
  CheckpointError, MAX_CHECKPOINT_BYTES, checkpointBytesBound, checkpointFromJson, checkpointToJson, type Checkpoint, type CheckpointTask,
} from '../../runtime/checkpoint';
import { OPTIMIZER_SLOTS, estimateTraining, learnedValues } from '../../runtime/memory';
import { CHARLM_MAX_BYTES, natsToBits } from '../../runtime/tasks/charlm';
import { TASK_NAMES, createTask, isTaskError, type Task } from '../../runtime/tasks/index';
import { DEFAULT_CONFIG, NonFiniteError, StepInterrupted, type StepStats, type TrainConfig } from '../../runtime/train';
import { BACKEND_CHOICES, createTrainerOn, type BackendChoice } from '../../gpu/choose';
import { GpuTrainingError } from '../../gpu/trainer';
import { SEED_MAX, choiceOption, integerOption, requiredString, stringOption, type Args, type Command, type Context } from '../command';
import { compileCellFile } from '../cell-file';
import { CliError, EXIT, UsageError, fail, formatDiagnostic, inFile, jsonLine, plural, readJsonFile, readTextFile, refuseOverwritingInput, stringifyJson, type ExitCode } from '../io';
import { MAX_MEMORY_OPTION, checkMemory, formatBytes, memoryLimit } from '../memory';
import { ProgressReporter, formatLoss, silentSink, stderrSink } from '../progress';
import {
  EXIT_INTERRUPTED, checkTrainingOrFail, checkWritable, formatSeconds, nameOption, numberOption, writeFileAtomic, yieldToEvents,
} from '../training';

const OPTIMIZERS = ['sgd', 'rmsprop', 'adam'] as const;
const SCHEDULES = ['constant', 'cosine'] as const;
/** Which task each task-specific option belongs to. */
const TASK_OPTIONS = { data: 'charlm', delay: 'copy', noise: 'sine', 'up-to': 'spell-number' } as const;
/** Losses averaged for the summary's training loss. */
const RECENT = 10;

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a cell on a task (charlm, adding, copy, order, sine, spell-number, dinosaurs); write a checkpoint.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    task: { type: 'string', short: 't', value: 'NAME', help: `The task: ${TASK_NAMES.join(', ')} (required).` },
    data: { type: 'string', value: 'FILE', help: 'charlm: a UTF-8 text to model (default: the built-in Spanish corpus).' },
    delay: { type: 'string', value: 'N', help: 'copy: steps between the data and the delimiter (default 100); sequences are N + 20 long.' },
    noise: { type: 'string', value: 'X', help: 'sine: standard deviation of the noise (default 0.05).' },
    'up-to': { type: 'string', value: 'N', help: 'spell-number: spell the numbers 0 to N (9 to 999, default 999); sequences are its longest spelling + 1 long.' },
    input: { type: 'string', value: 'N', help: 'Input size: set by the task (charlm: the vocabulary size); if given, it must agree.' },
    hidden: { type: 'string', value: 'N', help: `Hidden size, 1 to ${LIMITS.size} (default: the cell's; with --resume, the checkpoint's).` },
    batch: { type: 'string', value: 'B', help: `Sequences per step (default ${DEFAULT_CONFIG.batch}).` },
    seq: { type: 'string', value: 'T', help: `Sequence length (default ${DEFAULT_CONFIG.length}, or the only length the task allows: --delay + 20 for copy, 33 for spell-number).` },
    chunk: { type: 'string', value: 'K', help: 'Truncated BPTT: update after every K steps, carrying the state over (default: T, full BPTT).' },
    steps: { type: 'string', value: 'N', help: `Training steps in all (default ${DEFAULT_CONFIG.steps}; with --resume, the checkpoint's).` },
    lr: { type: 'string', value: 'X', help: `Learning rate (default ${DEFAULT_CONFIG.lr}).` },
    optimizer: { type: 'string', value: 'NAME', help: `${OPTIMIZERS.join(', ')} (default ${DEFAULT_CONFIG.optimizer}).` },
    momentum: { type: 'string', value: 'X', help: 'SGD momentum, 0 to 0.999 (default 0.9; only with --optimizer sgd).' },
    clip: { type: 'string', value: 'X', help: `Clip the global gradient norm to X; 0 turns clipping off (default ${DEFAULT_CONFIG.clip}).` },
    schedule: { type: 'string', value: 'NAME', help: 'Learning rate schedule: constant (default) or cosine (warm-up, then decay to 0).' },
    warmup: { type: 'string', value: 'N', help: 'Warm-up steps of the cosine schedule (default 0).' },
    seed: { type: 'string', value: 'S', help: `Seed of the initial parameters and the training data, 0 to ${SEED_MAX} (default ${DEFAULT_CONFIG.seed}).` },
    'eval-every': { type: 'string', value: 'N', help: 'Also measure the validation loss every N steps (default 0: only at the end).' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'Write the checkpoint here (atomically), also after Ctrl-C.' },
    resume: { type: 'string', value: 'FILE', help: 'Continue from this checkpoint to --steps (same cell, same task).' },
    backend: { type: 'string', value: 'NAME', help: `${BACKEND_CHOICES.join(', ')} (default auto: gpu.js webasm here, the compiled fast path; reference: the float64 specification).` },
    'max-memory': MAX_MEMORY_OPTION,
  },
  details: [
    'The cell is compiled with the task\'s input size (charlm: the text\'s vocabulary) and --hidden;',
    'a linear readout maps its output to the task\'s prediction. Every setting is checked before training.',
    'Progress goes to stderr: a live bar on a terminal, a line every 10% of the steps otherwise. Ctrl-C',
    'stops after the current step (with --chunk, after the current chunk, dropping the unfinished step), prints',
    `the summary, writes --out and exits ${EXIT_INTERRUPTED as number}; a second Ctrl-C quits at once.`,
    'A loss, gradient or parameter that turns NaN or infinite stops the run: the step that diverged is dropped,',
    `--out gets the last good step (resume it with a lower --lr or a --clip) and the exit status is ${EXIT.failed}.`,
    'Before anything is allocated, the memory the run needs (parameters, activations kept for the backward pass,',
    'the data, the validation pass, the checkpoint) is estimated; over --max-memory, the run is refused.',
    '--resume keeps the checkpoint\'s settings unless options change them and continues its data stream',
    'and its optimiser state (Adam/RMSProp averages, momentum): the run goes on exactly as if never stopped.',
    'With --json: one JSON line per event on stdout: {"event": "step", "step", "loss", "gradNorm", "clipped",',
    '"lr", "stepsPerSecond"} every 1% of the steps, {"event": "eval", "step", "validationLoss"}, and last',
    '{"event": "done", "steps", "trainingLoss", "validationLoss", "baseline", "seconds", …}; charlm adds "bitsPerChar".',
  ].join('\n'),
  run: (args, ctx) => train(args, ctx),
};

/** A trainer on the chosen backend; a plan the gpu backend cannot take is a usage error naming its option. */
function makeTrainer(backend: BackendChoice, ...rest: Parameters<typeof createTrainerOn> extends [unknown, ...infer R] ? R : never) {
  try {
    return createTrainerOn(backend, ...rest);
  } catch (e) {
    if (e instanceof GpuTrainingError) throw new UsageError(`--${e.message}`);
    throw e;
  }
}

/** The parts of a checkpoint read before the cell is compiled (its sizes depend on them). */
interface SavedHeader {
  readonly hidden?: number;
  readonly task?: Partial<CheckpointTask>;
}

async function train(args: Args, ctx: Context): Promise<ExitCode> {
  const [file] = args.positionals;
  const taskName = requiredString(args, trainCommand, 'task');
  if (!(TASK_NAMES as readonly string[]).includes(taskName)) {
    throw new UsageError(`Unknown task ${JSON.stringify(taskName.slice(0, 40))}: --task must be one of ${TASK_NAMES.join(', ')}.`);
  }
  for (const [option, owner] of Object.entries(TASK_OPTIONS)) {
    if (args.values[option] !== undefined && owner !== taskName) throw new UsageError(`--${option} applies only to --task ${owner}.`);
  }
  const limit = memoryLimit(args);

  // Every number as typed, so messages can show it.
  const typed: Record<string, string | undefined> = {};
  const num = (name: string): number | undefined => {
    const n = numberOption(args, name);
    typed[`--${name}`] = n.raw;
    return n.value;
  };

  const task = makeTask(taskName, args, num);
  const vocabulary = (task as Task & { vocabulary?: readonly string[] }).vocabulary;

  // --resume: the checkpoint's hidden size and task decide how the cell is compiled.
  const resumeFile = stringOption(args, 'resume');
  const resumeJson = resumeFile === undefined ? undefined : readJsonFile(resumeFile, 'checkpoint', MAX_CHECKPOINT_BYTES);
  const header = resumeJson === undefined ? undefined : readHeader(resumeJson);
  if (resumeFile !== undefined && header?.task) checkSameTask(header.task, task, vocabulary, resumeFile);

  const input = integerOption(args, 'input', 1, LIMITS.size);
  if (input !== undefined && input !== task.inputSize) {
    throw new UsageError(`--input ${input} does not fit the ${task.name} task, which feeds ${task.inputSize} values per step${vocabulary ? ' (its vocabulary size)' : ''}: leave --input out or give ${task.inputSize}.`);
  }
  const hidden = integerOption(args, 'hidden', 1, LIMITS.size) ?? header?.hidden;
  const { compiled, warnings } = compileCellFile(file, { input: task.inputSize, ...(hidden !== undefined && { hidden }) });
  for (const d of warnings) ctx.note(formatDiagnostic(d));
  const program = compiled.program;

  let saved: Checkpoint | undefined;
  if (resumeFile !== undefined) {
    const loaded = checkpointFromJson(compiled, resumeJson);
    if (!loaded.ok) throw new CliError(inFile(resumeFile, loaded.diagnostics));
    saved = loaded.value;
    if (saved.task.outputSize !== task.outputSize) {
      throw fail('checkpoint-task-mismatch', `The checkpoint's task.outputSize is ${saved.task.outputSize}, but the ${task.name} task predicts ${task.outputSize} ${task.outputSize === 1 ? 'value' : 'values'}: its readout cannot be trained on it.`, { file: resumeFile, path: 'task.outputSize' });
    }
  }

  const config = readConfig(args, num, task, saved);
  checkTrainingOrFail(compiled, task, config, file, typed);
  if (saved && config.steps <= saved.stepsDone) {
    throw new UsageError(`--steps must be more than the ${saved.stepsDone} steps the checkpoint ${resumeFile} has done, got ${config.steps}: it is the total to train to.`);
  }
  const out = stringOption(args, 'out');
  if (out !== undefined) checkWritable(out, 'checkpoint');
  // Not --resume: "--resume X --out X" is how a checkpoint is continued.
  if (out !== undefined) refuseOverwritingInput('--out', out, [{ name: 'the cell file', path: file }, { name: 'the --data file', path: stringOption(args, 'data') }]);
  checkTrainingMemory(compiled, task, config, out, limit);

  // -------------------------------------------------------------------------
  const backend: BackendChoice = choiceOption(args, 'backend', BACKEND_CHOICES, 'auto');
  const trainer = makeTrainer(backend, compiled, task, config, saved && { params: saved.params, stepsDone: saved.stepsDone, ...(saved.optimizer && { optimizer: saved.optimizer }) });
  if (saved?.optimizer && !trainer.optimizerRestored) ctx.note(`note: the optimiser state in ${resumeFile} does not fit --optimizer ${config.optimizer}; it starts afresh.`);
  const start = trainer.stepsDone;
  const total = config.steps;
  const bits = vocabulary !== undefined;
  const emit = (event: Record<string, unknown>) => ctx.io.out(`${jsonLine(event)}\n`);
  const withBits = (key: string, nats: number) => (bits ? { [key]: natsToBits(nats) } : {});

  const sizes = Object.entries(program.sizes).map(([k, n]) => `${k} ${n}`).join(', ');
  ctx.note(`Training ${program.name} (${sizes}; ${plural(parameterCounts(program).total, 'parameter')}) on ${task.name}: `
    + `${start > 0 ? `steps ${start + 1} to ${total}` : plural(total, 'step')}, batch ${config.batch}, T ${config.length}`
    + `${config.chunk !== undefined && config.chunk < config.length ? ` (chunks of ${config.chunk})` : ''}, `
    + `${config.optimizer} lr ${config.lr}${config.schedule.kind === 'cosine' ? ` cosine (warm-up ${config.schedule.warmup})` : ''}, `
    + `clip ${config.clip}, seed ${config.seed}; backend ${trainer.backend}.`);

  const reporter = new ProgressReporter(ctx.json ? silentSink : stderrSink(), start, total);
  const logEvery = Math.max(1, Math.floor((total - start) / 100));
  const evalEvery = config.evalEvery ?? 0;
  const recent: number[] = [];
  let lastLogged = start;
  let last: StepStats | undefined;
  const stepEvent = (s: StepStats) => emit({
    event: 'step', step: s.step, loss: s.loss, ...withBits('bitsPerChar', s.loss), gradNorm: s.gradNorm, clipped: s.clipped, lr: s.lr,
    stepsPerSecond: reporter.stepsPerSecond,
  });

  let interrupted = false;
  const chunked = config.chunk !== undefined && config.chunk < config.length;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    reporter.log(`Interrupted: stopping after this ${chunked ? 'chunk (the unfinished step is dropped)' : 'step'} (Ctrl-C again to quit at once, without saving).`);
  };
  // A step resolves without turning the event loop: let a Ctrl-C reach onSigint now and then, also between chunks.
  let lastYield = performance.now();
  const letSignalsIn = async () => {
    if (performance.now() - lastYield <= 15) return;
    await yieldToEvents();
    lastYield = performance.now();
  };
  const betweenChunks = async () => {
    await letSignalsIn();
    return interrupted;
  };
  let divergence: NonFiniteError | undefined;
  let dropped: StepInterrupted | undefined;
  process.on('SIGINT', onSigint);
  try {
    try {
      while (trainer.stepsDone < total && !interrupted) {
        const s = await trainer.step(betweenChunks);
        last = s;
        recent.push(s.loss);
        if (recent.length > RECENT) recent.shift();
        reporter.update(s.step, s.loss);
        if (ctx.json && ((s.step - start) % logEvery === 0 || s.step === total)) {
          lastLogged = s.step;
          stepEvent(s);
        }
        if (evalEvery > 0 && s.step % evalEvery === 0 && s.step < total) {
          const v = await trainer.evaluate();
          if (ctx.json) emit({ event: 'eval', step: s.step, validationLoss: v, ...withBits('bitsPerChar', v) });
          else reporter.log(`step ${s.step}: validation loss ${describeLoss(v, bits)}`);
        }
        await letSignalsIn();
      }
    } catch (e) {
      // Both leave the trainer at its last good step: that is what is reported and saved.
      if (e instanceof NonFiniteError) divergence = e;
      else if (e instanceof StepInterrupted) dropped = e;
      else throw e;
    }
    reporter.finish();
    const seconds = reporter.elapsed;
    const stepsPerSecond = reporter.stepsPerSecond;
    const stepsDone = trainer.stepsDone;
    const trainingLoss = recent.length > 0 ? recent.reduce((a, b) => a + b, 0) / recent.length : Number.NaN;
    if (ctx.json && last !== undefined && last.step > lastLogged) stepEvent(last);
    const validationLoss = await trainer.evaluate();
    if (ctx.json) emit({ event: 'eval', step: stepsDone, validationLoss, ...withBits('bitsPerChar', validationLoss) });

    if (out !== undefined) {
      const taskInfo: CheckpointTask = {
        name: task.name, inputSize: task.inputSize, outputSize: task.outputSize, loss: task.loss,
        ...(vocabulary !== undefined && { vocabulary: [...vocabulary] }),
      };
      writeCheckpoint(out, program, {
        cellName: program.name, sizes: program.sizes, task: taskInfo, config, stepsDone, validationLoss, params: trainer.params,
        optimizer: trainer.optimizerState,
      });
    }

    const baseline = task.baseline;
    const diverged = divergence && { step: divergence.step, tensor: divergence.tensor, quantity: divergence.quantity };
    if (ctx.json) {
      emit({
        event: 'done', ok: !divergence, interrupted, ...(diverged && { diverged, message: divergenceMessage(divergence as NonFiniteError, config) }),
        cell: file, cellName: program.name, sizes: program.sizes, task: task.name,
        steps: stepsDone, stepsRun: stepsDone - start, trainingLoss, validationLoss, baseline, seconds, stepsPerSecond,
        ...(bits && { bitsPerChar: { training: natsToBits(trainingLoss), validation: natsToBits(validationLoss), baseline: natsToBits(baseline.loss) } }),
        ...(out !== undefined && { out }), config,
      });
    } else {
      if (divergence) ctx.io.err(`${formatDiagnostic({ code: 'diverged', severity: 'error', message: divergenceMessage(divergence, config) })}\n`);
      const ran = stepsDone - start;
      const droppedNote = dropped ? ` (step ${dropped.step} was stopped after chunk ${dropped.chunksDone} of ${dropped.chunks} and dropped)` : '';
      ctx.print(divergence || interrupted
        ? `${divergence ? 'Diverged' : 'Interrupted'} after step ${stepsDone} of ${total}${droppedNote} (${plural(ran, 'step')} in ${formatSeconds(seconds)}, ${stepsPerSecond.toFixed(1)} steps/s).`
        : `Trained ${program.name} on ${task.name}: ${plural(ran, 'step')}${start > 0 ? ` (steps ${start + 1} to ${stepsDone})` : ''} in ${formatSeconds(seconds)}, ${stepsPerSecond.toFixed(1)} steps/s.`);
      const rows: [string, string][] = [
        [`training loss (${task.loss}, mean of the last ${plural(recent.length, 'step')})`, describeLoss(trainingLoss, bits)],
        ['validation loss', describeLoss(validationLoss, bits)],
        ['baseline (no memory)', describeLoss(baseline.loss, bits)],
      ];
      const width = Math.max(...rows.map(([k]) => k.length)) + 2;
      for (const [k, v] of rows) ctx.print(`  ${k.padEnd(width)}${v}`);
      ctx.print(`  baseline: ${baseline.explanation}`);
      if (out !== undefined) {
        const resume = divergence ? `; continue with --resume ${out} and a lower --lr` : interrupted ? `; continue with --resume ${out}` : '';
        ctx.print(`Wrote the ${divergence ? 'last good ' : ''}checkpoint ${out} (${plural(stepsDone, 'step')} done${resume}).`);
      } else if (interrupted || divergence) {
        ctx.print('No --out given: the trained parameters were not saved.');
      }
    }
    if (divergence) return EXIT.failed;
    return interrupted ? EXIT_INTERRUPTED : EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    await trainer.destroy();
  }
}

/** What went wrong and what to change: a lower --lr, and clipping (on, or tighter). */
function divergenceMessage(e: NonFiniteError, config: TrainConfig): string {
  const clip = config.clip > 0 ? `a smaller --clip (now ${config.clip})` : 'clip the gradient norm with --clip 1';
  return `Training diverged at step ${e.step}: ${e.problem}. That step was dropped; the parameters are those after step ${e.step - 1}. `
    + `Lower --lr (now ${config.lr}) or ${clip}.`;
}

/** Writes the checkpoint atomically; one that could never load again (a NaN, an ∞) is refused, naming the array. */
function writeCheckpoint(out: string, program: Compiled['program'], checkpoint: Omit<Checkpoint, 'cellHash'>): void {
  let json: Record<string, unknown>;
  try {
    json = checkpointToJson(program, checkpoint);
  } catch (e) {
    if (e instanceof CheckpointError) throw fail('checkpoint-not-finite', `${e.message} (${out} was left as it was.)`, { file: out, path: e.path });
    throw e;
  }
  writeFileAtomic(out, `${stringifyJson(json)}\n`, 'checkpoint');
}

/**
 * Refuses, before anything large is allocated, a run over the memory limit or one whose
 * checkpoint would be larger than --resume reads.
 */
function checkTrainingMemory(compiled: Compiled, task: Task, config: TrainConfig, out: string | undefined, limit: number): void {
  const { program } = compiled;
  const slots = OPTIMIZER_SLOTS[config.optimizer];
  const checkpointBytes = out === undefined ? 0 : checkpointBytesBound(program, task.outputSize, slots);
  if (checkpointBytes > MAX_CHECKPOINT_BYTES) {
    throw fail('checkpoint-too-large', `The checkpoint would take up to ${formatBytes(checkpointBytes)} (${learnedValues(program, task.outputSize).toLocaleString('en-US')} learned values `
      + `and ${config.optimizer}'s ${plural(slots, 'slot')} for each), more than the ${formatBytes(MAX_CHECKPOINT_BYTES)} Celda reads back: it could never be resumed. Lower --hidden.`, { file: out });
  }
  checkMemory('Training', estimateTraining(program, task, config, checkpointBytes), limit, { batch: '--batch', length: '--seq', chunk: '--chunk', hidden: '--hidden' });
}

function describeLoss(nats: number, bits: boolean): string {
  return bits ? `${formatLoss(nats)} nats = ${formatLoss(natsToBits(nats))} bits/char` : formatLoss(nats);
}

/** The task from --task and its options; a bad option names it (a bad --data text is a problem in that file, exit 1). */
function makeTask(name: string, args: Args, num: (name: string) => number | undefined): Task {
  const dataFile = stringOption(args, 'data');
  const text = dataFile === undefined ? undefined : readTextFile(dataFile, 'data file', CHARLM_MAX_BYTES);
  const delay = num('delay');
  const noise = num('noise');
  const upTo = num('up-to');
  const task = createTask(name, {
    ...(text !== undefined && { text }), ...(delay !== undefined && { delay }), ...(noise !== undefined && { noise }), ...(upTo !== undefined && { upTo }),
  });
  if (!isTaskError(task)) return task;
  if (task.field === 'text' || task.field === 'validationFraction') {
    throw fail('bad-data', `--data: ${task.error}.`, dataFile === undefined ? {} : { file: dataFile });
  }
  throw new UsageError(`${nameOption(task.error, task.field, {
    '--delay': args.values.delay as string | undefined, '--noise': args.values.noise as string | undefined, '--up-to': args.values['up-to'] as string | undefined,
  })}.`);
}

/** Default sequence length: DEFAULT_CONFIG's, moved into the lengths the task accepts. */
export function defaultLength(task: Task): number {
  return Math.min(task.lengths.max, Math.max(task.lengths.min, DEFAULT_CONFIG.length));
}

/** Defaults (or the checkpoint's settings), then the options given. Checked afterwards by checkTraining. */
function readConfig(args: Args, num: (name: string) => number | undefined, task: Task, saved: Checkpoint | undefined): TrainConfig {
  const savedConfig = saved && typeof saved.config === 'object' && saved.config !== null ? saved.config : undefined;
  const base: TrainConfig = savedConfig ? { ...DEFAULT_CONFIG, ...savedConfig } : { ...DEFAULT_CONFIG, length: defaultLength(task) };
  const optimizer = choiceOption(args, 'optimizer', OPTIMIZERS, OPTIMIZERS.includes(base.optimizer) ? base.optimizer : DEFAULT_CONFIG.optimizer);
  const momentum = num('momentum');
  if (momentum !== undefined && optimizer !== 'sgd') {
    throw new UsageError('--momentum applies only to --optimizer sgd (Adam and RMSProp keep their own running averages).');
  }
  const baseKind = base.schedule?.kind === 'cosine' ? 'cosine' : 'constant';
  const kind = choiceOption(args, 'schedule', SCHEDULES, baseKind);
  const warmup = num('warmup');
  if (warmup !== undefined && kind !== 'cosine') throw new UsageError('--warmup applies only to --schedule cosine.');
  const baseWarmup = base.schedule?.kind === 'cosine' ? base.schedule.warmup : 0;
  const length = num('seq') ?? base.length;
  const chunk = num('chunk') ?? (base.chunk !== undefined && base.chunk < length ? base.chunk : undefined);
  const config: TrainConfig = {
    steps: num('steps') ?? base.steps,
    batch: num('batch') ?? base.batch,
    length,
    ...(chunk !== undefined && { chunk }),
    optimizer,
    lr: num('lr') ?? base.lr,
    ...(optimizer === 'sgd' && { momentum: momentum ?? (base.optimizer === 'sgd' ? base.momentum : undefined) ?? 0.9 }),
    clip: num('clip') ?? base.clip,
    schedule: kind === 'cosine' ? { kind, warmup: warmup ?? baseWarmup } : { kind },
    seed: num('seed') ?? base.seed,
    evalEvery: num('eval-every') ?? base.evalEvery ?? 0,
  };
  return config;
}

/** Reads the hidden size and the task from a checkpoint before the cell is compiled; the rest is checked by checkpointFromJson. */
function readHeader(json: unknown): SavedHeader {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const j = json as { sizes?: { hidden?: unknown }; task?: unknown };
  const hidden = j.sizes?.hidden;
  const task = typeof j.task === 'object' && j.task !== null ? (j.task as Partial<CheckpointTask>) : undefined;
  return { ...(Number.isInteger(hidden) && { hidden: hidden as number }), ...(task && { task }) };
}

/** How to ask for a checkpoint's task again on the command line. */
function taskHint(name: string): string {
  if (name === 'spanish-char-lm') return '--task charlm without --data (the built-in Spanish corpus)';
  if (name === 'char-lm') return '--task charlm --data with the same text';
  return `--task ${name}`;
}

function checkSameTask(saved: Partial<CheckpointTask>, task: Task, vocabulary: readonly string[] | undefined, file: string): void {
  if (saved.name !== task.name) {
    const name = JSON.stringify(String(saved.name).slice(0, 40));
    throw fail('checkpoint-task-mismatch', `The checkpoint was trained on the ${name} task, not ${JSON.stringify(task.name)}: resume it with ${taskHint(String(saved.name))}.`, { file, path: 'task.name' });
  }
  if (vocabulary !== undefined) {
    const theirs = Array.isArray(saved.vocabulary) ? saved.vocabulary : [];
    if (theirs.length !== vocabulary.length || theirs.some((c, i) => c !== vocabulary[i])) {
      throw fail('checkpoint-vocabulary-mismatch', `The checkpoint's vocabulary (${theirs.length} characters) is not the vocabulary of this text (${vocabulary.length} characters): resume on the same text it was trained on.`, { file, path: 'task.vocabulary' });
    }
  }
}
