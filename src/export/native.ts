/**
 * Recognising a cell that is exactly PyTorch's nn.LSTM or nn.GRU, so the export
 * can offer the native (cuDNN-speed) layer with permuted weights. A cell is
 * recognised when it is the same graph as our LSTM or reset-after GRU example
 * (src/export/match.ts: any ids, labels, layout or node order; initialisers aside).
 */
import type { Compiled } from '../compiler';
import { compile } from '../compiler';
import type { IrProgram } from '../compiler/ir';
import type { Cell } from '../model/cell';
import { loadCell } from '../model/load';
import gruResetAfterExample from '../../examples/gru-reset-after.json';
import lstmExample from '../../examples/lstm.json';
import { matchCells } from './match';

export type NativeKind = 'lstm' | 'gru';

/** PyTorch's gate order is i, f, g, o (LSTM) and r, z, n (GRU); each block is H rows. */
export interface NativeBlock {
  /** Index of the gate block in PyTorch's stacked weights. */
  readonly gate: number;
  /** Which of PyTorch's matrices: input-to-hidden or hidden-to-hidden. */
  readonly side: 'ih' | 'hh';
  /** For a linear reading [h, x]: the columns it splits into (LSTM); undefined when it reads one side only. */
  readonly concat?: true;
}

export interface NativeMatch {
  readonly kind: NativeKind;
  /** For each linear node id of the user's cell: where its W and b go. */
  readonly blocks: ReadonlyMap<string, NativeBlock>;
  /** Index of the hidden state (and, for the LSTM, the cell state) in the program's states. */
  readonly hiddenState: number;
  readonly cellState?: number;
}

/** The example's linear node ids and where they go in PyTorch's layout. */
const LSTM_BLOCKS: Readonly<Record<string, NativeBlock>> = {
  Wu: { gate: 0, side: 'ih', concat: true }, Wf: { gate: 1, side: 'ih', concat: true },
  Wcc: { gate: 2, side: 'ih', concat: true }, Wo: { gate: 3, side: 'ih', concat: true },
};
const GRU_BLOCKS: Readonly<Record<string, NativeBlock>> = {
  Wir: { gate: 0, side: 'ih' }, Wiz: { gate: 1, side: 'ih' }, Win: { gate: 2, side: 'ih' },
  Whr: { gate: 0, side: 'hh' }, Whz: { gate: 1, side: 'hh' }, Whn: { gate: 2, side: 'hh' },
};

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
  const cell: Cell = loaded.value;
  const compiled = compile(cell, { input: sizes.input, hidden: sizes.hidden });
  return compiled.ok ? compiled.value : undefined;
}

export function nativeEquivalent(compiled: Compiled): NativeMatch | undefined {
  const candidates = [
    { kind: 'lstm' as const, example: lstmExample, blocks: LSTM_BLOCKS, states: ['a', 'c'] },
    { kind: 'gru' as const, example: gruResetAfterExample, blocks: GRU_BLOCKS, states: ['h'] },
  ];
  for (const { kind, example, blocks, states } of candidates) {
    const reference = compileExampleAt(example, compiled.program.sizes);
    const mapping = reference && matchCells(reference.shaped, compiled.shaped);
    if (!mapping) continue;
    const byNode = new Map<string, NativeBlock>();
    for (const [exampleId, block] of Object.entries(blocks)) byNode.set(mapping.get(exampleId) as string, block);
    const stateIndex = (exampleId: string) => compiled.program.states.findIndex((s) => s.nodeId === mapping.get(exampleId));
    return kind === 'lstm'
      ? { kind, blocks: byNode, hiddenState: stateIndex(states[0]), cellState: stateIndex(states[1]) }
      : { kind, blocks: byNode, hiddenState: stateIndex(states[0]) };
  }
  return undefined;
}
