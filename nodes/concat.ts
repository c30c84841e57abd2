import { addSizes, sizeConst } from '../src/model/sizes';
import { text } from './kit';
import { PRECEDENCE, type NodeDef, type Params } from './types';

const ports = (params: Params): string[] => Array.from({ length: params.inputs as number }, (_, i) => `in${i}`);

export const concat = {
  kind: 'concat',
  label: text('Concatenate', 'Concatenar'),
  symbol: '[·,·]',
  category: 'layout',
  role: 'op',
  params: {
    inputs: { type: 'integer', default: 2, min: 1, max: 8, doc: text('How many vectors to join, in port order.', 'Cuántos vectores unir, en el orden de los puertos.') },
  },
  inputPorts: ports,
  outputPort: 'out',
  shape: ({ inputs }) => ({ size: inputs.reduce(addSizes, sizeConst(0)) }),
  forward: ({ inputs, inSizes, batch, outSize }) => {
    const out = new Float64Array(batch * outSize);
    for (let b = 0; b < batch; b++) {
      let offset = b * outSize;
      inputs.forEach((v, k) => {
        out.set(v.subarray(b * inSizes[k], (b + 1) * inSizes[k]), offset);
        offset += inSizes[k];
      });
    }
    return out;
  },
  backward: ({ inSizes, batch, outSize, gradOutput }) => {
    const grads = inSizes.map((n) => new Float64Array(batch * n));
    for (let b = 0; b < batch; b++) {
      let offset = b * outSize;
      grads.forEach((g, k) => {
        g.set(gradOutput.subarray(offset, offset + inSizes[k]), b * inSizes[k]);
        offset += inSizes[k];
      });
    }
    return { inputs: grads };
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\left[${inputs.join(', ')}\\right]`,
  text: ({ inputs }) => `[${inputs.join(', ')}]`,
  export: {
    pytorch: ({ inputs }) => `torch.cat([${inputs.join(', ')}], dim=1)`,
    tfjs: ({ inputs }) => `tf.concat([${inputs.join(', ')}], 1)`,
  },
  docs: text(
    'Joins vectors end to end, in port order: [a_{t−1}, x_t] feeds every LSTM gate.',
    'Une vectores uno tras otro, en el orden de los puertos: [a_{t−1}, x_t] alimenta cada compuerta de la LSTM.',
  ),
  examples: [{ doc: text('two then one', 'dos y luego uno'), params: { inputs: 2 }, inputs: [[1, 2], [3]], output: [1, 2, 3] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
