import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const relu = {
  kind: 'relu',
  label: text('ReLU', 'ReLU'),
  symbol: 'ReLU',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary((x) => (x > 0 ? x : 0)),
  // The kink at 0 gets derivative 0, as in PyTorch.
  backward: vjpUnary((x) => (x > 0 ? 1 : 0)),
  kernel: {
    forward: ({ inputs: [x] }) => `(${x} > 0.0 ? ${x} : 0.0)`,
    backward: ({ inputs: [x], grad: g }) => [`(${x} > 0.0 ? ${g} : 0.0)`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\operatorname{ReLU}\\left(${inputs[0]}\\right)`,
  text: ({ inputs }) => `relu(${inputs[0]})`,
  export: {
    pytorch: ({ inputs }) => `torch.relu(${inputs[0]})`,
    tfjs: ({ inputs }) => `tf.relu(${inputs[0]})`,
  },
  docs: text(
    'Keeps positive values and replaces negative ones by 0 (used by IndRNN-style cells).',
    'Conserva los valores positivos y cambia los negativos por 0 (celdas tipo IndRNN).',
  ),
  examples: [{ doc: text('negatives become 0', 'los negativos pasan a 0'), inputs: [[-1.5, 0, 2]], output: [0, 0, 2] }],
  gradcheck: { low: -2, high: 2, kinks: [0], margin: 0.05 },
} as const satisfies NodeDef;
