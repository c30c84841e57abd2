/**
 * Pass 5 — plan: how one time step runs as a few large kernels (DESIGN §4), for
 * any cell. It finds cuDNN's moves in the IR:
 *  1. linears are split along the concats they read into parts; linears whose
 *     step-dependent parts are the same vectors become one stacked matrix product;
 *  2. the parts that read x_t are hoisted: one product over all T steps before the loop;
 *  3. everything elementwise between the products is fused: one kernel per round,
 *     forward and backward (the backward recomputes the cheap elementwise values
 *     from the saved products instead of storing them);
 *  4. the backend keeps every buffer resident across the step.
 * The plan is data (printable, countable); codegen.ts turns it into kernel source.
 */
import { decomposeForKernels } from './decompose';
import type { IrOp, IrProgram } from './ir';

/** A contiguous column range of a linear's input that one vector fills. */
export interface LinearPart {
  readonly value: number;
  /** First column of W this vector multiplies. */
  readonly column: number;
  readonly size: number;
}

export interface LinearInfo {
  readonly op: number;
  readonly out: number;
  readonly inSize: number;
  readonly hasBias: boolean;
  readonly parts: readonly LinearPart[];
}

/** Linears sharing their step-dependent parts: one stacked product per step. */
export interface LinearGroup {
  readonly index: number;
  /** Op indices of the stacked linears, in program order. */
  readonly linears: readonly number[];
  /** Step-dependent input vectors, in column order of the stacked product. */
  readonly stepParts: readonly number[];
  /** Whether any stacked linear reads x_t (then its share is hoisted out of the loop). */
  readonly readsInput: boolean;
  /** Output columns: the stacked linears' outputs side by side. */
  readonly width: number;
}

export type ForwardRound =
  | { readonly kind: 'product'; readonly group: number }
  | { readonly kind: 'fused'; readonly values: readonly number[] };

/** What a backward fused kernel produces: one segment each. */
export type GradTarget =
  | { readonly kind: 'linear-out'; readonly op: number }
  | { readonly kind: 'state'; readonly state: number }
  | { readonly kind: 'weight'; readonly op: number; readonly weight: string };

export type BackwardRound =
  | { readonly kind: 'fused'; readonly targets: readonly GradTarget[] }
  | { readonly kind: 'product'; readonly group: number };

export interface StepPlan {
  readonly program: IrProgram;
  readonly linears: ReadonlyMap<number, LinearInfo>;
  readonly groups: readonly LinearGroup[];
  /** Group of each linear op. */
  readonly groupOf: ReadonlyMap<number, number>;
  /** Values a fused kernel writes (state next values, y_t, step-dependent linear inputs). */
  readonly segments: ReadonlySet<number>;
  readonly forward: readonly ForwardRound[];
  readonly backward: readonly BackwardRound[];
  /** Users of each value: [op index, port]. */
  readonly uses: readonly (readonly (readonly [number, number])[])[];
  /** The op producing each value (-1 for x_t and states). */
  readonly producer: readonly number[];
}

export class PlanError extends Error {}

/** Ops the planner lays out itself; every other op needs a fused-kernel template. */
const STRUCTURAL = new Set(['linear', 'concat', 'slice']);

/** Plans one step of `program` after its reductions are decomposed (decompose.ts): `plan.program` is the rewritten one. */
export function planStep(program: IrProgram): StepPlan {
  const p = decomposeForKernels(program);
  // An op with neither a per-element template nor a decomposition cannot be fused: refuse the
  // cell here, naming the node, so `auto` trains it on the reference runtime and says why.
  for (const op of p.ops) {
    if (!op.def.kernel && !STRUCTURAL.has(op.def.kind)) {
      throw new PlanError(`the fast path fuses elementwise ops only and node ${JSON.stringify(op.nodeId)} is a ${op.def.kind}, which has no kernel template; this cell trains on the reference runtime`);
    }
  }
  const producer = new Array<number>(p.values.length).fill(-1);
  const uses: [number, number][][] = p.values.map(() => []);
  p.ops.forEach((op, i) => {
    producer[op.result] = i;
    op.inputs.forEach((v, port) => uses[v].push([i, port]));
  });
  const kindOf = (v: number): string | undefined => (producer[v] >= 0 ? p.ops[producer[v]].def.kind : undefined);

  const linears = new Map<number, LinearInfo>();
  p.ops.forEach((op, i) => {
    if (op.def.kind !== 'linear') return;
    const parts: LinearPart[] = [];
    flattenConcat(p, producer, op.inputs[0], 0, parts);
    linears.set(i, { op: i, out: p.values[op.result].size, inSize: p.values[op.inputs[0]].size, hasBias: op.tensors.b !== undefined, parts });
  });

  const groups: LinearGroup[] = [];
  const groupOf = new Map<number, number>();
  const byKey = new Map<string, number[]>();
  for (const info of linears.values()) {
    const key = info.parts.filter((part) => part.value !== p.input).map((part) => part.value).join(',');
    byKey.set(key, [...(byKey.get(key) ?? []), info.op]);
  }
  for (const ops of byKey.values()) {
    const first = linears.get(ops[0]) as LinearInfo;
    const index = groups.length;
    groups.push({
      index,
      linears: ops,
      stepParts: first.parts.filter((part) => part.value !== p.input).map((part) => part.value),
      readsInput: ops.some((o) => (linears.get(o) as LinearInfo).parts.some((part) => part.value === p.input)),
      width: ops.reduce((s, o) => s + (linears.get(o) as LinearInfo).out, 0),
    });
    for (const o of ops) groupOf.set(o, index);
  }

  const stateValues = new Set(p.states.map((s) => s.prev));
  const isLinearOut = (v: number) => kindOf(v) === 'linear';
  const given = (v: number) => v === p.input || stateValues.has(v);
  const segments = new Set<number>();
  for (const g of groups) for (const v of g.stepParts) if (!given(v) && !isLinearOut(v)) segments.add(v);
  for (const s of p.states) segments.add(s.next);
  segments.add(p.output);
  // A concat read elementwise is read part by part, so its parts must be stored.
  const sinks = new Set([p.output, ...p.states.map((s) => s.next)]);
  p.ops.forEach((op) => {
    if (op.def.kind !== 'concat') return;
    if (!sinks.has(op.result) && uses[op.result].every(([c]) => p.ops[c].def.kind === 'linear')) return;
    for (const v of op.inputs) if (!given(v) && !isLinearOut(v)) segments.add(v);
  });

  // Outputs the backward step would otherwise recompute with a rational function (σ, tanh) are stored.
  p.ops.forEach((op) => {
    if (op.def.kernel?.saveOutput && reaches(p, uses, op.result, sinks)) segments.add(op.result);
  });

  const forward = scheduleForward(p, producer, groups, segments, given);
  const backward = scheduleBackward(p, uses, linears, groups, groupOf);
  return { program: p, linears, groups, groupOf, segments, forward, backward, uses, producer };
}

function flattenConcat(p: IrProgram, producer: readonly number[], v: number, column: number, out: LinearPart[]): number {
  const op = producer[v] >= 0 ? p.ops[producer[v]] : undefined;
  if (op?.def.kind !== 'concat') {
    out.push({ value: v, column, size: p.values[v].size });
    return column + p.values[v].size;
  }
  let c = column;
  for (const part of op.inputs) c = flattenConcat(p, producer, part, c, out);
  return c;
}

/**
 * Alternates stacked products and fused rounds. A value can be computed in a
 * fused round once every stored vector its expression reads is ready; its
 * expression may run through other values of the same round (its kernel computes them too, each once).
 */
function scheduleForward(p: IrProgram, producer: readonly number[], groups: readonly LinearGroup[], segments: ReadonlySet<number>, given: (v: number) => boolean): ForwardRound[] {
  const ready = new Set<number>();
  for (let v = 0; v < p.values.length; v++) if (given(v)) ready.add(v);
  const groupOfOp = new Map<number, LinearGroup>();
  for (const g of groups) for (const o of g.linears) groupOfOp.set(o, g);
  const pendingGroups = new Set(groups.map((g) => g.index));
  const pendingValues = new Set(segments);
  const rounds: ForwardRound[] = [];
  const markGroup = (g: LinearGroup) => {
    pendingGroups.delete(g.index);
    for (const o of g.linears) ready.add(p.ops[o].result);
  };
  // Products that read only x_t are hoisted whole: their outputs exist before the loop.
  for (const g of groups) if (g.stepParts.length === 0) markGroup(g);

  const computable = (v: number, seen = new Set<number>()): boolean => {
    if (ready.has(v)) return true;
    if (seen.has(v)) return true;
    seen.add(v);
    const i = producer[v];
    if (i < 0) return false;
    const op = p.ops[i];
    if (op.def.kind === 'linear') return false;
    if (op.def.kind === 'concat') return op.inputs.every((u) => ready.has(u) || (!segments.has(u) && computable(u, seen)));
    return op.inputs.every((u) => computable(u, seen));
  };

  for (let guard = 0; pendingGroups.size + pendingValues.size > 0; guard++) {
    if (guard > 4 * (p.ops.length + 2)) throw new PlanError('the step could not be scheduled (a value depends on itself)');
    for (const gi of [...pendingGroups]) {
      const g = groups[gi];
      if (g.stepParts.every((v) => ready.has(v))) {
        rounds.push({ kind: 'product', group: gi });
        markGroup(g);
      }
    }
    const now = [...pendingValues].filter((v) => computable(v)).sort((a, b) => a - b);
    if (now.length > 0) {
      rounds.push({ kind: 'fused', values: now });
      for (const v of now) {
        pendingValues.delete(v);
        ready.add(v);
      }
    }
  }
  return rounds;
}

/**
 * The backward step in reverse: a fused round computes every gradient whose
 * downstream products have already sent their input gradients back; then those
 * products' groups run their input-gradient products, and so on.
 */
function scheduleBackward(
  p: IrProgram, uses: readonly (readonly (readonly [number, number])[])[],
  linears: ReadonlyMap<number, LinearInfo>, groups: readonly LinearGroup[], groupOf: ReadonlyMap<number, number>,
): BackwardRound[] {
  const sinks = new Set([p.output, ...p.states.map((s) => s.next)]);
  const targets: { target: GradTarget; needs: Set<number> }[] = [];
  const partReaders = new Map<number, number[]>();
  for (const info of linears.values()) for (const part of info.parts) partReaders.set(part.value, [...(partReaders.get(part.value) ?? []), info.op]);

  /** Groups whose input gradients the gradient of v reads (through its non-linear users, transitively). */
  const downstreamGroups = (v: number, ownParts = true): Set<number> => {
    const out = new Set<number>();
    const seen = new Set<number>();
    const visit = (u: number) => {
      if (seen.has(u)) return;
      seen.add(u);
      if (ownParts || u !== v) for (const l of partReaders.get(u) ?? []) out.add(groupOf.get(l) as number);
      for (const [c] of uses[u]) if (p.ops[c].def.kind !== 'linear') visit(p.ops[c].result);
    };
    visit(v);
    return out;
  };

  for (const info of linears.values()) {
    if (!reaches(p, uses, p.ops[info.op].result, sinks)) continue;
    targets.push({ target: { kind: 'linear-out', op: info.op }, needs: downstreamGroups(p.ops[info.op].result) });
  }
  // A state's gradient needs a kernel only where it is read elementwise (or is itself y_t or a state's
  // next value). The products reading it directly are not waited for: the next step back adds their
  // input gradients to this kernel's part.
  p.states.forEach((s, i) => {
    if (uses[s.prev].some(([c]) => p.ops[c].def.kind !== 'linear' && p.ops[c].def.kind !== 'concat') || concatReadElementwise(p, uses, s.prev) || sinks.has(s.prev)) {
      targets.push({ target: { kind: 'state', state: i }, needs: downstreamGroups(s.prev, false) });
    }
  });
  p.ops.forEach((op: IrOp, i) => {
    if (!op.def.kernel?.weightGrads || !reaches(p, uses, op.result, sinks)) return;
    for (const name of Object.keys(op.tensors)) targets.push({ target: { kind: 'weight', op: i, weight: name }, needs: downstreamGroups(op.result) });
  });

  const rounds: BackwardRound[] = [];
  const doneGroups = new Set<number>();
  const doneTargets = new Set<number>();
  const linearTargetsOf = (g: LinearGroup) => targets.map((t, k) => [t, k] as const).filter(([t]) => t.target.kind === 'linear-out' && g.linears.includes(t.target.op));
  for (let guard = 0; doneTargets.size < targets.length || doneGroups.size < groups.length; guard++) {
    if (guard > 4 * (p.ops.length + 2)) throw new PlanError('the backward step could not be scheduled');
    const now = targets.map((t, k) => k).filter((k) => !doneTargets.has(k) && [...targets[k].needs].every((g) => doneGroups.has(g)));
    if (now.length > 0) {
      rounds.push({ kind: 'fused', targets: now.map((k) => targets[k].target) });
      for (const k of now) doneTargets.add(k);
    }
    for (const g of groups) {
      if (doneGroups.has(g.index)) continue;
      if (!linearTargetsOf(g).every(([, k]) => doneTargets.has(k))) continue;
      doneGroups.add(g.index);
      // A hoisted group sends no gradient into the step: only its weights learn.
      if (g.stepParts.length > 0 && linearTargetsOf(g).length > 0) rounds.push({ kind: 'product', group: g.index });
    }
  }
  return rounds;
}

/** Whether v reaches, through concats only, a user other than a linear (or is a sink that way). */
function concatReadElementwise(p: IrProgram, uses: readonly (readonly (readonly [number, number])[])[], v: number): boolean {
  const sinks = new Set([p.output, ...p.states.map((s) => s.next)]);
  return uses[v].some(([c]) => {
    const op = p.ops[c];
    if (op.def.kind !== 'concat') return false;
    return sinks.has(op.result) || uses[op.result].some(([d]) => p.ops[d].def.kind !== 'linear') || concatReadElementwise(p, uses, op.result);
  });
}

function reaches(p: IrProgram, uses: readonly (readonly (readonly [number, number])[])[], v: number, sinks: ReadonlySet<number>): boolean {
  const seen = new Set<number>();
  const stack = [v];
  while (stack.length > 0) {
    const u = stack.pop() as number;
    if (sinks.has(u)) return true;
    if (seen.has(u)) continue;
    seen.add(u);
    for (const [c] of uses[u]) stack.push(p.ops[c].result);
  }
  return false;
}

/** The plan as text: the rounds of one step, forward and backward, with kernel counts. */
export function printPlan(plan: StepPlan): string {
  const p = plan.program;
  const name = (v: number) => `v${v}`;
  const lines: string[] = [];
  for (const g of plan.groups) {
    const ls = g.linears.map((o) => name(p.ops[o].result)).join(', ');
    const parts = g.stepParts.map(name).join(', ');
    lines.push(`group ${g.index}: [${ls}] = W·[${parts}${g.stepParts.length && g.readsInput ? ', ' : ''}${g.readsInput ? 'x_t (hoisted)' : ''}]  width ${g.width}${g.stepParts.length === 0 ? '  (whole product hoisted out of the loop)' : ''}`);
  }
  lines.push('forward step:');
  for (const r of plan.forward) {
    lines.push(r.kind === 'product'
      ? `  product  group ${r.group}`
      : `  fused    ${r.values.map(name).join(', ')}`);
  }
  lines.push('backward step:');
  for (const r of plan.backward) {
    lines.push(r.kind === 'product'
      ? `  product  group ${r.group} input gradients`
      : `  fused    ${r.targets.map((t) => (t.kind === 'linear-out' ? `g${name(p.ops[t.op].result)}` : t.kind === 'state' ? `gs${t.state}[t-1]` : `d${t.weight}@${name(p.ops[t.op].result)}`)).join(', ')}`);
  }
  const count = (rs: readonly { kind: string }[], kind: string) => rs.filter((r) => r.kind === kind).length;
  lines.push(`kernels per step: forward ${count(plan.forward, 'product')} product + ${count(plan.forward, 'fused')} fused; backward ${count(plan.backward, 'product')} product + ${count(plan.backward, 'fused')} fused`);
  return lines.join('\n');
}
