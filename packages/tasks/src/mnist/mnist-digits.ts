import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataFileReader, DiffstructError, type ReadDataFile } from '@diffstruct/core';

/** Pixels of one digit: 28 × 28, row by row. */
export const MNIST_PIXELS = 28 * 28;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
/** Largest digit file read: the package's are about 2.3 MB each. */
const MAX_DIGIT_FILE_BYTES = 16 << 20;

/**
 * The `mnist` package's 10,000 digits (1,000 or so of each class), in the order its files hold
 * them: digit by digit, 0 to 9. Pixels are in [0, 1] as the package ships them. The arrays sit in
 * SharedArrayBuffers: sent to worker threads, they are shared, not copied.
 */
export interface MnistDigits {
  readonly rows: number;
  /** rows × MNIST_PIXELS, row-major. */
  readonly pixels: Float64Array;
  readonly labels: Int32Array;
}

/** The package's digit files, `src/digits/<class>.json`, each `{"data": [pixels of every image]}`. */
export function mnistDigitFiles(): string[] {
  const folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  return MNIST_CLASSES.map((digit) => join(folder, `${digit}.json`));
}

/**
 * Reads (through `read`, which records what the run read) and checks the package's raw digits;
 * its own loader is not used, since it samples with Math.random.
 */
export function readMnistDigits(read: ReadDataFile = new DataFileReader().readDataFile, files = mnistDigitFiles()): MnistDigits {
  const classes = files.map((file) => parseDigitFile(file, read(file, { maxBytes: MAX_DIGIT_FILE_BYTES, what: 'an mnist digit file' })));
  const rows = classes.reduce((sum, data) => sum + data.length / MNIST_PIXELS, 0);
  const pixels = new Float64Array(new SharedArrayBuffer(rows * MNIST_PIXELS * Float64Array.BYTES_PER_ELEMENT));
  const labels = new Int32Array(new SharedArrayBuffer(rows * Int32Array.BYTES_PER_ELEMENT));
  let row = 0;
  classes.forEach((data, label) => {
    pixels.set(data, row * MNIST_PIXELS);
    labels.fill(label, row, row + data.length / MNIST_PIXELS);
    row += data.length / MNIST_PIXELS;
  });
  return { rows, pixels, labels };
}

function parseDigitFile(file: string, bytes: Buffer): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DiffstructError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0)
    throw new DiffstructError(`${file}: expected {"data": [...]} holding whole ${MNIST_PIXELS}-pixel images (a non-empty multiple of ${MNIST_PIXELS} numbers)`);
  const bad = data.findIndex((v) => typeof v !== 'number' || !(v >= 0 && v <= 1));
  if (bad >= 0) throw new DiffstructError(`${file}: data[${bad}]: expected a pixel in [0, 1], found ${JSON.stringify(data[bad])}`);
  return data as number[];
}

let cached: MnistDigits | undefined;
/** The digits read once per process, for a task created without the host's prepared copy (tests, tools). */
export function mnistDigitsOnce(): MnistDigits {
  cached ??= readMnistDigits();
  return cached;
}
