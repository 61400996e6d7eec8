import { field, isNumber, type OptionsOf, optionsSchema, type Random, type StateValue } from '@diffstruct/core';
import { CLOSE, OPEN, PAREN_VOCABULARY, SymbolStreamTask } from './symbol-task.js';

export const HARD_OPTIONS = optionsSchema({
  letters: { type: 'integer', minimum: 1, maximum: 64, default: 6, description: 'letters per group (L)' },
});
export type HardOptions = OptionsOf<typeof HARD_OPTIONS>;

/** The reference generator's first group, `abbaab`, repeated or cut to the group length. */
const FIRST_GROUP = [0, 1, 1, 0, 0, 1];

/** Where a stream of groups is: the current group, and the position in it. */
interface Generator {
  readonly group: Int32Array;
  position: number;
}

/** Groups of L letters in parentheses, each the previous one reversed with one letter flipped (docs/method.md#hard). */
export class HardTask extends SymbolStreamTask<Generator> {
  readonly type = 'hard';

  constructor(
    private readonly options: HardOptions,
    private readonly random: Random,
  ) {
    super(PAREN_VOCABULARY);
  }

  protected newGenerator(): Generator {
    const L = this.options.letters;
    return { group: Int32Array.from({ length: L }, (_, i) => FIRST_GROUP[i % FIRST_GROUP.length]), position: L + 1 };
  }

  /** Position 0 is `(`, 1..L the letters, L + 1 the `)`; a new group is made at position 0. */
  protected nextSymbol(g: Generator): number {
    const L = this.options.letters;
    g.position = (g.position + 1) % (L + 2);
    if (g.position === 0) {
      g.group.reverse();
      g.group[this.random.int(L)] ^= 1;
      return OPEN;
    }
    return g.position <= L ? g.group[g.position - 1] : CLOSE;
  }

  protected saveGenerator(g: Generator): StateValue {
    return { group: Float64Array.from(g.group), position: g.position };
  }

  protected loadGenerator(g: Generator, state: StateValue): void {
    const group = field<Float64Array>(state, 'group', (v) => v instanceof Float64Array && v.length === this.options.letters, `${this.options.letters} letters`);
    g.group.set(group);
    g.position = field<number>(state, 'position', isNumber, 'a number');
  }

  /** A perfect memory of the last group leaves only which of the L letters flipped: ln L per group. */
  protected entropyPerSymbol(): number {
    return Math.log(this.options.letters) / (this.options.letters + 2);
  }
}
