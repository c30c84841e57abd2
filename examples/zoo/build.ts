/**
 * Writes the zoo's cell files (examples/zoo/<id>.json) from the wirings below:
 * `npx tsx examples/zoo/build.ts`. tests/zoo/files.test.ts checks that the
 * committed files are what this writes, so the wiring here is the one tested.
 *
 * Conventions of every cell: x is x_t, h (and c) are states read as h_{t−1};
 * one linear over [h_{t−1}, x_t] stands for the paper's W x_t + U h_{t−1} + b
 * (the same function, one matrix). Node ids name the paper's tensors, so a
 * reader (and the tests' oracles) can find W_f, p_i, … by id.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeDef } from '../../nodes';
import { CELL_FORMAT, CELL_FORMAT_VERSION, type Cell, type CellNode, type Connection, type ParamValue } from '../../src/model/cell';
import { ZOO, formatCitation, type ZooEntry } from './index';

/** An output port of a node. */
interface Port {
  readonly node: string;
  readonly port: string;
}

type Params = Record<string, ParamValue>;

/** A cell being wired: nodes and connections in the order they are made. */
class Wiring {
  readonly nodes: { id: string; kind: string; label?: string; params: Params }[] = [];
  readonly connections: Connection[] = [];

  private add(id: string, kind: string, params: Params, label?: string): void {
    this.nodes.push({ id, kind, ...(label !== undefined && { label }), params });
  }

  input(): Port {
    this.add('x', 'input', {});
    return { node: 'x', port: 'x' };
  }

  /** A state: read its previous value now, feed its next value once it is computed. */
  state(id: string, label: string, params: Params = {}): { prev: Port; next(value: Port): void } {
    this.add(id, 'state', params, label);
    return { prev: { node: id, port: 'prev' }, next: (value) => this.wire(value, id, 'next') };
  }

  op(id: string, kind: string, inputs: readonly Port[], params: Params = {}, label?: string): Port {
    const def = nodeDef(kind);
    if (!def) throw new Error(`no primitive ${kind}`);
    this.add(id, kind, params, label);
    const defaults = Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));
    const ports = def.inputPorts({ ...defaults, ...params });
    if (ports.length !== inputs.length) throw new Error(`${id}: ${kind} takes ${ports.length} inputs`);
    inputs.forEach((from, i) => this.wire(from, id, ports[i]));
    return { node: id, port: def.outputPort ?? '' };
  }

  output(value: Port): void {
    this.add('y', 'output', {});
    this.wire(value, 'y', 'y');
  }

  private wire(from: Port, to: string, toPort: string): void {
    this.connections.push({ from: from.node, fromPort: from.port, to, toPort });
  }

  // Shorthands for the ops every cell uses.
  cat(id: string, ...inputs: Port[]): Port { return this.op(id, 'concat', inputs, inputs.length === 2 ? {} : { inputs: inputs.length }); }
  linear(id: string, input: Port, params: Params = {}): Port { return this.op(id, 'linear', [input], params); }
  sigmoid(id: string, input: Port, label?: string): Port { return this.op(id, 'sigmoid', [input], {}, label); }
  tanh(id: string, input: Port, label?: string): Port { return this.op(id, 'tanh', [input], {}, label); }
  mul(id: string, a: Port, b: Port): Port { return this.op(id, 'multiply', [a, b]); }
  add2(id: string, a: Port, b: Port, label?: string): Port { return this.op(id, 'add', [a, b], {}, label); }
  oneMinus(id: string, a: Port): Port { return this.op(id, 'one-minus', [a]); }
  /** p ⊙ v with a learned vector p (peepholes, IndRNN's recurrence). */
  scale(id: string, a: Port, params: Params = {}): Port { return this.op(id, 'scale', [a], params); }
  /** z ⊙ a + (1 − z) ⊙ b: the interpolation GRU-like cells end with. */
  mix(prefix: string, z: Port, a: Port, b: Port, label: string): Port {
    const keep = this.mul(`${prefix}_keep`, z, a);
    const write = this.mul(`${prefix}_write`, this.oneMinus(`${prefix}_flip`, z), b);
    return this.add2(`${prefix}_new`, keep, write, label);
  }
}

interface Design {
  readonly equations: readonly string[];
  /** Where the wiring departs from or chooses within the paper. */
  readonly notes?: string;
  readonly sizes?: { input: number; hidden: number; named?: Record<string, number> };
  wire(w: Wiring): void;
}

const FORGET_BIAS = { biasInit: 1 };

/** Greff et al.'s vanilla LSTM and its one-change variants (NP, NIG, …), from one wiring. */
interface LstmChoices {
  readonly inputGate?: boolean;
  readonly forgetGate?: boolean;
  readonly outputGate?: boolean;
  readonly inputActivation?: boolean;
  readonly outputActivation?: boolean;
  readonly peepholes?: boolean;
  /** f = 1 − i (CIFG). */
  readonly coupled?: boolean;
  /** Every gate also reads the previous step's i, f and o (FGR). */
  readonly fullRecurrence?: boolean;
}

function wireLstm(w: Wiring, o: LstmChoices): void {
  const { inputGate = true, forgetGate = true, outputGate = true, inputActivation = true, outputActivation = true, peepholes = true, coupled = false, fullRecurrence = false } = o;
  const x = w.input();
  const h = w.state('h', 'hidden');
  const c = w.state('c', 'cell');
  const gatesPrev = fullRecurrence ? [w.state('i_prev', 'input gate'), w.state('f_prev', 'forget gate'), w.state('o_prev', 'output gate')] : [];
  const hx = w.cat('hx', h.prev, x);
  const gateIn = fullRecurrence ? w.cat('hxg', h.prev, x, ...gatesPrev.map((g) => g.prev)) : hx;
  /** σ(W [·] + b (+ p ⊙ peek)). */
  const gate = (name: string, label: string, peek: Port, params: Params = {}): Port => {
    const lin = w.linear(`W${name}`, gateIn, params);
    const pre = peepholes ? w.add2(`${name}_pre`, lin, w.scale(`p${name}`, peek)) : lin;
    return w.sigmoid(name, pre, label);
  };
  const i = inputGate ? gate('i', 'input', c.prev) : undefined;
  const f = coupled ? w.oneMinus('f', i as Port) : forgetGate ? gate('f', 'forget', c.prev, FORGET_BIAS) : undefined;
  const gLin = w.linear('Wg', hx);
  const g = inputActivation ? w.tanh('g', gLin, 'candidate') : w.op('g', 'identity', [gLin], {}, 'candidate');
  const write = i ? w.mul('write', i, g) : g;
  const keep = f ? w.mul('keep', f, c.prev) : c.prev;
  const cNew = w.add2('c_new', keep, write);
  c.next(cNew);
  const squashed = outputActivation ? w.tanh('squash', cNew) : cNew;
  const oGate = outputGate ? gate('o', 'output', cNew) : undefined;
  const hNew = oGate ? w.mul('h_new', oGate, squashed) : w.op('h_new', 'identity', [squashed]);
  h.next(hNew);
  if (fullRecurrence) [i, f, oGate].forEach((v, k) => gatesPrev[k].next(v as Port));
  w.output(hNew);
}

const VANILLA = [
  'i_t = σ(W_i [h_{t−1}, x_t] + p_i ⊙ c_{t−1} + b_i)',
  'f_t = σ(W_f [h_{t−1}, x_t] + p_f ⊙ c_{t−1} + b_f)',
  'g_t = tanh(W_g [h_{t−1}, x_t] + b_g)',
  'c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t',
  'o_t = σ(W_o [h_{t−1}, x_t] + p_o ⊙ c_t + b_o)',
  'h_t = o_t ⊙ tanh(c_t)',
];
const GREFF = 'Greff et al.\'s variant of the vanilla LSTM (input, forget and output gates, peepholes p_i, p_f, p_o as learned vectors); the one change:';

const DESIGNS: Readonly<Record<string, Design>> = {
  elman: {
    equations: ['h_t = tanh(W [h_{t−1}, x_t] + b)'],
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hNew = w.tanh('h_new', w.linear('W', w.cat('hx', h.prev, x)));
      h.next(hNew);
      w.output(hNew);
    },
  },
  'lstm-1997': {
    equations: ['i_t = σ(W_i [h_{t−1}, x_t] + b_i)', 'g_t = tanh(W_g [h_{t−1}, x_t] + b_g)', 'c_t = c_{t−1} + i_t ⊙ g_t', 'o_t = σ(W_o [h_{t−1}, x_t] + b_o)', 'h_t = o_t ⊙ tanh(c_t)'],
    notes: 'The original LSTM: the cell state is a constant error carousel with no forget gate (added by Gers et al., 1999). Written in today\'s notation with tanh for both squashing functions; the paper\'s truncated gradient is not reproduced (gradients flow through every path).',
    wire: (w) => wireLstm(w, { forgetGate: false, peepholes: false }),
  },
  'lstm-peephole': {
    equations: VANILLA,
    notes: 'Greff et al. (2017) call this the vanilla LSTM and derive every variant in this group from it. Peepholes are learned vectors (scale nodes); the output gate peeks at the new cell state c_t. The forget bias starts at 1.',
    wire: (w) => wireLstm(w, {}),
  },
  'lstm-nig': {
    equations: ['f_t = σ(W_f [h_{t−1}, x_t] + p_f ⊙ c_{t−1} + b_f)', 'g_t = tanh(W_g [h_{t−1}, x_t] + b_g)', 'c_t = f_t ⊙ c_{t−1} + g_t', 'o_t = σ(W_o [h_{t−1}, x_t] + p_o ⊙ c_t + b_o)', 'h_t = o_t ⊙ tanh(c_t)'],
    notes: `${GREFF} no input gate (i_t = 1).`,
    wire: (w) => wireLstm(w, { inputGate: false }),
  },
  'lstm-nfg': {
    equations: ['i_t = σ(W_i [h_{t−1}, x_t] + p_i ⊙ c_{t−1} + b_i)', 'g_t = tanh(W_g [h_{t−1}, x_t] + b_g)', 'c_t = c_{t−1} + i_t ⊙ g_t', 'o_t = σ(W_o [h_{t−1}, x_t] + p_o ⊙ c_t + b_o)', 'h_t = o_t ⊙ tanh(c_t)'],
    notes: `${GREFF} no forget gate (f_t = 1).`,
    wire: (w) => wireLstm(w, { forgetGate: false }),
  },
  'lstm-nog': {
    equations: [...VANILLA.slice(0, 4), 'h_t = tanh(c_t)'],
    notes: `${GREFF} no output gate (o_t = 1).`,
    wire: (w) => wireLstm(w, { outputGate: false }),
  },
  'lstm-niaf': {
    equations: [VANILLA[0], VANILLA[1], 'g_t = W_g [h_{t−1}, x_t] + b_g', ...VANILLA.slice(3)],
    notes: `${GREFF} no input activation function (g is linear: an identity node).`,
    wire: (w) => wireLstm(w, { inputActivation: false }),
  },
  'lstm-noaf': {
    equations: [...VANILLA.slice(0, 5), 'h_t = o_t ⊙ c_t'],
    notes: `${GREFF} no output activation function (h_t = o_t ⊙ c_t).`,
    wire: (w) => wireLstm(w, { outputActivation: false }),
  },
  'lstm-np': {
    equations: ['i_t = σ(W_i [h_{t−1}, x_t] + b_i)', 'f_t = σ(W_f [h_{t−1}, x_t] + b_f)', VANILLA[2], VANILLA[3], 'o_t = σ(W_o [h_{t−1}, x_t] + b_o)', VANILLA[5]],
    notes: `${GREFF} no peepholes (the LSTM of most libraries).`,
    wire: (w) => wireLstm(w, { peepholes: false }),
  },
  'lstm-cifg': {
    equations: [VANILLA[0], 'f_t = 1 − i_t', ...VANILLA.slice(2)],
    notes: `${GREFF} coupled input and forget gate (f_t = 1 − i_t, as in the GRU).`,
    wire: (w) => wireLstm(w, { coupled: true }),
  },
  'lstm-fgr': {
    equations: [
      'i_t = σ(W_i [h_{t−1}, x_t, i_{t−1}, f_{t−1}, o_{t−1}] + p_i ⊙ c_{t−1} + b_i)',
      'f_t = σ(W_f [h_{t−1}, x_t, i_{t−1}, f_{t−1}, o_{t−1}] + p_f ⊙ c_{t−1} + b_f)',
      VANILLA[2], VANILLA[3],
      'o_t = σ(W_o [h_{t−1}, x_t, i_{t−1}, f_{t−1}, o_{t−1}] + p_o ⊙ c_t + b_o)',
      VANILLA[5],
    ],
    notes: `${GREFF} full gate recurrence: each gate also reads the previous step's three gates (three more states, nine more recurrent matrices).`,
    wire: (w) => wireLstm(w, { fullRecurrence: true }),
  },
  'layernorm-lstm': {
    equations: [
      '(f_t, i_t, o_t, g_t) = LN(W_h h_{t−1}; α_1, β_1) + LN(W_x x_t; α_2, β_2) + b',
      'c_t = σ(f_t) ⊙ c_{t−1} + σ(i_t) ⊙ tanh(g_t)',
      'h_t = σ(o_t) ⊙ tanh(LN(c_t; α_3, β_3))',
    ],
    notes: 'Each LN is a layer-norm node (gain α, bias β learned). The four gates are one product of size 4·hidden each side, normalised as a whole and sliced. The bias b is left out: it adds to β_1 + β_2, which already learn it. The fast path trains each layer norm decomposed into products with a fixed 1/n matrix (its mean and variance) and elementwise ops.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const c = w.state('c', 'cell');
      const stacked = { out: '4*hidden', bias: false };
      const recurrent = w.op('LNh', 'layer-norm', [w.linear('Wh', h.prev, stacked)]);
      const fromInput = w.op('LNx', 'layer-norm', [w.linear('Wx', x, stacked)]);
      const gates = w.add2('gates', recurrent, fromInput);
      const part = (name: string, k: number) => w.op(`${name}_pre`, 'slice', [gates], { start: k === 0 ? 0 : `${k}*hidden`, length: 'hidden' });
      const f = w.sigmoid('f', part('f', 0), 'forget');
      const i = w.sigmoid('i', part('i', 1), 'input');
      const o = w.sigmoid('o', part('o', 2), 'output');
      const g = w.tanh('g', part('g', 3), 'candidate');
      const cNew = w.add2('c_new', w.mul('keep', f, c.prev), w.mul('write', i, g));
      c.next(cNew);
      const hNew = w.mul('h_new', o, w.tanh('squash', w.op('LNc', 'layer-norm', [cNew])));
      h.next(hNew);
      w.output(hNew);
    },
  },
  gru: {
    equations: ['z_t = σ(W_z [h_{t−1}, x_t] + b_z)', 'r_t = σ(W_r [h_{t−1}, x_t] + b_r)', 'h̃_t = tanh(W_h [r_t ⊙ h_{t−1}, x_t] + b_h)', 'h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t'],
    notes: 'The reset gate acts before the recurrent product (as in the paper); examples/gru.json is the same cell in the tutorial\'s words.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hx = w.cat('hx', h.prev, x);
      const z = w.sigmoid('z', w.linear('Wz', hx), 'update');
      const r = w.sigmoid('r', w.linear('Wr', hx), 'reset');
      const cand = w.tanh('cand', w.linear('Wh', w.cat('rhx', w.mul('reset', r, h.prev), x)), 'candidate');
      const hNew = w.mix('h', z, h.prev, cand, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  'gru-reset-after': {
    equations: ['r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)', 'z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)', 'n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))', 'h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t'],
    notes: 'The reset gate acts after the recurrent product: the form NVIDIA cuDNN, PyTorch nn.GRU and Keras (reset_after=True) compute, with their two biases per gate. examples/gru-reset-after.json is the same cell.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const both = (name: string) => w.add2(`${name}_sum`, w.linear(`Wi${name}`, x), w.linear(`Wh${name}`, h.prev, { init: 'orthogonal' }));
      const r = w.sigmoid('r', both('r'), 'reset');
      const z = w.sigmoid('z', both('z'), 'update');
      const n = w.tanh('n', w.add2('n_sum', w.linear('Win', x), w.mul('reset', r, w.linear('Whn', h.prev, { init: 'orthogonal' }))), 'candidate');
      const hNew = w.mix('h', z, h.prev, n, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  'li-gru': {
    equations: ['z_t = σ(W_z [h_{t−1}, x_t] + b_z)', 'h̃_t = ReLU(W_h [h_{t−1}, x_t] + b_h)', 'h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t'],
    notes: 'No reset gate and a ReLU candidate, as in the paper; its batch normalisation of the input products is omitted (no batch-statistics primitive), and biases stand in for the shift batch norm would learn.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hx = w.cat('hx', h.prev, x);
      const z = w.sigmoid('z', w.linear('Wz', hx), 'update');
      const cand = w.op('cand', 'relu', [w.linear('Wh', hx)], {}, 'candidate');
      const hNew = w.mix('h', z, h.prev, cand, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  mut1: {
    equations: ['z_t = σ(W_xz x_t + b_z)', 'r_t = σ(W_r [h_{t−1}, x_t] + b_r)', 'h_t = tanh(W_hh (r_t ⊙ h_{t−1}) + tanh(x_t) + b_h) ⊙ z_t + h_{t−1} ⊙ (1 − z_t)'],
    notes: 'One of the three architectures Jozefowicz et al. found by evolutionary search. tanh(x_t) is added to a hidden-sized vector, so the state has the size of the input: every hidden-sized tensor here is sized "input" (set --input to change both).',
    sizes: { input: 16, hidden: 16 },
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden', { size: 'input' });
      const z = w.sigmoid('z', w.linear('Wz', x, { out: 'input' }), 'update');
      const r = w.sigmoid('r', w.linear('Wr', w.cat('hx', h.prev, x), { out: 'input' }), 'reset');
      const pre = w.add2('pre', w.linear('Whh', w.mul('reset', r, h.prev), { out: 'input' }), w.tanh('tx', x));
      const hNew = w.mix('h', z, w.tanh('cand', pre, 'candidate'), h.prev, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  mut2: {
    equations: ['z_t = σ(W_z [h_{t−1}, x_t] + b_z)', 'r_t = σ(x_t + W_hr h_{t−1} + b_r)', 'h_t = tanh(W_h [r_t ⊙ h_{t−1}, x_t] + b_h) ⊙ z_t + h_{t−1} ⊙ (1 − z_t)'],
    notes: 'From Jozefowicz et al.\'s search. x_t is added to a hidden-sized vector, so the state has the size of the input: every hidden-sized tensor here is sized "input".',
    sizes: { input: 16, hidden: 16 },
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden', { size: 'input' });
      const z = w.sigmoid('z', w.linear('Wz', w.cat('hx', h.prev, x), { out: 'input' }), 'update');
      const r = w.sigmoid('r', w.add2('r_pre', x, w.linear('Whr', h.prev, { out: 'input' })), 'reset');
      const cand = w.tanh('cand', w.linear('Wh', w.cat('rhx', w.mul('reset', r, h.prev), x), { out: 'input' }), 'candidate');
      const hNew = w.mix('h', z, cand, h.prev, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  mut3: {
    equations: ['z_t = σ(W_z [tanh(h_{t−1}), x_t] + b_z)', 'r_t = σ(W_r [h_{t−1}, x_t] + b_r)', 'h_t = tanh(W_h [r_t ⊙ h_{t−1}, x_t] + b_h) ⊙ z_t + h_{t−1} ⊙ (1 − z_t)'],
    notes: 'From Jozefowicz et al.\'s search.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const z = w.sigmoid('z', w.linear('Wz', w.cat('thx', w.tanh('th', h.prev), x)), 'update');
      const r = w.sigmoid('r', w.linear('Wr', w.cat('hx', h.prev, x)), 'reset');
      const cand = w.tanh('cand', w.linear('Wh', w.cat('rhx', w.mul('reset', r, h.prev), x)), 'candidate');
      const hNew = w.mix('h', z, cand, h.prev, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  mgu: {
    equations: ['f_t = σ(W_f [h_{t−1}, x_t] + b_f)', 'h̃_t = tanh(W_h [f_t ⊙ h_{t−1}, x_t] + b_h)', 'h_t = (1 − f_t) ⊙ h_{t−1} + f_t ⊙ h̃_t'],
    notes: 'One gate does the work of the GRU\'s reset and update gates.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const f = w.sigmoid('f', w.linear('Wf', w.cat('hx', h.prev, x)), 'forget');
      const cand = w.tanh('cand', w.linear('Wh', w.cat('fhx', w.mul('reset', f, h.prev), x)), 'candidate');
      const hNew = w.mix('h', f, cand, h.prev, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  janet: {
    equations: ['s_t = W_f [h_{t−1}, x_t] + b_f', 'c̃_t = tanh(W_c [h_{t−1}, x_t] + b_c)', 'c_t = σ(s_t) ⊙ c_{t−1} + (1 − σ(s_t − β)) ⊙ c̃_t', 'h_t = c_t', 'β = 1'],
    notes: 'An LSTM with only a forget gate; the shift β = 1 (a constant node) lets a little more of the candidate in than 1 − σ(s_t) would. The paper\'s chrono initialisation of b_f is not reproduced (b_f starts at 0).',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hx = w.cat('hx', h.prev, x);
      const s = w.linear('Wf', hx);
      const f = w.sigmoid('f', s, 'forget');
      const shifted = w.sigmoid('f_shift', w.op('s_minus_beta', 'subtract', [s, w.op('beta', 'constant', [], { value: 1 })]));
      const cand = w.tanh('cand', w.linear('Wc', hx), 'candidate');
      const hNew = w.add2('h_new', w.mul('keep', f, h.prev), w.mul('write', w.oneMinus('flip', shifted), cand), 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  ugrnn: {
    equations: ['c_t = tanh(W_c [h_{t−1}, x_t] + b_c)', 'g_t = σ(W_g [h_{t−1}, x_t] + b_g)', 'h_t = g_t ⊙ h_{t−1} + (1 − g_t) ⊙ c_t'],
    notes: 'A GRU without a reset gate: one update gate between the old state and a plain RNN candidate.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hx = w.cat('hx', h.prev, x);
      const cand = w.tanh('cand', w.linear('Wc', hx), 'candidate');
      const g = w.sigmoid('g', w.linear('Wg', hx), 'update');
      const hNew = w.mix('h', g, h.prev, cand, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  'minimal-rnn': {
    equations: ['z_t = Φ(x_t) = tanh(W_x x_t + b_z)', 'u_t = σ(U_u [h_{t−1}, z_t] + b_u)', 'h_t = u_t ⊙ h_{t−1} + (1 − u_t) ⊙ z_t'],
    notes: 'Φ, the map of the input into the latent space, is a linear layer followed by tanh here (the paper leaves Φ open).',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const z = w.tanh('z', w.linear('Wx', x), 'latent');
      const u = w.sigmoid('u', w.linear('Uu', w.cat('hz', h.prev, z)), 'update');
      const hNew = w.mix('h', u, h.prev, z, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  cfn: {
    equations: ['θ_t = σ(U_θ [h_{t−1}, x_t] + b_θ)', 'η_t = σ(U_η [h_{t−1}, x_t] + b_η)', 'h_t = θ_t ⊙ tanh(h_{t−1}) + η_t ⊙ tanh(W x_t)'],
    notes: 'Two independent gates and no candidate non-linearity of the state beyond tanh: its dynamics without input are not chaotic.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hx = w.cat('hx', h.prev, x);
      const theta = w.sigmoid('theta', w.linear('Utheta', hx, FORGET_BIAS), 'forget');
      const eta = w.sigmoid('eta', w.linear('Ueta', hx), 'input');
      const hNew = w.add2('h_new', w.mul('keep', theta, w.tanh('th', h.prev)), w.mul('write', eta, w.tanh('tx', w.linear('W', x, { bias: false }))), 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  indrnn: {
    equations: ['h_t = ReLU(W x_t + u ⊙ h_{t−1} + b)'],
    notes: 'Each unit has its own recurrent weight: u is a learned vector (a scale node), started uniformly in [0, 1].',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const hNew = w.op('h_new', 'relu', [w.add2('pre', w.linear('W', x), w.scale('u', h.prev, { init: 'uniform', low: 0, high: 1 }))], {}, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  sru: {
    equations: ['f_t = σ(W_f x_t + v_f ⊙ c_{t−1} + b_f)', 'r_t = σ(W_r x_t + v_r ⊙ c_{t−1} + b_r)', 'c_t = f_t ⊙ c_{t−1} + (1 − f_t) ⊙ (W x_t)', 'h_t = r_t ⊙ c_t + (1 − r_t) ⊙ x_t'],
    notes: 'The 2018 form with the vectors v_f, v_r (scale nodes) and no output tanh. The highway term (1 − r_t) ⊙ x_t needs the state the size of the input: every hidden-sized tensor here is sized "input". The products with x_t depend on no state, so the fast path computes them for all steps at once.',
    sizes: { input: 16, hidden: 16 },
    wire(w) {
      const x = w.input();
      const c = w.state('c', 'cell', { size: 'input' });
      const gate = (name: string, label: string, params: Params = {}) =>
        w.sigmoid(name, w.add2(`${name}_pre`, w.linear(`W${name}`, x, { out: 'input', ...params }), w.scale(`v${name}`, c.prev)), label);
      const f = gate('f', 'forget', FORGET_BIAS);
      const r = gate('r', 'reset');
      const cNew = w.mix('c', f, c.prev, w.linear('W', x, { out: 'input', bias: false }), 'cell');
      c.next(cNew);
      w.output(w.mix('h', r, cNew, x, 'hidden'));
    },
  },
  ran: {
    equations: ['c̃_t = W_c x_t', 'i_t = σ(W_i [h_{t−1}, x_t] + b_i)', 'f_t = σ(W_f [h_{t−1}, x_t] + b_f)', 'c_t = i_t ⊙ c̃_t + f_t ⊙ c_{t−1}', 'h_t = tanh(c_t)'],
    notes: 'The tanh variant of the paper (its identity variant has h_t = c_t). The content c̃_t is a linear map of the input alone.',
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const c = w.state('c', 'cell');
      const hx = w.cat('hx', h.prev, x);
      const content = w.linear('Wc', x, { bias: false });
      const i = w.sigmoid('i', w.linear('Wi', hx), 'input');
      const f = w.sigmoid('f', w.linear('Wf', hx, FORGET_BIAS), 'forget');
      const cNew = w.add2('c_new', w.mul('write', i, content), w.mul('keep', f, c.prev), 'cell');
      c.next(cNew);
      const hNew = w.tanh('h_new', cNew, 'hidden');
      h.next(hNew);
      w.output(hNew);
    },
  },
  scrn: {
    equations: ['s_t = (1 − α) B x_t + α s_{t−1}', 'h_t = σ(P s_t + A x_t + R h_{t−1})', 'y_t = [h_t, s_t]', 'α = 0.95'],
    notes: 'A fast hidden layer h and a slow context layer s (size "context") with a fixed decay α. The paper\'s output y_t = f(U h_t + V s_t) is the readout of the output [h_t, s_t] that training adds. No biases, as in the paper.',
    sizes: { input: 8, hidden: 16, named: { context: 8 } },
    wire(w) {
      const x = w.input();
      const h = w.state('h', 'hidden');
      const s = w.state('s', 'context', { size: 'context' });
      const fresh = w.mul('fresh', w.op('one_minus_alpha', 'constant', [], { value: 0.05, size: 'context' }), w.linear('B', x, { out: 'context', bias: false }));
      const sNew = w.add2('s_new', fresh, w.mul('decay', w.op('alpha', 'constant', [], { value: 0.95, size: 'context' }), s.prev), 'context');
      s.next(sNew);
      const hNew = w.sigmoid('h_new', w.linear('PAR', w.cat('sxh', sNew, x, h.prev), { bias: false }), 'hidden');
      h.next(hNew);
      w.output(w.cat('out', hNew, sNew));
    },
  },
};

/** Columns by longest path from the sources (state reads count as sources), rows in the order nodes were made. */
function layout(w: Wiring): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const inputsOf = (id: string) => w.connections.filter((c) => c.to === id && c.toPort !== 'next').map((c) => c.from);
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...inputsOf(id).map(depthOf)) + 1;
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const at = new Map<string, { x: number; y: number }>();
  for (const n of w.nodes) {
    const d = depthOf(n.id);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    at.set(n.id, { x: 220 * d, y: 130 * row });
  }
  return at;
}

export function buildCell(entry: ZooEntry): Cell {
  const design = DESIGNS[entry.id];
  if (!design) throw new Error(`no wiring for ${entry.id}`);
  const w = new Wiring();
  design.wire(w);
  const at = layout(w);
  const nodes: CellNode[] = w.nodes.map((n) => ({ ...n, position: at.get(n.id) as { x: number; y: number } }));
  const sizes = design.sizes ?? { input: 8, hidden: 16 };
  const description = [formatCitation(entry.citation), '', ...design.equations, ...(design.notes ? ['', design.notes] : [])].join('\n');
  return {
    format: CELL_FORMAT,
    version: CELL_FORMAT_VERSION,
    metadata: { name: entry.name, description },
    sizes: { input: sizes.input, hidden: sizes.hidden, named: sizes.named ?? {} },
    nodes,
    connections: w.connections,
  };
}

export const cellJson = (entry: ZooEntry): string => `${JSON.stringify(buildCell(entry), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const entry of ZOO) writeFileSync(new URL(`./${entry.id}.json`, import.meta.url), cellJson(entry));
}
