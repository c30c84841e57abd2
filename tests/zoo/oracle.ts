/**
 * Independent float64 implementations of the zoo's cells, written from the papers'
 * equations (examples/zoo/*.json descriptions), with gradients from a small
 * reverse-mode tape of vector ops. Nothing here goes through the compiler, the IR
 * or the primitives' VJPs: the only thing shared with a cell file is the name of
 * each learned tensor (the id of the node holding it), so weights can be copied.
 *
 * Everything runs one sample at a time. The gradients are those of
 *   L = Σ_t Σ_b Σ_j gradOutputs[t][b][j] · y_t[b][j]
 * with respect to every learned tensor and every initial state.
 */

/** A vector on the tape: its value and, after `backward`, ∂L/∂value. */
export interface V {
  readonly value: Float64Array;
  readonly grad: Float64Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export class Tape {
  private readonly backs: (() => void)[] = [];

  leaf(value: ArrayLike<number>): V {
    return { value: Float64Array.from(value), grad: new Float64Array(value.length) };
  }

  /** A new vector computed elementwise from `inputs`, with ∂out/∂input_k given per element. */
  private map(inputs: readonly V[], f: (i: number) => number, partials: (i: number, out: number) => readonly number[]): V {
    const n = inputs[0].value.length;
    for (const v of inputs) if (v.value.length !== n) throw new Error(`operand sizes ${inputs.map((u) => u.value.length).join(' ≠ ')}`);
    const out = this.leaf(Array.from({ length: n }, (_, i) => f(i)));
    this.backs.push(() => {
      for (let i = 0; i < n; i++) {
        const d = partials(i, out.value[i]);
        inputs.forEach((v, k) => (v.grad[i] += out.grad[i] * d[k]));
      }
    });
    return out;
  }

  add(a: V, b: V): V { return this.map([a, b], (i) => a.value[i] + b.value[i], () => [1, 1]); }
  sub(a: V, b: V): V { return this.map([a, b], (i) => a.value[i] - b.value[i], () => [1, -1]); }
  mul(a: V, b: V): V { return this.map([a, b], (i) => a.value[i] * b.value[i], (i) => [b.value[i], a.value[i]]); }
  oneMinus(a: V): V { return this.map([a], (i) => 1 - a.value[i], () => [-1]); }
  sigmoid(a: V): V { return this.map([a], (i) => sigmoid(a.value[i]), (_i, y) => [y * (1 - y)]); }
  tanh(a: V): V { return this.map([a], (i) => Math.tanh(a.value[i]), (_i, y) => [1 - y * y]); }
  relu(a: V): V { return this.map([a], (i) => Math.max(a.value[i], 0), (i) => [a.value[i] > 0 ? 1 : 0]); }
  /** A vector of n equal numbers (not learned). */
  constant(n: number, value: number): V { return this.leaf(new Array<number>(n).fill(value)); }

  /** W v with W [rows × v.length] row-major. */
  matVec(W: V, v: V): V {
    const cols = v.value.length;
    const rows = W.value.length / cols;
    if (!Number.isInteger(rows)) throw new Error(`W of ${W.value.length} entries does not take a vector of ${cols}`);
    const out = this.leaf(Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let c = 0; c < cols; c++) s += W.value[r * cols + c] * v.value[c];
      return s;
    }));
    this.backs.push(() => {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          W.grad[r * cols + c] += out.grad[r] * v.value[c];
          v.grad[c] += out.grad[r] * W.value[r * cols + c];
        }
      }
    });
    return out;
  }

  /** Elements [start, start + length) of v. */
  slice(v: V, start: number, length: number): V {
    const out = this.leaf(v.value.subarray(start, start + length));
    this.backs.push(() => {
      for (let i = 0; i < length; i++) v.grad[start + i] += out.grad[i];
    });
    return out;
  }

  cat(...parts: V[]): V {
    const out = this.leaf(parts.flatMap((p) => Array.from(p.value)));
    this.backs.push(() => {
      let at = 0;
      for (const p of parts) {
        for (let i = 0; i < p.value.length; i++) p.grad[i] += out.grad[at + i];
        at += p.value.length;
      }
    });
    return out;
  }

  /**
   * (x − mean) / √(var + ε) over the whole vector (biased variance), differentiated step by
   * step: d = x − μ, v = mean(d²), s = (v + ε)^−½, x̂ = d·s.
   */
  normalise(x: V, eps: number): V {
    const n = x.value.length;
    const mu = x.value.reduce((a, v) => a + v, 0) / n;
    const d = x.value.map((v) => v - mu);
    const variance = d.reduce((a, v) => a + v * v, 0) / n;
    const s = 1 / Math.sqrt(variance + eps);
    const out = this.leaf(d.map((v) => v * s));
    this.backs.push(() => {
      const gd = out.grad.map((g) => g * s);
      const gs = out.grad.reduce((a, g, i) => a + g * d[i], 0);
      const gv = gs * -0.5 * (variance + eps) ** -1.5;
      d.forEach((v, i) => (gd[i] += (gv * 2 * v) / n));
      const meanGd = gd.reduce((a, g) => a + g, 0) / n;
      for (let i = 0; i < n; i++) x.grad[i] += gd[i] - meanGd;
    });
    return out;
  }

  /** Runs every recorded step backwards (once the outputs' gradients are seeded). */
  backward(): void {
    for (let k = this.backs.length - 1; k >= 0; k--) this.backs[k]();
  }
}

/** Learned tensors by node id and tensor name, as leaves of the tape. */
export type Weights = Readonly<Record<string, Readonly<Record<string, V>>>>;

/** What a cell's equations see: the tape and shorthands that name the paper's tensors. */
export class Ops {
  constructor(readonly t: Tape, private readonly w: Weights) {}

  private tensor(id: string, name: string): V {
    const v = this.w[id]?.[name];
    if (!v) throw new Error(`the cell has no tensor ${id}.${name}`);
    return v;
  }

  /** W_id v (+ b_id when the cell's node has a bias). */
  linear(id: string, v: V): V {
    const product = this.t.matVec(this.tensor(id, 'W'), v);
    return this.w[id].b ? this.t.add(product, this.w[id].b) : product;
  }

  /** p_id ⊙ v. */
  scale(id: string, v: V): V {
    return this.t.mul(this.tensor(id, 'p'), v);
  }

  /** α_id ⊙ normalise(v) + β_id: the cell's layer-norm node "id" holds α as g and β as b. */
  layerNorm(id: string, v: V, eps = 1e-5): V {
    return this.t.add(this.t.mul(this.tensor(id, 'g'), this.t.normalise(v, eps)), this.tensor(id, 'b'));
  }

  /** z ⊙ a + (1 − z) ⊙ b. */
  mix(z: V, a: V, b: V): V {
    return this.t.add(this.t.mul(z, a), this.t.mul(this.t.oneMinus(z), b));
  }
}

/** One step: the output and each state's next value, by state id. */
export type CellStep = (o: Ops, x: V, s: Readonly<Record<string, V>>) => { y: V; next: Record<string, V> };

export interface OracleRun {
  /** y_t [T][B][n]. */
  readonly outputs: number[][][];
  /** Final value of each state by id, [B][n]. */
  readonly finalStates: Record<string, number[][]>;
  /** ∂L/∂tensor by node id and name, flat as the cell stores it. */
  readonly grads: Record<string, Record<string, number[]>>;
  /** ∂L/∂(initial state) by id, [B][n]. */
  readonly initialStateGrads: Record<string, number[][]>;
}

/**
 * Runs `step` over xs [T][B][X] from initial states [B][n] by id; with gradOutputs
 * [T][B][Y], also the gradients of L.
 */
export function runOracle(
  step: CellStep, weights: Readonly<Record<string, Readonly<Record<string, ArrayLike<number>>>>>,
  xs: number[][][], initial: Readonly<Record<string, number[][]>>, gradOutputs?: number[][][],
): OracleRun {
  const tape = new Tape();
  const leaves: Record<string, Record<string, V>> = {};
  for (const [id, tensors] of Object.entries(weights)) leaves[id] = Object.fromEntries(Object.entries(tensors).map(([name, v]) => [name, tape.leaf(v)]));
  const ops = new Ops(tape, leaves);
  const B = xs[0].length;
  const starts: Record<string, V[]> = Object.fromEntries(Object.entries(initial).map(([id, rows]) => [id, rows.map((r) => tape.leaf(r))]));
  const ys: V[][] = xs.map(() => []);
  const finals: Record<string, V[]> = Object.fromEntries(Object.keys(initial).map((id) => [id, []]));
  for (let b = 0; b < B; b++) {
    let states: Record<string, V> = Object.fromEntries(Object.entries(starts).map(([id, rows]) => [id, rows[b]]));
    xs.forEach((stepX, t) => {
      const r = step(ops, tape.leaf(stepX[b]), states);
      ys[t][b] = r.y;
      states = r.next;
    });
    for (const id of Object.keys(finals)) finals[id][b] = states[id];
  }
  if (gradOutputs) {
    ys.forEach((row, t) => row.forEach((y, b) => gradOutputs[t][b].forEach((g, j) => (y.grad[j] += g))));
    tape.backward();
  }
  const values = (vs: V[]) => vs.map((v) => Array.from(v.value));
  return {
    outputs: ys.map(values),
    finalStates: Object.fromEntries(Object.entries(finals).map(([id, vs]) => [id, values(vs)])),
    grads: Object.fromEntries(Object.entries(leaves).map(([id, tensors]) => [id, Object.fromEntries(Object.entries(tensors).map(([name, v]) => [name, Array.from(v.grad)]))])),
    initialStateGrads: Object.fromEntries(Object.entries(starts).map(([id, vs]) => [id, vs.map((v) => Array.from(v.grad))])),
  };
}
