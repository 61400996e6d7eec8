import { createTableExample, type ExampleRequest, type Random, type StateValue, type TableExample, type Task, type TaskShape } from '@diffstruct/core';

/** Rows per example when the model asks for none. */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * A classification table drawn afresh every cycle from the run's data stream: an endless
 * supply of rows, so training loss is also test loss. Subclasses draw one row at a time.
 */
export abstract class GeneratedTableTask implements Task<TableExample> {
  abstract readonly type: string;
  readonly shape: TaskShape;

  constructor(
    protected readonly random: Random,
    inputSize: number,
    classes: readonly string[],
  ) {
    this.shape = { kind: 'table', inputSize, outputSize: classes.length, targets: 'classes', classes };
  }

  /** Writes one row's features at `inputs[offset…]` and returns its class. */
  protected abstract drawRow(inputs: Float64Array, offset: number): number;

  /** Labels are a function of the features: a perfect classifier's loss is 0. */
  entropyFloor(): number | undefined {
    return 0;
  }

  createExample(request: ExampleRequest): TableExample {
    return createTableExample(this.shape, request.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  next(example: TableExample): void {
    const n = this.shape.inputSize;
    for (let row = 0; row < example.batchSize; row++) example.labels[row] = this.drawRow(example.inputs, row * n);
  }

  phase(): string {
    return this.type;
  }

  /** Nothing beyond the data stream, which the run saves. */
  saveState(): StateValue {
    return null;
  }

  loadState(): void {}
}
