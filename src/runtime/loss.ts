/**
 * Losses on the readout's output. Each returns the mean loss over the rows it
 * scores and ∂loss/∂prediction, so a step's gradient does not grow with the batch.
 */

export interface LossResult {
  /** Mean over the scored rows (nats for cross-entropy). */
  readonly loss: number;
  readonly grad: Float64Array;
}

/**
 * Softmax cross-entropy. `logits` is [rows × classes]; `labels[r]` the class of row r.
 * Stable: subtracts each row's maximum before exponentiating.
 */
export function softmaxCrossEntropy(logits: Float64Array, labels: Int32Array, classes: number): LossResult {
  const rows = labels.length;
  const grad = new Float64Array(logits.length);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const probs = softmax(row);
    total -= Math.log(Math.max(probs[labels[r]], Number.MIN_VALUE));
    for (let k = 0; k < classes; k++) grad[r * classes + k] = (probs[k] - (k === labels[r] ? 1 : 0)) / rows;
  }
  return { loss: total / rows, grad };
}

/** Mean squared error over every element: mean((p − y)²). */
export function meanSquaredError(prediction: Float64Array, target: Float64Array): LossResult {
  const n = prediction.length;
  const grad = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = prediction[i] - target[i];
    total += d * d;
    grad[i] = (2 * d) / n;
  }
  return { loss: total / n, grad };
}

export function softmax(row: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < row.length; k++) max = Math.max(max, row[k] / temperature);
  const out = Float64Array.from({ length: row.length }, (_, k) => Math.exp(row[k] / temperature - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}
