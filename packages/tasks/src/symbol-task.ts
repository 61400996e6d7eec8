import { type ExampleRequest, field, isNumber, type SequenceExample, type StateValue, type Task, type TaskShape } from '@diffstruct/core';

/** The paper's alphabet; indices are the model's input and output positions. */
export const PAREN_VOCABULARY = ['a', 'b', '(', ')'] as const;
export const A = 0;
export const B = 1;
export const OPEN = 2;
export const CLOSE = 3;

/**
 * A task that is an endless stream of symbols, cut into windows of `length` symbols. Each window
 * starts with the last symbol of the one before, so every symbol is predicted exactly once.
 */
export abstract class SymbolStreamTask implements Task<SequenceExample> {
  abstract readonly type: string;
  readonly shape: TaskShape;
  private last = -1;

  constructor(readonly vocabulary: readonly string[]) {
    this.shape = { kind: 'sequence', inputSize: vocabulary.length, outputSize: vocabulary.length, vocabulary };
  }

  /** The next symbol of the stream. */
  protected abstract nextSymbol(): number;

  /** The generator's own position in its stream (its random draws are saved by the run). */
  protected abstract saveGenerator(): StateValue;
  protected abstract loadGenerator(state: StateValue): void;

  /** Entropy per symbol of a perfect predictor, in nats. */
  protected abstract entropyPerSymbol(): number;

  entropyFloor(request: ExampleRequest): number {
    return this.entropyPerSymbol() * ((request.length ?? 1) - 1);
  }

  createExample(request: ExampleRequest): SequenceExample {
    if (!request.length || request.length < 2) throw new RangeError(`a ${this.type} window needs at least 2 symbols`);
    return { symbols: new Int32Array(request.length) };
  }

  next(example: SequenceExample, _cycle: number): void {
    const s = example.symbols;
    s[0] = this.last < 0 ? this.nextSymbol() : this.last;
    for (let i = 1; i < s.length; i++) s[i] = this.nextSymbol();
    this.last = s[s.length - 1];
  }

  phase(): string {
    return this.type;
  }

  saveState(): StateValue {
    return { last: this.last, generator: this.saveGenerator() };
  }

  loadState(state: StateValue): void {
    this.last = field<number>(state, 'last', isNumber, 'a number');
    this.loadGenerator(field<StateValue>(state, 'generator', () => true, 'present'));
  }
}
