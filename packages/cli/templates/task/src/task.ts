import {
  createTableExample,
  type ExampleRequest,
  type OptionsOf,
  optionsSchema,
  type Random,
  type StateValue,
  type TableExample,
  type Task,
  type TaskShape,
} from '@diffstruct/core';

/** The options a config may set under `task:` (validated, with these defaults filled in). */
export const __CONSTANT___OPTIONS = optionsSchema({
  radius: { type: 'number', exclusiveMinimum: 0, maximum: 1.4, default: 0.7, description: 'points closer to the centre than this are class "inside"' },
});
export type __Class__Options = OptionsOf<typeof __CONSTANT___OPTIONS>;

/** Rows per example when the model asks for none. */
const DEFAULT_BATCH_SIZE = 32;

/**
 * A table task: points uniform in [−1, 1]², classed "inside" when closer to the centre than
 * `radius`, else "outside". Rows are drawn afresh every cycle from the run's data stream, so a
 * seed fixes every example. A starting point: make `next` yours.
 */
export class __Class__ implements Task<TableExample> {
  readonly type = '__type__';
  readonly shape: TaskShape = { kind: 'table', inputSize: 2, outputSize: 2, targets: 'classes', classes: ['outside', 'inside'] };

  constructor(
    private readonly options: __Class__Options,
    private readonly random: Random,
  ) {}

  /** The labels are a function of the features: a perfect classifier's loss is 0. */
  entropyFloor(): number | undefined {
    return 0;
  }

  createExample(request: ExampleRequest): TableExample {
    return createTableExample(this.shape, request.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  next(example: TableExample): void {
    const r2 = this.options.radius ** 2;
    for (let row = 0; row < example.batchSize; row++) {
      const x = 2 * this.random.uniform() - 1;
      const y = 2 * this.random.uniform() - 1;
      example.inputs[2 * row] = x;
      example.inputs[2 * row + 1] = y;
      example.labels[row] = x * x + y * y < r2 ? 1 : 0;
    }
  }

  /** One phase all along; a task made of stages would name each (the trainer resets carried state at a change). */
  phase(): string {
    return this.type;
  }

  /** Nothing beyond the data stream, which the run saves; a task that remembers anything between examples saves it here. */
  saveState(): StateValue {
    return null;
  }

  loadState(): void {}
}
