import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStream } from '@diffstruct/core';
import { csvOptionProblems, CsvTask, type CsvTaskOptions } from './csv-task.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-csv-split-'));
/** 40 rows: x is the row's number (1..40), so a row is known by its feature; the class is x mod 3. */
const file = join(dir, 'rows.csv');
writeFileSync(file, ['x,y,label', ...Array.from({ length: 40 }, (_, i) => `${i + 1},${(i * 7) % 5},c${(i + 1) % 3}`)].join('\n') + '\n');
const base = { file, targets: 'classes', header: true, standardize: false } as const;
const split = { validation: 0.25, test: 0.2 };
const make = (extra: Partial<CsvTaskOptions> = {}, seed = 1) => new CsvTask({ ...base, split, ...extra }, new RandomStream(seed, 'data'));

/** The x of each row of a split, in order. */
function heldOutXs(task: CsvTask, which: 'validation' | 'test'): number[] {
  const example = task.createExample({ batchSize: task.heldOutSize(which) });
  task.fillHeldOut(which, example, 0);
  return Array.from({ length: example.batchSize }, (_, r) => example.inputs[2 * r]);
}

describe('csv task: split into training, validation and test rows', () => {
  it('holds out round(fraction × rows) rows per split, and training draws only the other rows', () => {
    const task = make();
    expect(task.sizes).to.deep.equal({ training: 22, validation: 10, test: 8 });
    const heldOut = new Set([...heldOutXs(task, 'validation'), ...heldOutXs(task, 'test')]);
    expect(heldOut.size).to.equal(18);
    const example = task.createExample({ batchSize: 50 });
    const drawn = new Set<number>();
    for (let cycle = 0; cycle < 40; cycle++) {
      task.next(example);
      for (let r = 0; r < 50; r++) drawn.add(example.inputs[2 * r]);
    }
    expect(drawn.size, 'every training row drawn in 2000 draws').to.equal(22);
    expect([...drawn].filter((x) => heldOut.has(x))).to.deep.equal([]);
  });

  it('keeps each row whole: a held-out row has its own label', () => {
    const task = make();
    const example = task.createExample({ batchSize: 10 });
    task.fillHeldOut('validation', example, 0);
    for (let r = 0; r < 10; r++) expect(task.shape.classes![example.labels[r]]).to.equal(`c${example.inputs[2 * r] % 3}`);
  });

  it('is the same split for every run seed, another for another splitSeed', () => {
    expect(heldOutXs(make({}, 2), 'validation')).to.deep.equal(heldOutXs(make({}, 1), 'validation'));
    expect(heldOutXs(make({ splitSeed: 0 }), 'test')).to.deep.equal(heldOutXs(make(), 'test'));
    expect(heldOutXs(make({ splitSeed: 5 }), 'validation')).not.to.deep.equal(heldOutXs(make(), 'validation'));
  });

  it('standardises with the training rows only', () => {
    const task = make({ standardize: true });
    const { features } = task.table;
    for (const c of [0, 1]) {
      const column = Array.from({ length: 22 }, (_, r) => features[2 * r + c]);
      expect(column.reduce((s, v) => s + v, 0) / 22).to.be.closeTo(0, 1e-12);
      expect(column.reduce((s, v) => s + v * v, 0) / 22).to.be.closeTo(1, 1e-12);
    }
    const all = Array.from({ length: 40 }, (_, r) => features[2 * r]);
    expect(Math.abs(all.reduce((s, v) => s + v, 0) / 40), 'all rows are not what the statistics came from').to.be.above(1e-6);
  });

  it('fills a held-out batch from any first row, and refuses rows outside the split', () => {
    const task = make();
    const xs = heldOutXs(task, 'test');
    const two = task.createExample({ batchSize: 2 });
    task.fillHeldOut('test', two, 6);
    expect([two.inputs[0], two.inputs[2]]).to.deep.equal(xs.slice(6, 8));
    expect(() => task.fillHeldOut('test', two, 7)).to.throw(RangeError, "outside the test split's 8");
  });

  it('without split draws as before, from every row, and has no held-out rows', () => {
    const plain = new CsvTask(base, new RandomStream(3, 'data'));
    expect(plain.heldOutSize('validation')).to.equal(0);
    const example = plain.createExample({ batchSize: 8 });
    plain.next(example);
    const random = new RandomStream(3, 'data');
    expect(Array.from({ length: 8 }, (_, r) => example.inputs[2 * r])).to.deep.equal(Array.from({ length: 8 }, () => random.int(40) + 1));
  });

  it('refuses fractions that leave nothing to train on, naming the file', () => {
    expect(csvOptionProblems({ ...base, split: { validation: 0.5, test: 0.5 } })).to.have.length(1);
    expect(csvOptionProblems({ ...base, split })).to.deep.equal([]);
    expect(make({ split: { validation: 0.45, test: 0.45 } }).sizes.training).to.equal(4);
    const tiny = join(dir, 'tiny.csv');
    writeFileSync(tiny, 'x,label\n1,a\n2,b\n');
    expect(() => new CsvTask({ ...base, file: tiny, split: { validation: 0.4, test: 0.4 } }, new RandomStream(1, 'data'))).to.throw(
      `${tiny}: split leaves no row to train on (2 rows: 1 for validation, 1 for test)`,
    );
  });
});
