import { field, isNumber, type OptionsOf, optionsSchema, type Random, type StateValue } from '@diffstruct/core';
import { A, B, CLOSE, OPEN, PAREN_VOCABULARY, SymbolStreamTask } from './symbol-task.js';

export const EASY_OPTIONS = optionsSchema({
  continueProbability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.6, description: 'chance of another ab after each ab' },
});
export type EasyOptions = OptionsOf<typeof EASY_OPTIONS>;

const enum State {
  Open,
  A,
  B,
  Decide,
}

/** Where a stream of groups is. */
interface Generator {
  state: State;
}

/** `(ab…ab)` groups: after each `ab`, another follows with probability p, else `)` (docs/method.md#easy). */
export class EasyTask extends SymbolStreamTask<Generator> {
  readonly type = 'easy';

  constructor(
    private readonly options: EasyOptions,
    private readonly random: Random,
  ) {
    super(PAREN_VOCABULARY);
  }

  protected newGenerator(): Generator {
    return { state: State.Open };
  }

  protected nextSymbol(g: Generator): number {
    switch (g.state) {
      case State.Open:
        g.state = State.A;
        return OPEN;
      case State.A:
        g.state = State.B;
        return A;
      case State.B:
        g.state = State.Decide;
        return B;
      case State.Decide:
        if (this.random.uniform() < this.options.continueProbability) {
          g.state = State.B;
          return A;
        }
        g.state = State.Open;
        return CLOSE;
    }
  }

  protected saveGenerator(g: Generator): StateValue {
    return { state: g.state };
  }

  protected loadGenerator(g: Generator, state: StateValue): void {
    const saved = field<number>(
      state,
      'state',
      (v) => isNumber(v) && Number.isInteger(v) && (v as number) >= State.Open && (v as number) <= State.Decide,
      'a generator state',
    );
    g.state = saved as State;
  }

  /** Only the choice after each `b` is uncertain: a group of D digraphs has D choices in 2D + 2 symbols. */
  protected entropyPerSymbol(): number {
    const p = this.options.continueProbability;
    const choice = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    const digraphs = 1 / (1 - p);
    return (digraphs * choice) / (2 * digraphs + 2);
  }
}
