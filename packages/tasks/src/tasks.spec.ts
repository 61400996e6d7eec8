import { expect } from 'chai';
import { ContributionRegistry, RandomStream, type SequenceExample, type TaskContribution } from '@diffstruct/core';
import { easyTaskContribution, hardTaskContribution, scheduleTaskContribution } from './contributions.js';
import { EasyTask } from './easy-task.js';
import { HardTask } from './hard-task.js';
import { ScheduleTask } from './schedule-task.js';
import { PAREN_VOCABULARY, type SymbolStreamTask } from './symbol-task.js';

function text(task: SymbolStreamTask, windows: number, length = 41): string {
  const example = task.createExample({ length });
  let out = '';
  for (let c = 0; c < windows; c++) {
    task.next(example, c);
    out += [...example.symbols.slice(c === 0 ? 0 : 1)].map((s) => PAREN_VOCABULARY[s]).join('');
  }
  return out;
}

describe('EasyTask', () => {
  it('produces (ab…ab) groups with a geometric number of digraphs', () => {
    const stream = text(new EasyTask({ continueProbability: 0.6 }, new RandomStream(1, 'data')), 500);
    const groups = stream.match(/\((?:ab)+\)/g)!;
    expect(stream.startsWith('(')).to.equal(true);
    expect(groups.join('')).to.equal(stream.slice(0, groups.join('').length));
    const meanDigraphs = groups.reduce((a, g) => a + (g.length - 2) / 2, 0) / groups.length;
    expect(meanDigraphs).to.be.closeTo(2.5, 0.1);
  });

  it('has the entropy floor 9.61 per 40 symbols (docs/method.md#entropy-floors)', () => {
    expect(new EasyTask({ continueProbability: 0.6 }, new RandomStream(1, 'd')).entropyFloor({ length: 41 })).to.be.closeTo(9.61, 0.005);
  });

  it('continues each window from the last symbol of the previous one', () => {
    const task = new EasyTask({ continueProbability: 0.6 }, new RandomStream(2, 'data'));
    const example = task.createExample({ length: 5 });
    task.next(example, 0);
    const last = example.symbols[4];
    task.next(example, 1);
    expect(example.symbols[0]).to.equal(last);
  });
});

describe('HardTask', () => {
  it('makes each group the previous one reversed with exactly one letter flipped', () => {
    for (const letters of [5, 6]) {
      const stream = text(new HardTask({ letters }, new RandomStream(3, 'data')), 200);
      expect(stream).to.match(new RegExp(`^(\\([ab]{${letters}}\\))+`));
      const groups = stream.match(new RegExp(`\\(([ab]{${letters}})\\)`, 'g'))!.map((g) => g.slice(1, -1));
      expect(groups.length).to.be.greaterThan(800);
      let previous = 'abbaab'.repeat(3).slice(0, letters);
      for (const g of groups) {
        const reversed = [...previous].reverse();
        expect(reversed.filter((ch, i) => ch !== g[i]).length).to.equal(1);
        previous = g;
      }
    }
  });

  it('has the entropy floors 8.96 (L = 6) and 9.20 (L = 5) per 40 symbols (docs/method.md#entropy-floors)', () => {
    const floor = (letters: number) => new HardTask({ letters }, new RandomStream(1, 'd')).entropyFloor({ length: 41 });
    expect(floor(6)).to.be.closeTo(8.96, 0.005);
    expect(floor(5)).to.be.closeTo(9.2, 0.005);
  });

  it('is the same stream for the same seed and another for another seed', () => {
    const make = (seed: number) => text(new HardTask({ letters: 6 }, new RandomStream(seed, 'data')), 20);
    expect(make(1)).to.equal(make(1));
    expect(make(1)).to.not.equal(make(2));
  });
});

describe('ScheduleTask', () => {
  const tasks = new ContributionRegistry<TaskContribution>('task', [easyTaskContribution, hardTaskContribution, scheduleTaskContribution]);
  const schedule = (phases: object[], cycles = 300) => new ScheduleTask({ phases } as never, { random: new RandomStream(1, 'data'), cycles, tasks });

  it('switches task by cycle, fractions of the run included, and names its phases', () => {
    const s = schedule([
      { task: { type: 'easy', continueProbability: 0.6 }, untilFraction: 1 / 3 },
      { task: { type: 'hard', letters: 6 }, until: 200 },
      { task: { type: 'easy', continueProbability: 0.6 } },
    ]);
    expect([0, 99, 100, 199, 200, 299].map((c) => s.phase(c))).to.deep.equal(['easy', 'easy', 'hard', 'hard', 'easy#3', 'easy#3']);
    expect(s.switches).to.deep.equal([100, 200]);
    expect(s.entropyFloor({ length: 41 }, 150)).to.be.closeTo(8.96, 0.005);
    const example = s.createExample({ length: 41 }) as SequenceExample;
    s.next(example, 150);
    expect([...example.symbols].map((x) => PAREN_VOCABULARY[x]).join('')).to.match(/\([ab]{6}\)/);
  });

  it('requires exactly one end on every phase but the last, increasing, all of one kind', () => {
    const check = (phases: object[]) => scheduleTaskContribution.check!({ phases } as never).map((p) => p.message);
    const easy = { type: 'easy' };
    expect(check([{ task: easy, until: 10 }, { task: easy }])).to.deep.equal([]);
    expect(check([{ task: easy }, { task: easy }])).to.deep.equal(['{phases[0]} needs until or untilFraction: every phase but the last ends']);
    expect(check([{ task: easy, until: 10, untilFraction: 0.5 }, { task: easy }])).to.deep.equal([
      '{phases[0].until} and {phases[0].untilFraction}: a phase ends at one of them, not both',
    ]);
    expect(check([{ task: easy, until: 10 }, { task: easy, until: 5 }, { task: easy }])).to.deep.equal(['{phases[1].until} must be above {phases[0].until}']);
    expect(check([{ task: easy, untilFraction: 0.2 }, { task: easy, until: 5 }, { task: easy }])).to.deep.equal([
      '{phases[1].until} must be untilFraction, like {phases[0].untilFraction}',
    ]);
    expect(
      check([
        { task: easy, until: 10 },
        { task: easy, until: 20 },
      ]),
    ).to.deep.equal(['{phases[1].until} must be left out: the last phase runs to the end']);
  });
});

describe('symbol tasks with several sequences per example', () => {
  const windows = 3;
  const length = 9;
  const easy = () => new EasyTask({ continueProbability: 0.6 }, new RandomStream(7, 'data'));
  const hard = () => new HardTask({ letters: 5 }, new RandomStream(7, 'data'));

  /** Each window's stream over `cycles` examples, every symbol once (a window repeats the last symbol of the one before). */
  function streams(task: SymbolStreamTask, cycles: number): string[] {
    const example = task.createExample({ length, sequences: windows });
    expect(example.symbols.length).to.equal(windows * length);
    const out = Array.from({ length: windows }, () => '');
    for (let c = 0; c < cycles; c++) {
      task.next(example, c);
      for (let w = 0; w < windows; w++) {
        const window = [...example.symbols.slice(w * length, (w + 1) * length)].map((s) => PAREN_VOCABULARY[s]).join('');
        if (c > 0) expect(window[0], `window ${w} of cycle ${c} continues its own stream`).to.equal(out[w].at(-1));
        out[w] += c === 0 ? window : window.slice(1);
      }
    }
    return out;
  }

  it('gives each window a stream of its own that follows the task’s rules (hard: each group the last one reversed, one letter flipped)', () => {
    const out = streams(hard(), 300);
    expect(new Set(out).size, 'the windows differ').to.equal(windows);
    for (const stream of out) {
      const groups = stream.match(/\(([ab]{5})\)/g)!.map((g) => g.slice(1, -1));
      expect(stream).to.match(/^(\([ab]{5}\))+/);
      let previous = 'abbaa';
      for (const g of groups) {
        expect([...previous].reverse().filter((ch, i) => ch !== g[i]).length).to.equal(1);
        previous = g;
      }
    }
    for (const stream of streams(easy(), 300)) expect(stream).to.match(/^(\((?:ab)+\))+/);
  });

  it('is the one-sequence stream when sequences is 1, and saves a one-sequence state as before (no streams key)', () => {
    const one = hard();
    const example = one.createExample({ length, sequences: 1 });
    const plain = hard();
    const plainExample = plain.createExample({ length });
    for (let c = 0; c < 50; c++) {
      one.next(example, c);
      plain.next(plainExample, c);
      expect([...example.symbols]).to.deep.equal([...plainExample.symbols]);
    }
    expect(Object.keys(one.saveState() as object)).to.deep.equal(['last', 'generator']);
  });

  it('refuses a request for fewer sequences than a restored state holds', () => {
    const task = hard();
    task.createExample({ length, sequences: windows });
    const restored = hard();
    restored.loadState(task.saveState());
    expect(() => restored.createExample({ length, sequences: 2 })).to.throw(RangeError, /3 streams, the request 2/);
  });
});
