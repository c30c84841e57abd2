/**
 * A node's equation before the cell compiles: its LaTeX template with
 * generic operands (u, a, b…). Only registry text and parsed values reach the
 * template: params that do not fit their definition fall back to the default,
 * size params are printed from their parsed form.
 */
import type { NodeDef, ParamDef, Params } from '../../../nodes/types';
import type { CellNode, ParamValue } from '../../model/cell';
import { formatSize, parseSize } from '../../model/sizes';

function fits(def: ParamDef, v: ParamValue): boolean {
  switch (def.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && def.options.includes(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && v >= def.min && v <= def.max;
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= def.min && v <= def.max;
    case 'size':
      return typeof parseSize(v) !== 'string';
  }
}

/** The node's params with every declared one present and valid (invalid values replaced by defaults). */
export function safeParams(def: NodeDef, given: Readonly<Record<string, ParamValue>>): Params {
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(def.params)) {
    const v = Object.hasOwn(given, name) ? given[name] : undefined;
    params[name] = v !== undefined && fits(spec, v) ? v : spec.default;
  }
  return params;
}

/** Input ports of a node, bounded (a concat declares at most a handful). */
export function safeInputPorts(def: NodeDef, given: Readonly<Record<string, ParamValue>>): readonly string[] {
  try {
    const ports = def.inputPorts(safeParams(def, given));
    return ports.slice(0, 16);
  } catch {
    return [];
  }
}

const operandFor = (port: string, index: number, count: number): string => {
  if (port === 'a' || port === 'b') return port;
  if (/^in\d+$/.test(port)) return `u_{${index + 1}}`;
  if (port === 'y') return 'v';
  return count > 1 ? `u_{${index + 1}}` : 'u';
};

export function genericEquation(node: Pick<CellNode, 'params'>, def: NodeDef): string {
  const params = safeParams(def, node.params);
  const ports = safeInputPorts(def, node.params);
  const inputs = ports.map((p, i) => operandFor(p, i, ports.length));
  const sizeParams: Record<string, string> = {};
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.type !== 'size') continue;
    const parsed = parseSize(params[name]);
    if (typeof parsed !== 'string') sizeParams[name] = formatSize(parsed).replace(/_/g, '\\_');
  }
  try {
    switch (def.role) {
      case 'input':
        return def.latex({ inputs: [], params, subscript: '', sizeParams });
      case 'state':
        return `s_t = \\mathrm{next},\\quad \\mathrm{prev} = ${def.latex({ inputs: [], params, subscript: 's', sizeParams })}`;
      case 'output':
        return `y_t = ${def.latex({ inputs, params, subscript: '', sizeParams })}`;
      case 'op':
        return `v = ${def.latex({ inputs, params, subscript: '', sizeParams })}`;
    }
  } catch {
    return '';
  }
}

/**
 * The equation lines a node's value flows into, for a node inlined into
 * others (a linear inside σ(…)): follows connections downstream, not through
 * states, up to the first nodes that have a line of their own.
 */
export function linesUsing<E extends { readonly nodeId: string }>(
  connections: readonly { readonly from: string; readonly to: string }[],
  equations: readonly E[],
  nodeId: string,
  limit = 3,
): E[] {
  const own = equations.find((e) => e.nodeId === nodeId);
  if (own) return [own];
  const lineOf = new Map(equations.map((e) => [e.nodeId, e]));
  const found = new Set<E>();
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  while (frontier.length > 0 && found.size < limit) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const c of connections) {
        if (c.from !== id || seen.has(c.to)) continue;
        seen.add(c.to);
        const line = lineOf.get(c.to);
        if (line) found.add(line);
        else next.push(c.to);
      }
    }
    frontier = next;
  }
  return equations.filter((e) => found.has(e)).slice(0, limit);
}
