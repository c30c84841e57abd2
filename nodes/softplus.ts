import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { sigma } from './sigmoid';
import { PRECEDENCE, type NodeDef } from './types';

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^−|x|). */
const softplusOf = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export const softplus = {
  kind: 'softplus',
  label: text('Softplus', 'Softplus'),
  symbol: 'softplus',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary(softplusOf),
  // softplus'(x) = σ(x).
  backward: vjpUnary((x) => sigma(x)),
  kernel: {
    // e^−|x| = (1 − t) / (1 + t) with t = tanh(|x| / 2), so log(1 + e^−|x|) = log 2 − log(1 + t):
    // the σ/tanh approximation the other kernels use, and one log (finite for every x).
    forward: ({ inputs: [x], code }) => {
      const t = code.tanh(code.local(`(${x} > 0.0 ? ${x} : 0.0 - ${x}) * 0.5`));
      return `(${x} > 0.0 ? ${x} : 0.0) + ${code.num(Math.LN2)} - Math.log(1.0 + ${t})`;
    },
    backward: ({ inputs: [x], grad: g, code }) => [`${g} * ${code.sigmoid(x)}`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\operatorname{softplus}\\left(${inputs[0]}\\right)`,
  text: ({ inputs }) => `softplus(${inputs[0]})`,
  export: {
    pytorch: ({ inputs }) => `torch.nn.functional.softplus(${inputs[0]})`,
    tfjs: ({ inputs }) => `tf.softplus(${inputs[0]})`,
  },
  docs: text(
    'Computes log(1 + e^v): a smooth ReLU, always positive (its derivative is σ(v)).',
    'Calcula log(1 + e^v): una ReLU suave, siempre positiva (su derivada es σ(v)).',
  ),
  examples: [
    { doc: text('softplus(0) = log 2; large inputs pass almost unchanged', 'softplus(0) = log 2; las entradas grandes pasan casi iguales'), inputs: [[0, 2, -2, 40]], output: [Math.LN2, 2.1269280110429727, 0.1269280110429725, 40] },
  ],
  gradcheck: { low: -4, high: 4 },
} as const satisfies NodeDef;
