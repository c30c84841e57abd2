/**
 * Textbook recurrent cells in plain float64 TypeScript, written straight from
 * the equations, each with a hand-derived backpropagation through time.
 *
 * This file is a test oracle: it depends on nothing in the project and values
 * clarity over speed. Everything is batched:
 *   xs           [T][B][X]
 *   states       [B][H]
 *   gradOutputs  [T][B][H]
 * The gradients returned are those of
 *   L = sum_t sum_b sum_j gradOutputs[t][b][j] * output_t[b][j]
 * (the final states receive no extra gradient).
 */

export type Matrix = number[][]; // rows
export type Vector = number[];

// ---------------------------------------------------------------------------
// Small vector / matrix helpers (all allocate new arrays unless named acc*)
// ---------------------------------------------------------------------------

const zeros = (n: number): Vector => new Array<number>(n).fill(0);
const zerosLike = (m: Matrix): Matrix => m.map((row) => zeros(row.length));
const copyMatrix = (m: Matrix): Matrix => m.map((row) => row.slice());

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const sigmoidV = (v: Vector): Vector => v.map(sigmoid);
const tanhV = (v: Vector): Vector => v.map(Math.tanh);

const add = (a: Vector, b: Vector): Vector => a.map((v, i) => v + b[i]);
const sub = (a: Vector, b: Vector): Vector => a.map((v, i) => v - b[i]);
const mul = (a: Vector, b: Vector): Vector => a.map((v, i) => v * b[i]);
const oneMinus = (a: Vector): Vector => a.map((v) => 1 - v);
/** σ'(z) written through its output s = σ(z): s(1 − s). */
const sigmoidDerivFromOutput = (s: Vector): Vector => s.map((v) => v * (1 - v));
/** tanh'(z) written through its output t = tanh(z): 1 − t². */
const tanhDerivFromOutput = (t: Vector): Vector => t.map((v) => 1 - v * v);

const dot = (a: Vector, b: Vector): number => a.reduce((s, v, i) => s + v * b[i], 0);
/** W v, W is rows x cols, v has cols entries. */
const matVec = (W: Matrix, v: Vector): Vector => W.map((row) => dot(row, v));
/** Wᵀ g, W is rows x cols, g has rows entries; result has cols entries. */
function matTVec(W: Matrix, g: Vector): Vector {
  const out = zeros(W[0].length);
  for (let i = 0; i < W.length; i++) {
    for (let j = 0; j < out.length; j++) out[j] += W[i][j] * g[i];
  }
  return out;
}
const concat = (a: Vector, b: Vector): Vector => [...a, ...b];

/** G += u vᵀ (in place). */
function accOuter(G: Matrix, u: Vector, v: Vector): void {
  for (let i = 0; i < G.length; i++) {
    for (let j = 0; j < G[i].length; j++) G[i][j] += u[i] * v[j];
  }
}
/** g += v (in place). */
function accAdd(g: Vector, v: Vector): void {
  for (let i = 0; i < g.length; i++) g[i] += v[i];
}

/** Total gradient arriving at output_t for sample b: upstream + carried from step t+1. */
const withUpstream = (carried: Vector, gradOutputs: number[][][], t: number, b: number): Vector =>
  add(carried, gradOutputs[t][b]);

// ---------------------------------------------------------------------------
// LSTM
// ---------------------------------------------------------------------------

export interface LstmWeights {
  Wf: Matrix; Wu: Matrix; Wc: Matrix; Wo: Matrix;
  bf: Vector; bu: Vector; bc: Vector; bo: Vector;
}

export interface LstmGrads extends LstmWeights { a0: Matrix; c0: Matrix }

export interface LstmResult {
  outputs: number[][][];
  finalA: Matrix;
  finalC: Matrix;
  grads?: LstmGrads;
}

interface LstmStep {
  ax: Vector; // [a_{t-1}, x_t]
  cPrev: Vector;
  f: Vector; u: Vector; cCand: Vector; o: Vector;
  tanhC: Vector;
}

/**
 * f = σ(Wf[a,x]+bf), u = σ(Wu[a,x]+bu), c' = tanh(Wc[a,x]+bc),
 * c_t = f⊙c_{t-1} + u⊙c', o = σ(Wo[a,x]+bo), a_t = o⊙tanh(c_t). Output: a_t.
 * Each W is H x (H+X), columns [a_{t-1}, x_t].
 */
export function lstm(
  w: LstmWeights, xs: number[][][], a0: Matrix, c0: Matrix, gradOutputs?: number[][][],
): LstmResult {
  const T = xs.length;
  const B = a0.length;
  const H = w.bf.length;

  // Forward, keeping what the backward sweep needs.
  const saved: LstmStep[][] = [];
  const outputs: number[][][] = [];
  let a = copyMatrix(a0);
  let c = copyMatrix(c0);
  for (let t = 0; t < T; t++) {
    const stepSaved: LstmStep[] = [];
    const nextA: Matrix = [];
    const nextC: Matrix = [];
    for (let b = 0; b < B; b++) {
      const ax = concat(a[b], xs[t][b]);
      const f = sigmoidV(add(matVec(w.Wf, ax), w.bf));
      const u = sigmoidV(add(matVec(w.Wu, ax), w.bu));
      const cCand = tanhV(add(matVec(w.Wc, ax), w.bc));
      const o = sigmoidV(add(matVec(w.Wo, ax), w.bo));
      const cNew = add(mul(f, c[b]), mul(u, cCand));
      const tanhC = tanhV(cNew);
      const aNew = mul(o, tanhC);
      stepSaved.push({ ax, cPrev: c[b], f, u, cCand, o, tanhC });
      nextA.push(aNew);
      nextC.push(cNew);
    }
    saved.push(stepSaved);
    outputs.push(nextA);
    a = nextA;
    c = nextC;
  }
  const result: LstmResult = { outputs, finalA: a, finalC: c };
  if (!gradOutputs) return result;

  // Backward through time.
  const g: LstmGrads = {
    Wf: zerosLike(w.Wf), Wu: zerosLike(w.Wu), Wc: zerosLike(w.Wc), Wo: zerosLike(w.Wo),
    bf: zeros(H), bu: zeros(H), bc: zeros(H), bo: zeros(H),
    a0: zerosLike(a0), c0: zerosLike(c0),
  };
  // dL/da_t and dL/dc_t carried from step t+1 (zero past the last step).
  let daCarry: Matrix = a0.map(() => zeros(H));
  let dcCarry: Matrix = c0.map(() => zeros(H));
  for (let t = T - 1; t >= 0; t--) {
    const daPrev: Matrix = [];
    const dcPrev: Matrix = [];
    for (let b = 0; b < B; b++) {
      const s = saved[t][b];
      const da = withUpstream(daCarry[b], gradOutputs, t, b);
      // a_t = o ⊙ tanh(c_t)
      const dO = mul(da, s.tanhC);
      const dc = add(dcCarry[b], mul(mul(da, s.o), tanhDerivFromOutput(s.tanhC)));
      // c_t = f ⊙ c_{t-1} + u ⊙ c'
      const dF = mul(dc, s.cPrev);
      const dU = mul(dc, s.cCand);
      const dCand = mul(dc, s.u);
      dcPrev.push(mul(dc, s.f));
      // Through the nonlinearities to the pre-activations.
      const zf = mul(dF, sigmoidDerivFromOutput(s.f));
      const zu = mul(dU, sigmoidDerivFromOutput(s.u));
      const zc = mul(dCand, tanhDerivFromOutput(s.cCand));
      const zo = mul(dO, sigmoidDerivFromOutput(s.o));
      // Pre-activation = W [a,x] + b.
      accOuter(g.Wf, zf, s.ax); accAdd(g.bf, zf);
      accOuter(g.Wu, zu, s.ax); accAdd(g.bu, zu);
      accOuter(g.Wc, zc, s.ax); accAdd(g.bc, zc);
      accOuter(g.Wo, zo, s.ax); accAdd(g.bo, zo);
      const dax = add(add(matTVec(w.Wf, zf), matTVec(w.Wu, zu)), add(matTVec(w.Wc, zc), matTVec(w.Wo, zo)));
      daPrev.push(dax.slice(0, H));
    }
    daCarry = daPrev;
    dcCarry = dcPrev;
  }
  g.a0 = daCarry;
  g.c0 = dcCarry;
  result.grads = g;
  return result;
}

// ---------------------------------------------------------------------------
// GRU, "reset before" (tutorial form)
// ---------------------------------------------------------------------------

export interface GruWeights { Wz: Matrix; Wr: Matrix; Wh: Matrix; bz: Vector; br: Vector; bh: Vector }

export interface GruGrads extends GruWeights { h0: Matrix }

export interface GruResult {
  outputs: number[][][];
  finalH: Matrix;
  grads?: GruGrads;
}

interface GruStep {
  hPrev: Vector;
  hx: Vector; // [h_{t-1}, x_t]
  rhx: Vector; // [r ⊙ h_{t-1}, x_t]
  z: Vector; r: Vector; hCand: Vector;
}

/**
 * z = σ(Wz[h,x]+bz), r = σ(Wr[h,x]+br), h' = tanh(Wh[r⊙h, x]+bh),
 * h_t = z⊙h_{t-1} + (1−z)⊙h'. Output: h_t. Each W is H x (H+X), columns [h, x].
 */
export function gruResetBefore(
  w: GruWeights, xs: number[][][], h0: Matrix, gradOutputs?: number[][][],
): GruResult {
  const T = xs.length;
  const B = h0.length;
  const H = w.bz.length;

  const saved: GruStep[][] = [];
  const outputs: number[][][] = [];
  let h = copyMatrix(h0);
  for (let t = 0; t < T; t++) {
    const stepSaved: GruStep[] = [];
    const nextH: Matrix = [];
    for (let b = 0; b < B; b++) {
      const hx = concat(h[b], xs[t][b]);
      const z = sigmoidV(add(matVec(w.Wz, hx), w.bz));
      const r = sigmoidV(add(matVec(w.Wr, hx), w.br));
      const rhx = concat(mul(r, h[b]), xs[t][b]);
      const hCand = tanhV(add(matVec(w.Wh, rhx), w.bh));
      const hNew = add(mul(z, h[b]), mul(oneMinus(z), hCand));
      stepSaved.push({ hPrev: h[b], hx, rhx, z, r, hCand });
      nextH.push(hNew);
    }
    saved.push(stepSaved);
    outputs.push(nextH);
    h = nextH;
  }
  const result: GruResult = { outputs, finalH: h };
  if (!gradOutputs) return result;

  const g: GruGrads = {
    Wz: zerosLike(w.Wz), Wr: zerosLike(w.Wr), Wh: zerosLike(w.Wh),
    bz: zeros(H), br: zeros(H), bh: zeros(H),
    h0: zerosLike(h0),
  };
  let dhCarry: Matrix = h0.map(() => zeros(H));
  for (let t = T - 1; t >= 0; t--) {
    const dhPrevAll: Matrix = [];
    for (let b = 0; b < B; b++) {
      const s = saved[t][b];
      const dh = withUpstream(dhCarry[b], gradOutputs, t, b);
      // h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h'
      const dZ = mul(dh, sub(s.hPrev, s.hCand));
      const dCand = mul(dh, oneMinus(s.z));
      const dhPrev = mul(dh, s.z);
      // h' = tanh(Wh [r⊙h, x] + bh)
      const aH = mul(dCand, tanhDerivFromOutput(s.hCand));
      accOuter(g.Wh, aH, s.rhx); accAdd(g.bh, aH);
      const dRh = matTVec(w.Wh, aH).slice(0, H); // gradient of r ⊙ h_{t-1}
      const dR = mul(dRh, s.hPrev);
      accAdd(dhPrev, mul(dRh, s.r));
      // z, r pre-activations
      const aZ = mul(dZ, sigmoidDerivFromOutput(s.z));
      const aR = mul(dR, sigmoidDerivFromOutput(s.r));
      accOuter(g.Wz, aZ, s.hx); accAdd(g.bz, aZ);
      accOuter(g.Wr, aR, s.hx); accAdd(g.br, aR);
      accAdd(dhPrev, add(matTVec(w.Wz, aZ), matTVec(w.Wr, aR)).slice(0, H));
      dhPrevAll.push(dhPrev);
    }
    dhCarry = dhPrevAll;
  }
  g.h0 = dhCarry;
  result.grads = g;
  return result;
}

// ---------------------------------------------------------------------------
// GRU, "reset after" (PyTorch / Keras resetAfter)
// ---------------------------------------------------------------------------

export interface GruResetAfterWeights {
  Wir: Matrix; Wiz: Matrix; Win: Matrix; // H x X
  Whr: Matrix; Whz: Matrix; Whn: Matrix; // H x H
  bir: Vector; biz: Vector; bin: Vector;
  bhr: Vector; bhz: Vector; bhn: Vector;
}

export interface GruResetAfterGrads extends GruResetAfterWeights { h0: Matrix }

export interface GruResetAfterResult {
  outputs: number[][][];
  finalH: Matrix;
  grads?: GruResetAfterGrads;
}

interface GruResetAfterStep {
  x: Vector; hPrev: Vector;
  r: Vector; z: Vector; n: Vector;
  hn: Vector; // Whn h_{t-1} + bhn
}

/**
 * r = σ(Wir x + bir + Whr h + bhr), z = σ(Wiz x + biz + Whz h + bhz),
 * n = tanh(Win x + bin + r⊙(Whn h + bhn)), h_t = (1−z)⊙n + z⊙h_{t-1}. Output: h_t.
 */
export function gruResetAfter(
  w: GruResetAfterWeights, xs: number[][][], h0: Matrix, gradOutputs?: number[][][],
): GruResetAfterResult {
  const T = xs.length;
  const B = h0.length;
  const H = w.bir.length;

  const saved: GruResetAfterStep[][] = [];
  const outputs: number[][][] = [];
  let h = copyMatrix(h0);
  for (let t = 0; t < T; t++) {
    const stepSaved: GruResetAfterStep[] = [];
    const nextH: Matrix = [];
    for (let b = 0; b < B; b++) {
      const x = xs[t][b];
      const hPrev = h[b];
      const r = sigmoidV(add(add(matVec(w.Wir, x), w.bir), add(matVec(w.Whr, hPrev), w.bhr)));
      const z = sigmoidV(add(add(matVec(w.Wiz, x), w.biz), add(matVec(w.Whz, hPrev), w.bhz)));
      const hn = add(matVec(w.Whn, hPrev), w.bhn);
      const n = tanhV(add(add(matVec(w.Win, x), w.bin), mul(r, hn)));
      const hNew = add(mul(oneMinus(z), n), mul(z, hPrev));
      stepSaved.push({ x, hPrev, r, z, n, hn });
      nextH.push(hNew);
    }
    saved.push(stepSaved);
    outputs.push(nextH);
    h = nextH;
  }
  const result: GruResetAfterResult = { outputs, finalH: h };
  if (!gradOutputs) return result;

  const g: GruResetAfterGrads = {
    Wir: zerosLike(w.Wir), Wiz: zerosLike(w.Wiz), Win: zerosLike(w.Win),
    Whr: zerosLike(w.Whr), Whz: zerosLike(w.Whz), Whn: zerosLike(w.Whn),
    bir: zeros(H), biz: zeros(H), bin: zeros(H),
    bhr: zeros(H), bhz: zeros(H), bhn: zeros(H),
    h0: zerosLike(h0),
  };
  let dhCarry: Matrix = h0.map(() => zeros(H));
  for (let t = T - 1; t >= 0; t--) {
    const dhPrevAll: Matrix = [];
    for (let b = 0; b < B; b++) {
      const s = saved[t][b];
      const dh = withUpstream(dhCarry[b], gradOutputs, t, b);
      // h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
      const dN = mul(dh, oneMinus(s.z));
      const dZ = mul(dh, sub(s.hPrev, s.n));
      const dhPrev = mul(dh, s.z);
      // n = tanh(Win x + bin + r ⊙ hn)
      const aN = mul(dN, tanhDerivFromOutput(s.n));
      accOuter(g.Win, aN, s.x); accAdd(g.bin, aN);
      const dHn = mul(aN, s.r);
      const dR = mul(aN, s.hn);
      // hn = Whn h + bhn
      accOuter(g.Whn, dHn, s.hPrev); accAdd(g.bhn, dHn);
      accAdd(dhPrev, matTVec(w.Whn, dHn));
      // r, z pre-activations (input part and hidden part share the same gradient)
      const aR = mul(dR, sigmoidDerivFromOutput(s.r));
      const aZ = mul(dZ, sigmoidDerivFromOutput(s.z));
      accOuter(g.Wir, aR, s.x); accAdd(g.bir, aR);
      accOuter(g.Whr, aR, s.hPrev); accAdd(g.bhr, aR);
      accOuter(g.Wiz, aZ, s.x); accAdd(g.biz, aZ);
      accOuter(g.Whz, aZ, s.hPrev); accAdd(g.bhz, aZ);
      accAdd(dhPrev, add(matTVec(w.Whr, aR), matTVec(w.Whz, aZ)));
      dhPrevAll.push(dhPrev);
    }
    dhCarry = dhPrevAll;
  }
  g.h0 = dhCarry;
  result.grads = g;
  return result;
}

// ---------------------------------------------------------------------------
// Elman RNN
// ---------------------------------------------------------------------------

export interface ElmanWeights { W: Matrix; b: Vector }

export interface ElmanGrads extends ElmanWeights { h0: Matrix }

export interface ElmanResult {
  outputs: number[][][];
  finalH: Matrix;
  grads?: ElmanGrads;
}

/** h_t = tanh(W[h_{t-1}, x_t] + b), W is H x (H+X), columns [h, x]. Output: h_t. */
export function elman(
  w: ElmanWeights, xs: number[][][], h0: Matrix, gradOutputs?: number[][][],
): ElmanResult {
  const T = xs.length;
  const B = h0.length;
  const H = w.b.length;

  const savedHx: Vector[][] = [];
  const outputs: number[][][] = [];
  let h = copyMatrix(h0);
  for (let t = 0; t < T; t++) {
    const stepHx: Vector[] = [];
    const nextH: Matrix = [];
    for (let b = 0; b < B; b++) {
      const hx = concat(h[b], xs[t][b]);
      stepHx.push(hx);
      nextH.push(tanhV(add(matVec(w.W, hx), w.b)));
    }
    savedHx.push(stepHx);
    outputs.push(nextH);
    h = nextH;
  }
  const result: ElmanResult = { outputs, finalH: h };
  if (!gradOutputs) return result;

  const g: ElmanGrads = { W: zerosLike(w.W), b: zeros(H), h0: zerosLike(h0) };
  let dhCarry: Matrix = h0.map(() => zeros(H));
  for (let t = T - 1; t >= 0; t--) {
    const dhPrevAll: Matrix = [];
    for (let b = 0; b < B; b++) {
      const dh = withUpstream(dhCarry[b], gradOutputs, t, b);
      const pre = mul(dh, tanhDerivFromOutput(outputs[t][b]));
      accOuter(g.W, pre, savedHx[t][b]); accAdd(g.b, pre);
      dhPrevAll.push(matTVec(w.W, pre).slice(0, H));
    }
    dhCarry = dhPrevAll;
  }
  g.h0 = dhCarry;
  result.grads = g;
  return result;
}
