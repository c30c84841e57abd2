import { mapBinary, sameSizeInputs, text, twoPorts } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const subtract = {
  kind: 'subtract',
  label: text('Subtract', 'Resta'),
  symbol: '−',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: twoPorts,
  outputPort: 'out',
  shape: sameSizeInputs(['a', 'b']),
  forward: mapBinary((a, b) => a - b),
  backward: ({ gradOutput }) => ({ inputs: [gradOutput.slice(), gradOutput.map((g) => -g)] }),
  kernel: {
    forward: ({ inputs: [a, b] }) => `(${a} - ${b})`,
    backward: ({ grad: g }) => [g, `(0.0 - ${g})`],
  },
  precedence: PRECEDENCE.sum,
  // b − (c + d) needs its parentheses.
  operandPrecedence: PRECEDENCE.product,
  latex: ({ inputs }) => `${inputs[0]} - ${inputs[1]}`,
  text: ({ inputs }) => `${inputs[0]} − ${inputs[1]}`,
  export: {
    pytorch: ({ inputs }) => `${inputs[0]} - ${inputs[1]}`,
    tfjs: ({ inputs }) => `tf.sub(${inputs[0]}, ${inputs[1]})`,
  },
  docs: text('Computes a − b elementwise.', 'Calcula a − b elemento a elemento.'),
  examples: [{ doc: text('elementwise difference', 'diferencia elemento a elemento'), inputs: [[1, 2], [0.5, -3]], output: [0.5, 5] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
