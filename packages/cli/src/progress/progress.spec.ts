import { expect } from 'chai';
import type { SeedResult } from '@diffstruct/core/host';
import { ProgressDisplay, type ProgressStream } from './progress-display.js';
import { describeCounts, progressLines } from './progress-lines.js';
import { remainingSeconds, RunProgress } from './run-progress.js';

const row = (arm: string, seed: number, cycle: number, smoothLoss = 10, units = 5) => ({ arm, seed, cycle, smoothLoss, units });
const result = (arm: string, seed: number, cycles: number, how: 'finished' | 'interrupted' | 'failed'): SeedResult => ({
  arm,
  seed,
  cycles,
  finished: how === 'finished',
  ...(how === 'interrupted' ? { interrupted: true } : {}),
  ...(how === 'failed' ? { error: 'the loss became NaN' } : {}),
  switches: [],
  seconds: 1,
});

describe('progress: the ETA', () => {
  it('is the longest job, or all jobs shared among the workers, whichever is longer', () => {
    expect(remainingSeconds([10, 1, 1], 4)).to.equal(10);
    expect(remainingSeconds([4, 4, 4, 4], 2)).to.equal(8);
    expect(remainingSeconds([], 2)).to.equal(0);
  });

  it('is not given before a speed is measured, and leaves out the start-up: right from the start, not 40× off', () => {
    // 2 workers, 4 seeds of 100k cycles at 20k cycles/s each; the workers take 1.95 s to start
    // (threads, WebAssembly): the first rows come at 2.0 s. The rest takes 4.9 s + 5 s.
    const progress = new RunProgress([{ name: 'easy', cycles: 100_000, seeds: 4 }], 2);
    progress.sample(row('easy', 0, 1000), 2.0);
    progress.sample(row('easy', 1, 1000), 2.0);
    expect(progress.eta(), 'one row per seed measures nothing').to.equal(undefined);
    progress.sample(row('easy', 0, 2000), 2.05);
    progress.sample(row('easy', 1, 2000), 2.05);
    const eta = progress.eta();
    expect(eta?.guessed).to.equal(false);
    expect(eta?.seconds).to.be.closeTo(9.9, 1e-9);
  });

  it('weights each arm by its own speed: a costly arm left to run is not estimated at a cheap arm’s pace', () => {
    const progress = new RunProgress(
      [
        { name: 'cheap', cycles: 10_000, seeds: 1 },
        { name: 'costly', cycles: 10_000, seeds: 1 },
      ],
      2,
    );
    progress.sample(row('cheap', 0, 1000), 1);
    progress.sample(row('cheap', 0, 2000), 1.1); // 10k cycles/s
    progress.sample(row('costly', 0, 1000), 1);
    progress.sample(row('costly', 0, 2000), 2); // 1k cycles/s: 8 s left
    expect(progress.eta()).to.deep.equal({ seconds: 8, guessed: false });
  });

  it('takes an arm not yet measured at the speed of those measured, and says it guessed', () => {
    const progress = new RunProgress(
      [
        { name: 'first', cycles: 10_000, seeds: 1 },
        { name: 'second', cycles: 10_000, seeds: 1 },
      ],
      1,
    );
    progress.sample(row('first', 0, 1000), 1);
    progress.sample(row('first', 0, 2000), 2);
    expect(progress.eta()).to.deep.equal({ seconds: 8 + 10, guessed: true });
  });

  it('does not count cycles restored from a checkpoint, nor seeds finished before a resume, as work done at some speed', () => {
    const progress = new RunProgress([{ name: 'hard', cycles: 100_000, seeds: 2 }], 2);
    progress.ended(result('hard', 0, 100_000, 'finished'));
    progress.sample(row('hard', 1, 91_000), 3); // resumed from a checkpoint at 90k
    expect(progress.eta()).to.equal(undefined);
    progress.sample(row('hard', 1, 92_000), 4);
    expect(progress.eta()).to.deep.equal({ seconds: 8, guessed: false });
    expect(progress.fraction()).to.equal(192_000 / 200_000);
  });
});

describe('progress: the lines', () => {
  it('count finished, interrupted and failed seeds apart: an interrupted seed is not done', () => {
    const progress = new RunProgress([{ name: 'a', cycles: 1000, seeds: 4 }], 2);
    progress.ended(result('a', 0, 1000, 'finished'));
    progress.ended(result('a', 1, 400, 'interrupted'));
    progress.ended(result('a', 2, 0, 'failed'));
    progress.sample(row('a', 3, 500), 1);
    expect(describeCounts(progress.counts())).to.equal('1 of 4 seeds finished, 1 running, 1 failed, 1 interrupted');
    expect(describeCounts({ total: 1, running: 0, finished: 1, interrupted: 0, failed: 0 })).to.equal('1 of 1 seed finished');
  });

  it('give each running arm its own medians, not medians across arms', () => {
    const progress = new RunProgress(
      [
        { name: 'easy', cycles: 10_000, seeds: 3 },
        { name: 'hard', cycles: 10_000, seeds: 3 },
      ],
      6,
    );
    for (const [seed, loss, units] of [
      [0, 9.7, 4],
      [1, 9.6, 5],
      [2, 9.8, 6],
    ])
      progress.sample(row('easy', seed, 1000, loss, units), 1);
    for (const [seed, loss, units] of [
      [0, 14, 20],
      [1, 13, 30],
    ])
      progress.sample(row('hard', seed, 1000, loss, units), 1);
    expect(progressLines(progress)).to.deep.equal([
      '[  8%] 0 of 6 seeds finished, 5 running · ETA: measuring',
      '  easy: 0 of 3 seeds finished, 3 running; median smooth loss 9.70, units 5',
      '  hard: 0 of 3 seeds finished, 2 running; median smooth loss 13.50, units 25',
    ]);
  });

  it('fit the width: a long arm name is shortened, the numbers are not', () => {
    const name = `threshold-${'x'.repeat(120)}`;
    const progress = new RunProgress([{ name, cycles: 10_000, seeds: 1000 }], 2);
    progress.sample(row(name, 0, 1000, 123.456, 1999), 1);
    const lines = progressLines(progress, 100);
    for (const line of lines) expect(line.length, line).to.be.at.most(100);
    expect(lines[1]).to.match(/^ {2}threshold-x+…: 0 of 1000 seeds finished, 1 running; median smooth loss 123\.46, units 1999$/);
  });
});

/** A stream that records what is written to it. */
function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 80,
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe('progress: the display', () => {
  const plan = [{ name: 'easy', cycles: 3000, seeds: 1 }];

  it('without a terminal, or on a CI (CI=true), prints plain blocks every lineSeconds and the last state at the end', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
    ] as const) {
      let ms = 0;
      const stream = fakeStream(isTTY);
      const display = new ProgressDisplay(plan, 1, { stream, env, now: () => ms, lineSeconds: 10 });
      ms = 2000;
      display.update(row('easy', 0, 1000));
      ms = 3000;
      display.update(row('easy', 0, 2000)); // within 10 s of the last block: not printed
      ms = 4000;
      display.seedFinished(result('easy', 0, 3000, 'interrupted'));
      display.stop();
      expect(stream.text).to.not.contain('\x1b');
      expect(stream.text).to.equal(
        [
          '[ 33%] 0 of 1 seed finished, 1 running · ETA: measuring',
          '  easy: 0 of 1 seed finished, 1 running; median smooth loss 10.00, units 5',
          '[100%] 0 of 1 seed finished, 1 interrupted',
          '',
        ].join('\n'),
      );
    }
  });

  it('on a terminal, redraws its block in place, and keeps messages above it', () => {
    let ms = 0;
    const stream = fakeStream(true);
    const display = new ProgressDisplay(plan, 1, { stream, env: { TERM: 'xterm' }, now: () => ms });
    ms = 1000;
    display.update(row('easy', 0, 1000));
    ms = 2000;
    display.seedFinished(result('easy', 0, 1000, 'failed'));
    const erase2 = '\x1b[2A\r\x1b[J';
    expect(stream.text).to.equal(
      [
        '[ 33%] 0 of 1 seed finished, 1 running · ETA: measuring',
        '  easy: 0 of 1 seed finished, 1 running; median smooth loss 10.00, units 5',
        `${erase2}easy seed 0 stopped: the loss became NaN`,
        '[ 33%] 0 of 1 seed finished, 1 failed',
        '',
      ].join('\n'),
    );
  });
});
