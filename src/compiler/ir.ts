/**
 * Pass 3 — lower: one time step of the cell as a flat, printable program over
 * numbered values (like a jaxpr). Every later pass and every backend reads this.
 * Identifiers here are ours (v3, W0); ids and labels from the file stay in side tables.
 */
import type { NodeDef } from '../../nodes';
import type { Initializer, Params } from '../../nodes/types';
import { LIMITS, sizeEnvironment } from '../model/cell';
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import { show } from '../model/messages';
import { evaluateSize, formatSize, type SizeExpr } from '../model/sizes';
import type { ShapedCell } from './shapes';
import { describeNode } from './node-ref';

export interface IrValue {
  readonly id: number;
  readonly size: number;
  /** The symbolic size, e.g. "hidden + input". */
  readonly symbolic: string;
}

export interface IrTensor {
  readonly id: number;
  readonly nodeId: string;
  readonly name: string;
  readonly shape: readonly [number] | readonly [number, number];
  readonly init: Initializer;
  /** Never learned: a decomposition's fixed matrix (src/compiler/decompose.ts), every element init's constant. */
  readonly fixed?: true;
}

export interface IrOp {
  readonly index: number;
  readonly def: NodeDef;
  readonly nodeId: string;
  readonly params: Params;
  /** Size params evaluated to numbers. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly inputs: readonly number[];
  readonly result: number;
  /** Learned tensors by the node's own weight names. */
  readonly tensors: Readonly<Record<string, number>>;
}

export interface IrState {
  readonly index: number;
  readonly nodeId: string;
  /** The value h_{t−1} read during the step. */
  readonly prev: number;
  /** The value h_t written at the end of the step. */
  readonly next: number;
  readonly size: number;
  /** Tensor holding a learned initial value, if any. */
  readonly learnedInit?: number;
}

export interface IrProgram {
  readonly name: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly values: readonly IrValue[];
  /** x_t, or null when the cell reads no input. */
  readonly input: number | null;
  readonly states: readonly IrState[];
  readonly ops: readonly IrOp[];
  readonly output: number;
  readonly tensors: readonly IrTensor[];
}

/** Largest vector and largest tensor a program may hold (DESIGN §8: bounded work). */
export const IR_LIMITS = { vector: 1 << 16, tensorElements: 1 << 24, totalElements: 1 << 26 } as const;

export interface SizeOverrides {
  readonly input?: number;
  readonly hidden?: number;
}

export function lower(shaped: ShapedCell, overrides: SizeOverrides = {}): Result<IrProgram> {
  const overrideProblems = checkOverrides(overrides);
  if (overrideProblems.length > 0) return { ok: false, diagnostics: overrideProblems };
  const env = { ...sizeEnvironment(shaped.cell.sizes), ...definedOnly(overrides) };
  const out: Diagnostic[] = [];
  const values: IrValue[] = [];
  const valueOf = new Map<string, number>();
  const newValue = (nodeId: string): number => {
    const symbolic = shaped.sizes.get(nodeId);
    const size = symbolic ? evaluateSize(symbolic, env) : 0;
    values.push({ id: values.length, size: typeof size === 'number' ? size : 0, symbolic: symbolic ? formatSize(symbolic) : '?' });
    return values.length - 1;
  };
  const tensors: IrTensor[] = [];
  const states: IrState[] = [];
  const ops: IrOp[] = [];
  let input: number | null = null;
  let outputNode: string | undefined;
  let totalElements = 0;

  // States and the input come first: they are the step's arguments.
  for (const id of shaped.order) {
    const n = shaped.nodes.get(id);
    if (n?.def.role === 'input') {
      input ??= newValue(id);
      valueOf.set(id, input);
    }
    if (n?.def.role === 'state') valueOf.set(id, newValue(id));
  }
  for (const id of shaped.order) {
    const n = shaped.nodes.get(id);
    if (!n) continue;
    const sizes = evaluateParams(n.sizeParams, env);
    const inSizes = n.sources.map((c) => values[valueOf.get(c.from) ?? 0]?.size ?? 0);
    const result = valueOf.get(id) ?? (n.def.outputPort ? newValue(id) : -1);
    valueOf.set(id, result);
    const outSize = result >= 0 ? values[result].size : 0;
    if (!(outSize <= IR_LIMITS.vector)) {
      out.push(error('size-too-large', { node: describeNode(n.node), elements: outSize, max: IR_LIMITS.vector }, { nodeId: id }));
      continue;
    }
    if (result >= 0 && !(outSize >= 1)) {
      out.push(error('size-out-of-range', { node: describeNode(n.node), size: values[result].symbolic, value: outSize }, { nodeId: id }));
      continue;
    }
    const problem = n.def.checkSizes?.({ inSizes, outSize, sizes });
    if (problem) {
      out.push(error('size-out-of-range', { node: describeNode(n.node), problem: problem.error }, { nodeId: id, ...(problem.port && { port: problem.port }) }));
      continue;
    }
    const owned: Record<string, number> = {};
    for (const spec of n.def.weights?.({ params: n.params, inSizes, outSize }) ?? []) {
      const elements = spec.shape.reduce((a, b) => a * b, 1);
      totalElements += elements;
      if (elements > IR_LIMITS.tensorElements || totalElements > IR_LIMITS.totalElements) {
        out.push(error('size-too-large', { node: describeNode(n.node), weight: spec.name, elements, perTensor: IR_LIMITS.tensorElements, total: IR_LIMITS.totalElements }, { nodeId: id }));
        continue;
      }
      owned[spec.name] = tensors.length;
      tensors.push({ id: tensors.length, nodeId: id, name: spec.name, shape: spec.shape, init: spec.init });
    }
    const inputs = n.sources.map((c) => valueOf.get(c.from) as number);
    switch (n.def.role) {
      case 'input':
        break;
      case 'state':
        states.push({ index: states.length, nodeId: id, prev: result, next: -1, size: outSize, ...(owned.init !== undefined && { learnedInit: owned.init }) });
        break;
      case 'output':
        outputNode = id;
        break;
      case 'op':
        ops.push({ index: ops.length, def: n.def, nodeId: id, params: n.params, sizes, inputs, result, tensors: owned });
    }
  }
  // A state's next value is known only once its source op is lowered.
  const wired = states.map((s) => ({ ...s, next: valueOf.get(shaped.nodes.get(s.nodeId)?.sources[0]?.from ?? '') ?? -1 }));
  const outputValue = valueOf.get(shaped.nodes.get(outputNode ?? '')?.sources[0]?.from ?? '') ?? -1;
  if (out.length > 0) return { ok: false, diagnostics: out };
  return {
    ok: true,
    value: { name: shaped.cell.metadata.name, sizes: env, values, input, states: wired, ops, output: outputValue, tensors },
    diagnostics: [],
  };
}

function evaluateParams(params: Readonly<Record<string, SizeExpr>>, env: Record<string, number>): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [name, expr] of Object.entries(params)) {
    const v = evaluateSize(expr, env);
    sizes[name] = typeof v === 'number' ? v : 0;
  }
  return sizes;
}

/** --input/--hidden style overrides: whole numbers within the file format's size limit. */
function checkOverrides(o: SizeOverrides): Diagnostic[] {
  return Object.entries(definedOnly(o))
    .filter(([, n]) => !Number.isInteger(n) || n < 1 || n > LIMITS.size)
    .map(([name, n]) => error('bad-size', { size: name, max: LIMITS.size, got: show(n) }, { path: `sizes.${name}` }));
}

function definedOnly(o: SizeOverrides): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

/** Number of learned scalars per node id, and in all. */
export function parameterCounts(program: IrProgram): { perNode: Record<string, number>; total: number } {
  const perNode: Record<string, number> = {};
  let total = 0;
  for (const t of program.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    perNode[t.nodeId] = (perNode[t.nodeId] ?? 0) + n;
    total += n;
  }
  return { perNode, total };
}

const v = (id: number): string => `v${id}`;
const tensorName = (t: IrTensor): string => `${t.name}${t.id}`;

/** The program as text: one line per op, shapes in brackets. */
export function printProgram(p: IrProgram): string {
  const sizes = Object.entries(p.sizes).map(([k, n]) => `${k}=${n}`).join(', ');
  const lines = [`cell (${sizes})`];
  for (const t of p.tensors) lines.push(`  param ${tensorName(t)}: f64[${t.shape.join(',')}]  init ${describeInit(t.init)}`);
  const args = [
    ...(p.input === null ? [] : [`${v(p.input)}: f64[${p.values[p.input].size}] = x_t`]),
    ...p.states.map((s) => `${v(s.prev)}: f64[${s.size}] = s${s.index}[t-1]`),
  ];
  lines.push(`  step(${args.join(', ')}) {`);
  for (const op of p.ops) {
    const ws = Object.values(op.tensors).map((id) => tensorName(p.tensors[id]));
    const call = `${op.def.kind}${ws.length ? `[${ws.join(',')}]` : ''}${formatOpParams(op)}`;
    const value = p.values[op.result];
    lines.push(`    ${v(op.result)} = ${call} ${op.inputs.map(v).join(' ')}`.trimEnd() + `  : f64[${value.size}] (${value.symbolic})`);
  }
  const writes = p.states.map((s) => `s${s.index}[t] = ${v(s.next)}`);
  lines.push(`    return y_t = ${v(p.output)}${writes.length ? `; ${writes.join('; ')}` : ''}`, '  }');
  return lines.join('\n');
}

function formatOpParams(op: IrOp): string {
  const shown = Object.entries(op.def.params)
    .filter(([name, spec]) => spec.type !== 'size' && op.params[name] !== spec.default)
    .map(([name]) => `${name}=${String(op.params[name])}`);
  const sized = Object.entries(op.sizes).map(([name, n]) => `${name}=${n}`);
  const all = [...sized, ...shown];
  return all.length ? `{${all.join(' ')}}` : '';
}

function describeInit(init: Initializer): string {
  switch (init.kind) {
    case 'constant': return `constant(${init.value})`;
    case 'uniform': return `uniform(${init.low}, ${init.high})`;
    default: return init.kind;
  }
}
