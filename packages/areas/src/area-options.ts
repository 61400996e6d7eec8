import { type ExampleRequest, type OptionsOf, optionsSchema } from '@diffstruct/core';
import { AREAS_KERNELS } from './areas-kernel.js';

/** Most neurons an area may have: each link between two areas is an N × N matrix (with gradient and optimizer slots). */
export const MAX_AREA_NEURONS = 1000;
/** Most areas a network may have at once: links grow with their square. */
export const MAX_AREAS = 64;

/** What a link may read besides an area (the one-hot symbol), and what it may feed besides one (the softmax). */
export const INPUT = 'input';
export const OUTPUT = 'output';

/** Family of every area's neuron growable (one growable per area, id `area:<name>`). */
export const NEURONS_FAMILY = 'neurons';
/** Id and family of the growable whose units are whole areas. */
export const AREAS_FAMILY = 'areas';

/** The neuron growable's id of the area named `name`. */
export const neuronGrowableId = (name: string): string => `area:${name}`;

/** The area and links of a config that writes neither `areas` nor `links`: one area, input → main → output. */
export const DEFAULT_AREA = 'main';
export const DEFAULT_LINKS = [
  { from: INPUT, to: DEFAULT_AREA },
  { from: DEFAULT_AREA, to: OUTPUT },
];

/** A written area name: not `input` or `output` (checked apart), and never containing `+`, which names added areas (`memory+5`). */
const AREA_NAME = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,31}$', description: 'a letter, then up to 31 letters, digits, _ or -' } as const;
const ENDPOINT = { type: 'string', minLength: 1, maxLength: 32 } as const;

export const AREAS_OPTIONS = optionsSchema({
  areas: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_AREAS,
    items: {
      type: 'object',
      properties: {
        name: AREA_NAME,
        hidden: { type: 'integer', minimum: 1, maximum: MAX_AREA_NEURONS, default: 1, description: 'neurons at the start' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    default: [{ name: DEFAULT_AREA, hidden: 1 }],
    description: 'the areas at the start, each { name, hidden }: a tanh RNN of its own whose neurons grow (growable area:NAME, family neurons)',
  },
  links: {
    type: 'array',
    minItems: 2,
    maxItems: 4 * MAX_AREAS,
    items: {
      type: 'object',
      properties: { from: ENDPOINT, to: ENDPOINT },
      required: ['from', 'to'],
      additionalProperties: false,
    },
    default: DEFAULT_LINKS,
    description:
      'which feeds which, each { from, to }: an area or input (the symbol) to an area or output (the softmax); an area reads other areas at the previous step',
  },
  maxHidden: { type: 'integer', minimum: 1, maximum: MAX_AREA_NEURONS, default: 100, description: 'the cap on neurons per area' },
  maxAreas: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_AREAS,
    default: 8,
    description: "areas at most; growth adds one only while there are fewer than maxAreas - 1 (the paper's rule for neurons), so grown runs reach maxAreas - 1",
  },
  areaTemplate: {
    type: 'string',
    description: "an added area is wired as this area is in links (same sources and targets) and starts with its hidden neurons; absent: the last area's",
  },
  unroll: { type: 'integer', minimum: 1, maximum: 10000, default: 40, description: 'time steps per cycle (T)' },
  initScale: { type: 'number', minimum: 0, maximum: 10, default: 0.01, description: 'standard deviation of initial and added weights' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial neurons and areas' },
  kernel: {
    enum: AREAS_KERNELS,
    default: 'simd-f64',
    description: 'forward/backward implementation: simd-f64 (WebAssembly SIMD, float64), reference (plain TypeScript)',
  },
});
export type AreasOptions = OptionsOf<typeof AREAS_OPTIONS>;
export type AreaSpec = AreasOptions['areas'][number];
export type LinkSpec = AreasOptions['links'][number];

/** The window an areas network trains on: T + 1 symbols, predicting the last T. */
export const areasExampleRequest = (options: AreasOptions): ExampleRequest => ({ length: options.unroll + 1 });

/** The template an added area copies: `areaTemplate`, else the last area listed. */
export const templateName = (options: Pick<AreasOptions, 'areas' | 'areaTemplate'>): string =>
  options.areaTemplate ?? options.areas[options.areas.length - 1].name;
