import { expect } from 'chai';
import type { MetricsTable } from '@diffstruct/core/host';
import { MAX_POINTS, rowStep, thinRows } from './series.js';

const table = (rows: number): MetricsTable => ({ columns: ['cycle'], values: { cycle: Float64Array.from({ length: rows }, (_, r) => (r + 1) * 10) }, rows });

describe('thinning a long metrics table for the chart', () => {
  it('steps by a power of two that keeps at most MAX_POINTS rows', () => {
    expect(rowStep(MAX_POINTS)).to.equal(1);
    expect(rowStep(MAX_POINTS + 1)).to.equal(2);
    expect(rowStep(1_000_000)).to.equal(1024);
    expect(Math.ceil(1_000_000 / rowStep(1_000_000))).to.be.at.most(MAX_POINTS);
  });

  it('keeps the same rows of every seed, and the arm’s last row for the seeds that reached it', () => {
    expect([...thinRows(table(10), 4, 9).values.cycle]).to.deep.equal([10, 50, 90, 100]);
    expect([...thinRows(table(7), 4, 9).values.cycle], 'a seed behind: no last row').to.deep.equal([10, 50]);
    expect(thinRows(table(9), 1, 8).rows).to.equal(9);
  });
});
