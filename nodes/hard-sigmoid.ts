import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

/**
 * PyTorch's nn.Hardsigmoid: clip(x/6 + 1/2, 0, 1), flat outside (−3, 3). Keras's
 * older hard_sigmoid (clip(0.2x + 0.5, 0, 1)) is a different function: exports
 * target PyTorch, so this is the one every path computes.
 */
const hardSigmoidOf = (x: number): number => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5);

export const hardSigmoid = {
  kind: 'hard-sigmoid',
  label: text('Hard sigmoid', 'Sigmoide dura'),
  symbol: 'hσ',
  category: 'elementwise',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: mapUnary(hardSigmoidOf),
  // 1/6 inside (−3, 3), 0 outside and at the kinks, as PyTorch's hardsigmoid_backward.
  backward: vjpUnary((x) => (x > -3 && x < 3 ? 1 / 6 : 0)),
  kernel: {
    forward: ({ inputs: [x] }) => `(${x} <= -3.0 ? 0.0 : (${x} >= 3.0 ? 1.0 : ${x} / 6.0 + 0.5))`,
    backward: ({ inputs: [x], grad: g }) => [`(${x} > -3.0 && ${x} < 3.0 ? ${g} / 6.0 : 0.0)`],
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\operatorname{hard\\sigma}\\left(${inputs[0]}\\right)`,
  text: ({ inputs }) => `hardσ(${inputs[0]})`,
  export: {
    // nn.Hardsigmoid's function, written out: its float64 backward multiplies by a float32 1/6 (3e-8 off).
    // clamp passes the gradient at exactly ±3, where hardsigmoid gives 0; nothing else differs.
    pytorch: ({ inputs }) => `torch.clamp(${inputs[0]} / 6.0 + 0.5, 0.0, 1.0)`,
    tfjs: ({ inputs }) => `tf.clipByValue(tf.add(tf.div(${inputs[0]}, 6), 0.5), 0, 1)`,
  },
  docs: text(
    'A piecewise-linear gate, PyTorch\'s Hardsigmoid: clip(v/6 + 1/2, 0, 1); 0 below −3, 1 above 3, cheap and exactly saturating.',
    'Una compuerta lineal a trozos, la Hardsigmoid de PyTorch: clip(v/6 + 1/2, 0, 1); 0 por debajo de −3, 1 por encima de 3, barata y con saturación exacta.',
  ),
  examples: [
    { doc: text('hardσ(0) = 0.5; flat outside (−3, 3)', 'hardσ(0) = 0,5; plana fuera de (−3, 3)'), inputs: [[0, 1.5, -4, 3]], output: [0.5, 0.75, 0, 1] },
  ],
  gradcheck: { low: -4, high: 4, kinks: [-3, 3], margin: 0.05 },
} as const satisfies NodeDef;
