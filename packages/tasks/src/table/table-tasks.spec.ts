import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStream } from '@diffstruct/core';
import { CheckerboardTask } from './checkerboard-task.js';
import { CsvTask } from './csv-task.js';
import { ParityTask } from './parity-task.js';
import { SpiralsTask } from './spirals-task.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-csv-'));
const csv = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const csvOptions = { targets: 'classes' as const, header: true, standardize: false };

describe('table tasks', () => {
  it('parity: ±1 bits and the parity of the +1s', () => {
    const task = new ParityTask({ bits: 5 }, new RandomStream(1, 'data'));
    const example = task.createExample({ batchSize: 64 });
    task.next(example);
    for (let r = 0; r < 64; r++) {
      const row = [...example.inputs.subarray(r * 5, r * 5 + 5)];
      expect(row.every((v) => v === 1 || v === -1)).to.equal(true);
      expect(example.labels[r]).to.equal(row.filter((v) => v === 1).length % 2);
    }
  });

  it('checkerboard: the class is the colour of the cell, both colours equally likely', () => {
    const task = new CheckerboardTask({ cells: 4 }, new RandomStream(2, 'data'));
    const example = task.createExample({ batchSize: 2000 });
    task.next(example);
    for (let r = 0; r < 2000; r++) {
      const [x, y] = [example.inputs[2 * r], example.inputs[2 * r + 1]];
      expect((Math.floor((x + 1) * 2) + Math.floor((y + 1) * 2)) % 2).to.equal(example.labels[r]);
    }
    const light = example.labels.reduce((n, l) => n + l, 0);
    expect(light).to.be.within(900, 1100);
  });

  it('spirals: the two arms are point reflections of each other; same seed, same rows', () => {
    const draw = (seed: number) => {
      const task = new SpiralsTask({ turns: 2, noise: 0 }, new RandomStream(seed, 'data'));
      const example = task.createExample({ batchSize: 500 });
      task.next(example);
      return example;
    };
    const a = draw(3);
    expect([...draw(3).inputs]).to.deep.equal([...a.inputs]);
    expect([...draw(4).inputs]).to.not.deep.equal([...a.inputs]);
    for (let r = 0; r < 500; r++) {
      const [x, y] = [a.inputs[2 * r], a.inputs[2 * r + 1]];
      const radius = Math.hypot(x, y);
      const t = (radius - 0.05) / 0.95;
      const angle = 2 * Math.PI * 2 * t + a.labels[r] * Math.PI;
      expect(x).to.be.closeTo(radius * Math.cos(angle), 1e-9);
      expect(y).to.be.closeTo(radius * Math.sin(angle), 1e-9);
    }
  });

  it('csv: reads features and classes, standardises, and draws rows from the file', () => {
    const file = csv('ok.csv', '# a comment\nx1,x2,species\n1,10,b\n2,20,a\n3,30,b\n\n4,40,c\n');
    const task = new CsvTask({ ...csvOptions, file, label: 'species', standardize: true }, new RandomStream(5, 'data'));
    expect(task.shape).to.deep.include({ inputSize: 2, outputSize: 3, targets: 'classes', classes: ['a', 'b', 'c'] });
    expect([...task.table.labels]).to.deep.equal([1, 0, 1, 2]);
    const column = [0, 2, 4, 6].map((i) => task.table.features[i]);
    expect(column.reduce((s, v) => s + v, 0)).to.be.closeTo(0, 1e-12);
    expect(column.reduce((s, v) => s + v * v, 0) / 4).to.be.closeTo(1, 1e-12);
    const example = task.createExample({ batchSize: 50 });
    task.next(example);
    for (let r = 0; r < 50; r++) {
      const at = [0, 1, 2, 3].find((i) => task.table.features[2 * i] === example.inputs[2 * r])!;
      expect(example.labels[r]).to.equal(task.table.labels[at]);
    }
  });

  it('csv: a numeric target with targets: values', () => {
    const file = csv('values.csv', 'a,b,y\n1,2,0.5\n3,4,-1.5\n');
    const task = new CsvTask({ ...csvOptions, file, targets: 'values' }, new RandomStream(6, 'data'));
    expect(task.shape).to.deep.include({ inputSize: 2, outputSize: 1, targets: 'values' });
    expect([...task.table.values]).to.deep.equal([0.5, -1.5]);
  });

  describe('csv: refuses bad tables, naming file and line', () => {
    const refuse = (text: string, message: string, extra = {}) => {
      const file = csv('bad.csv', text);
      expect(() => new CsvTask({ ...csvOptions, file, ...extra }, new RandomStream(7, 'data'))).to.throw(message.replace('FILE', file));
    };
    it('a row with too few columns', () => refuse('a,b,c\n1,2,x\n1,2\n', 'FILE:3: expected 3 columns (as the header), found 2'));
    it('a feature that is not a number', () => refuse('a,b,c\n1,2,x\n1,two,y\n', 'FILE:3: column "b": expected a number, found "two"'));
    it('a missing feature', () => refuse('a,b,c\n1,,x\n', 'FILE:2: column "b": expected a number, found ""'));
    it('a number that is no decimal (hexadecimal, Infinity)', () => {
      refuse('a,b,c\n1,0x10,x\n', 'FILE:2: column "b": expected a number, found "0x10"');
      refuse('a,b,c\n1,Infinity,x\n', 'FILE:2: column "b": expected a number, found "Infinity"');
    });
    it('two columns of one name, which would leave the label column ambiguous', () =>
      refuse('a,a,y\n1,2,x\n3,4,z\n', 'FILE:1: expected distinct column names, found "a" twice'));
    it('an unknown label column', () =>
      refuse('a,b,c\n1,2,x\n', 'FILE:1: expected a column named "kind" for the label; the columns: a, b, c', { label: 'kind' }));
    it('a numeric target that is not a number', () =>
      refuse('a,y\n1,2\n1,high\n', 'FILE:3: column "y": expected a number, found "high"', { targets: 'values' }));
    it('a single class', () => refuse('a,y\n1,x\n2,x\n', 'FILE:1: expected at least two classes in the label column, found only "x"'));
    it('no rows', () => refuse('a,y\n', 'FILE: expected at least one row of data after the header, found none'));
    it('broken quoting', () => refuse('a,y\n1,"x\n', 'FILE:2: not valid CSV'));
    it('a missing file', () =>
      expect(() => new CsvTask({ ...csvOptions, file: join(dir, 'none.csv') }, new RandomStream(8, 'data'))).to.throw('none.csv: no such file'));
  });
});
