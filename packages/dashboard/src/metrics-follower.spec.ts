import { expect } from 'chai';
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics } from '@diffstruct/core/host';
import { MetricsFollower } from './metrics-follower.js';

const HEADER = 'cycle,loss,smoothLoss,units,multiplierSum';
const row = (cycle: number) => `${cycle},${cycle / 7},${cycle / 11},${cycle % 5},${cycle / 3}`;

describe('MetricsFollower', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'diffstruct-follower-')), 'metrics.csv');

  it('reads only what was appended, waits for a row’s newline, and equals parsing the whole file', () => {
    writeFileSync(file, `${HEADER}\n${row(10)}\n`);
    const follower = new MetricsFollower(file);
    expect(follower.update()).to.equal(true);
    expect(follower.table.rows).to.equal(1);
    expect(follower.update(), 'nothing new').to.equal(false);
    appendFileSync(file, `${row(20)}\n${row(30).slice(0, 5)}`);
    expect(follower.update()).to.equal(true);
    expect(follower.table.rows, 'the cut row waits').to.equal(2);
    appendFileSync(file, `${row(30).slice(5)}\n`);
    for (let c = 40; c <= 2000; c += 10) appendFileSync(file, `${row(c)}\n`);
    follower.update();
    const whole = parseMetrics(`${HEADER}\n${[10, 20, 30].map(row).join('\n')}\n${Array.from({ length: 197 }, (_, i) => row(40 + 10 * i)).join('\n')}\n`, file);
    expect(follower.table.rows).to.equal(whole.rows);
    for (const column of whole.columns) expect([...follower.table.values[column]], column).to.deep.equal([...whole.values[column]]);
  });

  it('starts over when the file got shorter (a resumed seed cut back to its checkpoint)', () => {
    writeFileSync(file, `${HEADER}\n${row(10)}\n${row(20)}\n${row(30)}\n`);
    const follower = new MetricsFollower(file);
    follower.update();
    truncateSync(file, `${HEADER}\n${row(10)}\n`.length);
    expect(follower.update()).to.equal(true);
    expect([...follower.table.values.cycle]).to.deep.equal([10]);
  });

  it('starts over when the file was rewritten in place past the old offset (a seed run again with --force)', () => {
    writeFileSync(file, `${HEADER}\n${row(10)}\n${row(20)}\n`);
    const follower = new MetricsFollower(file);
    follower.update();
    // Same file, same header, other rows, already longer than what was read.
    writeFileSync(file, `${HEADER}\n${[11, 21, 31, 41].map(row).join('\n')}\n`);
    expect(follower.update()).to.equal(true);
    expect([...follower.table.values.cycle]).to.deep.equal([11, 21, 31, 41]);
  });

  it('starts over when another file took its place (another inode), with its own header', () => {
    writeFileSync(file, `${HEADER}\n${row(10)}\n${row(20)}\n`);
    const follower = new MetricsFollower(file);
    follower.update();
    const other = `${file}.new`;
    writeFileSync(other, `cycle,loss,smoothLoss,units,multiplierSum,valLoss\n${[10, 20, 30].map((c) => `${row(c)},${c}`).join('\n')}\n`);
    renameSync(other, file);
    expect(follower.update()).to.equal(true);
    expect(follower.table.columns).to.include('valLoss');
    expect([...follower.table.values.valLoss]).to.deep.equal([10, 20, 30]);
  });

  it('peek reads only the last row’s cycle, keeping no rows; release forgets the rows and keeps the cycle', () => {
    writeFileSync(file, `${HEADER}\n`);
    const follower = new MetricsFollower(file);
    follower.peek();
    expect(follower.lastCycle, 'only the header').to.equal(0);
    for (let c = 10; c <= 30000; c += 10) appendFileSync(file, `${row(c)}\n`);
    appendFileSync(file, row(30010).slice(0, 4));
    follower.peek();
    expect(follower.lastCycle, 'the cut row waits').to.equal(30000);
    expect(follower.table.rows, 'no rows kept').to.equal(0);
    follower.update();
    expect(follower.table.rows).to.equal(3000);
    follower.release();
    expect(follower.table.rows).to.equal(0);
    expect(follower.lastCycle).to.equal(30000);
    follower.update();
    expect(follower.table.rows, 'read again from the start').to.equal(3000);
  });

  it('names the file and the line of the whole file where an appended row is bad', () => {
    writeFileSync(file, `${HEADER}\n${row(10)}\n${row(20)}\n`);
    const follower = new MetricsFollower(file);
    follower.update();
    appendFileSync(file, `${row(30)}\n30,x,1,1,1\n`);
    expect(() => follower.update()).to.throw(`${file}:5: expected a number in column "loss", found "x"`);
  });
});
