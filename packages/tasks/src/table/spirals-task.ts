import { type OptionsOf, optionsSchema, type Random } from '@diffstruct/core';
import { GeneratedTableTask } from './generated-table-task.js';

export const SPIRALS_OPTIONS = optionsSchema({
  turns: { type: 'number', exclusiveMinimum: 0, maximum: 20, default: 1, description: 'turns of each spiral, the difficulty' },
  noise: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'standard deviation of the jitter around each arm' },
});
export type SpiralsOptions = OptionsOf<typeof SPIRALS_OPTIONS>;

/**
 * Two interleaved spirals of `turns` turns in the unit disc; a point's class is its spiral.
 * Points are spread evenly along each arm, with Gaussian jitter of `noise`.
 */
export class SpiralsTask extends GeneratedTableTask {
  readonly type = 'spirals';

  constructor(
    private readonly options: SpiralsOptions,
    random: Random,
  ) {
    super(random, 2, ['first', 'second']);
  }

  /** With noise the arms can overlap: the floor is not known. */
  override entropyFloor(): number | undefined {
    return this.options.noise === 0 ? 0 : undefined;
  }

  protected drawRow(inputs: Float64Array, offset: number): number {
    const { turns, noise } = this.options;
    const arm = this.random.uniform() < 0.5 ? 0 : 1;
    const t = Math.sqrt(this.random.uniform());
    const angle = 2 * Math.PI * turns * t + arm * Math.PI;
    const radius = 0.05 + 0.95 * t;
    inputs[offset] = radius * Math.cos(angle) + (noise ? noise * this.random.normal() : 0);
    inputs[offset + 1] = radius * Math.sin(angle) + (noise ? noise * this.random.normal() : 0);
    return arm;
  }
}
