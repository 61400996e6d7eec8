import { type OptionsOf, optionsSchema, type Random } from '@diffstruct/core';
import { GeneratedTableTask } from './generated-table-task.js';

export const PARITY_OPTIONS = optionsSchema({
  bits: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'input bits (n), the difficulty' },
});
export type ParityOptions = OptionsOf<typeof PARITY_OPTIONS>;

/** n random bits as ±1; the class is the parity of the +1s (n = 2 is XOR). */
export class ParityTask extends GeneratedTableTask {
  readonly type = 'parity';

  constructor(
    private readonly options: ParityOptions,
    random: Random,
  ) {
    super(random, options.bits, ['even', 'odd']);
  }

  protected drawRow(inputs: Float64Array, offset: number): number {
    let parity = 0;
    for (let i = 0; i < this.options.bits; i++) {
      const bit = this.random.uniform() < 0.5 ? 1 : 0;
      inputs[offset + i] = bit ? 1 : -1;
      parity ^= bit;
    }
    return parity;
  }
}
