import { sizeOf, sizeParam, text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

/** A float literal Python reads as a float (`1` would make an integer tensor). */
const pyNumber = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

const formatNumber = (v: number): string => String(Number(v.toPrecision(6)));

export const constant = {
  kind: 'constant',
  label: text('Constant', 'Constante'),
  symbol: 'k',
  category: 'parameter',
  role: 'op',
  params: {
    value: { type: 'number', default: 1, min: -1e6, max: 1e6, doc: text('The value of every element.', 'El valor de cada elemento.') },
    size: sizeParam('hidden', 'How many elements.', 'Cuántos elementos.'),
  },
  inputPorts: () => [],
  outputPort: 'out',
  shape: (ctx) => ({ size: sizeOf(ctx, 'size') }),
  forward: ({ batch, outSize, params }) => new Float64Array(batch * outSize).fill(params.value as number),
  backward: () => ({ inputs: [] }),
  kernel: {
    // value is a checked finite number (the loader and validate refuse anything else).
    forward: ({ params, code }) => code.num(params.value as number),
    backward: () => [],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ params }) => formatNumber(params.value as number),
  text: ({ params }) => formatNumber(params.value as number),
  export: {
    // value is a checked finite number, so its decimal form is valid Python and JavaScript.
    pytorch: ({ params, outSize, batchLike }) => `${batchLike}.new_full((${batchLike}.shape[0], ${outSize}), ${pyNumber(params.value as number)})`,
    tfjs: ({ params, outSize, batchLike }) => `tf.fill([${batchLike}.shape[0], ${outSize}], ${String(params.value as number)})`,
  },
  docs: text(
    'A vector whose elements all equal one number (not learned).',
    'Un vector cuyos elementos valen todos un mismo número (no se aprende).',
  ),
  examples: [{ doc: text('three halves', 'tres medios'), params: { value: 0.5, size: 3 }, inputs: [], output: [0.5, 0.5, 0.5] }],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
