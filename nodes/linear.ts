import { sizeOf, sizeParam, text } from './kit';
import { PRECEDENCE, type Initializer, type NodeDef } from './types';

const initializers: Record<string, Initializer> = { xavier: { kind: 'xavier' }, orthogonal: { kind: 'orthogonal' }, zeros: { kind: 'zeros' } };

export const linear = {
  kind: 'linear',
  label: text('Linear', 'Lineal'),
  symbol: 'W·v+b',
  category: 'matmul',
  role: 'op',
  params: {
    out: sizeParam('hidden', 'Output size (rows of W).', 'Tamaño de salida (filas de W).'),
    init: { type: 'enum', options: ['xavier', 'orthogonal', 'zeros'], default: 'xavier', doc: text('How W starts: Xavier/Glorot uniform, orthogonal, or zeros.', 'Cómo empieza W: Xavier/Glorot uniforme, ortogonal o ceros.') },
    bias: { type: 'boolean', default: true, doc: text('Add a learned bias b.', 'Sumar un sesgo aprendido b.') },
    biasInit: { type: 'number', default: 0, min: -100, max: 100, doc: text('Starting value of every bias element (1 for an LSTM forget gate).', 'Valor inicial de cada elemento del sesgo (1 para la compuerta de olvido de una LSTM).') },
  },
  inputPorts: () => ['in'],
  outputPort: 'out',
  shape: (ctx) => ({ size: sizeOf(ctx, 'out') }),
  weights: ({ params, inSizes, outSize }) => [
    { name: 'W', shape: [outSize, inSizes[0]], init: initializers[params.init as string] },
    ...(params.bias ? [{ name: 'b', shape: [outSize] as const, init: { kind: 'constant', value: params.biasInit as number } as const }] : []),
  ],
  forward: ({ inputs, inSizes, outSize, batch, weights }) => {
    const [v] = inputs;
    const n = inSizes[0];
    const { W, b } = weights;
    const out = new Float64Array(batch * outSize);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < outSize; o++) {
        let sum = b ? b[o] : 0;
        for (let i = 0; i < n; i++) sum += W[o * n + i] * v[r * n + i];
        out[r * outSize + o] = sum;
      }
    }
    return out;
  },
  backward: ({ inputs, inSizes, outSize, batch, weights, gradOutput: g }) => {
    const [v] = inputs;
    const n = inSizes[0];
    const gv = new Float64Array(batch * n);
    const gW = new Float64Array(outSize * n);
    const gb = new Float64Array(outSize);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < outSize; o++) {
        const go = g[r * outSize + o];
        gb[o] += go;
        for (let i = 0; i < n; i++) {
          gv[r * n + i] += go * weights.W[o * n + i];
          gW[o * n + i] += go * v[r * n + i];
        }
      }
    }
    const grads: Record<string, Float64Array> = { W: gW };
    if (weights.b) grads.b = gb;
    return { inputs: [gv], weights: grads };
  },
  initParams: ['init', 'biasInit'],
  precedence: PRECEDENCE.sum,
  operandPrecedence: PRECEDENCE.atom,
  latex: ({ inputs, params, subscript }) => `W_{${subscript}} ${inputs[0]}${params.bias ? ` + b_{${subscript}}` : ''}`,
  text: ({ inputs, params, subscript }) => `W_${subscript}·${inputs[0]}${params.bias ? ` + b_${subscript}` : ''}`,
  export: {
    pytorch: ({ inputs, weights }) => `torch.nn.functional.linear(${inputs[0]}, ${weights.W}${weights.b ? `, ${weights.b}` : ''})`,
    tfjs: ({ inputs, weights }) => {
      const product = `tf.matMul(${inputs[0]}, ${weights.W}, false, true)`;
      return weights.b ? `tf.add(${product}, ${weights.b})` : product;
    },
  },
  docs: text(
    'An affine map W·v + b with a learned matrix W (rows = output size) and bias b: the "transformation" of every gate.',
    'Una transformación afín W·v + b con una matriz aprendida W (filas = tamaño de salida) y un sesgo b: la "transformación" de cada compuerta.',
  ),
  examples: [{
    doc: text('2×2 matrix and bias', 'matriz 2×2 y sesgo'),
    params: { out: 2 },
    inputs: [[1, 2]],
    weights: { W: [1, 0, 0.5, -1], b: [0, 1] },
    output: [1, -0.5],
  }],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
