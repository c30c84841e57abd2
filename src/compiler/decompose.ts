/**
 * Pass for the fast path only: every op without kernel templates that gives a decomposition
 * (layer norm: a reduction over its row) is replaced by the ops of that decomposition, so the
 * planner and the code generator see products and elementwise ops only. The op's result keeps
 * its number (its readers are unchanged) and its tensors keep theirs; fixed matrices are new
 * tensors after the program's own, marked `fixed` (never learned, not among the parameters).
 * The reference runtime runs the original program: it is the specification the rewrite is
 * tested against (tests/compiler/decompose.test.ts).
 */
import { linear } from '../../nodes/linear';
import type { DecompositionBuilder, NodeDef, Params } from '../../nodes/types';
import type { IrOp, IrProgram, IrTensor, IrValue } from './ir';

export class DecompositionError extends Error {}

export function decomposeForKernels(p: IrProgram): IrProgram {
  if (!p.ops.some(decomposable)) return p;
  const values: IrValue[] = [...p.values];
  const tensors: IrTensor[] = [...p.tensors];
  const ops: IrOp[] = [];
  for (const op of p.ops) {
    if (!decomposable(op)) {
      ops.push({ ...op, index: ops.length });
      continue;
    }
    const { size, symbolic } = p.values[op.result];
    const add = (def: NodeDef, inputs: readonly number[], params: Params, owned: Readonly<Record<string, number>>, nodeId = op.nodeId, sizes: Readonly<Record<string, number>> = {}): number => {
      for (const v of inputs) if (!(v >= 0 && v < values.length)) throw new DecompositionError(`${op.def.kind} decomposes into an op reading value ${v}, which does not exist`);
      values.push({ id: values.length, size, symbolic });
      ops.push({ index: ops.length, def, nodeId, params, sizes, inputs, result: values.length - 1, tensors: owned });
      return values.length - 1;
    };
    let products = 0;
    const builder: DecompositionBuilder = {
      inputs: op.inputs,
      tensors: op.tensors,
      params: op.params,
      outSize: size,
      fixedProduct(input, value) {
        // Its own node (a name only tensors and tests use, never generated code), its matrix named W
        // as linear's: the code generator finds a tensor's op by both, and the reference runtime
        // files weights by node, where the op's own b would pass for the product's bias.
        const nodeId = `${op.nodeId}#fixed${products++}`;
        tensors.push({ id: tensors.length, nodeId, name: 'W', shape: [size, values[input].size], init: { kind: 'constant', value }, fixed: true });
        return add(linear, [input], { out: size, init: 'zeros', bias: false, biasInit: 0 }, { W: tensors.length - 1 }, nodeId, { out: size });
      },
      op(def, inputs, options = {}) {
        if (!def.kernel) throw new DecompositionError(`${op.def.kind} decomposes into ${def.kind}, which has no kernel templates`);
        return add(def, inputs, options.params ?? {}, options.tensors ?? {});
      },
    };
    const result = (op.def.decompose as NonNullable<NodeDef['decompose']>)(builder);
    const last = ops[ops.length - 1];
    // The last op's value becomes the op's own result, so every reader of it reads the decomposition.
    if (last?.result !== result || result !== values.length - 1) throw new DecompositionError(`${op.def.kind}'s decomposition must end with the op giving its result`);
    values.pop();
    ops[ops.length - 1] = { ...last, result: op.result };
  }
  return { ...p, values, tensors, ops };
}

function decomposable(op: IrOp): boolean {
  return !op.def.kernel && op.def.decompose !== undefined;
}
