import { sameSizeInputs, text } from './kit';
import { PRECEDENCE, type ComputeContext, type NodeDef } from './types';

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
  // No kernel: the fast path's planner fuses elementwise ops only, so it refuses a cell with a
  // layer norm (src/compiler/plan.ts) and `auto` trains it on the reference runtime.
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
    'Normalises each vector to mean 0 and variance 1, then applies a learned gain g and bias b (Ba et al., 2016). It reads the whole vector, so cells with it train on the reference runtime.',
    'Normaliza cada vector a media 0 y varianza 1 y aplica una ganancia g y un sesgo b aprendidos (Ba et al., 2016). Lee el vector entero, así que las celdas que la usan se entrenan en el entorno de referencia.',
  ),
  examples: [
    { doc: text('mean 2 and variance 2/3 removed, then gain and bias', 'se quitan la media 2 y la varianza 2/3; luego ganancia y sesgo'), inputs: [[1, 2, 3]], weights: { g: [2, 1, 0.5], b: [0, 1, 0] }, output: [-2.4494713718167804, 1, 0.6123678429541951] },
  ],
  gradcheck: { low: -2, high: 2 },
} as const satisfies NodeDef;
