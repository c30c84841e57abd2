/**
 * The plan pins the fusion (DESIGN §9: kernel-count checks): how many matrix
 * products and fused kernels one time step costs, forward and backward, and
 * that generated kernel source never carries a string from the cell file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileJson, type Compiled } from '../../src/compiler';
import { generateTraining, type TrainingKernels } from '../../src/compiler/codegen';
import { planStep, printPlan } from '../../src/compiler/plan';
import type { Cell, CellNode, Connection } from '../../src/model/cell';
import { loadCell } from '../../src/model/load';
import { compileRandomCell, HOSTILE_LABELS } from '../fixtures/random-cells';

function example(name: string, sizes = { input: 65, hidden: 32 }): Compiled {
  const r = compileJson(JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')), sizes);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

const shape = { batch: 4, steps: 5, loss: 'classes', outputs: 7, optimizer: 'adam', learnInitialStates: true } as const;

function perStep(c: Compiled) {
  const plan = planStep(c.program);
  const count = (rounds: readonly { kind: string }[], kind: string) => rounds.filter((r) => r.kind === kind).length;
  return {
    forward: { products: count(plan.forward, 'product'), fused: count(plan.forward, 'fused') },
    backward: { products: count(plan.backward, 'product'), fused: count(plan.backward, 'fused') },
    hoisted: plan.groups.filter((g) => g.readsInput).length,
    groups: plan.groups.length,
  };
}

describe('the step plan fuses a cell into a few kernels per time step', () => {
  it('LSTM: the four gates are one stacked product, x_t is hoisted, everything else is one fused kernel each way (storing σ and tanh outputs for the backward step)', () => {
    expect(perStep(example('lstm'))).toEqual({ forward: { products: 1, fused: 1 }, backward: { products: 1, fused: 1 }, hoisted: 1, groups: 1 });
    expect(printPlan(planStep(example('lstm').program))).toBe([
      'group 0: [v4, v5, v6, v7] = W·[v1, x_t (hoisted)]  width 128',
      'forward step:',
      '  product  group 0',
      '  fused    v8, v9, v10, v11, v14, v15, v16',
      'backward step:',
      '  fused    gv4, gv5, gv6, gv7, gs1[t-1]',
      '  product  group 0 input gradients',
      'kernels per step: forward 1 product + 1 fused; backward 1 product + 1 fused',
    ].join('\n'));
  });

  it('GRU with the reset after the product (PyTorch, Keras): one recurrent product and one fused kernel each way; the x_t products are hoisted whole', () => {
    expect(perStep(example('gru-reset-after'))).toEqual({ forward: { products: 1, fused: 1 }, backward: { products: 1, fused: 1 }, hoisted: 1, groups: 2 });
  });

  it('GRU with the reset before the product (the tutorial): r⊙h must exist before its product, so two of each', () => {
    expect(perStep(example('gru'))).toEqual({ forward: { products: 2, fused: 2 }, backward: { products: 2, fused: 2 }, hoisted: 2, groups: 2 });
  });

  it('Elman RNN: one product and one fused kernel each way', () => {
    expect(perStep(example('rnn'))).toEqual({ forward: { products: 1, fused: 1 }, backward: { products: 1, fused: 1 }, hoisted: 1, groups: 1 });
  });

  it('a purely elementwise region never splits into per-node kernels, however long', () => {
    const cell = chainCell(12);
    const c = compile(cell, { input: 3, hidden: 4 });
    if (!c.ok) throw new Error(c.diagnostics[0].message);
    expect(perStep(c.value)).toEqual({ forward: { products: 1, fused: 1 }, backward: { products: 1, fused: 1 }, hoisted: 1, groups: 1 });
  });

  it('per training step: the LSTM compiles to a fixed set of kernels, whatever T; the readout runs chunk by chunk after the forward sweep', () => {
    const few = generateTraining(example('lstm').program, shape);
    const many = generateTraining(example('lstm').program, { ...shape, steps: 64 });
    const names = (k: TrainingKernels) => [...k.prologue, ...k.forward, ...k.backward, ...k.epilogue].map((s) => s.name);
    expect(names(many)).toEqual(names(few));
    expect(few.perStep).toEqual({ forward: 2, backward: 2 });
    expect(few.readout.map((s) => s.name)).toEqual(['readout_stack_y', 'readout_logits', 'readout_logsumexp', 'readout_grad_logits', 'readout_grad_y']);
    expect(few.prologue.map((s) => s.name)).toEqual(['pack_bias_0', 'pack_step_0', 'pack_step_t_0', 'pack_input_0', 'input_single_nonzero', 'hoisted_0', 'readout_w_t']);
  });
});

describe('generated kernel source is built from our templates only (DESIGN §8)', () => {
  const sources = (c: Compiled) => {
    const k = generateTraining(c.program, shape);
    return [...k.prologue, ...k.forward, ...k.backward, ...k.epilogue].flatMap((s) => [s.source(1), s.source(3)]);
  };

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('random cell %i: hostile ids, labels and name give the same kernel source as plain ones', (seed) => {
    const plain = sources(compileRandomCell(seed, { naming: 'plain' }));
    const hostile = sources(compileRandomCell(seed, { naming: 'hostile' }));
    expect(hostile).toEqual(plain);
  });

  it('an LSTM whose ids and labels hold quotes, backticks, ${…}, */, newlines and </script> compiles to the same source', () => {
    const json = JSON.parse(readFileSync('examples/lstm.json', 'utf8')) as Cell;
    const evil = ['"', '`${process.exit(1)}`', '*/ alert(1) /*', 'line\nbreak', '</script><script>alert(1)</script>', "'); x('", ...HOSTILE_LABELS];
    const renamed: Cell = {
      ...json,
      metadata: { ...json.metadata, name: '`${globalThis.x = 1}` */ </script>' },
      nodes: json.nodes.map((n, i) => ({ ...n, label: evil[i % evil.length] })),
    };
    const loaded = loadCell(renamed);
    if (!loaded.ok) throw new Error(loaded.diagnostics[0].message);
    const c = compile(loaded.value, { input: 65, hidden: 32 });
    if (!c.ok) throw new Error(c.diagnostics[0].message);
    const got = sources(c.value);
    expect(got).toEqual(sources(example('lstm')));
    for (const src of got) expect(src).toMatch(/^[\w\s.,;:()[\]{}+\-*/<>=!?&|]*$/);
  });
});

/** input → linear → a chain of n elementwise ops (σ, tanh, 1−, ⊙, +, …) → state and output. */
function chainCell(n: number): Cell {
  const kinds = ['sigmoid', 'tanh', 'one-minus', 'multiply', 'add', 'relu', 'identity', 'subtract'];
  const at = { x: 0, y: 0 };
  const nodes: CellNode[] = [
    { id: 'x', kind: 'input', params: {}, position: at },
    { id: 'h', kind: 'state', params: {}, position: at },
    { id: 'cat', kind: 'concat', params: {}, position: at },
    { id: 'W', kind: 'linear', params: {}, position: at },
  ];
  const link = (from: string, fromPort: string, to: string, toPort: string): Connection => ({ from, fromPort, to, toPort });
  const connections: Connection[] = [link('h', 'prev', 'cat', 'in0'), link('x', 'x', 'cat', 'in1'), link('cat', 'out', 'W', 'in')];
  let last = 'W';
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length];
    const id = `e${i}`;
    nodes.push({ id, kind, params: {}, position: at });
    const binary = ['multiply', 'add', 'subtract'].includes(kind);
    connections.push(link(last, 'out', id, binary ? 'a' : 'in'));
    if (binary) connections.push(i % 2 ? link('h', 'prev', id, 'b') : link('W', 'out', id, 'b'));
    last = id;
  }
  nodes.push({ id: 'y', kind: 'output', params: {}, position: at });
  connections.push(link(last, 'out', 'h', 'next'), link(last, 'out', 'y', 'y'));
  return { format: 'celda-cell', version: 1, metadata: { name: 'chain', description: '' }, sizes: { input: 3, hidden: 4, named: {} }, nodes, connections };
}
