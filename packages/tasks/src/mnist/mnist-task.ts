import {
  createTableExample,
  type ExampleRequest,
  type HeldOutSplit,
  type OptionProblem,
  type OptionsOf,
  optionsSchema,
  type Random,
  RandomStream,
  type RowEncoder,
  type StateValue,
  type TableExample,
  type Task,
  type TaskShape,
} from '@diffstruct/core';
import { DEFAULT_BATCH_SIZE } from '../table/generated-table-task.js';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistDigits, mnistDigitsOnce } from './mnist-digits.js';

const splitSize = (count: number) =>
  ({
    type: 'number',
    minimum: 0,
    default: count,
    description: 'digits held out: a count, or below 1 a fraction of all the digits',
  }) as const;

export const MNIST_OPTIONS = optionsSchema({
  split: {
    type: 'object',
    properties: { validation: splitSize(1000), test: splitSize(1000) },
    additionalProperties: false,
    default: { validation: 1000, test: 1000 },
    description:
      'digits held out from training, each a count or (below 1) a fraction of the 10,000: validation (evaluated while training, eval:) and test (at the end); training gets the rest',
  },
  splitSeed: {
    type: 'integer',
    minimum: 0,
    maximum: 2 ** 31 - 1,
    default: 0,
    description: "the seed of the split's shuffle, apart from the run's: every seed of a run trains and is tested on the same digits",
  },
});
export type MnistOptions = OptionsOf<typeof MNIST_OPTIONS>;

/** The digits the package ships; a split is checked against it without reading the files. */
export const MNIST_DIGITS = 10_000;

/** A split size as a number of digits: a fraction below 1 of `total`, rounded, or a count. */
export function splitCount(size: number, total: number): number {
  return size < 1 ? Math.round(size * total) : size;
}

/** The split's sizes that cannot work: counts that are not whole, or held-out parts that leave no digit to train on. */
export function checkMnistSplit(options: MnistOptions, total = MNIST_DIGITS): OptionProblem[] {
  const { validation = 1000, test = 1000 } = options.split;
  const problems: OptionProblem[] = [];
  for (const [key, size] of [
    ['validation', validation],
    ['test', test],
  ] as const)
    if (size >= 1 && !Number.isInteger(size)) problems.push({ message: `{split.${key}} must be a whole count of digits, or a fraction below 1` });
  if (problems.length === 0 && splitCount(validation, total) + splitCount(test, total) >= total)
    problems.push({ message: `{split.validation} and {split.test} together must leave digits to train on: the package has ${total}` });
  return problems;
}

/**
 * The `mnist` package's 10,000 handwritten digits, 28 × 28 pixels in [0, 1], classed 0 to 9. A
 * shuffle seeded by `splitSeed` (not the run's seed) orders them once: the first `validation`
 * are the validation split, the next `test` the test split, the rest train. Each cycle's batch is
 * training rows drawn at random with replacement from the run's data stream, as the csv task
 * draws: no epoch order to checkpoint, and a resumed run draws the same rows.
 */
export class MnistTask implements Task<TableExample> {
  readonly type = 'mnist';
  readonly shape: TaskShape = { kind: 'table', inputSize: MNIST_PIXELS, outputSize: 10, targets: 'classes', classes: MNIST_CLASSES };
  /** Digit indices in split order: validation, test, then training. */
  private readonly order: Int32Array;
  private readonly sizes: Readonly<Record<HeldOutSplit | 'train', number>>;

  constructor(
    options: MnistOptions,
    private readonly random: Random,
    /** The digits as `readMnistDigits` gave them in the main thread; read here when absent. */
    private readonly digits: MnistDigits = mnistDigitsOnce(),
  ) {
    const { validation = 1000, test = 1000 } = options.split;
    const total = digits.rows;
    this.order = Int32Array.from({ length: total }, (_, i) => i);
    new RandomStream(options.splitSeed, 'mnist-split').shuffle(this.order);
    const [v, t] = [splitCount(validation, total), splitCount(test, total)];
    this.sizes = { validation: v, test: t, train: total - v - t };
  }

  /** Digits in each part: validation, test, train. */
  get splitSizes(): Readonly<Record<HeldOutSplit | 'train', number>> {
    return this.sizes;
  }

  entropyFloor(): number | undefined {
    return undefined;
  }

  createExample(request: ExampleRequest): TableExample {
    return createTableExample(this.shape, request.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  next(example: TableExample): void {
    const trainStart = this.sizes.validation + this.sizes.test;
    for (let row = 0; row < example.batchSize; row++) this.copyDigit(this.order[trainStart + this.random.int(this.sizes.train)], example, row);
  }

  heldOutSize(split: HeldOutSplit): number {
    return this.sizes[split];
  }

  fillHeldOut(split: HeldOutSplit, example: TableExample, first: number): void {
    const size = this.sizes[split];
    if (!Number.isInteger(first) || first < 0 || first + example.batchSize > size)
      throw new RangeError(`mnist: rows ${first} to ${first + example.batchSize - 1} of the ${split} split, which has ${size}`);
    const start = split === 'validation' ? 0 : this.sizes.validation;
    for (let row = 0; row < example.batchSize; row++) this.copyDigit(this.order[start + first + row], example, row);
  }

  /** New digits as the training ones: 784 pixels in [0, 1], row by row, taken as they are; a leading label column is ignored. */
  rowEncoder(): RowEncoder {
    return {
      features: Array.from({ length: MNIST_PIXELS }, (_, i) => `pixel${i}`),
      label: 'label',
      labelIndex: 0,
      header: false,
      range: { min: 0, max: 1, hint: 'pixels of 0 to 255 are divided by 255' },
      encode(values, inputs, offset) {
        inputs.set(values, offset);
      },
    };
  }

  phase(): string {
    return 'mnist';
  }

  saveState(): StateValue {
    return null;
  }

  loadState(): void {}

  private copyDigit(digit: number, example: TableExample, row: number): void {
    const { pixels, labels } = this.digits;
    const from = digit * MNIST_PIXELS;
    const to = row * MNIST_PIXELS;
    // A loop, not subarray + set: this runs for every row of every batch and allocates nothing.
    for (let p = 0; p < MNIST_PIXELS; p++) example.inputs[to + p] = pixels[from + p];
    example.labels[row] = labels[digit];
  }
}
