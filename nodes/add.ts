import { mapBinary, sameSizeInputs, text, twoPorts } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const add = {
  kind: 'add',
  label: text('Add', 'Suma'),
  symbol: '+',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: twoPorts,
  outputPort: 'out',
  shape: sameSizeInputs(['a', 'b']),
  forward: mapBinary((a, b) => a + b),
  backward: ({ gradOutput }) => ({ inputs: [gradOutput.slice(), gradOutput.slice()] }),
  kernel: {
    forward: ({ inputs: [a, b] }) => `(${a} + ${b})`,
    backward: ({ grad: g }) => [g, g],
  },
  commutative: true,
  precedence: PRECEDENCE.sum,
  operandPrecedence: PRECEDENCE.sum,
  latex: ({ inputs }) => `${inputs[0]} + ${inputs[1]}`,
  text: ({ inputs }) => `${inputs[0]} + ${inputs[1]}`,
  export: {
    pytorch: ({ inputs }) => `${inputs[0]} + ${inputs[1]}`,
    tfjs: ({ inputs }) => `tf.add(${inputs[0]}, ${inputs[1]})`,
  },
  docs: text(
    'Adds two vectors elementwise, as in the LSTM memory update c = f⊙c + u⊙c′.',
    'Suma dos vectores elemento a elemento, como en la actualización de memoria de la LSTM c = f⊙c + u⊙c′.',
  ),
  examples: [{ doc: text('elementwise sum', 'suma elemento a elemento'), inputs: [[1, 2], [0.5, -3]], output: [1.5, -1] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
