import { mapBinary, sameSizeInputs, text, twoPorts } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const multiply = {
  kind: 'multiply',
  label: text('Multiply', 'Producto'),
  symbol: '⊙',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: twoPorts,
  outputPort: 'out',
  shape: sameSizeInputs(['a', 'b']),
  forward: mapBinary((a, b) => a * b),
  backward: ({ inputs, gradOutput }) => ({
    inputs: [gradOutput.map((g, i) => g * inputs[1][i]), gradOutput.map((g, i) => g * inputs[0][i])],
  }),
  kernel: {
    forward: ({ inputs: [a, b] }) => `(${a} * ${b})`,
    backward: ({ inputs: [a, b], grad: g }) => [`(${g} * ${b})`, `(${g} * ${a})`],
  },
  commutative: true,
  precedence: PRECEDENCE.product,
  operandPrecedence: PRECEDENCE.product,
  latex: ({ inputs }) => `${inputs[0]} \\odot ${inputs[1]}`,
  text: ({ inputs }) => `${inputs[0]} ⊙ ${inputs[1]}`,
  export: {
    pytorch: ({ inputs }) => `${inputs[0]} * ${inputs[1]}`,
    tfjs: ({ inputs }) => `tf.mul(${inputs[0]}, ${inputs[1]})`,
  },
  docs: text(
    'Multiplies two vectors elementwise (Hadamard product ⊙): this is how a gate lets a fraction of a signal through.',
    'Multiplica dos vectores elemento a elemento (producto de Hadamard ⊙): así una compuerta deja pasar una fracción de la señal.',
  ),
  examples: [{ doc: text('a gate of 0.5 halves the signal', 'una compuerta de 0,5 reduce la señal a la mitad'), inputs: [[0.5, 1, 0], [4, -2, 7]], output: [2, -2, 0] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
