import type { EvaluationTally, TableExample, TaskShape } from '@diffstruct/core';
import { correctClasses, meanSquaredError, softmaxCrossEntropy, softmaxRows } from './losses.js';

/** The loss a table task calls for: softmax cross-entropy for classes, mean squared error for values. */
export class TableLoss {
  readonly chanceLoss: number;
  private readonly values: boolean;

  constructor(private readonly shape: TaskShape) {
    this.values = shape.targets === 'values';
    // A uniform guess over the classes; for values, standardised targets' variance.
    this.chanceLoss = this.values ? 1 : Math.log(shape.outputSize);
  }

  /** The mean loss of `outputs` on the example; its gradient into `dOutputs` when given. */
  of(outputs: Float64Array, example: TableExample, dOutputs: Float64Array | null): number {
    const { batchSize } = example;
    return this.values
      ? meanSquaredError(outputs, example.targets, batchSize, this.shape.outputSize, dOutputs)
      : softmaxCrossEntropy(outputs, example.labels, batchSize, this.shape.outputSize, dOutputs);
  }

  /** What `outputs` predict for `batch` rows: each class's probability for classes, the values themselves for values. */
  predictions(outputs: Float64Array, batch: number, into: Float64Array): void {
    const n = batch * this.shape.outputSize;
    if (this.values) into.set(outputs.subarray(0, n));
    else softmaxRows(outputs, batch, this.shape.outputSize, into);
  }

  /** Adds the example's rows to a held-out tally: each row's loss (the mean's per-row sum), one prediction per row, the rows classed right. */
  tally(outputs: Float64Array, example: TableExample, tally: EvaluationTally): void {
    const { batchSize } = example;
    tally.loss += this.of(outputs, example, null) * batchSize;
    tally.predictions += batchSize;
    if (!this.values) tally.correct += correctClasses(outputs, example.labels, batchSize, this.shape.outputSize);
  }
}
