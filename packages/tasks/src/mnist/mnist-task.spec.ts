import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileReader, DiffstructError, defaultsOf, RandomStream, type TableExample } from '@diffstruct/core';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistDigits, mnistDigitFiles, mnistDigitsOnce, readMnistDigits } from './mnist-digits.js';
import { checkMnistSplit, MNIST_DIGITS, MNIST_OPTIONS, MnistTask, type MnistOptions } from './mnist-task.js';

const DEFAULTS = defaultsOf(MNIST_OPTIONS) as MnistOptions;

/** `rows` made-up digits whose first pixel tells them apart (row / rows), class row mod 10. */
function fakeDigits(rows: number): MnistDigits {
  const pixels = new Float64Array(rows * MNIST_PIXELS);
  for (let r = 0; r < rows; r++) pixels[r * MNIST_PIXELS] = r / rows;
  return { rows, pixels, labels: Int32Array.from({ length: rows }, (_, r) => r % 10) };
}
const digitOf = (example: TableExample, row: number, rows: number) => Math.round(example.inputs[row * MNIST_PIXELS] * rows);

/** Every digit of a held-out split, in order. */
function heldOut(task: MnistTask, split: 'validation' | 'test', rows: number): number[] {
  const size = task.heldOutSize(split);
  const example = task.createExample({ batchSize: 1 });
  return Array.from({ length: size }, (_, i) => {
    task.fillHeldOut(split, example, i);
    return digitOf(example, 0, rows);
  });
}

describe('the mnist task', () => {
  it("reads the package's 10,000 digits: 784 pixels in [0, 1] each, every class well represented", () => {
    const digits = mnistDigitsOnce();
    expect(digits.rows).to.equal(MNIST_DIGITS);
    expect(digits.pixels.length).to.equal(MNIST_DIGITS * MNIST_PIXELS);
    expect(digits.pixels.every((p) => p >= 0 && p <= 1)).to.equal(true);
    const counts = MNIST_CLASSES.map((_, c) => digits.labels.filter((l) => l === c).length);
    expect(Math.min(...counts)).to.be.above(800);
    // Real strokes, not blank images: a digit lights up somewhere between 5 % and 40 % of its pixels.
    const lit = digits.pixels.subarray(0, MNIST_PIXELS).filter((p) => p > 0.5).length / MNIST_PIXELS;
    expect(lit).to.be.within(0.05, 0.4);
  });

  it('records every digit file it reads, as a run records its data files', () => {
    const reader = new DataFileReader();
    readMnistDigits(reader.readDataFile);
    expect(Object.keys(reader.hashes).sort()).to.deep.equal(mnistDigitFiles().sort());
  });

  it('holds out 1,000 validation and 1,000 test digits by default; the parts are disjoint and cover every digit', () => {
    const rows = 3000;
    const task = new MnistTask(DEFAULTS, new RandomStream(1, 'data'), fakeDigits(rows));
    expect(task.splitSizes).to.deep.equal({ validation: 1000, test: 1000, train: 1000 });
    const validation = heldOut(task, 'validation', rows);
    const test = heldOut(task, 'test', rows);
    const example = task.createExample({ batchSize: 100 });
    const trained = new Set<number>();
    for (let cycle = 0; cycle < 200; cycle++) {
      task.next(example);
      for (let r = 0; r < 100; r++) trained.add(digitOf(example, r, rows));
    }
    const all = [...validation, ...test, ...trained];
    expect(new Set(all).size, 'no digit in two parts').to.equal(all.length);
    // 20,000 draws with replacement from 1,000 training digits reach all of them.
    expect(all.length).to.equal(rows);
  });

  it('splits the same way for every run seed, another way for another splitSeed; fractions count from the total', () => {
    const rows = 500;
    const split = (options: MnistOptions, seed: number) => heldOut(new MnistTask(options, new RandomStream(seed, 'data'), fakeDigits(rows)), 'test', rows);
    const options = { ...DEFAULTS, split: { validation: 0.1, test: 0.2 } };
    expect(split(options, 1)).to.have.length(100);
    expect(split(options, 2)).to.deep.equal(split(options, 1));
    expect(split({ ...options, splitSeed: 1 }, 1)).to.not.deep.equal(split(options, 1));
  });

  it('fills held-out batches as the rows one by one, labels included, and refuses rows past the split', () => {
    const task = new MnistTask(DEFAULTS, new RandomStream(1, 'data'));
    const batch = task.createExample({ batchSize: 7 });
    const one = task.createExample({ batchSize: 1 });
    task.fillHeldOut('test', batch, 993);
    for (let r = 0; r < 7; r++) {
      task.fillHeldOut('test', one, 993 + r);
      expect([...batch.inputs.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS)]).to.deep.equal([...one.inputs]);
      expect(batch.labels[r]).to.equal(one.labels[0]);
    }
    expect(() => task.fillHeldOut('test', batch, 994)).to.throw(RangeError, /994 to 1000 of the test split, which has 1000/);
  });

  it('refuses a split that leaves nothing to train on, or a count that is not whole', () => {
    expect(checkMnistSplit({ ...DEFAULTS, split: { validation: 5000, test: 0.5 } })).to.have.length(1);
    expect(checkMnistSplit({ ...DEFAULTS, split: { validation: 1.5, test: 0 } })[0].message).to.match(/split.validation.*whole count/);
    expect(checkMnistSplit({ ...DEFAULTS, split: { validation: 4999, test: 0.5 } })).to.deep.equal([]);
  });

  it('names the file and what it expected when a digit file is damaged', () => {
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-mnist-'));
    const cases: [string, RegExp][] = [
      ['{"data": [0, 1', /bad\.json: not valid JSON/],
      ['{"data": [0, 1, 0.5]}', /bad\.json: expected \{"data": \[\.\.\.\]\} holding whole 784-pixel images/],
      [JSON.stringify({ data: [...new Array(783).fill(0), 2] }), /bad\.json: data\[783\]: expected a pixel in \[0, 1\], found 2/],
    ];
    for (const [text, message] of cases) {
      const file = join(folder, 'bad.json');
      writeFileSync(file, text);
      expect(() => readMnistDigits(new DataFileReader().readDataFile, [file])).to.throw(DiffstructError, message);
    }
  });
});
