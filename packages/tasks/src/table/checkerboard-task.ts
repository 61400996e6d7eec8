import { type OptionsOf, optionsSchema, type Random } from '@diffstruct/core';
import { GeneratedTableTask } from './generated-table-task.js';

export const CHECKERBOARD_OPTIONS = optionsSchema({
  cells: { type: 'integer', minimum: 1, maximum: 64, default: 2, description: 'cells per side, the difficulty (2 is XOR)' },
});
export type CheckerboardOptions = OptionsOf<typeof CHECKERBOARD_OPTIONS>;

/** Points uniform in [−1, 1]²; the class is the colour of their cell on a `cells` × `cells` board. */
export class CheckerboardTask extends GeneratedTableTask {
  readonly type = 'checkerboard';

  constructor(
    private readonly options: CheckerboardOptions,
    random: Random,
  ) {
    super(random, 2, ['dark', 'light']);
  }

  protected drawRow(inputs: Float64Array, offset: number): number {
    const { cells } = this.options;
    const x = 2 * this.random.uniform() - 1;
    const y = 2 * this.random.uniform() - 1;
    inputs[offset] = x;
    inputs[offset + 1] = y;
    const cell = (v: number) => Math.min(cells - 1, Math.floor(((v + 1) / 2) * cells));
    return (cell(x) + cell(y)) % 2;
  }
}
