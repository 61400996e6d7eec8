import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStream } from '@diffstruct/core';
import { mnistDigitsOnce } from '../mnist/mnist-digits.js';
import { MnistTask } from '../mnist/mnist-task.js';
import { CsvTask, type CsvTaskOptions } from './csv-task.js';
import { readRowsToPredict } from './rows-to-predict.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-predict-rows-'));
const csv = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const ROWS = [
  [1.5, 10, 'x'],
  [2, -3, 'y'],
  [-0.25, 7.5, 'x'],
  [4, 0, 'y'],
] as const;
const training = csv('train.csv', ['a,b,kind', ...ROWS.map((r) => r.join(','))].join('\n') + '\n');
const task = (options: Partial<CsvTaskOptions> = {}) =>
  new CsvTask({ file: training, targets: 'classes', header: true, standardize: true, ...options }, new RandomStream(1, 'data'));

describe('csv rowEncoder and readRowsToPredict', () => {
  it('encode the training file itself exactly as the task encoded its rows (standardised with its means and deviations; the label ignored)', () => {
    const trained = task();
    const { inputs, rows, lines } = readRowsToPredict(training, trained.rowEncoder());
    expect(rows).to.equal(4);
    expect(lines).to.deep.equal([2, 3, 4, 5]);
    expect([...inputs]).to.deep.equal([...trained.table.features]);
    expect(trained.table.features[0]).to.not.equal(1.5);
  });

  it('match columns by name when training had a header: any order, the label left out', () => {
    const trained = task();
    const file = csv('reordered.csv', ['b,a', ...ROWS.map((r) => `${r[1]},${r[0]}`)].join('\n'));
    expect([...readRowsToPredict(file, trained.rowEncoder()).inputs]).to.deep.equal([...trained.table.features]);
  });

  it('match columns by position without a header, with or without the label at its training position', () => {
    const bare = csv('bare.csv', ROWS.map((r) => `${r[2]},${r[0]},${r[1]}`).join('\n'));
    const trained = task({ file: bare, header: false, label: 0, standardize: false });
    const encoder = trained.rowEncoder();
    expect([...readRowsToPredict(bare, encoder).inputs]).to.deep.equal(ROWS.flatMap((r) => [r[0], r[1]]));
    const featuresOnly = csv('features.csv', ROWS.map((r) => `${r[0]},${r[1]}`).join('\n'));
    expect([...readRowsToPredict(featuresOnly, encoder).inputs]).to.deep.equal(ROWS.flatMap((r) => [r[0], r[1]]));
    const wide = csv('wide.csv', '1,2,3,4\n');
    expect(() => readRowsToPredict(wide, encoder)).to.throw(`${wide}:1: expected 2 feature columns (or 3 with the label in column 0)`);
  });

  it('refuse a file that does not fit, naming FILE:LINE and what was expected', () => {
    const encoder = task().rowEncoder();
    const cases: [string, string][] = [
      ['a,c\n1,2\n', ':1: expected a header naming every feature column; missing b; the network was trained on the columns a, b (and the label kind'],
      ['a,b,colour\n1,2,3\n', ':1: column "colour" is neither a feature nor the label'],
      ['a,b\n1,2\n3,oops\n', ':3: column "b": expected a number, found "oops"'],
      ['a,b\n1,2\n3\n', ':3: expected 2 columns (as the header), found 1'],
      ['a,b\n', ': expected rows of 2 features to predict, found none'],
    ];
    cases.forEach(([text, message], i) => {
      const file = csv(`bad-${i}.csv`, text);
      expect(() => readRowsToPredict(file, encoder)).to.throw(`${file}${message}`);
    });
    expect(() => readRowsToPredict(join(dir, 'missing.csv'), encoder)).to.throw(`${join(dir, 'missing.csv')}: `);
  });

  it('mnist: 784 pixels per row as the package’s digits are (in [0, 1]), with or without the label first', () => {
    const digits = mnistDigitsOnce();
    const encoder = new MnistTask({ split: { validation: 1000, test: 1000 }, splitSeed: 0 }, new RandomStream(1, 'data')).rowEncoder();
    const pixels = (row: number) => [...digits.pixels.subarray(row * 784, (row + 1) * 784)];
    const file = csv('digits.csv', `${digits.labels[5]},${pixels(5).join(',')}\n${digits.labels[900]},${pixels(900).join(',')}\n`);
    expect([...readRowsToPredict(file, encoder).inputs]).to.deep.equal([...pixels(5), ...pixels(900)]);
    const bare = csv('bare-digits.csv', `${pixels(7).join(',')}\n`);
    expect([...readRowsToPredict(bare, encoder).inputs]).to.deep.equal(pixels(7));
    // Pixels of 0–255 (a common CSV form of mnist) would saturate the network: refused, saying how to scale.
    const bytes = pixels(7).map((p) => Math.round(p * 255));
    const raw = csv('raw-digits.csv', `${pixels(7).join(',')}\n${bytes.join(',')}\n`);
    expect(() => readRowsToPredict(raw, encoder)).to.throw(`${raw}:2: column "pixel`);
    expect(() => readRowsToPredict(raw, encoder)).to.throw('expected a value in [0, 1], as in training (pixels of 0 to 255 are divided by 255), found ');
  });
});
