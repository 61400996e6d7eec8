import type { Parameter } from '@diffstruct/core';

export type Arrays<K extends string> = { readonly [key in K]: Float64Array };

/**
 * The typed arrays behind a model's parameters, by name, for kernels that take plain arrays. A
 * parameter's array changes only when it grows, so the records are rebuilt only then: no
 * allocation per cycle.
 */
export class ParameterArrays<K extends string> {
  private readonly keys: readonly K[];
  private values?: Arrays<K>;
  private grads?: Arrays<K>;

  constructor(private readonly parameters: { readonly [key in K]: Parameter }) {
    this.keys = Object.keys(parameters) as K[];
  }

  value(): Arrays<K> {
    if (!this.values || this.stale(this.values, 'value')) this.values = this.build('value');
    return this.values;
  }

  grad(): Arrays<K> {
    if (!this.grads || this.stale(this.grads, 'grad')) this.grads = this.build('grad');
    return this.grads;
  }

  private stale(arrays: Arrays<K>, kind: 'value' | 'grad'): boolean {
    for (const key of this.keys) if (arrays[key] !== this.parameters[key][kind].data) return true;
    return false;
  }

  private build(kind: 'value' | 'grad'): Arrays<K> {
    return Object.fromEntries(this.keys.map((key) => [key, this.parameters[key][kind].data])) as Arrays<K>;
  }
}
