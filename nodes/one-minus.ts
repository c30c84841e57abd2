import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const oneMinus = {
  kind: 'one-minus',
  label: text('One minus', 'Uno menos'),
  symbol: '1−',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary((x) => 1 - x),
  backward: vjpUnary(() => -1),
  kernel: {
    forward: ({ inputs: [x] }) => `(1.0 - ${x})`,
    backward: ({ grad: g }) => [`(0.0 - ${g})`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.product,
  latex: ({ inputs }) => `\\left(1 - ${inputs[0]}\\right)`,
  text: ({ inputs }) => `(1 − ${inputs[0]})`,
  export: {
    pytorch: ({ inputs }) => `1.0 - ${inputs[0]}`,
    tfjs: ({ inputs }) => `tf.sub(1, ${inputs[0]})`,
  },
  docs: text(
    'Computes 1 − v: the complement of a gate, as in the GRU (1 − z) or a coupled forget gate.',
    'Calcula 1 − v: el complemento de una compuerta, como en la GRU (1 − z) o una compuerta de olvido acoplada.',
  ),
  examples: [{ doc: text('a gate and its complement', 'una compuerta y su complemento'), inputs: [[0.25, 1, 0]], output: [0.75, 0, 1] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
