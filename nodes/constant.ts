import { sizeOf, sizeParam, text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

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
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ params }) => formatNumber(params.value as number),
  text: ({ params }) => formatNumber(params.value as number),
  docs: text(
    'A vector whose elements all equal one number (not learned).',
    'Un vector cuyos elementos valen todos un mismo número (no se aprende).',
  ),
  examples: [{ doc: text('three halves', 'tres medios'), params: { value: 0.5, size: 3 }, inputs: [], output: [0.5, 0.5, 0.5] }],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
