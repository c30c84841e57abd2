/**
 * The gpu.js lab page: what the browser tests and the browser benchmark call
 * (through `window.celdaLab`), so both run the app's own compiler, backend and
 * reference runtime in a real page.
 */
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { generateTraining } from '../../src/compiler/codegen';
import { createTrainerOn, fastestMode, isSoftwareRenderer, probeBrowser, softwareAdapter, type BackendChoice, type BackendReport, type BrowserProbe, type WebGpuAdapterFacts } from '../../src/gpu/choose';
import { bindingLimit, chunkFor, type GpuMode } from '../../src/gpu/runner';
import { createGpuTrainer } from '../../src/gpu/trainer';
import { createRng } from '../../src/runtime/rng';
import { createCharLmTask } from '../../src/runtime/tasks/charlm';
import { createTask, isTaskError } from '../../src/runtime/tasks/index';
import { DEFAULT_CONFIG } from '../../src/runtime/train';
import { gateChain } from '../../tests/compiler/chain-cells';
import { compileRandomCell } from '../../tests/fixtures/random-cells';
import { chunkParity } from '../../tests/gpu/chunk-parity';
import { trainingParity, type StepDifference } from '../../tests/gpu/training-parity';
import { validationParity, type ValidationDifference } from '../../tests/gpu/validation-parity';
import lstm from '../../examples/lstm.json';
import gru from '../../examples/gru.json';
import gruResetAfter from '../../examples/gru-reset-after.json';
import rnn from '../../examples/rnn.json';
import layerNormLstm from '../../examples/zoo/layernorm-lstm.json';

/** The examples, and the zoo's layer-normalised LSTM (its layer norms decomposed into fixed products for the kernels). */
const EXAMPLES: Record<string, unknown> = { lstm, gru, 'gru-reset-after': gruResetAfter, rnn, 'layernorm-lstm': layerNormLstm };

function log(s: string): void {
  const el = document.getElementById('log');
  if (el) el.textContent += `${s}\n`;
}

function compileExample(name: string, input: number, hidden: number): Compiled {
  const r = compileJson(EXAMPLES[name], { input, hidden });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

export interface ParityCell {
  readonly example?: string;
  readonly randomSeed?: number;
  /** A chain of this many gates (tests/compiler/chain-cells.ts gateChain): more parameter regions than a kernel binds. */
  readonly gateChain?: number;
  readonly steps?: number;
  readonly oneHot?: boolean;
}

function compileCell(cell: ParityCell): Compiled {
  if (cell.example !== undefined) return compileExample(cell.example, 4, 5);
  if (cell.gateChain !== undefined) {
    const r = compile(gateChain(cell.gateChain), { input: 3, hidden: 4 });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    return r.value;
  }
  return compileRandomCell(cell.randomSeed ?? 1, { input: 2, hidden: 3 });
}

/** One chunk on `mode` against the reference: the worst relative error of y_t, the loss and each gradient, and which it was. */
async function parity(cell: ParityCell, mode: GpuMode): Promise<{ worst: number; what: string; executor: string | null }> {
  const r = await chunkParity(compileCell(cell), cell.randomSeed ?? 1, { mode, ...(cell.steps !== undefined && { steps: cell.steps }), ...(cell.oneHot !== undefined && { oneHot: cell.oneHot }) });
  const worst = r.errors.reduce((a, b) => (b.error > a.error ? b : a));
  return { worst: worst.error, what: worst.what, executor: r.executor };
}

/**
 * `parity` for several cells in one page evaluation (each call into a page costs a round trip, and
 * a software adapter is slow enough): per cell, its worst error, or why it failed.
 */
async function parityAll(cells: readonly ParityCell[], mode: GpuMode): Promise<{ cell: ParityCell; worst: number; what: string; error?: string }[]> {
  const results: { cell: ParityCell; worst: number; what: string; error?: string }[] = [];
  for (const cell of cells) {
    try {
      results.push({ cell, ...(await parity(cell, mode)) });
    } catch (e) {
      results.push({ cell, worst: Infinity, what: 'nothing', error: String(e).slice(0, 500) });
    }
  }
  return results;
}

/** Adam steps of char-LM (the Spanish corpus, hidden 6, batch 4, length 8) on `mode` against the reference trainer. */
async function trainingParityOf(example: string, mode: GpuMode, steps = 20): Promise<StepDifference[]> {
  const task = createTask('charlm');
  if (isTaskError(task)) throw new Error(task.error);
  return trainingParity(compileExample(example, task.inputSize, 6), task, { ...DEFAULT_CONFIG, steps, batch: 4, length: 8, lr: 0.02 }, mode);
}

/** After 3 Adam steps on `mode`, its validation loss and the reference's: char-LM (the Spanish corpus; every step scored) and adding (the last step, over 20 steps in plan calls of 6). */
async function validationParityOf(example: string, mode: GpuMode): Promise<(ValidationDifference & { task: string })[]> {
  const out: (ValidationDifference & { task: string })[] = [];
  for (const { name, length, chunk } of [{ name: 'charlm', length: 8 }, { name: 'adding', length: 20, chunk: 6 }]) {
    const task = createTask(name);
    if (isTaskError(task)) throw new Error(task.error);
    const config = { ...DEFAULT_CONFIG, steps: 3, batch: 4, length, ...(chunk !== undefined && { chunk }), lr: 0.02 };
    out.push({ task: name, ...(await validationParity(compileExample(example, task.inputSize, 6), task, config, mode)) });
  }
  return out;
}

/** Char-LM training steps on `mode` (vocab 65 random text, as the Node benchmark); `threads`: webasm's worker threads (default: the trainer's choice). */
async function train(cell: string, hidden: number, batch: number, mode: GpuMode, warmup: number, steps: number, threads?: boolean): Promise<{ medianMs: number; minMs: number; maxMs: number; charsPerSecond: number; firstMs: number }> {
  const alphabet = Array.from({ length: 65 }, (_, i) => String.fromCharCode(0x21 + i));
  const rng = createRng(7);
  const task = createCharLmTask(alphabet.join('') + Array.from({ length: 60_000 }, () => alphabet[Math.floor(rng.next() * 65)]).join(''));
  if ('error' in task) throw new Error(task.error);
  const compiled = compileExample(cell, 65, hidden);
  const trainer = createGpuTrainer(compiled, task, { ...DEFAULT_CONFIG, steps: 1000, batch, length: 64, clip: 0 }, undefined, { mode, ...(threads !== undefined && { threads }) });
  const ms: number[] = [];
  let first = 0;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    await trainer.step();
    const dt = performance.now() - t0;
    if (i === 0) first = dt;
    if (i >= warmup) ms.push(dt);
    log(`${cell} h${hidden} b${batch} ${mode} step ${i + 1}: ${dt.toFixed(0)} ms`);
  }
  await trainer.destroy();
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  return { medianMs: median, minMs: ms[0], maxMs: ms[ms.length - 1], charsPerSecond: (batch * 64) / (median / 1000), firstMs: first };
}

/**
 * The peer in the same page: TF.js 4.22's tf.layers.lstm / tf.layers.gru + a dense readout,
 * Adam (lr 0.01) through optimizer.minimize, on random one-hot text of the same sizes.
 */
async function tfjsTrain(cell: 'lstm' | 'gru', hidden: number, batch: number, backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu', warmup: number, steps: number): Promise<{ medianMs: number; minMs: number; maxMs: number; charsPerSecond: number; backend: string }> {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  }
  // Importing the package registers the backend with tfjs-core.
  if (backend === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} is not available here`);
  await tf.ready();
  const V = 65;
  const T = 64;
  const B = batch;
  const rng = createRng(11);
  const ids = Int32Array.from({ length: B * (T + 1) }, () => Math.floor(rng.next() * V));
  const inputs = tf.tidy(() => tf.oneHot(tf.tensor2d(ids.filter((_, i) => i % (T + 1) < T), [B, T], 'int32'), V).toFloat());
  const targets = tf.tidy(() => tf.oneHot(tf.tensor2d(ids.filter((_, i) => i % (T + 1) > 0), [B, T], 'int32'), V).toFloat());
  const model = tf.sequential();
  const layer = { units: hidden, returnSequences: true, inputShape: [T, V], recurrentActivation: 'sigmoid' as const };
  model.add(cell === 'lstm' ? tf.layers.lstm(layer) : tf.layers.gru(layer));
  model.add(tf.layers.dense({ units: V }));
  const optimizer = tf.train.adam(0.01);
  const ms: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(targets, model.apply(inputs) as import('@tensorflow/tfjs').Tensor) as import('@tensorflow/tfjs').Scalar, true);
    loss?.dataSync();
    loss?.dispose();
    const dt = performance.now() - t0;
    if (i >= warmup) ms.push(dt);
    log(`TF.js ${cell} h${hidden} b${B} ${backend} step ${i + 1}: ${dt.toFixed(0)} ms`);
  }
  inputs.dispose();
  targets.dispose();
  model.dispose();
  optimizer.dispose();
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  return { medianMs: median, minMs: ms[0], maxMs: ms[ms.length - 1], charsPerSecond: (B * T) / (median / 1000), backend: tf.getBackend() };
}

async function environment(): Promise<{ renderer: string | null; software: boolean; webgpu: boolean; adapter: WebGpuAdapterFacts | null; softwareAdapter: string | null; auto: GpuMode; isolated: boolean; cores: number }> {
  const probe = await probeBrowser();
  return {
    renderer: probe.webgl2Renderer, software: probe.webgl2Renderer !== null && isSoftwareRenderer(probe.webgl2Renderer), webgpu: probe.webgpu !== null, adapter: probe.webgpu,
    softwareAdapter: probe.webgpu ? (softwareAdapter(probe.webgpu) ?? null) : null, auto: fastestMode(probe),
    isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency,
  };
}

/**
 * One step of an example (adding task) on the backend createTrainerOn chooses for `choice`, told
 * what the browser offers by `probe` (default: this browser's own probe): where it trained and why.
 */
async function chooseAndStep(example: string, choice: BackendChoice, probe?: BrowserProbe): Promise<{ report: BackendReport; stepsDone: number; loss: number }> {
  const task = createTask('adding');
  if (isTaskError(task)) throw new Error(task.error);
  const compiled = compileExample(example, task.inputSize, 4);
  const trainer = createTrainerOn(choice, compiled, task, { ...DEFAULT_CONFIG, steps: 2, batch: 2, length: 8 }, undefined, probe ?? (await probeBrowser()));
  try {
    const { loss } = await trainer.step();
    return { report: trainer.report, stepsDone: trainer.stepsDone, loss };
  } finally {
    await trainer.destroy();
  }
}

/** Builds and runs every kernel of a random cell's plan alone on `mode` (array arguments): the names that fail, with why. */
async function compileEach(seed: number, mode: GpuMode): Promise<{ name: string; error: string; source: string }[]> {
  const { GPU } = await import('gpu.js');
  const gpu = new GPU({ mode });
  const compiled = compileRandomCell(seed, { input: 2, hidden: 3 });
  const k = generateTraining(compiled.program, { batch: 3, steps: 6, loss: 'classes', outputs: 5, optimizer: 'adam', learnInitialStates: true, chunk: chunkFor(mode), bindings: bindingLimit(mode) });
  const big = new Float32Array(Math.max(k.zeroLength, 3 * k.paramLength, 200));
  const failures: { name: string; error: string; source: string }[] = [];
  for (const spec of [...k.prologue, ...k.forward, ...k.backward, ...k.epilogue].flatMap((s) => [...(s.gathers ?? []), s])) {
    const steps = spec.chunked ? 6 : 1;
    const refs = spec.chunked && spec.refsFor ? spec.refsFor(steps) : spec.operands;
    try {
      const fn = gpu.createKernel(spec.source(steps), { output: spec.output as number[] }) as unknown as (...a: unknown[]) => unknown;
      fn(...refs.map(() => big), 0);
    } catch (e) {
      failures.push({ name: spec.name, error: String(e).slice(0, 300), source: spec.source(steps) });
    }
  }
  await gpu.destroy();
  return failures;
}

export interface CeldaLab {
  parity: typeof parity;
  parityAll: typeof parityAll;
  trainingParity: typeof trainingParityOf;
  validationParity: typeof validationParityOf;
  train: typeof train;
  tfjsTrain: typeof tfjsTrain;
  environment: typeof environment;
  compileEach: typeof compileEach;
  chooseAndStep: typeof chooseAndStep;
  ready: true;
}

declare global {
  interface Window {
    celdaLab: CeldaLab;
  }
}
window.celdaLab = { parity, parityAll, trainingParity: trainingParityOf, validationParity: validationParityOf, train, tfjsTrain, environment, compileEach, chooseAndStep, ready: true };
log('ready');
