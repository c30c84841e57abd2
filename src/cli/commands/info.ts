/** `celda info <cell>`: sizes, states, parameters and ops of the lowered program. */
import { parameterCounts, printBackward, printProgram } from '../../compiler';
import type { IrProgram, IrTensor } from '../../compiler/ir';
import { PlanError, planStep, printPlan } from '../../compiler/plan';
import { SIZE_OPTIONS, sizeOptions, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, formatDiagnostic, plural } from '../io';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Sizes, states, parameter counts and ops of a cell.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    ...SIZE_OPTIONS,
    ir: { type: 'boolean', help: 'Also print the forward and backward step programs (IR).' },
    plan: { type: 'boolean', help: 'Also print the fast path\'s plan: stacked products, hoisted inputs, fused kernels per step.' },
  },
  run(args, ctx) {
    const [file] = args.positionals;
    const { compiled, warnings } = compileCellFile(file, sizeOptions(args));
    const { program: p, backward, shaped } = compiled;
    const label = (id: string): string | undefined => shaped.nodes.get(id)?.node.label;
    const counts = parameterCounts(p);
    const outputNode = [...shaped.nodes.values()].find((n) => n.def.role === 'output')?.node.id;
    const states = p.states.map((s) => ({
      nodeId: s.nodeId,
      ...(label(s.nodeId) !== undefined && { label: label(s.nodeId) }),
      size: s.size,
      symbolic: p.values[s.prev].symbolic,
      init: s.learnedInit === undefined ? 'zeros' : 'learned',
    }));
    const byNode = new Map<string, IrTensor[]>();
    for (const t of p.tensors) byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t]);
    const output = { nodeId: outputNode, size: p.values[p.output].size, symbolic: p.values[p.output].symbolic };
    const ops = { forward: p.ops.length, backward: backward.ops.length };
    const ir = args.values.ir ? { forward: printProgram(p), backward: printBackward(backward) } : undefined;
    const plan = args.values.plan ? fastPathPlan(p) : undefined;

    ctx.printJson({
      ok: true,
      name: p.name,
      sizes: p.sizes,
      output,
      states,
      parameters: {
        perNode: counts.perNode,
        tensors: p.tensors.map((t) => ({ nodeId: t.nodeId, name: t.name, shape: t.shape, init: t.init })),
        total: counts.total,
      },
      ops,
      diagnostics: warnings,
      ...(ir && { ir }),
      ...(plan !== undefined && { plan }),
    });

    for (const d of warnings) ctx.note(formatDiagnostic(d));
    const show = (id: string): string => (label(id) ? `${id} "${label(id)}"` : id);
    ctx.print(`${p.name} (${file})`);
    ctx.print(`sizes: ${Object.entries(p.sizes).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    ctx.print(`output: ${outputNode ?? '?'} [${output.size}] (${output.symbolic})`);
    ctx.print(p.states.length === 0 ? 'states: none' : 'states:');
    const stateWidth = Math.max(0, ...states.map((s) => show(s.nodeId).length));
    for (const s of states) ctx.print(`  ${show(s.nodeId).padEnd(stateWidth)}  [${s.size}] (${s.symbolic})  init ${s.init}`);
    ctx.print(`parameters: ${counts.total}`);
    const width = Math.max('total'.length, ...[...byNode.keys()].map((id) => id.length));
    for (const [id, tensors] of byNode) {
      const shapes = tensors.map((t) => `${t.name} [${t.shape.join('×')}]`).join(', ');
      ctx.print(`  ${id.padEnd(width)}  ${String(counts.perNode[id]).padStart(8)}  ${shapes}`);
    }
    ctx.print(`  ${'total'.padEnd(width)}  ${String(counts.total).padStart(8)}`);
    ctx.print(`ops per step: ${plural(ops.forward, 'forward op')}, ${plural(ops.backward, 'backward VJP')}`);
    if (ir) for (const line of ['', ...ir.forward.split('\n'), ...ir.backward.split('\n')]) ctx.print(line);
    if (plan !== undefined) for (const line of ['', 'fast path (gpu.js), one time step:', ...plan.split('\n')]) ctx.print(line);
    return EXIT.ok;
  },
};

/** The fast path's plan as text, or why it refuses the cell. */
function fastPathPlan(p: IrProgram): string {
  try {
    return printPlan(planStep(p));
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    return `refused: ${e.message}`;
  }
}
