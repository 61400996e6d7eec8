import { type OptionsOf, optionsSchema } from '@diffstruct/core';
import { ACTIVATIONS, DENSE_KERNELS } from '@diffstruct/layers';

/** Most neurons a layer (or blocks a stack) may have: beyond this a typo is likelier than intent. */
export const MAX_WIDTH = 4096;

const size = (value: number, description: string, minimum = 1) => ({ type: 'integer', minimum, maximum: MAX_WIDTH, default: value, description }) as const;

const SHARED_OPTIONS = {
  activation: { enum: ACTIVATIONS, default: 'tanh', description: "the hidden neurons' nonlinearity: tanh, relu or identity" },
  initScale: { type: 'number', minimum: 0, maximum: 10, default: 1, description: 'weights are drawn N(0, (initScale / √fan-in)²)' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial neurons and blocks' },
  batchSize: { type: 'integer', minimum: 1, maximum: 65536, default: 32, description: 'rows per training cycle (the minibatch)' },
  kernel: {
    enum: DENSE_KERNELS,
    default: 'simd-f64',
    description: 'what computes the dense layers: simd-f64 (WebAssembly SIMD) or reference (plain TypeScript); the same results bit for bit',
  },
} as const;

export const FEEDFORWARD_OPTIONS = optionsSchema({
  hidden: {
    type: 'array',
    minItems: 1,
    maxItems: 16,
    items: { type: 'integer', minimum: 1, maximum: MAX_WIDTH },
    default: [1],
    description: 'neurons of each hidden layer at the start, e.g. [4, 4]',
  },
  maxHidden: size(100, 'the size cap of each hidden layer'),
  ...SHARED_OPTIONS,
});
export type FeedforwardOptions = OptionsOf<typeof FEEDFORWARD_OPTIONS>;

export const RESIDUAL_OPTIONS = optionsSchema({
  width: size(16, 'features of the residual stream'),
  blocks: size(1, 'blocks at the start', 0),
  maxBlocks: size(64, 'the cap on blocks (growth stops below maxBlocks - 1)'),
  blockWidth: size(4, 'neurons in each block (at its start, with growWidth)'),
  growWidth: { type: 'boolean', default: false, description: "grow each block's neurons too: a growable per block, family block-width" },
  maxBlockWidth: size(64, 'the cap on neurons per block, with growWidth'),
  ...SHARED_OPTIONS,
});
export type ResidualOptions = OptionsOf<typeof RESIDUAL_OPTIONS>;

/** The feedforward model's growable families: one per hidden layer, `hidden1`, `hidden2`, ... */
export const feedforwardFamilies = (options: Pick<FeedforwardOptions, 'hidden'>): string[] => options.hidden.map((_, l) => `hidden${l + 1}`);

/** The depth growable's id (and family): its units are whole blocks. */
export const BLOCKS_FAMILY = 'blocks';
/** The family of every block's own width growable (with growWidth). */
export const BLOCK_WIDTH_FAMILY = 'block-width';

/** The residual model's growable families. */
export const residualFamilies = (options: Pick<ResidualOptions, 'growWidth'>): string[] =>
  options.growWidth ? [BLOCKS_FAMILY, BLOCK_WIDTH_FAMILY] : [BLOCKS_FAMILY];
