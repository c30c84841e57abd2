import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const tanh = {
  kind: 'tanh',
  label: text('Tanh', 'Tanh'),
  symbol: 'tanh',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary(Math.tanh),
  // tanh'(x) = 1 − tanh(x)²: reuse the forward output.
  backward: vjpUnary((_x, y) => 1 - y * y),
  kernel: {
    saveOutput: true,
    forward: ({ inputs: [x], code }) => code.tanh(x),
    backward: ({ output: y, grad: g }) => [`${g} * (1.0 - ${y} * ${y})`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\tanh\\left(${inputs[0]}\\right)`,
  text: ({ inputs }) => `tanh(${inputs[0]})`,
  export: {
    pytorch: ({ inputs }) => `torch.tanh(${inputs[0]})`,
    tfjs: ({ inputs }) => `tf.tanh(${inputs[0]})`,
  },
  docs: text(
    'Squashes each value into (−1, 1). Candidates and hidden states use it.',
    'Comprime cada valor al intervalo (−1, 1). Los candidatos y los estados ocultos la usan.',
  ),
  examples: [{ doc: text('tanh(0) = 0, odd function', 'tanh(0) = 0, función impar'), inputs: [[0, 1, -1]], output: [0, 0.7615941559557649, -0.7615941559557649] }],
  gradcheck: { low: -3, high: 3 },
} as const satisfies NodeDef;
