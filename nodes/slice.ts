import { sizeOf, sizeParam, text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const slice = {
  kind: 'slice',
  label: text('Slice', 'Tramo'),
  symbol: 'v[a:b]',
  category: 'layout',
  role: 'op',
  params: {
    start: sizeParam(0, 'First element taken (0-based), e.g. "hidden".', 'Primer elemento tomado (desde 0), p. ej. "hidden".'),
    length: sizeParam('hidden', 'How many elements to take.', 'Cuántos elementos tomar.'),
  },
  inputPorts: () => ['in'],
  outputPort: 'out',
  shape: (ctx) => ({ size: sizeOf(ctx, 'length') }),
  // Whether the slice fits depends on the concrete sizes.
  checkSizes: ({ inSizes, sizes }) =>
    sizes.start + sizes.length > inSizes[0]
      ? { error: { problem: 'slice-beyond-input', port: 'in', first: sizes.start, last: sizes.start + sizes.length - 1, available: inSizes[0] }, port: 'in' }
      : undefined,
  forward: ({ inputs, inSizes, batch, outSize, sizes }) => {
    const out = new Float64Array(batch * outSize);
    for (let b = 0; b < batch; b++) {
      const from = b * inSizes[0] + sizes.start;
      out.set(inputs[0].subarray(from, from + outSize), b * outSize);
    }
    return out;
  },
  backward: ({ inSizes, batch, outSize, sizes, gradOutput }) => {
    const grad = new Float64Array(batch * inSizes[0]);
    for (let b = 0; b < batch; b++) grad.set(gradOutput.subarray(b * outSize, (b + 1) * outSize), b * inSizes[0] + sizes.start);
    return { inputs: [grad] };
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.atom,
  latex: ({ inputs, sizeParams }) => `${inputs[0]}_{[${sizeParams.start} : ${sizeParams.start} + ${sizeParams.length}]}`,
  text: ({ inputs, sizeParams }) => `${inputs[0]}[${sizeParams.start} : ${sizeParams.start} + ${sizeParams.length}]`,
  export: {
    pytorch: ({ inputs, sizes }) => `${inputs[0]}[:, ${sizes.start}:${sizes.start + sizes.length}]`,
    tfjs: ({ inputs, sizes }) => `tf.slice(${inputs[0]}, [0, ${sizes.start}], [-1, ${sizes.length}])`,
  },
  docs: text(
    'Takes a contiguous part of a vector: one gate out of a stacked product.',
    'Toma un tramo contiguo de un vector: una compuerta de un producto apilado.',
  ),
  examples: [{ doc: text('the middle two', 'los dos del medio'), params: { start: 1, length: 2 }, inputs: [[5, 6, 7, 8]], output: [6, 7] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;

