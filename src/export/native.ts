/**
 * Recognising a cell that is exactly PyTorch's nn.LSTM or nn.GRU, so the export
 * can offer the native (cuDNN-speed) layer with permuted weights. A cell is
 * recognised when it is equivalent (src/compiler/equivalence.ts: the same
 * canonical form) to our LSTM or reset-after GRU example: any ids, labels,
 * layout, node order, operand order of + and ⊙, concat order ([x_t, a_{t−1}]
 * too), split or stacked linears; initialisers aside. Its weights map onto the
 * example's, and the example's onto PyTorch's stacked layout.
 */
import type { Compiled } from '../compiler';
import { compile } from '../compiler';
import { equivalenceMapping, mapWeights, type WeightMapping } from '../compiler/equivalence';
import type { IrProgram } from '../compiler/ir';
import { loadCell } from '../model/load';
import type { Parameters } from '../runtime/init';
import gruResetAfterExample from '../../examples/gru-reset-after.json';
import lstmExample from '../../examples/lstm.json';

export type NativeKind = 'lstm' | 'gru';

/** PyTorch's gate order is i, f, g, o (LSTM) and r, z, n (GRU); each block is H rows. */
interface NativeBlock {
  /** Index of the gate block in PyTorch's stacked weights. */
  readonly gate: number;
  /** Which of PyTorch's matrices: input-to-hidden or hidden-to-hidden. */
  readonly side: 'ih' | 'hh';
  /** The example's linear reads [h, x]: its columns split in two. */
  readonly concat?: true;
}

export interface NativeMatch {
  readonly kind: NativeKind;
  /** Index of the hidden state (and, for the LSTM, the cell state) in the program's states. */
  readonly hiddenState: number;
  readonly cellState?: number;
  /** The example the cell is equivalent to, compiled at the cell's sizes. */
  readonly reference: IrProgram;
  /** How the cell's weights become the example's. */
  readonly mapping: WeightMapping;
}

/** The examples' linear node ids and where they go in PyTorch's layout. */
const LSTM_BLOCKS: Readonly<Record<string, NativeBlock>> = {
  Wu: { gate: 0, side: 'ih', concat: true }, Wf: { gate: 1, side: 'ih', concat: true },
  Wcc: { gate: 2, side: 'ih', concat: true }, Wo: { gate: 3, side: 'ih', concat: true },
};
const GRU_BLOCKS: Readonly<Record<string, NativeBlock>> = {
  Wir: { gate: 0, side: 'ih' }, Wiz: { gate: 1, side: 'ih' }, Win: { gate: 2, side: 'ih' },
  Whr: { gate: 0, side: 'hh' }, Whz: { gate: 1, side: 'hh' }, Whn: { gate: 2, side: 'hh' },
};

/** Each native layer, the example it is, and the example's state ids. */
const CANDIDATES: readonly { kind: NativeKind; example: unknown; hidden: string; cell?: string }[] = [
  { kind: 'lstm', example: lstmExample, hidden: 'a', cell: 'c' },
  { kind: 'gru', example: gruResetAfterExample, hidden: 'h' },
];

/** The program's structure: ops, wiring, sizes, tensor shapes — no initialisers, ids or labels. */
export function structure(p: IrProgram): string {
  return JSON.stringify({
    input: p.input,
    output: p.output,
    values: p.values.map((v) => v.size),
    states: p.states.map((s) => [s.prev, s.next, s.size, s.learnedInit !== undefined]),
    ops: p.ops.map((op) => [op.def.kind, op.inputs, op.result, op.sizes, op.def.kind === 'linear' ? op.params.bias : null, op.def.kind === 'constant' ? op.params.value : null, Object.keys(op.tensors)]),
  });
}

function compileExampleAt(json: unknown, sizes: IrProgram['sizes']): Compiled | undefined {
  const loaded = loadCell(json);
  if (!loaded.ok) return undefined;
  const compiled = compile(loaded.value, { input: sizes.input, hidden: sizes.hidden });
  return compiled.ok ? compiled.value : undefined;
}

export function nativeEquivalent(compiled: Compiled): NativeMatch | undefined {
  for (const { kind, example, hidden, cell } of CANDIDATES) {
    const reference = compileExampleAt(example, compiled.program.sizes);
    const mapping = reference && equivalenceMapping(compiled, reference);
    if (!reference || !mapping) continue;
    const stateOf = (exampleId: string) => mapping.states[reference.program.states.findIndex((s) => s.nodeId === exampleId)];
    const cellState = cell === undefined ? {} : { cellState: stateOf(cell) };
    return { kind, hiddenState: stateOf(hidden), ...cellState, reference: reference.program, mapping };
  }
  return undefined;
}

/** A tensor as the weights file holds it. */
export interface NativeTensor {
  readonly shape: readonly number[];
  readonly data: number[];
}

/**
 * PyTorch's stacked layout: weight_ih_l0 [G·H × X], weight_hh_l0 [G·H × H] and two biases,
 * gate blocks in PyTorch's order, from the cell's weights (mapped onto the example first).
 */
export function nativeWeights(p: IrProgram, native: NativeMatch, params: { readonly cell: Parameters }): Record<string, NativeTensor> {
  const H = p.states[native.hiddenState].size;
  const X = p.input === null ? 0 : p.values[p.input].size;
  const gates = native.kind === 'lstm' ? 4 : 3;
  const weightIh = new Float64Array(gates * H * X);
  const weightHh = new Float64Array(gates * H * H);
  const biasIh = new Float64Array(gates * H);
  const biasHh = new Float64Array(gates * H);
  const example = mapWeights(native.mapping, params.cell, native.reference);
  const blocks = native.kind === 'lstm' ? LSTM_BLOCKS : GRU_BLOCKS;
  for (const [nodeId, block] of Object.entries(blocks)) {
    const { W, b } = example[nodeId];
    const cols = W.length / H;
    for (let r = 0; r < H; r++) {
      const row = block.gate * H + r;
      for (let c = 0; c < cols; c++) {
        // LSTM: columns [0, H) read h_{t−1} and [H, H+X) read x_t. GRU: one side only.
        const toHh = block.concat ? c < H : block.side === 'hh';
        const col = block.concat && c >= H ? c - H : c;
        if (toHh) weightHh[row * H + col] = W[r * cols + c];
        else weightIh[row * X + col] = W[r * cols + c];
      }
      if (b) (block.side === 'hh' ? biasHh : biasIh)[row] = b[r];
    }
  }
  const json = (a: Float64Array, shape: number[]): NativeTensor => ({ shape, data: Array.from(a) });
  return {
    weight_ih_l0: json(weightIh, [gates * H, X]),
    weight_hh_l0: json(weightHh, [gates * H, H]),
    bias_ih_l0: json(biasIh, [gates * H]),
    bias_hh_l0: json(biasHh, [gates * H]),
  };
}
