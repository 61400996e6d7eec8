import { field, isNumber, type OptionsOf, optionsSchema, type Random, type StateValue } from '@diffstruct/core';
import { CLOSE, OPEN, PAREN_VOCABULARY, SymbolStreamTask } from './symbol-task.js';

export const HARD_OPTIONS = optionsSchema({
  letters: { type: 'integer', minimum: 1, maximum: 64, default: 6, description: 'letters per group (L)' },
});
export type HardOptions = OptionsOf<typeof HARD_OPTIONS>;

/** The reference generator's first group, `abbaab`, repeated or cut to the group length. */
const FIRST_GROUP = [0, 1, 1, 0, 0, 1];

/** Groups of L letters in parentheses, each the previous one reversed with one letter flipped (docs/method.md#hard). */
export class HardTask extends SymbolStreamTask {
  readonly type = 'hard';
  private readonly group: Int32Array;
  private position: number;

  constructor(
    private readonly options: HardOptions,
    private readonly random: Random,
  ) {
    super(PAREN_VOCABULARY);
    this.group = Int32Array.from({ length: options.letters }, (_, i) => FIRST_GROUP[i % FIRST_GROUP.length]);
    this.position = options.letters + 1;
  }

  /** Position 0 is `(`, 1..L the letters, L + 1 the `)`; a new group is made at position 0. */
  protected nextSymbol(): number {
    const L = this.options.letters;
    this.position = (this.position + 1) % (L + 2);
    if (this.position === 0) {
      this.group.reverse();
      this.group[this.random.int(L)] ^= 1;
      return OPEN;
    }
    return this.position <= L ? this.group[this.position - 1] : CLOSE;
  }

  protected saveGenerator(): StateValue {
    return { group: Float64Array.from(this.group), position: this.position };
  }

  protected loadGenerator(state: StateValue): void {
    const group = field<Float64Array>(state, 'group', (v) => v instanceof Float64Array && v.length === this.options.letters, `${this.options.letters} letters`);
    this.group.set(group);
    this.position = field<number>(state, 'position', isNumber, 'a number');
  }

  /** A perfect memory of the last group leaves only which of the L letters flipped: ln L per group. */
  protected entropyPerSymbol(): number {
    return Math.log(this.options.letters) / (this.options.letters + 2);
  }
}
