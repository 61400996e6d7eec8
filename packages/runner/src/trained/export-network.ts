import { familyOf } from '@diffstruct/core/host';
import type { TrainedSeed } from './trained-seed.js';

export const NETWORK_FORMAT = 'diffstruct-network';
export const NETWORK_VERSION = 1;

/** One parameter matrix of the exported network: its live rows and columns only, row-major. */
export interface ExportedParameter {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: number[];
}

/** The JSON `diffstruct export` writes (docs/using-a-trained-network.md#the-exported-json). */
export interface ExportedNetwork {
  readonly format: typeof NETWORK_FORMAT;
  readonly version: number;
  readonly run: { readonly experiment: string; readonly arm: string; readonly seed: number; readonly cycles: number };
  readonly model: { readonly type: string; readonly options: Readonly<Record<string, unknown>> };
  readonly task: {
    readonly type: string;
    readonly kind: string;
    readonly inputSize: number;
    readonly outputSize: number;
    readonly vocabulary?: readonly string[];
    readonly targets?: string;
    readonly classes?: readonly string[];
  };
  readonly layers: readonly { readonly id: string; readonly parameters: readonly ExportedParameter[] }[];
  readonly growables: readonly { readonly id: string; readonly family: string; readonly units: number[]; readonly multipliers: number[] }[];
}

/**
 * The final network as plain data, generic over models: every layer's parameters (as the model
 * lists them) and every growable's unit ids and multipliers. Numbers are float64, written in
 * JSON's shortest round-trip form, so a reader gets the very values.
 */
export function exportNetwork(trained: TrainedSeed): ExportedNetwork {
  const { model, task } = trained.setup;
  const { type, ...options } = trained.arm.model;
  const { kind, inputSize, outputSize, vocabulary, targets, classes } = task.shape;
  return {
    format: NETWORK_FORMAT,
    version: NETWORK_VERSION,
    run: { experiment: trained.config.name, arm: trained.arm.name, seed: trained.seed, cycles: trained.cycles },
    model: { type: model.type, options },
    task: {
      type: task.type,
      kind,
      inputSize,
      outputSize,
      ...(vocabulary ? { vocabulary } : {}),
      ...(targets ? { targets } : {}),
      ...(classes ? { classes } : {}),
    },
    layers: model.layers.map((layer) => ({
      id: layer.id,
      parameters: layer.parameters().map((p) => ({ name: p.name, rows: p.rows, cols: p.cols, values: Array.from(p.value.toArray()) })),
    })),
    growables: model.growables.map((g) => ({
      id: g.id,
      family: familyOf(g),
      units: Array.from({ length: g.size }, (_, i) => g.unitId(i)),
      multipliers: Array.from({ length: g.size }, (_, i) => g.multiplier(i)),
    })),
  };
}
