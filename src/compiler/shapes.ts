/**
 * Pass 2 — shapes: infer every node's output size symbolically (e.g. `hidden + input`),
 * so a cell is checked for all input/hidden sizes at once and errors speak the user's names.
 */
import { sizeEnvironment } from '../model/cell';
import { error, type Diagnostic, type Result } from '../model/diagnostics';
import { evaluateSize, formatSize, sameSize, type SizeExpr } from '../model/sizes';
import type { ValidCell, ValidNode } from './validate';
import { describeNode } from './node-ref';

export interface ShapedCell extends ValidCell {
  /** Output size of every node that has an output; the output node maps to y_t's size. */
  readonly sizes: ReadonlyMap<string, SizeExpr>;
}

export function inferShapes(valid: ValidCell): Result<ShapedCell> {
  const out: Diagnostic[] = [];
  const sizes = new Map<string, SizeExpr>();
  const names = Object.keys(sizeEnvironment(valid.cell.sizes));
  for (const id of valid.order) {
    const n = valid.nodes.get(id) as ValidNode;
    if (!checkSizeNames(n, names, out)) continue;
    const inputs = n.def.role === 'state' ? [] : n.sources.map((c) => sizes.get(c.from));
    if (inputs.some((s) => s === undefined)) continue; // an upstream node already failed
    const result = n.def.shape({ inputs: inputs as SizeExpr[], params: n.params, sizeParams: n.sizeParams });
    if ('error' in result) {
      out.push(error('shape-mismatch', { node: describeNode(n.node), problem: result.error }, { nodeId: id, ...(result.port && { port: result.port }) }));
      continue;
    }
    sizes.set(id, result.size);
  }
  checkStates(valid, sizes, out);
  return out.length > 0 ? { ok: false, diagnostics: out } : { ok: true, value: { ...valid, sizes }, diagnostics: [] };
}

function checkSizeNames(n: ValidNode, names: readonly string[], out: Diagnostic[]): boolean {
  let ok = true;
  for (const [param, expr] of Object.entries(n.sizeParams)) {
    const value = evaluateSize(expr, Object.fromEntries(names.map((k) => [k, 1])));
    if (typeof value !== 'number') {
      out.push(error('unknown-size', { node: describeNode(n.node), param, unknown: value.unknown, known: names }, { nodeId: n.node.id, port: param }));
      ok = false;
    }
  }
  return ok;
}

/** The value written into a state's "next" must have the state's size. */
function checkStates(valid: ValidCell, sizes: ReadonlyMap<string, SizeExpr>, out: Diagnostic[]): void {
  for (const n of valid.nodes.values()) {
    if (n.def.role !== 'state') continue;
    const own = sizes.get(n.node.id);
    const next = sizes.get(n.sources[0]?.from);
    if (own && next && !sameSize(own, next)) {
      out.push(error('shape-mismatch', { node: describeNode(n.node), problem: { problem: 'state-size', expected: formatSize(own), got: formatSize(next) } }, { nodeId: n.node.id, port: 'next' }));
    }
  }
}
