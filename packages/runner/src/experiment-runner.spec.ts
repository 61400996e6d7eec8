import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics, seedFolder } from '@diffstruct/core/host';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

const SMALL = config(
  [
    'name: small',
    'seeds: 2',
    'cycles: 1500',
    'log: { every: 250 }',
    'arms:',
    '  - { name: easy, task: easy }',
    '  - { name: switch, task: { type: schedule, phases: [ { task: easy, until: 500 }, { task: hard } ] } }',
    '  - { name: fixed, task: hard, model: { hidden: 5 }, policy: none }',
  ].join('\n'),
);

describe('runExperiment', () => {
  const base = mkdtempSync(join(tmpdir(), 'diffstruct-run-'));
  const read = (out: string, arm: string, seed: number, file: string) => readFileSync(join(seedFolder(out, SMALL, arm, seed), file), 'utf8');

  it('gives byte-identical metrics.csv, events.jsonl and multipliers.jsonl for the same config and seed, with 1 or 2 workers', async function () {
    this.timeout(60000);
    const one = join(base, 'one');
    const two = join(base, 'two');
    await runExperiment(SMALL, { out: one, workers: 1, resolveFrom: base });
    await runExperiment(SMALL, { out: two, workers: 2, resolveFrom: base });
    for (const arm of ['easy', 'switch', 'fixed']) {
      for (const seed of [0, 1]) {
        for (const file of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl'])
          expect(read(two, arm, seed, file), `${arm} seed ${seed} ${file}`).to.equal(read(one, arm, seed, file));
      }
      expect(read(one, arm, 0, 'metrics.csv')).to.not.equal(read(one, arm, 1, 'metrics.csv'));
      expect(read(one, arm, 0, 'multipliers.jsonl')).to.not.equal(read(one, arm, 1, 'multipliers.jsonl'));
    }
  });

  it('logs units that match the unit events replayed from the start', () => {
    const out = join(base, 'one');
    for (const arm of ['easy', 'switch']) {
      const metrics = parseMetrics(read(out, arm, 0, 'metrics.csv'), arm);
      const events = read(out, arm, 0, 'events.jsonl')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(metrics.columns).to.deep.equal(['cycle', 'loss', 'smoothLoss', 'units', 'hidden', 'multiplierSum']);
      for (let r = 0; r < metrics.rows; r++) {
        const cycle = metrics.values.cycle[r];
        const delta = events.filter((e) => e.cycle <= cycle).reduce((n, e) => n + (e.type === 'unitAdded' ? 1 : e.type === 'unitRemoved' ? -1 : 0), 0);
        expect(metrics.values.units[r], `${arm} at cycle ${cycle}`).to.equal(1 + delta);
      }
      const added = events.filter((e) => e.type === 'unitAdded');
      expect(added.length).to.be.greaterThan(0);
      for (const e of added) expect(e).to.include({ growable: 'hidden', age: 0, multiplier: 0.05, init: 'random' });
    }
  });

  it('logs the live units and their multipliers at cycle 0 and at every metrics row, matching the events and Σ|m|', () => {
    const out = join(base, 'one');
    for (const arm of ['easy', 'switch', 'fixed']) {
      const metrics = parseMetrics(read(out, arm, 0, 'metrics.csv'), arm);
      const rows = read(out, arm, 0, 'multipliers.jsonl')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { cycle: number; growables: Record<string, { ids: number[]; multipliers: number[] }> });
      const events = read(out, arm, 0, 'events.jsonl')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(rows.map((r) => r.cycle)).to.deep.equal([0, ...metrics.values.cycle]);
      const initial = rows[0].growables.hidden.ids;
      rows.forEach((row, r) => {
        const live = new Set(initial);
        for (const e of events.filter((e) => e.cycle <= row.cycle)) {
          if (e.type === 'unitAdded') live.add(e.unit);
          if (e.type === 'unitRemoved') live.delete(e.unit);
        }
        const { ids, multipliers } = row.growables.hidden;
        expect(
          [...ids].sort((a, b) => a - b),
          `${arm} ids at cycle ${row.cycle}`,
        ).to.deep.equal([...live].sort((a, b) => a - b));
        if (r === 0) return;
        // Rounded to 4 significant digits: each |m| within 5e-4 of itself, relatively.
        const sum = multipliers.reduce((s, m) => s + Math.abs(m), 0);
        expect(sum, `${arm} Σ|m| at cycle ${row.cycle}`).to.be.closeTo(metrics.values.multiplierSum[r - 1], 5e-4 * sum);
      });
    }
  });

  it('records task switches as events and in result.json; a fixed-size arm never changes size', () => {
    const out = join(base, 'one');
    const switches = read(out, 'switch', 0, 'events.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'taskSwitched');
    expect(switches).to.deep.equal([{ type: 'taskSwitched', cycle: 500, from: 'easy', to: 'hard' }]);
    expect(JSON.parse(read(out, 'switch', 0, 'result.json')))
      .to.include({ finished: true, cycles: 1500 })
      .and.have.deep.property('switches', [500]);
    expect(read(out, 'fixed', 0, 'events.jsonl')).to.equal('');
    expect([...parseMetrics(read(out, 'fixed', 0, 'metrics.csv'), 'fixed').values.units]).to.deep.equal([5, 5, 5, 5, 5, 5]);
  });

  it('writes the resolved config, which loads again to the same config', () => {
    const text = readFileSync(join(base, 'one', 'config.yaml'), 'utf8');
    expect(config(text)).to.deep.equal(SMALL);
  });
});
