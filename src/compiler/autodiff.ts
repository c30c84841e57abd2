/**
 * Pass 4 — autodiff: the backward step, derived from the nodes' VJPs.
 * Reverse sweep over the step's ops; gradients are summed where a value fans out;
 * the gradient reaching a state's h_{t−1} at step t is the gradient of h_{t−1}
 * written at step t−1, so the runtime carries it into the previous step.
 */
import type { IrProgram } from './ir';

export interface BackwardOp {
  /** Index of the forward op this VJP belongs to. */
  readonly op: number;
  /** For each input of the op: whether its gradient is needed. */
  readonly needInput: readonly boolean[];
}

export interface BackwardProgram {
  readonly forward: IrProgram;
  /** VJPs in reverse order of the forward ops; ops that cannot affect the loss or any parameter are skipped. */
  readonly ops: readonly BackwardOp[];
  /** Values whose gradient is accumulated (they depend on a parameter or a state). */
  readonly needsGrad: readonly boolean[];
}

export function differentiate(p: IrProgram): BackwardProgram {
  const needsGrad = dependsOnLearned(p);
  const useful = reachesLoss(p);
  const ops: BackwardOp[] = [];
  for (let i = p.ops.length - 1; i >= 0; i--) {
    const op = p.ops[i];
    const hasWeights = Object.keys(op.tensors).length > 0;
    if (!useful[op.result] || !(needsGrad[op.result] || hasWeights)) continue;
    ops.push({ op: i, needInput: op.inputs.map((v) => needsGrad[v]) });
  }
  return { forward: p, ops, needsGrad };
}

/** A value needs a gradient if a learned tensor or a state (hence the past) feeds it. */
function dependsOnLearned(p: IrProgram): boolean[] {
  const needs = new Array<boolean>(p.values.length).fill(false);
  for (const s of p.states) needs[s.prev] = true;
  for (const op of p.ops) {
    needs[op.result] = Object.keys(op.tensors).length > 0 || op.inputs.some((v) => needs[v]);
  }
  return needs;
}

/** A value matters if y_t or a state's h_t depends on it. */
function reachesLoss(p: IrProgram): boolean[] {
  const useful = new Array<boolean>(p.values.length).fill(false);
  useful[p.output] = true;
  for (const s of p.states) useful[s.next] = true;
  for (let i = p.ops.length - 1; i >= 0; i--) {
    const op = p.ops[i];
    if (useful[op.result]) for (const v of op.inputs) useful[v] = true;
  }
  return useful;
}

/** The backward step as text, for tests and `celda ir`. */
export function printBackward(b: BackwardProgram): string {
  const p = b.forward;
  const lines = ['  backward step {', `    g${p.output} += dL/dy_t`];
  for (const s of p.states) lines.push(`    g${s.next} += ds${s.index}[t]`);
  for (const { op: i, needInput } of b.ops) {
    const op = p.ops[i];
    const grads = [
      ...Object.values(op.tensors).map((t) => `d${p.tensors[t].name}${t}`),
      ...op.inputs.filter((_, k) => needInput[k]).map((v) => `g${v}`),
    ];
    lines.push(`    ${grads.join(', ')} += vjp ${op.def.kind}(g${op.result}; ${op.inputs.map((v) => `v${v}`).join(' ')})`);
  }
  for (const s of p.states) lines.push(`    ds${s.index}[t-1] = g${s.prev}`);
  lines.push('  }');
  return lines.join('\n');
}
