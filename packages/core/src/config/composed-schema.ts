import type { SchemaObject } from 'ajv';
import type { AnyContribution } from '../plugins/contribution.js';
import { EXTENSION_POINTS, SLOT_KEYS } from '../plugins/extension-points.js';
import type { PluginRegistries } from '../plugins/plugin-registries.js';

/** Marks the schema of a plugin slot's `type`, followed by the point's key (see `describeAjvError`). */
export const POINT_COMMENT = 'extension point: ';

/** The schema of one contribution's options object, `type` included. */
export function optionsObjectSchema(c: AnyContribution): SchemaObject {
  const schema: SchemaObject = {
    type: 'object',
    additionalProperties: false,
    properties: { type: { const: c.type }, ...c.optionsSchema.properties },
  };
  if (c.optionsSchema.required?.length) schema.required = [...c.optionsSchema.required];
  return schema;
}

/**
 * The schema of one resolved arm: for each extension point, `type` must name a known
 * contribution, and the remaining keys must match that contribution's options schema.
 * Each point's slot schema is `#/$defs/<point>`, so options may nest plugins by `$ref`.
 */
export function composeArmSchema(registries: PluginRegistries): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  const defs: Record<string, SchemaObject> = {};
  for (const point of EXTENSION_POINTS) {
    const contributions = registries[point.key].all();
    const types = contributions.map((c) => c.type);
    // The $comment names the point in errors: ajv's schemaPath loses it when a $ref is compiled apart.
    const $comment = `${POINT_COMMENT}${point.key}`;
    const slot: SchemaObject = { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: types, $comment } } };
    if (!types.length) slot.properties = { type: { not: {}, $comment } };
    else {
      slot.allOf = contributions.map((c) => ({
        if: { properties: { type: { const: c.type } }, required: ['type'] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
        then: optionsObjectSchema(c),
      }));
    }
    defs[point.key] = slot;
    if (point.slot) properties[point.key] = { $ref: `#/$defs/${point.key}` };
  }
  properties.policies = { type: 'object', additionalProperties: { $ref: '#/$defs/policy' } };
  return {
    $defs: defs,
    type: 'object',
    required: [...SLOT_KEYS],
    properties,
  };
}
