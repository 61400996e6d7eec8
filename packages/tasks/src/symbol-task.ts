import { type ExampleRequest, field, isList, isNumber, isRecord, type SequenceExample, type StateValue, type Task, type TaskShape } from '@diffstruct/core';

/** The paper's alphabet; indices are the model's input and output positions. */
export const PAREN_VOCABULARY = ['a', 'b', '(', ')'] as const;
export const A = 0;
export const B = 1;
export const OPEN = 2;
export const CLOSE = 3;

/** One stream of symbols: its generator's position and the last symbol it gave. */
interface Stream<G> {
  readonly generator: G;
  last: number;
}

/**
 * A task that is an endless stream of symbols, cut into windows of `length` symbols. Each window
 * starts with the last symbol of the one before, so every symbol is predicted exactly once. With
 * `sequences: B` there are B such streams, each a generator of its own, filled in window order
 * from the one data stream (so stream 0 alone is the stream of `sequences: 1`).
 */
export abstract class SymbolStreamTask<G = unknown> implements Task<SequenceExample> {
  abstract readonly type: string;
  readonly shape: TaskShape;
  private streams: Stream<G>[] = [];

  constructor(readonly vocabulary: readonly string[]) {
    this.shape = { kind: 'sequence', inputSize: vocabulary.length, outputSize: vocabulary.length, vocabulary };
  }

  /** A generator at the stream's start. */
  protected abstract newGenerator(): G;

  /** The next symbol of a generator's stream. */
  protected abstract nextSymbol(generator: G): number;

  /** The generator's own position in its stream (its random draws are saved by the run). */
  protected abstract saveGenerator(generator: G): StateValue;
  protected abstract loadGenerator(generator: G, state: StateValue): void;

  /** Entropy per symbol of a perfect predictor, in nats. */
  protected abstract entropyPerSymbol(): number;

  entropyFloor(request: ExampleRequest): number {
    return this.entropyPerSymbol() * ((request.length ?? 1) - 1);
  }

  createExample(request: ExampleRequest): SequenceExample {
    if (!request.length || request.length < 2) throw new RangeError(`a ${this.type} window needs at least 2 symbols`);
    const windows = request.sequences ?? 1;
    if (!Number.isInteger(windows) || windows < 1) throw new RangeError(`a ${this.type} example needs a whole number of sequences, not ${windows}`);
    // A restored state brings its streams; a fresh task starts each one here.
    if (this.streams.length > windows) throw new RangeError(`the ${this.type} task holds ${this.streams.length} streams, the request ${windows}`);
    while (this.streams.length < windows) this.streams.push(this.newStream());
    return { symbols: new Int32Array(request.length * windows) };
  }

  next(example: SequenceExample, _cycle: number): void {
    const s = example.symbols;
    const streams = this.streamList();
    const length = s.length / streams.length;
    for (let w = 0, start = 0; w < streams.length; w++, start += length) {
      const stream = streams[w];
      s[start] = stream.last < 0 ? this.nextSymbol(stream.generator) : stream.last;
      for (let i = start + 1; i < start + length; i++) s[i] = this.nextSymbol(stream.generator);
      stream.last = s[start + length - 1];
    }
  }

  phase(): string {
    return this.type;
  }

  /** Stream 0 as `last` and `generator` (the state of a one-window task), any others under `streams`. */
  saveState(): StateValue {
    const [first, ...others] = this.streamList();
    const state: Record<string, StateValue> = this.saveStream(first);
    if (others.length) state.streams = others.map((s) => this.saveStream(s));
    return state;
  }

  loadState(state: StateValue): void {
    const others = isRecord(state) && 'streams' in (state as object) ? field<StateValue[]>(state, 'streams', isList, 'a list') : [];
    this.streams = [state, ...others].map((saved) => {
      const stream = this.newStream();
      stream.last = field<number>(saved, 'last', isNumber, 'a number');
      this.loadGenerator(
        stream.generator,
        field<StateValue>(saved, 'generator', () => true, 'present'),
      );
      return stream;
    });
  }

  private streamList(): Stream<G>[] {
    if (!this.streams.length) this.streams.push(this.newStream());
    return this.streams;
  }

  private newStream(): Stream<G> {
    return { generator: this.newGenerator(), last: -1 };
  }

  private saveStream(stream: Stream<G>): Record<string, StateValue> {
    return { last: stream.last, generator: this.saveGenerator(stream.generator) };
  }
}
