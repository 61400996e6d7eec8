import { expect } from 'chai';
import { observedRate, progressOf, RECENT_MS, type SeedStatus } from './progress.js';

const seed = (arm: string, s: number, cycle: number, finished: boolean, writing: boolean): SeedStatus => ({
  arm,
  seed: s,
  cycle,
  cycles: 1000,
  finished,
  writing,
});
const arms = [
  { name: 'a', cycles: 1000 },
  { name: 'b', cycles: 1000 },
];

describe('progress and ETA', () => {
  it('counts seeds done of the config’s total, each running seed’s cycle, and an ETA from the rate observed', () => {
    const seeds = [seed('a', 0, 1000, true, false), seed('a', 1, 400, false, true), seed('b', 0, 200, false, true)];
    const history = [
      { time: 0, cyclesDone: 1000 },
      { time: 10_000, cyclesDone: 1600 },
    ];
    const p = progressOf(seeds, arms, 2, 10_000, history, 10_000);
    expect(p).to.include({ seedsTotal: 4, seedsDone: 1, cyclesDone: 1600, cyclesTotal: 4000, complete: false, inFlight: true, cyclesPerSecond: 60 });
    expect(p.etaSeconds).to.equal(2400 / 60);
    expect(p.running).to.deep.equal([
      { arm: 'a', seed: 1, cycle: 400, cycles: 1000 },
      { arm: 'b', seed: 0, cycle: 200, cycles: 1000 },
    ]);
  });

  it('is not in flight once complete, nor when nothing wrote for a while and no writer lives', () => {
    const done = [0, 1].flatMap((s) => ['a', 'b'].map((a) => seed(a, s, 1000, true, false)));
    expect(progressOf(done, arms, 2, 0, [], 1).inFlight).to.equal(false);
    const stopped = [seed('a', 0, 300, false, false)];
    expect(progressOf(stopped, arms, 2, 0, [], RECENT_MS + 1)).to.include({ inFlight: false, complete: false });
    expect(progressOf(stopped, arms, 2, 0, [], RECENT_MS - 1).inFlight).to.equal(true);
  });

  it('has no rate before progress was seen twice, and forgets samples older than its window', () => {
    expect(observedRate([{ time: 0, cyclesDone: 5 }], 0)).to.equal(undefined);
    const old = { time: 0, cyclesDone: 0 };
    expect(observedRate([old, { time: 200_000, cyclesDone: 100 }, { time: 210_000, cyclesDone: 300 }], 210_000)).to.equal(20);
  });
});
