import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

/** σ(x) without overflow for large |x| (softplus' derivative uses it too). */
export const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export const sigmoid = {
  kind: 'sigmoid',
  label: text('Sigmoid', 'Sigmoide'),
  symbol: 'σ',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary(sigma),
  // σ'(x) = σ(x)(1 − σ(x)): reuse the forward output.
  backward: vjpUnary((_x, y) => y * (1 - y)),
  kernel: {
    saveOutput: true,
    forward: ({ inputs: [x], code }) => code.sigmoid(x),
    backward: ({ output: y, grad: g }) => [`${g} * ${y} * (1.0 - ${y})`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\sigma\\left(${inputs[0]}\\right)`,
  text: ({ inputs }) => `σ(${inputs[0]})`,
  export: {
    pytorch: ({ inputs }) => `torch.sigmoid(${inputs[0]})`,
    tfjs: ({ inputs }) => `tf.sigmoid(${inputs[0]})`,
  },
  docs: text(
    'Squashes each value into (0, 1). Gates use it: 0 closes, 1 lets everything through.',
    'Comprime cada valor al intervalo (0, 1). Las compuertas la usan: 0 cierra, 1 deja pasar todo.',
  ),
  examples: [
    { doc: text('σ(0) = 0.5; large inputs saturate', 'σ(0) = 0,5; las entradas grandes saturan'), inputs: [[0, 2, -2]], output: [0.5, 0.8807970779778823, 0.11920292202211755] },
  ],
  gradcheck: { low: -4, high: 4 },
} as const satisfies NodeDef;
