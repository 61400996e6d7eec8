import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContributionRegistry, DataFileReader, defaultsOf, RandomStream, type SequenceExample, type TaskContribution } from '@diffstruct/core';
import { taskConformance } from '@diffstruct/core/testing';
import { textTaskContribution } from '../contributions.js';
import { readTextCorpus } from './text-corpus.js';
import { TEXT_OPTIONS, TextTask, type TextTaskOptions } from './text-task.js';
import { decodeUtf8CodePoints } from './utf8.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-text-'));
const textFile = (name: string, content: string | Uint8Array) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const defaults = defaultsOf(TEXT_OPTIONS) as TextTaskOptions;
const optionsFor = (files: string[], extra: Partial<TextTaskOptions> = {}): TextTaskOptions => ({ ...defaults, files, ...extra });
const read = () => new DataFileReader().readDataFile;
const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
const windowOf = (task: TextTask, length: number) => {
  const example = task.createExample({ length });
  return (cycle: number) => {
    task.next(example, cycle);
    return [...example.symbols];
  };
};
const names = (task: TextTask, symbols: readonly number[]) => symbols.map((s) => task.shape.vocabulary![s]).join('');

describe('utf-8 decoding', () => {
  it('gives the code points of any text (astral characters are one symbol, not two UTF-16 units)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect([...decodeUtf8CodePoints(Buffer.from(s), 'f')]).to.deep.equal(codePoints(s));
      }),
    );
    expect([...decodeUtf8CodePoints(Buffer.from('a😀é'), 'f')]).to.deep.equal([0x61, 0x1f600, 0xe9]);
  });

  it('drops a leading byte-order mark', () => {
    expect([...decodeUtf8CodePoints(Buffer.from('\uFEFFab'), 'f')]).to.deep.equal([0x61, 0x62]);
  });

  const refuse = (bytes: number[], at: string) =>
    expect(() => decodeUtf8CodePoints(Uint8Array.from(bytes), 'F')).to.throw(`F:${at}: expected UTF-8 text, found invalid UTF-8`);
  const ab = [0x61, 0x0a, 0x62]; // "a\nb": a bad byte after it stands at line 2, column 2
  it('refuses a stray continuation byte, at its line and column', () => refuse([...ab, 0x80], '2:2'));
  it('refuses a sequence cut short (by the end, or by another character)', () => {
    refuse([...ab, 0xe2, 0x82], '2:2');
    refuse([0xe2, 0x28, 0xa1], '1:1');
  });
  it('refuses overlong forms, surrogates and points above U+10FFFF', () => {
    refuse([0xc0, 0x80], '1:1');
    refuse([0x61, 0xe0, 0x80, 0x80], '1:2');
    refuse([0xed, 0xa0, 0x80], '1:1');
    refuse([0xf4, 0x90, 0x80, 0x80], '1:1');
    refuse([0xff], '1:1');
  });
});

describe('text corpus', () => {
  it('splits into contiguous blocks by character and builds the vocabulary from the training block, most frequent first, ties by code point', () => {
    // 20 characters: training 16 ("bbbaac\n😀bbbaac\n😀"), validation 2 ("zb"), test 2 ("ab").
    const file = textFile('blocks.txt', 'bbbaac\n😀bbbaac\n😀zbab');
    const corpus = readTextCorpus(optionsFor([file], { split: { validation: 0.1, test: 0.1 } }), read());
    expect([corpus.trainEnd, corpus.validationEnd, corpus.symbols.length]).to.deep.equal([16, 18, 20]);
    expect(corpus.vocabulary).to.deep.equal(['b', 'a', '\n', 'c', '😀', '\uFFFD']);
    // z appears only in the validation block: it is the unknown symbol there.
    expect([...corpus.symbols.subarray(16)].map((s) => corpus.vocabulary[s]).join('')).to.equal('\uFFFDbab');
    expect(corpus.symbols.buffer).to.be.instanceOf(SharedArrayBuffer);
  });

  it('caps the vocabulary at maxSize, the unknown symbol included, and reads several files as one text', () => {
    const corpus = readTextCorpus(
      optionsFor([textFile('one.txt', 'aaab'), textFile('two.txt', 'bcd')], { vocabulary: { maxSize: 3, unknown: '?' }, split: { validation: 0, test: 0 } }),
      read(),
    );
    expect(corpus.vocabulary).to.deep.equal(['a', 'b', '?']);
    expect([...corpus.symbols]).to.deep.equal([0, 0, 0, 1, 1, 2, 2]);
  });

  describe('refuses, naming the file', () => {
    const refuse = (files: string[], message: string, extra: Partial<TextTaskOptions> = {}) =>
      expect(() => readTextCorpus(optionsFor(files, extra), read())).to.throw(message);
    it('a missing file', () => refuse([join(dir, 'none.txt')], `${join(dir, 'none.txt')}: no such file`));
    it('a folder', () => {
      mkdirSync(join(dir, 'folder'), { recursive: true });
      refuse([join(dir, 'folder')], `${join(dir, 'folder')}: is a folder`);
    });
    it('an empty file', () => refuse([textFile('empty.txt', '')], `${join(dir, 'empty.txt')}: expected text, found an empty file`));
    it('invalid UTF-8, at its line and column', () =>
      refuse(
        [textFile('latin1.txt', Uint8Array.from([0x6f, 0x6b, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]))],
        `${join(dir, 'latin1.txt')}:2:4: expected UTF-8 text`,
      ));
    it('an unknown symbol named as a character of the vocabulary', () =>
      refuse([textFile('q.txt', 'a?b')], 'vocabulary.unknown: "?" is a character of', { vocabulary: { maxSize: 96, unknown: '?' } }));
  });

  it('reads the moby-dick corpus from its npm package: about 80 characters, the novel from chapter 1', () => {
    const corpus = readTextCorpus({ ...defaults, corpus: 'moby-dick' }, read());
    expect(corpus.vocabulary.length).to.be.within(70, 96);
    expect(corpus.symbols.length).to.be.above(1_000_000);
    const start = [...corpus.symbols.subarray(0, 38)].map((s) => corpus.vocabulary[s]).join('');
    expect(start).to.equal('CHAPTER 1. Loomings.\n\nCall me Ishmael.');
  });
});

describe('text task', () => {
  const file = textFile('stream.txt', 'abcdefghij'.repeat(3));
  const task = (seed = 1, extra: Partial<TextTaskOptions> = {}) =>
    new TextTask(optionsFor([file], { split: { validation: 0.2, test: 0.1 }, ...extra }), new RandomStream(seed, 'data'));

  it('moves a window through the training block, each window starting with the last symbol of the one before, and wraps around the block', () => {
    const t = task();
    const start = (t.saveState() as { positions: number[] }).positions[0]; // a random point
    const next = windowOf(t, 3);
    const windows = Array.from({ length: 16 }, (_, cycle) => names(t, next(cycle)));
    const training = 'abcdefghij'.repeat(2) + 'a'; // 21 characters of 30: validation 6, test 3
    const ring = training.repeat(3);
    windows.forEach((w, i) => expect(w).to.equal(ring.slice(start + 2 * i, start + 2 * i + 3)));
  });

  it('with B windows a cycle: B readers spread evenly from the same random point, each continuing its window of the cycle before and wrapping on its own', () => {
    const t = task();
    const start = (t.saveState() as { positions: number[] }).positions[0];
    const example = t.createExample({ length: 3, sequences: 3 });
    const ring = ('abcdefghij'.repeat(2) + 'a').repeat(3); // the training block of 21, read as a ring
    const readers = [0, 1, 2].map((b) => (start + 7 * b) % 21);
    expect((t.saveState() as { positions: number[] }).positions).to.deep.equal(readers);
    const single = windowOf(task(), 3);
    for (let cycle = 0; cycle < 16; cycle++) {
      t.next(example, cycle);
      const windows = [0, 1, 2].map((b) => names(t, [...example.symbols.subarray(3 * b, 3 * b + 3)]));
      expect(windows).to.deep.equal(readers.map((p) => ring.slice(p + 2 * cycle, p + 2 * cycle + 3)));
      // Window 0 is the stream of one window a cycle.
      expect(windows[0]).to.equal(names(t, single(cycle)));
    }
  });

  it('starts at another point for another seed', () => {
    const starts = [1, 2, 3, 4, 5].map((seed) => names(task(seed), windowOf(task(seed), 3)(0)));
    expect(new Set(starts).size).to.be.above(1);
  });

  it('gives the held-out blocks as consecutive windows sharing one symbol, the same on every call', () => {
    const t = task();
    expect(t.heldOutSize('validation', { length: 3 })).to.equal(2); // 6 characters: windows 0-2, 2-4
    expect(t.heldOutSize('test', { length: 3 })).to.equal(1);
    expect(t.heldOutSize('validation', { length: 7 })).to.equal(0);
    const example: SequenceExample = t.createExample({ length: 3 });
    const filled = (split: 'validation' | 'test', first: number) => {
      t.fillHeldOut(split, example, first);
      return names(t, [...example.symbols]);
    };
    expect([filled('validation', 0), filled('validation', 1), filled('test', 0), filled('validation', 0)]).to.deep.equal(['bcd', 'def', 'hij', 'bcd']);
    expect(() => t.fillHeldOut('validation', example, 2)).to.throw(RangeError);
  });

  it('refuses a window longer than a block, naming the text and the block', () => {
    expect(() => task().createExample({ length: 5 })).to.throw(`${file}: the test block holds 3 characters, fewer than one window of the model's 5`);
    expect(() => task(1, { split: { validation: 0, test: 0 } }).createExample({ length: 31 })).to.throw('the training block holds 30 characters');
    expect(() => task(1, { split: { validation: 0, test: 0 } }).createExample({ length: 30 })).not.to.throw();
  });
});

// The contract every task keeps, on a text long enough for the conformance suite's windows of 41.
const longText = textFile('long.txt', 'It was the best of times, it was the worst of times.\n'.repeat(20));
const tasks = new ContributionRegistry<TaskContribution>('task', [textTaskContribution]);
const longTextTask = (random: RandomStream) => textTaskContribution.create(optionsFor([longText]), { random, cycles: 200, tasks });
taskConformance('text', longTextTask);
taskConformance('text, 3 sequences', longTextTask, { request: { length: 41, sequences: 3 } });

describe('text task options', () => {
  it('are one of files and corpus, with held-out fractions that leave a training block', () => {
    const check = (options: Partial<TextTaskOptions>) => textTaskContribution.check!({ ...defaults, ...options } as never).map((p) => p.message);
    expect(check({ files: [longText] })).to.deep.equal([]);
    expect(check({ corpus: 'moby-dick' })).to.deep.equal([]);
    expect(check({})).to.deep.equal(['expected files or corpus: the text to read']);
    expect(check({ files: [longText], corpus: 'moby-dick' })).to.deep.equal(['{files} and {corpus}: give one of them, not both']);
    expect(check({ corpus: 'moby-dick', split: { validation: 0.5, test: 0.5 } })[0]).to.contain('must add up to less than 1');
  });
});
