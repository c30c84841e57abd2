/**
 * Backend binding limits (DESIGN §5b: backend limits are data). A kernel reads each operand
 * through a binding of its own: a storage buffer in WebGPU (8 per shader stage by default, one
 * of them the kernel's output), a texture unit in WebGL2 (16 guaranteed). A kernel reading more
 * gets gather kernels, run just before it at the same step: each copies a few small operands into
 * one buffer, which the kernel then reads at offsets. The rewrite of its source is textual and
 * safe because codegen names every operand a0, a1, … itself and always reads it as aK[index].
 */
import type { KernelSpec, Ref } from './codegen';
import { CodegenError } from './codegen-error';

export interface BindingLimit {
  /** Buffers one kernel may read. */
  readonly buffers: number;
  /** The limit in words, for messages: "webgpu binds 7 buffers per kernel (…)". */
  readonly name: string;
}

/** An operand of the kernel being fitted: a buffer, holding original operands at offsets. */
interface Binding {
  readonly ref: Ref;
  /** Its length where a gather may copy it (outputs of other kernels); undefined: it stays bound. */
  readonly length: number | undefined;
  readonly holds: readonly { readonly operand: number; readonly offset: number }[];
}

/**
 * `spec` reading at most `limit.buffers` buffers: the smallest copyable operands are gathered,
 * a gather at a time (a gather may gather earlier gathers), until the kernel fits. `lengthOf`
 * gives the length of an operand a gather may copy, undefined for one it may not (arguments,
 * per-chunk buffers: too large to copy every step, or of a length known only at run time).
 * A chunked kernel (run once per chunk of `chunk` steps) is only checked.
 */
export function fitBindings(spec: KernelSpec, limit: BindingLimit, lengthOf: (ref: Ref) => number | undefined, chunk: number): KernelSpec {
  if (spec.chunked) {
    // Their reads grow with the chunk, which the backend chose to fit (runner.ts chunkFor).
    const reads = spec.refsFor?.(chunk).length ?? 0;
    if (reads > limit.buffers) throw tooMany(spec.name, reads, limit, `a kernel summing over a chunk of ${chunk} steps is not split; a shorter chunk reads fewer`);
    return spec;
  }
  if (spec.operands.length <= limit.buffers) return spec;
  let bound: Binding[] = spec.operands.map((ref, operand) => ({ ref, length: lengthOf(ref), holds: [{ operand, offset: 0 }] }));
  const gathers: KernelSpec[] = [];
  while (bound.length > limit.buffers) {
    const copyable = bound.filter((b) => b.length !== undefined).sort((a, b) => (a.length as number) - (b.length as number));
    const take = Math.min(limit.buffers, bound.length - limit.buffers + 1, copyable.length);
    if (take < 2) throw tooMany(spec.name, spec.operands.length, limit, `only ${copyable.length} of them can be copied into a shared buffer`);
    const chosen = copyable.slice(0, take);
    const gather = gatherKernel(`${spec.name}_gather_${gathers.length}`, chosen);
    bound = [...bound.filter((b) => !chosen.includes(b)), { ref: { kind: 'pack', index: gathers.length }, length: gather.length, holds: gather.holds }];
    gathers.push(gather.spec);
  }
  const reads = new Map<number, string>();
  bound.forEach((b, k) => b.holds.forEach(({ operand, offset }) => reads.set(operand, offset ? `a${k}[${offset} + ` : `a${k}[`)));
  const names = [...bound.map((_, k) => `a${k}`), 't'].join(', ');
  return {
    ...spec,
    operands: bound.map((b) => b.ref),
    gathers,
    source: (steps) => {
      const src = spec.source(steps);
      const body = src.slice(src.indexOf(')') + 1);
      return `function(${names})${body.replace(/\ba(\d+)\[/g, (_, n: string) => reads.get(Number(n)) as string)}`;
    },
  };
}

/** One buffer holding `parts` end to end. */
function gatherKernel(name: string, parts: readonly Binding[]): { spec: KernelSpec; length: number; holds: Binding['holds'] } {
  let length = 0;
  const arms: string[] = [];
  const holds: { operand: number; offset: number }[] = [];
  parts.forEach((part, k) => {
    const at = length;
    length += part.length as number;
    arms.push(`if (i < ${length}) { return a${k}[${at ? `i - ${at}` : 'i'}]; }`);
    for (const h of part.holds) holds.push({ operand: h.operand, offset: h.offset + at });
  });
  const src = `function(${[...parts.map((_, k) => `a${k}`), 't'].join(', ')}) { const i = this.thread.x; ${arms.join(' ')} return 0.0; }`;
  return { spec: { name, role: 'pack', output: [length], operands: parts.map((p) => p.ref), source: () => src }, length, holds };
}

function tooMany(kernel: string, reads: number, limit: BindingLimit, why: string): CodegenError {
  return new CodegenError(`kernel ${kernel} reads ${reads} buffers, and ${limit.name}; ${why}`);
}
