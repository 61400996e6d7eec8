import { expect } from 'chai';
import { YardstickUnavailable } from '@diffstruct/runner';
import { type Named, type RoundsSettings, timeInRounds } from './bench-rounds.js';

/** Timers that answer from a list of rates, one per call, and write each call into `calls`. */
function fakeTimers(rates: Readonly<Record<string, readonly (number | 'gone')[]>>, calls: string[], extra: { rowsPerCycle?: number } = {}) {
  return Object.entries(rates).map(([name, answers]): Named => {
    let call = 0;
    return {
      name,
      timer: {
        ...extra,
        time(seconds: number): number {
          calls.push(`${name} ${seconds}`);
          const answer = answers[call++];
          if (answer === 'gone') throw new YardstickUnavailable(`${name} is not installed`);
          return answer;
        },
      },
    };
  });
}

function settings(repeats: number, said: string[] = []): RoundsSettings {
  return { seconds: 6, repeats, python: 'python3', skipped: {}, say: (line) => said.push(line) };
}

describe('timeInRounds: kernels and yardsticks timed in turn, each ratio within its round', () => {
  it('runs the rounds in order, then in reverse, each timer for seconds ÷ repeats', () => {
    const calls: string[] = [];
    const [f64, ref, numba, jax] = fakeTimers({ f64: [10, 10, 10], ref: [1, 1, 1], numba: [5, 5, 5], jax: [2, 2, 2] }, calls);
    timeInRounds([f64, ref], [numba, jax], settings(3), 'N = 27');
    expect(calls.map((c) => c.split(' ')[0]).join(' ')).to.equal('f64 ref numba jax jax numba ref f64 f64 ref numba jax');
    expect(calls.every((c) => c.endsWith(' 2'))).to.equal(true);
  });

  it('gives each kernel its own timings, and each ratio from the same round, so a drift common to both cancels', () => {
    // The machine slows down round by round (÷ 1, 2, 4, 8): every ratio stays 2 for f64 over numba and 0.5 for ref.
    const [f64, ref, numba] = fakeTimers({ f64: [80, 40, 20, 10], ref: [20, 10, 5, 2.5], numba: [40, 20, 10, 5] }, []);
    const [fast, slow] = timeInRounds([f64, ref], [numba], settings(4), 'N = 27');
    expect(fast.repeats).to.deep.equal([80, 40, 20, 10]);
    expect(fast.cyclesPerSecond).to.equal(30);
    expect(fast.yardsticks?.numba).to.deep.equal({ cyclesPerSecond: 15, repeats: [40, 20, 10, 5], ratio: 2, ratios: [2, 2, 2, 2] });
    expect(slow.repeats).to.deep.equal([20, 10, 5, 2.5]);
    expect(slow.yardsticks?.numba.ratios).to.deep.equal([0.5, 0.5, 0.5, 0.5]);
  });

  it('takes best as ours over the fastest yardstick of each round, not the smallest of the medians', () => {
    // b is the fastest in rounds 1 and 3, a in round 2: best divides by 400, 500, 300.
    const [ours, a, b] = fakeTimers({ ours: [1000, 1000, 1000], a: [100, 500, 200], b: [400, 200, 300] }, []);
    const [row] = timeInRounds([ours], [a, b], settings(3), 'N = 27');
    expect(row.best).to.deep.equal({ ratio: 2.5, ratios: [2.5, 2, 1000 / 300], fastest: ['b', 'a', 'b'] });
    // The smallest of the two yardsticks' median ratios (5 and 3.33) would have said more.
    expect(Math.min(row.yardsticks?.a.ratio ?? 0, row.yardsticks?.b.ratio ?? 0)).to.equal(1000 / 300);
  });

  it('says each round, adds rows/s on a table task, and skips a yardstick that stops, keeping the others', () => {
    const said: string[] = [];
    const s = settings(3, said);
    const [ours, numba, jax] = fakeTimers({ ours: [100, 100, 100], numba: [50, 'gone'], jax: [25, 25, 25] }, [], { rowsPerCycle: 16 });
    const [row] = timeInRounds([ours], [numba, jax], s, 'N = 8');
    expect(s.skipped).to.deep.equal({ numba: 'numba is not installed' });
    expect(Object.keys(row.yardsticks ?? {})).to.deep.equal(['jax']);
    expect(row.yardsticks?.jax).to.include({ cyclesPerSecond: 25, rowsPerSecond: 400, ratio: 4 });
    expect(row).to.include({ cyclesPerSecond: 100, rowsPerSecond: 1600 });
    expect(said).to.deep.equal([
      '  N = 8, round 1 of 3: ours 100, numba 50, jax 25 cycles/s',
      '  numba yardstick skipped: numba is not installed',
      '  N = 8, round 2 of 3: ours 100, jax 25 cycles/s',
      '  N = 8, round 3 of 3: ours 100, jax 25 cycles/s',
    ]);
  });

  it('lets any other error through', () => {
    const [ours] = fakeTimers({ ours: [1] }, []);
    const broken: Named = {
      name: 'numba',
      timer: {
        time() {
          throw new Error('numba_rnn.py failed');
        },
      },
    };
    expect(() => timeInRounds([ours], [broken], settings(1), 'N = 8')).to.throw('numba_rnn.py failed');
  });
});
