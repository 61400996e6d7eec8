import type { SchemaObject } from 'ajv';
import { SLOT_KEYS } from '../plugins/extension-points.js';

/** Names that become folder names: no separators, no leading dot. */
export const SAFE_NAME: SchemaObject = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'a name of up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** Most seeds and cycles a config may ask for: beyond these a typo is far likelier than intent. */
export const MAX_SEEDS = 1000;
export const MAX_CYCLES = 1e9;
/** Most held-out examples (windows or rows) one evaluation may ask for. */
export const MAX_HELD_OUT_EXAMPLES = 1e8;

/** An experiment's or an arm's cycles (a swept value of `cycles` too). */
export const CYCLES_SCHEMA: SchemaObject = { type: 'integer', minimum: 1, maximum: MAX_CYCLES };

/** Each plugin slot (task, model...) as a mapping; its options are checked per arm by the composed schema. */
const pluginSlots: Record<string, SchemaObject> = Object.fromEntries(SLOT_KEYS.map((key) => [key, { type: 'object' }]));

/** A growable family's name as a `policies:` key. */
export const FAMILY_NAME: SchemaObject = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' };

/** `policies:` — a policy per growable family (by id or family), over `policy:`. */
const policiesSlot: SchemaObject = {
  type: 'object',
  propertyNames: FAMILY_NAME,
  additionalProperties: { type: 'object' },
  description: 'a growth policy per growable family (e.g. blocks, block-width); each entry is merged over policy',
};

const armOverride: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: SAFE_NAME,
    description: { type: 'string' },
    cycles: CYCLES_SCHEMA,
    ...pluginSlots,
    policies: policiesSlot,
  },
};

/** The top level of a config; plugin options are checked per arm by the composed schema. */
export const CORE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: SAFE_NAME,
    description: { type: 'string' },
    seeds: { type: 'integer', minimum: 1, maximum: MAX_SEEDS, default: 20 },
    cycles: { ...CYCLES_SCHEMA, default: 300000 },
    ...pluginSlots,
    policies: policiesSlot,
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { every: { type: 'integer', minimum: 1, maximum: MAX_CYCLES, default: 1000 } },
    },
    checkpoint: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { every: { type: 'integer', minimum: 0, maximum: MAX_CYCLES, default: 10000, description: 'cycles between checkpoints, 0 for none' } },
    },
    eval: {
      type: 'object',
      additionalProperties: false,
      required: ['every'],
      description:
        'held-out evaluation: the validation split every `every` cycles (a multiple of log.every) and at the end, the test split once a seed finishes',
      properties: {
        every: { type: 'integer', minimum: 1, maximum: MAX_CYCLES, description: 'cycles between evaluations of the validation split; a multiple of log.every' },
        examples: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_HELD_OUT_EXAMPLES,
          description: "the validation split's first examples evaluated each time (default: all of it)",
        },
      },
    },
    arms: { type: 'array', minItems: 1, maxItems: 100, items: armOverride },
    sweep: { type: 'object', description: 'a grid over config paths, e.g. policy.threshold: [0.02, 0.05], expanded into arms' },
    plugins: { type: 'array', default: [], items: { type: 'string', minLength: 1, description: 'an npm package name' } },
  },
};
