import type { Parameter } from '@diffstruct/core';

/** The typed arrays behind parameters, by name. */
export type ParameterArrayRecord<K extends string> = { readonly [key in K]: Float64Array };

/**
 * The typed arrays behind a model's parameters, by name, for kernels that take plain arrays. A
 * parameter's array changes only when it grows, so the records are rebuilt only then: no
 * allocation per cycle.
 */
export class ParameterArrays<K extends string> {
  private readonly keys: readonly K[];
  private values?: ParameterArrayRecord<K>;
  private grads?: ParameterArrayRecord<K>;

  constructor(private readonly parameters: { readonly [key in K]: Parameter }) {
    this.keys = Object.keys(parameters) as K[];
  }

  value(): ParameterArrayRecord<K> {
    if (!this.values || this.stale(this.values, 'value')) this.values = this.build('value');
    return this.values;
  }

  grad(): ParameterArrayRecord<K> {
    if (!this.grads || this.stale(this.grads, 'grad')) this.grads = this.build('grad');
    return this.grads;
  }

  private stale(arrays: ParameterArrayRecord<K>, kind: 'value' | 'grad'): boolean {
    for (const key of this.keys) if (arrays[key] !== this.parameters[key][kind].data) return true;
    return false;
  }

  private build(kind: 'value' | 'grad'): ParameterArrayRecord<K> {
    return Object.fromEntries(this.keys.map((key) => [key, this.parameters[key][kind].data])) as ParameterArrayRecord<K>;
  }
}
