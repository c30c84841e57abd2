/**
 * Each zoo cell's equations as its paper writes them, one step at a time, on the
 * oracle's tape (tests/zoo/oracle.ts). Tensor names are the node ids of the cell
 * files (W_f is node "Wf"; [h_{t−1}, x_t] is concatenated in that order).
 */
import type { CellStep, Ops, V } from './oracle';

/** Greff et al.'s vanilla LSTM with one thing changed (all on by default). */
interface LstmVariant {
  readonly inputGate?: boolean;
  readonly forgetGate?: boolean;
  readonly outputGate?: boolean;
  readonly inputActivation?: boolean;
  readonly outputActivation?: boolean;
  readonly peepholes?: boolean;
  readonly coupled?: boolean;
  readonly fullRecurrence?: boolean;
}

function lstm(v: LstmVariant): CellStep {
  const { inputGate = true, forgetGate = true, outputGate = true, inputActivation = true, outputActivation = true, peepholes = true, coupled = false, fullRecurrence = false } = v;
  return (o, x, s) => {
    const { t } = o;
    const hx = t.cat(s.h, x);
    const gateInput = fullRecurrence ? t.cat(s.h, x, s.i_prev, s.f_prev, s.o_prev) : hx;
    // σ(W [·] + p ⊙ c + b)
    const gate = (name: string, peek: V) => t.sigmoid(peepholes ? t.add(o.linear(`W${name}`, gateInput), o.scale(`p${name}`, peek)) : o.linear(`W${name}`, gateInput));
    const i = inputGate ? gate('i', s.c) : undefined;
    const f = coupled ? t.oneMinus(i as V) : forgetGate ? gate('f', s.c) : undefined;
    const g = inputActivation ? t.tanh(o.linear('Wg', hx)) : o.linear('Wg', hx);
    const c = t.add(f ? t.mul(f, s.c) : s.c, i ? t.mul(i, g) : g);
    const out = outputGate ? gate('o', c) : undefined;
    const squashed = outputActivation ? t.tanh(c) : c;
    const h = out ? t.mul(out, squashed) : squashed;
    const gates: Record<string, V> = fullRecurrence ? { i_prev: i as V, f_prev: f as V, o_prev: out as V } : {};
    return { y: h, next: { h, c, ...gates } };
  };
}

/** A cell with one state h that it also outputs. */
const single = (f: (o: Ops, x: V, h: V) => V): CellStep => (o, x, s) => {
  const h = f(o, x, s.h);
  return { y: h, next: { h } };
};

export const PAPERS: Readonly<Record<string, CellStep>> = {
  elman: single((o, x, h) => o.t.tanh(o.linear('W', o.t.cat(h, x)))),
  'lstm-1997': lstm({ forgetGate: false, peepholes: false }),
  'lstm-peephole': lstm({}),
  'lstm-nig': lstm({ inputGate: false }),
  'lstm-nfg': lstm({ forgetGate: false }),
  'lstm-nog': lstm({ outputGate: false }),
  'lstm-niaf': lstm({ inputActivation: false }),
  'lstm-noaf': lstm({ outputActivation: false }),
  'lstm-np': lstm({ peepholes: false }),
  'lstm-cifg': lstm({ coupled: true }),
  'lstm-fgr': lstm({ fullRecurrence: true }),
  'layernorm-lstm': (o, x, s) => {
    const { t } = o;
    const H = s.h.value.length;
    // (f, i, o, g) = LN(W_h h_{t−1}; α1, β1) + LN(W_x x_t; α2, β2), sliced in that order.
    const gates = t.add(o.layerNorm('LNh', o.linear('Wh', s.h)), o.layerNorm('LNx', o.linear('Wx', x)));
    const [f, i, out, g] = [0, 1, 2, 3].map((k) => t.slice(gates, k * H, H));
    const c = t.add(t.mul(t.sigmoid(f), s.c), t.mul(t.sigmoid(i), t.tanh(g)));
    const h = t.mul(t.sigmoid(out), t.tanh(o.layerNorm('LNc', c)));
    return { y: h, next: { h, c } };
  },
  gru: single((o, x, h) => {
    const { t } = o;
    const z = t.sigmoid(o.linear('Wz', t.cat(h, x)));
    const r = t.sigmoid(o.linear('Wr', t.cat(h, x)));
    const candidate = t.tanh(o.linear('Wh', t.cat(t.mul(r, h), x)));
    return o.mix(z, h, candidate);
  }),
  'gru-reset-after': single((o, x, h) => {
    const { t } = o;
    const r = t.sigmoid(t.add(o.linear('Wir', x), o.linear('Whr', h)));
    const z = t.sigmoid(t.add(o.linear('Wiz', x), o.linear('Whz', h)));
    const n = t.tanh(t.add(o.linear('Win', x), t.mul(r, o.linear('Whn', h))));
    return o.mix(z, h, n);
  }),
  'li-gru': single((o, x, h) => {
    const { t } = o;
    const z = t.sigmoid(o.linear('Wz', t.cat(h, x)));
    return o.mix(z, h, t.relu(o.linear('Wh', t.cat(h, x))));
  }),
  mut1: single((o, x, h) => {
    const { t } = o;
    const z = t.sigmoid(o.linear('Wz', x));
    const r = t.sigmoid(o.linear('Wr', t.cat(h, x)));
    return o.mix(z, t.tanh(t.add(o.linear('Whh', t.mul(r, h)), t.tanh(x))), h);
  }),
  mut2: single((o, x, h) => {
    const { t } = o;
    const z = t.sigmoid(o.linear('Wz', t.cat(h, x)));
    const r = t.sigmoid(t.add(x, o.linear('Whr', h)));
    return o.mix(z, t.tanh(o.linear('Wh', t.cat(t.mul(r, h), x))), h);
  }),
  mut3: single((o, x, h) => {
    const { t } = o;
    const z = t.sigmoid(o.linear('Wz', t.cat(t.tanh(h), x)));
    const r = t.sigmoid(o.linear('Wr', t.cat(h, x)));
    return o.mix(z, t.tanh(o.linear('Wh', t.cat(t.mul(r, h), x))), h);
  }),
  mgu: single((o, x, h) => {
    const { t } = o;
    const f = t.sigmoid(o.linear('Wf', t.cat(h, x)));
    const candidate = t.tanh(o.linear('Wh', t.cat(t.mul(f, h), x)));
    // (1 − f) ⊙ h + f ⊙ h̃
    return t.add(t.mul(t.oneMinus(f), h), t.mul(f, candidate));
  }),
  janet: single((o, x, h) => {
    const { t } = o;
    const beta = 1;
    const s = o.linear('Wf', t.cat(h, x));
    const candidate = t.tanh(o.linear('Wc', t.cat(h, x)));
    return t.add(t.mul(t.sigmoid(s), h), t.mul(t.oneMinus(t.sigmoid(t.sub(s, t.constant(s.value.length, beta)))), candidate));
  }),
  ugrnn: single((o, x, h) => {
    const { t } = o;
    const c = t.tanh(o.linear('Wc', t.cat(h, x)));
    const g = t.sigmoid(o.linear('Wg', t.cat(h, x)));
    return o.mix(g, h, c);
  }),
  'minimal-rnn': single((o, x, h) => {
    const { t } = o;
    const z = t.tanh(o.linear('Wx', x));
    const u = t.sigmoid(o.linear('Uu', t.cat(h, z)));
    return o.mix(u, h, z);
  }),
  cfn: single((o, x, h) => {
    const { t } = o;
    const theta = t.sigmoid(o.linear('Utheta', t.cat(h, x)));
    const eta = t.sigmoid(o.linear('Ueta', t.cat(h, x)));
    return t.add(t.mul(theta, t.tanh(h)), t.mul(eta, t.tanh(o.linear('W', x))));
  }),
  indrnn: single((o, x, h) => o.t.relu(o.t.add(o.linear('W', x), o.scale('u', h)))),
  sru: (o, x, s) => {
    const { t } = o;
    const f = t.sigmoid(t.add(o.linear('Wf', x), o.scale('vf', s.c)));
    const r = t.sigmoid(t.add(o.linear('Wr', x), o.scale('vr', s.c)));
    const c = o.mix(f, s.c, o.linear('W', x));
    return { y: o.mix(r, c, x), next: { c } };
  },
  ran: (o, x, s) => {
    const { t } = o;
    const content = o.linear('Wc', x);
    const i = t.sigmoid(o.linear('Wi', t.cat(s.h, x)));
    const f = t.sigmoid(o.linear('Wf', t.cat(s.h, x)));
    const c = t.add(t.mul(i, content), t.mul(f, s.c));
    const h = t.tanh(c);
    return { y: h, next: { h, c } };
  },
  scrn: (o, x, st) => {
    const { t } = o;
    const alpha = 0.95;
    const n = st.s.value.length;
    const s = t.add(t.mul(t.constant(n, 1 - alpha), o.linear('B', x)), t.mul(t.constant(n, alpha), st.s));
    // P s_t + A x_t + R h_{t−1}: one matrix [P A R] over [s_t, x_t, h_{t−1}].
    const h = t.sigmoid(o.linear('PAR', t.cat(s, x, st.h)));
    return { y: t.cat(h, s), next: { h, s } };
  },
};
