import { mapUnary, onePort, sameSizeInputs, text, vjpUnary } from './kit';
import { multiply } from './multiply';
import { subtract } from './subtract';
import { PRECEDENCE, type ComputeContext, type DecompositionBuilder, type NodeDef } from './types';

/**
 * Per row: x̂ = (x − mean(x)) / √(var(x) + ε), with the biased variance (as PyTorch's
 * nn.LayerNorm), and the row's 1/√(var + ε), which the VJP reuses.
 */
function normalise({ inputs, outSize, params }: ComputeContext): { xhat: Float64Array; inverse: Float64Array } {
  const x = inputs[0];
  const rows = x.length / outSize;
  const xhat = new Float64Array(x.length);
  const inverse = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * outSize, (r + 1) * outSize);
    const mean = row.reduce((a, v) => a + v, 0) / outSize;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / outSize;
    inverse[r] = 1 / Math.sqrt(variance + (params.eps as number));
    row.forEach((v, j) => (xhat[r * outSize + j] = (v - mean) * inverse[r]));
  }
  return { xhat, inverse };
}

/**
 * The two elementwise steps of layer norm's decomposition for the fast path (never on the
 * palette): 1/√(v + ε) of the variance, and the learned gain and bias.
 */
const inverseDeviation = {
  kind: 'layer-norm-inverse-deviation',
  label: text('1/√(variance + ε)', '1/√(varianza + ε)'),
  symbol: '1/√',
  category: 'elementwise',
  role: 'op',
  params: { eps: { type: 'number', default: 1e-5, min: 1e-12, max: 1, doc: text('Added to the variance.', 'Se suma a la varianza.') } },
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  forward: (ctx) => mapUnary((v) => 1 / Math.sqrt(v + (ctx.params.eps as number)))(ctx),
  // d/dv (v + ε)^(−1/2) = −½ (v + ε)^(−3/2) = −½ y³
  backward: vjpUnary((_v, y) => -0.5 * y * y * y),
  kernel: {
    forward: ({ inputs: [v], params, code }) => `(1.0 / Math.sqrt(${v} + ${code.num(params.eps as number)}))`,
    backward: ({ output: y, grad: g }) => [`(-0.5 * ${g} * ${y} * ${y} * ${y})`],
    saveOutput: true,
  },
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => `\\left(${inputs[0]} + \\epsilon\\right)^{-1/2}`,
  text: ({ inputs }) => `(${inputs[0]} + ε)^(−1/2)`,
  docs: text('One over the deviation, a step of layer norm on the fast path.', 'Uno entre la desviación, un paso de la normalización de capa en la vía rápida.'),
  examples: [{ doc: text('1/√(3 + ε)', '1/√(3 + ε)'), params: { eps: 1 }, inputs: [[3]], output: [0.5] }],
  gradcheck: { low: 0.5, high: 2 },
} as const satisfies NodeDef;

const gainAndBias = {
  kind: 'layer-norm-gain-bias',
  label: text('Gain and bias', 'Ganancia y sesgo'),
  symbol: 'g⊙v+b',
  category: 'parameter',
  role: 'op',
  params: {},
  inputPorts: onePort,
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  weights: ({ outSize }) => [
    { name: 'g', shape: [outSize], init: { kind: 'constant', value: 1 } },
    { name: 'b', shape: [outSize], init: { kind: 'zeros' } },
  ],
  forward: ({ inputs, outSize, weights }) => inputs[0].map((v, i) => weights.g[i % outSize] * v + weights.b[i % outSize]),
  backward: ({ inputs, outSize, weights, gradOutput }) => {
    const gg = new Float64Array(outSize);
    const gb = new Float64Array(outSize);
    gradOutput.forEach((g, i) => {
      gg[i % outSize] += g * inputs[0][i];
      gb[i % outSize] += g;
    });
    return { inputs: [gradOutput.map((g, i) => g * weights.g[i % outSize])], weights: { g: gg, b: gb } };
  },
  kernel: {
    forward: ({ inputs: [x], weights }) => `(${x} * ${weights.g} + ${weights.b})`,
    backward: ({ weights, grad: g }) => [`(${g} * ${weights.g})`],
    weightGrads: ({ inputs: [x], grad: g }) => ({ g: `(${g} * ${x})`, b: g }),
  },
  precedence: PRECEDENCE.sum,
  operandPrecedence: PRECEDENCE.product,
  latex: ({ inputs, subscript }) => `g_{${subscript}} \\odot ${inputs[0]} + b_{${subscript}}`,
  text: ({ inputs, subscript }) => `g_${subscript} ⊙ ${inputs[0]} + b_${subscript}`,
  docs: text('The learned gain and bias, the last step of layer norm on the fast path.', 'La ganancia y el sesgo aprendidos, el último paso de la normalización de capa en la vía rápida.'),
  examples: [{ doc: text('g ⊙ v + b', 'g ⊙ v + b'), inputs: [[1, -2]], weights: { g: [2, 0.5], b: [0, 1] }, output: [2, 0] }],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;

/**
 * Layer norm for the fused kernels, which compute element by element: the row's mean and
 * variance are products with a fixed matrix of 1/n (each output element gets the whole row's
 * mean), the rest is elementwise. Costs 2 products of n × n per step, like a recurrent gate.
 */
function decompose(b: DecompositionBuilder): number {
  const [x] = b.inputs;
  const n = b.outSize;
  const centred = b.op(subtract, [x, b.fixedProduct(x, 1 / n)]);
  const variance = b.fixedProduct(b.op(multiply, [centred, centred]), 1 / n);
  const xhat = b.op(multiply, [centred, b.op(inverseDeviation, [variance], { params: { eps: b.params.eps } })]);
  return b.op(gainAndBias, [xhat], { tensors: { g: b.tensors.g, b: b.tensors.b } });
}

export const layerNorm = {
  kind: 'layer-norm',
  label: text('Layer norm', 'Normalización de capa'),
  symbol: 'LN',
  // Learned gain and bias like scale's vector; unlike every other op it reads the whole vector (a reduction).
  category: 'parameter',
  role: 'op',
  params: {
    eps: { type: 'number', default: 1e-5, min: 1e-12, max: 1, doc: text('Added to the variance before the square root (PyTorch\'s default).', 'Se suma a la varianza antes de la raíz cuadrada (el valor por defecto de PyTorch).') },
  },
  inputPorts: () => ['in'],
  outputPort: 'out',
  shape: sameSizeInputs(['in']),
  weights: ({ outSize }) => [
    { name: 'g', shape: [outSize], init: { kind: 'constant', value: 1 } },
    { name: 'b', shape: [outSize], init: { kind: 'zeros' } },
  ],
  forward: (ctx) => {
    const { xhat } = normalise(ctx);
    const { g, b } = ctx.weights;
    return xhat.map((v, i) => g[i % ctx.outSize] * v + b[i % ctx.outSize]);
  },
  // ∂x = (1/σ)(ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) per row, with ĝ = ∂y ⊙ g; ∂g = Σ ∂y ⊙ x̂, ∂b = Σ ∂y.
  backward: (ctx) => {
    const { xhat, inverse } = normalise(ctx);
    const { outSize: n, gradOutput, weights } = ctx;
    const gx = new Float64Array(xhat.length);
    const gg = new Float64Array(n);
    const gb = new Float64Array(n);
    for (let r = 0; r < inverse.length; r++) {
      let meanG = 0;
      let meanGx = 0;
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        const ghat = gradOutput[i] * weights.g[j];
        meanG += ghat / n;
        meanGx += (ghat * xhat[i]) / n;
        gg[j] += gradOutput[i] * xhat[i];
        gb[j] += gradOutput[i];
      }
      for (let j = 0; j < n; j++) {
        const i = r * n + j;
        gx[i] = inverse[r] * (gradOutput[i] * weights.g[j] - meanG - xhat[i] * meanGx);
      }
    }
    return { inputs: [gx], weights: { g: gg, b: gb } };
  },
  // No kernel templates (each element reads its whole row): the fast path trains the decomposition.
  decompose,
  precedence: PRECEDENCE.sum,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs, subscript }) => `g_{${subscript}} \\odot \\operatorname{LN}\\left(${inputs[0]}\\right) + b_{${subscript}}`,
  text: ({ inputs, subscript }) => `g_${subscript} ⊙ LN(${inputs[0]}) + b_${subscript}`,
  export: {
    pytorch: ({ inputs, weights, outSize, params }) => `torch.nn.functional.layer_norm(${inputs[0]}, [${outSize}], ${weights.g}, ${weights.b}, ${String(params.eps)})`,
    tfjs: ({ inputs: [x], weights, params }) =>
      `tf.add(tf.mul(tf.div(tf.sub(${x}, tf.mean(${x}, -1, true)), tf.sqrt(tf.add(tf.moments(${x}, -1, true).variance, ${String(params.eps)}))), ${weights.g}), ${weights.b})`,
  },
  docs: text(
    'Normalises each vector to mean 0 and variance 1, then applies a learned gain g and bias b (Ba et al., 2016). It reads the whole vector: the fast path computes its mean and variance as products with a fixed matrix.',
    'Normaliza cada vector a media 0 y varianza 1 y aplica una ganancia g y un sesgo b aprendidos (Ba et al., 2016). Lee el vector entero: la vía rápida calcula su media y su varianza como productos por una matriz fija.',
  ),
  examples: [
    { doc: text('mean 2 and variance 2/3 removed, then gain and bias', 'se quitan la media 2 y la varianza 2/3; luego ganancia y sesgo'), inputs: [[1, 2, 3]], weights: { g: [2, 1, 0.5], b: [0, 1, 0] }, output: [-2.4494713718167804, 1, 0.6123678429541951] },
  ],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
