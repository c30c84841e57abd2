import { sameSizeInputs, text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const scale = {
  kind: 'scale',
  label: text('Learned scale', 'Escala aprendida'),
  symbol: 'p⊙v',
  category: 'parameter',
  role: 'op',
  params: {
    init: { type: 'enum', options: ['constant', 'uniform'], default: 'constant', doc: text('Start every element at "value", or uniformly in [low, high].', 'Empezar cada elemento en "value", o uniforme en [low, high].') },
    value: { type: 'number', default: 0, min: -100, max: 100, doc: text('Starting value (constant init).', 'Valor inicial (inicio constante).') },
    low: { type: 'number', default: 0, min: -100, max: 100, doc: text('Lower end (uniform init).', 'Extremo inferior (inicio uniforme).') },
    high: { type: 'number', default: 1, min: -100, max: 100, doc: text('Upper end (uniform init).', 'Extremo superior (inicio uniforme).') },
  },
  inputPorts: () => ['in'],
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  weights: ({ params, outSize }) => [{
    name: 'p',
    shape: [outSize],
    init: params.init === 'uniform'
      ? { kind: 'uniform', low: params.low as number, high: params.high as number }
      : { kind: 'constant', value: params.value as number },
  }],
  forward: ({ inputs, outSize, weights }) => inputs[0].map((v, i) => v * weights.p[i % outSize]),
  backward: ({ inputs, outSize, weights, gradOutput }) => {
    const gp = new Float64Array(outSize);
    gradOutput.forEach((g, i) => (gp[i % outSize] += g * inputs[0][i]));
    return { inputs: [gradOutput.map((g, i) => g * weights.p[i % outSize])], weights: { p: gp } };
  },
  kernel: {
    forward: ({ inputs: [x], weights }) => `(${x} * ${weights.p})`,
    backward: ({ weights, grad: g }) => [`(${g} * ${weights.p})`],
    weightGrads: ({ inputs: [x], grad: g }) => ({ p: `(${g} * ${x})` }),
  },
  initParams: ['init', 'value', 'low', 'high'],
  precedence: PRECEDENCE.product,
  operandPrecedence: PRECEDENCE.product,
  latex: ({ inputs, subscript }) => `p_{${subscript}} \\odot ${inputs[0]}`,
  text: ({ inputs, subscript }) => `p_${subscript} ⊙ ${inputs[0]}`,
  export: {
    pytorch: ({ inputs, weights }) => `${inputs[0]} * ${weights.p}`,
    tfjs: ({ inputs, weights }) => `tf.mul(${inputs[0]}, ${weights.p})`,
  },
  docs: text(
    'Multiplies by a learned vector p, element by element: peephole connections and IndRNN recurrences.',
    'Multiplica por un vector aprendido p, elemento a elemento: conexiones mirilla (peephole) y recurrencias IndRNN.',
  ),
  examples: [{ doc: text('per-element weights', 'pesos por elemento'), inputs: [[2, 3]], weights: { p: [0.5, -1] }, output: [1, -3] }],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
