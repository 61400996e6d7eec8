import { type OptionsOf, optionsSchema, type Random, type TaskContribution } from '@diffstruct/core';
import { SymbolStreamTask } from '@diffstruct/tasks';

/** The type of `bench --vocab`'s task; bound in bench's container only, never in a run's. */
export const UNIFORM_SYMBOLS_TASK = 'uniform-symbols';

export const UNIFORM_SYMBOLS_OPTIONS = optionsSchema({
  symbols: { type: 'integer', minimum: 2, maximum: 4096, default: 80, description: 'vocabulary size (V)' },
});
export type UniformSymbolsOptions = OptionsOf<typeof UNIFORM_SYMBOLS_OPTIONS>;

/**
 * Symbols drawn uniformly from a vocabulary of V: a sequence task of any vocabulary size, so bench
 * times a char model at the V of a real text (~80) with nothing to read. Nothing to learn
 * (its floor is ln V a symbol), but a cycle costs what it costs on text.
 */
class UniformSymbolsTask extends SymbolStreamTask<null> {
  readonly type = UNIFORM_SYMBOLS_TASK;

  constructor(
    private readonly options: UniformSymbolsOptions,
    private readonly random: Random,
  ) {
    super(Array.from({ length: options.symbols }, (_, i) => `s${i}`));
  }

  protected newGenerator(): null {
    return null;
  }

  protected nextSymbol(): number {
    return this.random.int(this.options.symbols);
  }

  protected saveGenerator(): null {
    return null;
  }

  protected loadGenerator(): void {}

  protected entropyPerSymbol(): number {
    return Math.log(this.options.symbols);
  }
}

export const uniformSymbolsTaskContribution: TaskContribution = {
  type: UNIFORM_SYMBOLS_TASK,
  description: 'symbols drawn uniformly from a vocabulary of V (bench --vocab only)',
  optionsSchema: UNIFORM_SYMBOLS_OPTIONS,
  kind: 'sequence',
  create(options: UniformSymbolsOptions, { random }) {
    return new UniformSymbolsTask(options, random);
  },
};
