import { expect } from 'chai';
import type { SeedState } from '@diffstruct/report';
import { observedRate, progressOf, RECENT_MS, type SeedStatus } from './progress.js';

const seed = (arm: string, s: number, cycle: number, state: SeedState, begun = true): SeedStatus => ({ arm, seed: s, cycle, cycles: 1000, state, begun });
const arms = [
  { name: 'a', cycles: 1000 },
  { name: 'b', cycles: 1000 },
];

describe('progress and ETA', () => {
  it('counts seeds done of the config’s total, each running seed’s cycle, and an ETA from the rate observed over this folder’s seeds', () => {
    const seeds = [seed('a', 0, 1000, 'finished'), seed('a', 1, 400, 'in flight'), seed('b', 0, 200, 'in flight'), seed('b', 1, 0, 'in flight', false)];
    const history = [
      { time: 0, cyclesDone: 1000 },
      { time: 10_000, cyclesDone: 1600 },
    ];
    const p = progressOf(seeds, arms, 2, 10_000, history, 10_000);
    expect(p).to.include({
      seedsTotal: 4,
      seedsDone: 1,
      seedsFailed: 0,
      cyclesDone: 1600,
      cyclesTotal: 4000,
      complete: false,
      inFlight: true,
      cyclesPerSecond: 60,
    });
    expect(p.etaSeconds).to.equal(2400 / 60);
    expect(p.running, 'a seed queued behind the others (no metrics.csv yet) is not running').to.deep.equal([
      { arm: 'a', seed: 1, cycle: 400, cycles: 1000 },
      { arm: 'b', seed: 0, cycle: 200, cycles: 1000 },
    ]);
  });

  it('is not in flight once complete, nor when nothing wrote for a while and no writer lives', () => {
    const done = [0, 1].flatMap((s) => ['a', 'b'].map((a) => seed(a, s, 1000, 'finished')));
    expect(progressOf(done, arms, 2, 0, [], 1).inFlight).to.equal(false);
    const stopped = [0, 1].flatMap((s) => ['a', 'b'].map((a) => seed(a, s, 300, 'stopped')));
    expect(progressOf(stopped, arms, 2, 0, [], RECENT_MS + 1)).to.include({ inFlight: false, complete: false });
    expect(progressOf(stopped, arms, 2, 0, [], RECENT_MS - 1).inFlight).to.equal(true);
    expect(progressOf(stopped, arms, 2, 0, [], RECENT_MS + 1).unfinished).to.deep.equal({ 'in flight': 0, stopped: 4, interrupted: 0, 'not started': 0 });
  });

  it('counts a failed seed as ended (complete once the others are), and jobs with no folder here as not started, not as stopped', () => {
    const failed = [seed('a', 0, 1000, 'finished'), seed('a', 1, 120, 'failed'), seed('b', 0, 1000, 'finished'), seed('b', 1, 1000, 'finished')];
    // Its 880 unrun cycles leave the total rather than join the done: a jump in the done would read as speed.
    expect(progressOf(failed, arms, 2, 0, [], RECENT_MS + 1)).to.include({
      seedsDone: 3,
      seedsFailed: 1,
      complete: true,
      inFlight: false,
      cyclesDone: 3120,
      cyclesTotal: 3120,
    });
    // A finished shard (seeds 0 of each arm) in its own folder: the other shard's seeds have no folder here.
    const shard = [seed('a', 0, 1000, 'finished'), seed('b', 0, 1000, 'finished')];
    const p = progressOf(shard, arms, 2, 0, [], RECENT_MS + 1);
    expect(p).to.include({ seedsTotal: 4, seedsDone: 2, complete: false, inFlight: false, cyclesTotal: 2000, cyclesDone: 2000 });
    expect(p.unfinished).to.deep.equal({ 'in flight': 0, stopped: 0, interrupted: 0, 'not started': 2 });
    expect(progressOf(shard, arms, 2, 0, [], 1).inFlight, 'just written, but its own seeds all ended: not live').to.equal(false);
  });

  it('has no rate before progress was seen twice, and forgets samples older than its window', () => {
    expect(observedRate([{ time: 0, cyclesDone: 5 }], 0)).to.equal(undefined);
    const old = { time: 0, cyclesDone: 0 };
    expect(observedRate([old, { time: 200_000, cyclesDone: 100 }, { time: 210_000, cyclesDone: 300 }], 210_000)).to.equal(20);
  });
});
