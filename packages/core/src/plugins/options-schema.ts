import type { SchemaObject } from 'ajv';
import type { PluginRef } from '../config/experiment-config.js';

/**
 * JSON schema of a plugin's options (the `type` key is added by core). Write it with
 * `optionsSchema(...)` and derive the options type with `OptionsOf`, so the two cannot drift.
 */
export interface OptionsSchema {
  readonly properties: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
}

/** An options schema whose literal types are kept, for `OptionsOf`. */
export function optionsSchema<const P extends Readonly<Record<string, SchemaObject>>, const R extends readonly (keyof P & string)[] = []>(
  properties: P,
  required?: R,
): { readonly properties: P; readonly required?: R } {
  return required === undefined ? { properties } : { properties, required };
}

/**
 * The value an option's schema admits once validated: `enum` and `const` give their values,
 * `$ref` (a nested plugin) a `PluginRef`, `anyOf` the union of its branches.
 */
export type OptionValue<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly const: infer C }
    ? C
    : S extends { readonly $ref: string }
      ? PluginRef
      : S extends { readonly anyOf: readonly (infer A)[] }
        ? OptionValue<A>
        : S extends { readonly type: 'integer' | 'number' }
          ? number
          : S extends { readonly type: 'string' }
            ? string
            : S extends { readonly type: 'boolean' }
              ? boolean
              : S extends { readonly type: 'array'; readonly items: infer I }
                ? readonly OptionValue<I>[]
                : S extends { readonly type: 'object'; readonly properties: infer P extends object }
                  ? OptionsOf<{ readonly properties: P; readonly required: S extends { readonly required: infer R extends readonly string[] } ? R : [] }>
                  : unknown;

/** Keys present after validation: those with a default (ajv fills it in) or required. */
type PresentKeys<P, R> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : K extends R ? K : never }[keyof P];

/** The options object a schema validates to, e.g. `type AdamOptions = OptionsOf<typeof ADAM_OPTIONS>`. */
export type OptionsOf<S extends { readonly properties: object; readonly required?: readonly string[] }> = Flatten<
  { readonly [K in PresentKeys<S['properties'], RequiredOf<S>>]: OptionValue<S['properties'][K]> } & {
    readonly [K in Exclude<keyof S['properties'], PresentKeys<S['properties'], RequiredOf<S>>>]?: OptionValue<S['properties'][K]>;
  }
>;

type RequiredOf<S> = S extends { readonly required?: readonly (infer R)[] } ? R : never;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** Every option's default, as ajv fills them in (options without one are left out). */
export function defaultsOf<S extends OptionsSchema>(schema: S): OptionsOf<S> {
  const entries = Object.entries(schema.properties).filter(([, option]) => option.default !== undefined);
  return Object.freeze(Object.fromEntries(entries.map(([key, option]) => [key, option.default]))) as OptionsOf<S>;
}
