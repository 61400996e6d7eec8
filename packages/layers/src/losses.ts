/**
 * Mean softmax cross-entropy of `batch` rows of `classes` logits against `labels`; writes its
 * gradient with respect to the logits into `dLogits` when given.
 */
export function softmaxCrossEntropy(logits: Float64Array, labels: Int32Array, batch: number, classes: number, dLogits: Float64Array | null): number {
  let loss = 0;
  for (let r = 0; r < batch; r++) {
    const row = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[row + c] > max) max = logits[row + c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
    const label = labels[r];
    loss += Math.log(sum) + max - logits[row + label];
    if (dLogits) {
      for (let c = 0; c < classes; c++) dLogits[row + c] = Math.exp(logits[row + c] - max) / sum / batch;
      dLogits[row + label] -= 1 / batch;
    }
  }
  return loss / batch;
}

/** Each of `batch` rows of `classes` logits as probabilities (the softmax `softmaxCrossEntropy` scores), into `probabilities`. */
export function softmaxRows(logits: Float64Array, batch: number, classes: number, probabilities: Float64Array): void {
  for (let r = 0; r < batch; r++) {
    const row = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[row + c] > max) max = logits[row + c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += probabilities[row + c] = Math.exp(logits[row + c] - max);
    for (let c = 0; c < classes; c++) probabilities[row + c] /= sum;
  }
}

/** Mean over rows and outputs of (y − t)²; its gradient into `dOutputs` when given. */
export function meanSquaredError(outputs: Float64Array, targets: Float64Array, batch: number, size: number, dOutputs: Float64Array | null): number {
  const n = batch * size;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const d = outputs[i] - targets[i];
    loss += d * d;
    if (dOutputs) dOutputs[i] = (2 * d) / n;
  }
  return loss / n;
}

/** The index of the largest of `values[from .. from + count)`, from 0; the first on a tie. */
export function argmaxRow(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[from + i] > values[from + best]) best = i;
  return best;
}

/** Rows of `batch` whose largest logit (the first, on a tie) is at their label. */
export function correctClasses(logits: Float64Array, labels: Int32Array, batch: number, classes: number): number {
  let correct = 0;
  for (let r = 0; r < batch; r++) if (argmaxRow(logits, r * classes, classes) === labels[r]) correct++;
  return correct;
}
