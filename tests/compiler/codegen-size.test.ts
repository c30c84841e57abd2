/**
 * Generated kernels write each value once (DESIGN §5b): every intermediate is a local, so the
 * source of a training step grows linearly with the cell, and a cell whose program would still be
 * too large is refused with a CodegenError naming the limit (KERNEL_LIMITS) before gpu.js sees it.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler';
import { CodegenError, generateTraining, KERNEL_LIMITS, type TrainingKernels } from '../../src/compiler/codegen';
import type { Cell } from '../../src/model/cell';
import { gateChain, linearChain, offsetPyramid, residualChain, tanhChain } from './chain-cells';

const shape = { batch: 4, steps: 5, loss: 'values', outputs: 1, optimizer: 'adam', learnInitialStates: true } as const;

function kernelsOf(cell: Cell): TrainingKernels {
  const c = compile(cell);
  if (!c.ok) throw new Error(c.diagnostics[0].message);
  return generateTraining(c.value.program, shape);
}

const allSpecs = (k: TrainingKernels) => [...k.prologue, ...k.forward, ...k.readout, ...k.backward, ...k.epilogue];
const sourceLength = (k: TrainingKernels) => allSpecs(k).reduce((sum, s) => sum + s.source(s.chunked ? k.chunk : 1).length, 0);
const fusedSource = (specs: TrainingKernels['forward']) => specs.filter((s) => s.role === 'fused').map((s) => s.source(1)).join('\n');
/** Every tanh (and σ) the code generator writes clamps its argument once: `x > 7.905… ?`. */
const tanhCount = (src: string) => src.split('> 7.905311107635498 ?').length - 1;

describe('each value is written once', () => {
  it.each([25, 100])('a %i-tanh chain computes each tanh once in the forward step, and reads the stored ones in the backward step', (n) => {
    const k = kernelsOf(tanhChain(n));
    expect(tanhCount(fusedSource(k.forward))).toBe(n);
    expect(tanhCount(fusedSource(k.backward))).toBe(0);
  });

  it('a residual chain, where every value feeds two nodes, computes each of its tanhs once', () => {
    const k = kernelsOf(residualChain(50));
    expect(tanhCount(fusedSource(k.forward))).toBe(51);
  });

  it('the backward step of n gates in a row computes each gate\'s gradient once, not once per gate after it', () => {
    // A gate's gradients are a few products (g(s_i) = g(s_i+1) ⊙ tanh(g_i+1), tanh′): count the `*`s. Written per gate, they were quadratic.
    const products = (n: number) => (fusedSource(kernelsOf(gateChain(n)).backward).match(/\* /g) ?? []).length;
    const [p10, p40] = [products(10), products(40)];
    expect((p40 - p10) / 30).toBeLessThan(12);
    expect(p40 / p10).toBeLessThan(4.5);
  });

  it('every local a fused kernel declares has a generated name, whatever the ids and labels', () => {
    const plain = kernelsOf(tanhChain(25));
    const cell = tanhChain(25);
    // Ids that look like the generated locals, labels that look like code.
    const id = new Map(cell.nodes.map((node, i) => [node.id, `q${cell.nodes.length - i}`]));
    const rename = (old: string) => id.get(old) as string;
    const hostile: Cell = {
      ...cell,
      nodes: cell.nodes.map((node) => ({ ...node, id: rename(node.id), label: 'const q0 = 1; //' })),
      connections: cell.connections.map((c) => ({ ...c, from: rename(c.from), to: rename(c.to) })),
    };
    expect(allSpecs(kernelsOf(hostile)).map((s) => s.source(1))).toEqual(allSpecs(plain).map((s) => s.source(1)));
    const declared = fusedSource([...plain.forward, ...plain.backward]).match(/\b(?:const|let) (\w+)/g) ?? [];
    for (const d of declared) expect(d).toMatch(/^(?:const|let) (?:[jbz]|q\d+)$/);
  });
});

describe('generated source grows linearly with the cell', () => {
  it.each([
    ['tanh chain', tanhChain, 1],
    ['residual chain (fan-out at every node)', residualChain, 2],
    ['gate chain (n gradients through one tail)', gateChain, 3],
  ] as const)('%s of about 25, 100 and 400 nodes: each node costs the same source', (_name, make, nodesPerLink) => {
    const links = [25, 100, 400].map((n) => Math.round(n / nodesPerLink));
    const [s25, s100, s400] = links.map((n) => sourceLength(kernelsOf(make(n))));
    const perNodeSmall = (s100 - s25) / ((links[1] - links[0]) * nodesPerLink);
    const perNodeLarge = (s400 - s100) / ((links[2] - links[1]) * nodesPerLink);
    // Written without locals, each segment re-derived its chain: a node cost four times more at 400 than at 100.
    expect(perNodeLarge / perNodeSmall).toBeGreaterThan(0.9);
    expect(perNodeLarge / perNodeSmall).toBeLessThan(1.1);
    // And the constant is small: a tanh is one clamp, one square and one rational function; a linear adds its kernels.
    expect(perNodeLarge).toBeLessThan(1500);
  });
});

describe('a program past KERNEL_LIMITS is refused, naming the limit', () => {
  const refusal = (cell: Cell): string => {
    try {
      kernelsOf(cell);
    } catch (e) {
      expect(e).toBeInstanceOf(CodegenError);
      return (e as Error).message;
    }
    throw new Error('the program was not refused');
  };

  it('locals per kernel: values read at many column offsets (a 31-node cell)', () => {
    expect(refusal(offsetPyramid(8, 2))).toBe(
      `the cell's generated kernels are too large for the gpu backend: kernel fused_forward_1 needs more than ${KERNEL_LIMITS.locals} locals; the limit is ${KERNEL_LIMITS.locals} (KERNEL_LIMITS.locals)`,
    );
  });

  it('kernels per step: 80 linear → tanh pairs in a row', () => {
    expect(refusal(linearChain(80))).toBe(
      `the cell's generated kernels are too large for the gpu backend: one training step needs 814 kernels; the limit is ${KERNEL_LIMITS.kernels} (KERNEL_LIMITS.kernels)`,
    );
    expect(() => kernelsOf(linearChain(50))).not.toThrow();
  });

  it('source per step: nine blocks each just under the locals limit', () => {
    expect(refusal(offsetPyramid(6, 2, 9))).toMatch(
      new RegExp(`^the cell's generated kernels are too large for the gpu backend: their source (passes ${KERNEL_LIMITS.sourceChars} characters by kernel \\w+|is \\d+ characters); the limit is ${KERNEL_LIMITS.sourceChars} \\(KERNEL_LIMITS.sourceChars\\)$`),
    );
    expect(sourceLength(kernelsOf(offsetPyramid(6, 2, 7)))).toBeLessThan(KERNEL_LIMITS.sourceChars);
  });

  it('a 400-tanh chain stays within every limit', () => {
    const k = kernelsOf(tanhChain(400));
    expect(allSpecs(k).length).toBeLessThanOrEqual(KERNEL_LIMITS.kernels);
    expect(sourceLength(k)).toBeLessThan(KERNEL_LIMITS.sourceChars / 2);
  });
});
