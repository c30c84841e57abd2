import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const identity = {
  kind: 'identity',
  label: text('Identity', 'Identidad'),
  symbol: 'id',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary((x) => x),
  backward: vjpUnary(() => 1),
  // Passes its operand through, so it binds as loosely as the operand may.
  kernel: {
    forward: ({ inputs: [x] }) => x,
    backward: ({ grad: g }) => [g],
  },
  precedence: PRECEDENCE.sum,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => inputs[0],
  text: ({ inputs }) => inputs[0],
  export: {
    pytorch: ({ inputs }) => inputs[0],
    tfjs: ({ inputs }) => inputs[0],
  },
  docs: text(
    'Passes the vector through unchanged: a linear activation, or a named point in the diagram.',
    'Deja pasar el vector sin cambios: una activación lineal o un punto con nombre en el diagrama.',
  ),
  examples: [{ doc: text('unchanged', 'sin cambios'), inputs: [[1, -2, 3]], output: [1, -2, 3] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
