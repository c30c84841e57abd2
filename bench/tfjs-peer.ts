/**
 * The peer in Celda's char-level language-model training benchmark: TensorFlow.js 4.22's
 * built-in recurrent layers (tf.layers.lstm / tf.layers.gru), trained with full BPTT on
 * the `wasm` (XNNPACK, SIMD) or the `cpu` (plain JS) backend, in Node. Also a matMul
 * micro-benchmark, to tell the cell's own cost from the backend's raw GEMM speed.
 * A benchmark, not a test: not part of `npm test`. Try it by hand with
 * `npx tsx bench/tfjs-peer-cli.ts --help`.
 *
 * Notes (checked against node_modules/@tensorflow/tfjs-layers 4.22):
 * - tf.layers.gru accepts a `resetAfter` option in its types, but GRUCell's constructor
 *   throws for `resetAfter: true`; the peer GRU is therefore the reset-before (Keras 1 /
 *   "v1", cuDNN-incompatible) variant: h̃ = tanh(W x + U (r ⊙ h) + b).
 * - tfjs' LSTM and GRU default to recurrentActivation 'hardSigmoid'; the peer sets
 *   'sigmoid', the textbook cell that Celda's cells are compared with.
 * - In Node the wasm backend never uses threads (tfjs-backend-wasm forces
 *   WASM_HAS_MULTITHREAD_SUPPORT false under IS_NODE), so it loads
 *   tfjs-backend-wasm-simd.wasm where WebAssembly SIMD validates, else tfjs-backend-wasm.wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

/** Which TF.js backend runs the peer: XNNPACK compiled to WebAssembly, or plain JS. */
export type PeerBackend = 'wasm' | 'cpu';
/** Which built-in recurrent layer: tf.layers.lstm or tf.layers.gru (reset-before, see above). */
export type PeerCell = 'lstm' | 'gru';

/** One char-LM training benchmark run. */
export interface PeerConfig {
  /** Recurrent layer. */
  cell: PeerCell;
  /** TF.js backend; switched to with tf.setBackend before the run. */
  backend: PeerBackend;
  /** Alphabet size: one-hot input width and softmax width. */
  vocab: number;
  /** Recurrent units. */
  hidden: number;
  /** Sequences per training step. */
  batch: number;
  /** Time steps per sequence; backpropagated in full (no truncation). */
  seq: number;
  /** Untimed steps first (the first one creates Adam's slots and warms caches). */
  warmup: number;
  /** Timed steps. */
  steps: number;
  /** Seeds the characters and the initial weights; default 1. */
  seed?: number;
}

/** Milliseconds per training step (or per matMul), over the timed repetitions. */
export interface Timing { median: number; min: number; max: number }

/** What benchTfjsCharLm measured. */
export interface PeerResult {
  /** The config that ran, seed filled in. */
  config: PeerConfig;
  /** Wall time per training step, loss read back included. */
  stepMs: Timing;
  /** batch·seq characters per second; median from the median step, min from the slowest, max from the fastest. */
  charsPerSecond: { median: number; min: number; max: number };
  /** Mean cross-entropy (nats per character) of the last timed step. */
  finalLoss: number;
  /** Backend, wasm binary and its SIMD / threads flags, tfjs version, how steps were trained. */
  backendInfo: string;
  /** Trainable parameters: recurrent layer + readout. */
  parameters: number;
}

/** How a training step is run: LayersModel.trainOnBatch, or optimizer.minimize on model.apply. */
export type PeerTrainer = 'trainOnBatch' | 'minimize';

/**
 * The trainer benchTfjsCharLm uses: an explicit `optimizer.minimize` around
 * `model.apply` + tf.losses.softmaxCrossEntropy, over the model's own variables.
 * Measured against trainOnBatch with the same loss (CLI `--trainer minimize,trainOnBatch`,
 * wasm and cpu, hidden 32 and 128): the same losses bit for bit and step times equal
 * within run-to-run noise (±5 %); the ~6,500 kernels of BPTT dwarf trainOnBatch's
 * per-call input checks. minimize is kept: no compile step, explicit variable list.
 */
export const DEFAULT_TRAINER: PeerTrainer = 'minimize';

/** How many tensors a step may leave behind before the run is called leaky. */
const TENSOR_GROWTH_BOUND = 2;

let wasmPathsSet = false;
let wasmBinaryLoaded: string | null = null;

/** The folder holding tfjs-backend-wasm's .wasm files, with a trailing separator. */
function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  // main is dist/tf-backend-wasm.node.js; the three .wasm binaries sit beside it.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

/**
 * Switches TF.js to `backend` and waits until it is ready. Safe to call again with the
 * other backend in the same process (wasm then cpu then wasm…): tensors made on one
 * stay usable, moved lazily. The first wasm switch points setWasmPaths at the package's
 * dist folder (a plain file path works in Node; a file:// URL does too) and records
 * which .wasm file Emscripten read.
 */
export async function usePeerBackend(backend: PeerBackend): Promise<string> {
  if (backend === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmDistFolder());
    wasmPathsSet = true;
  }
  const needsInit = backend === 'wasm' && wasmBinaryLoaded == null;
  // Emscripten's Node loader reads the binary with fs.readFileSync / fs.readFile on the
  // CommonJS `fs` object; watch those while the backend initialises to report the file.
  const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
  const { readFileSync, readFile } = fs;
  const seen: string[] = [];
  const note = (path: unknown): void => {
    const name = String(path);
    if (name.endsWith('.wasm')) seen.push(name.slice(name.lastIndexOf('/') + 1));
  };
  if (needsInit) {
    fs.readFileSync = ((path: unknown, ...rest: unknown[]) => {
      note(path);
      return (readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync;
    fs.readFile = ((path: unknown, ...rest: unknown[]) => {
      note(path);
      return (readFile as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFile;
  }
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
  } finally {
    if (needsInit) {
      fs.readFileSync = readFileSync;
      fs.readFile = readFile;
    }
  }
  if (tf.getBackend() !== backend) throw new Error(`backend is ${tf.getBackend()}, wanted ${backend}`);
  if (needsInit) wasmBinaryLoaded = seen.length > 0 ? seen.join('+') : 'unknown .wasm';
  return describeBackend(backend);
}

/** One line on the active backend: which binary, SIMD, threads, tfjs version. */
function describeBackend(backend: PeerBackend): string {
  if (backend === 'cpu') return `cpu (tfjs-backend-cpu, plain JS) tfjs ${tf.version.tfjs}`;
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm (${wasmBinaryLoaded ?? '?'}; SIMD ${simd ? 'yes' : 'no'}, threads ${threads ? 'yes' : 'no'}) tfjs ${tf.version.tfjs}`;
}

/** mulberry32: a small seeded generator for the characters. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function timing(ms: number[]): Timing {
  const sorted = [...ms].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function positiveInteger(name: string, value: number, zeroOk = false): void {
  if (!Number.isInteger(value) || value < (zeroOk ? 0 : 1)) {
    throw new Error(`${name} must be a ${zeroOk ? 'non-negative' : 'positive'} integer, got ${value}`);
  }
}

/** Fixed random text for the run: x = chars[t], y = chars[t+1], both one-hot [batch, seq, vocab]. */
function makeBatch(c: PeerConfig, seed: number): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const next = generator(seed);
  const x = new Float32Array(c.batch * c.seq * c.vocab);
  const y = new Float32Array(c.batch * c.seq * c.vocab);
  for (let b = 0; b < c.batch; b++) {
    let previous = Math.floor(next() * c.vocab);
    for (let t = 0; t < c.seq; t++) {
      const current = Math.floor(next() * c.vocab);
      const at = (b * c.seq + t) * c.vocab;
      x[at + previous] = 1;
      y[at + current] = 1;
      previous = current;
    }
  }
  return { x: tf.tensor3d(x, [c.batch, c.seq, c.vocab]), y: tf.tensor3d(y, [c.batch, c.seq, c.vocab]) };
}

/** RNN(hidden, every step out) → Dense(vocab) on the 3-D output, logits out. */
function makeModel(c: PeerConfig, seed: number): tf.LayersModel {
  const recurrent = {
    units: c.hidden,
    returnSequences: true,
    inputShape: [c.seq, c.vocab],
    recurrentActivation: 'sigmoid' as const,
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }),
    biasInitializer: 'zeros' as const,
  };
  const model = tf.sequential();
  model.add(c.cell === 'lstm'
    ? tf.layers.lstm({ ...recurrent, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) })
    : tf.layers.gru({ ...recurrent, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.add(tf.layers.dense({ units: c.vocab, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }));
  return model;
}

/** Per-character softmax cross-entropy on logits, not reduced: [batch, seq]. */
const perCharLoss = (yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor =>
  tf.losses.softmaxCrossEntropy(yTrue, logits, undefined, 0, tf.Reduction.NONE);

/**
 * Trains the peer char-LM and times each step: input one-hot [batch, seq, vocab], RNN with
 * every step's output, Dense(vocab) readout at every step, softmax cross-entropy averaged
 * over batch·seq, Adam(lr 0.01), full BPTT over `seq`. A step's time includes reading its
 * loss back, so the work has really finished. Throws if tensors pile up across steps.
 */
export async function benchTfjsCharLm(c: PeerConfig, onProgress?: (msg: string) => void): Promise<PeerResult> {
  return benchTfjsCharLmWith(c, DEFAULT_TRAINER, onProgress);
}

/** benchTfjsCharLm with the trainer chosen: to compare trainOnBatch against minimize. */
export async function benchTfjsCharLmWith(
  c: PeerConfig,
  trainer: PeerTrainer,
  onProgress?: (msg: string) => void,
): Promise<PeerResult> {
  for (const key of ['vocab', 'hidden', 'batch', 'seq', 'steps'] as const) positiveInteger(key, c[key]);
  positiveInteger('warmup', c.warmup, true);
  if (c.cell !== 'lstm' && c.cell !== 'gru') throw new Error(`cell must be lstm or gru, got ${String(c.cell)}`);
  const seed = c.seed ?? 1;
  const config: PeerConfig = { ...c, seed };
  const info = await usePeerBackend(c.backend);
  onProgress?.(`${c.cell} hidden ${c.hidden} on ${info}, trainer ${trainer}`);

  const before = tf.memory().numTensors;
  const { x, y } = makeBatch(c, seed);
  const model = makeModel(c, seed);
  const optimizer = tf.train.adam(0.01);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const parameters = model.countParams();
  if (parameters !== countParameters(c)) {
    throw new Error(`model has ${parameters} parameters, formula says ${countParameters(c)}`);
  }
  if (trainer === 'trainOnBatch') model.compile({ optimizer, loss: perCharLoss });

  const step = async (): Promise<number> => {
    if (trainer === 'trainOnBatch') {
      const loss = await model.trainOnBatch(x, y);
      return Array.isArray(loss) ? loss[0] : loss;
    }
    const loss = optimizer.minimize(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar; // SUM_BY_NONZERO_WEIGHTS: the mean here
    }, true, variables);
    if (loss == null) throw new Error('optimizer.minimize returned no loss');
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };

  const ms: number[] = [];
  let finalLoss = NaN;
  let baseline = -1;
  try {
    for (let i = 0; i < c.warmup + c.steps; i++) {
      const start = performance.now();
      const loss = await step();
      const elapsed = performance.now() - start;
      const tensors = tf.memory().numTensors;
      // The first step creates Adam's moment slots; count from after it.
      if (i === 0) baseline = tensors;
      else if (tensors - baseline > TENSOR_GROWTH_BOUND) {
        throw new Error(`tensor leak: ${tensors} live tensors after step ${i + 1}, ${baseline} after step 1`);
      }
      if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${i + 1}`);
      const timed = i >= c.warmup;
      if (timed) ms.push(elapsed);
      finalLoss = loss;
      onProgress?.(`${timed ? 'step' : 'warmup'} ${timed ? i - c.warmup + 1 : i + 1}: ${elapsed.toFixed(1)} ms, loss ${loss.toFixed(4)}, ${tensors} tensors`);
    }
  } finally {
    model.dispose();
    optimizer.dispose();
    x.dispose();
    y.dispose();
    onProgress?.(`${tf.memory().numTensors - before} tensors left over after disposal`);
  }

  const stepMs = timing(ms);
  const chars = c.batch * c.seq;
  return {
    config,
    stepMs,
    charsPerSecond: { median: chars / (stepMs.median / 1000), min: chars / (stepMs.max / 1000), max: chars / (stepMs.min / 1000) },
    finalLoss,
    backendInfo: `${info}; trainer ${trainer}`,
    parameters,
  };
}

/** Trainable parameters by formula; benchTfjsCharLm checks it against model.countParams(). */
export function countParameters(c: Pick<PeerConfig, 'cell' | 'vocab' | 'hidden'>): number {
  const gates = c.cell === 'lstm' ? 4 : 3;
  // tfjs GRU (reset-before) has one bias per gate, unlike Keras' resetAfter's two.
  const recurrent = gates * (c.vocab * c.hidden + c.hidden * c.hidden + c.hidden);
  return recurrent + c.hidden * c.vocab + c.vocab;
}

/** One GEMM shape: C[m, n] = op(A) · op(B), op(A) is [m, k], op(B) is [k, n]. */
export interface MatMulCase { m: number; k: number; n: number; transposeA: boolean; transposeB: boolean }

/**
 * Times tf.matMul(a, b, transposeA, transposeB) on random float32 tensors, reading the
 * result back (dataSync) each repetition: 3 warm-ups, then `reps` timed (default 20).
 * gflops uses the median: 2·m·k·n / seconds / 1e9.
 * On wasm, read the numbers knowing tfjs-backend-wasm 4.22's (Fused)BatchMatMul: only
 * the untransposed, unbatched case goes to XNNPACK; any transpose (as in every matMul
 * gradient) falls to a scalar blocked loop, ~10× slower. XNNPACK's packed weights are
 * cached per `b` tensor, and `b` is reused across repetitions here; a fresh `b` each
 * call (weights change every training step) costs about 2× at 32×128×512.
 */
export async function benchTfjsMatMul(
  backend: PeerBackend,
  cases: MatMulCase[],
  reps = 20,
): Promise<{ case: MatMulCase; ms: Timing; gflops: number }[]> {
  positiveInteger('reps', reps);
  await usePeerBackend(backend);
  const results: { case: MatMulCase; ms: Timing; gflops: number }[] = [];
  for (const mm of cases) {
    for (const key of ['m', 'k', 'n'] as const) positiveInteger(key, mm[key]);
    const a = tf.randomNormal(mm.transposeA ? [mm.k, mm.m] : [mm.m, mm.k], 0, 1, 'float32', 7);
    const b = tf.randomNormal(mm.transposeB ? [mm.n, mm.k] : [mm.k, mm.n], 0, 1, 'float32', 8);
    a.dataSync();
    b.dataSync();
    const ms: number[] = [];
    try {
      for (let i = 0; i < 3 + reps; i++) {
        const start = performance.now();
        const product = tf.matMul(a, b, mm.transposeA, mm.transposeB);
        product.dataSync();
        const elapsed = performance.now() - start;
        product.dispose();
        if (i >= 3) ms.push(elapsed);
      }
    } finally {
      a.dispose();
      b.dispose();
    }
    const t = timing(ms);
    results.push({ case: mm, ms: t, gflops: (2 * mm.m * mm.k * mm.n) / (t.median / 1000) / 1e9 });
  }
  return results;
}
