/** Bytes a weight may hold: its value, its gradient and up to two optimizer slots (Adam's), as float64. */
export const BYTES_PER_WEIGHT = 4 * 8;
/** Bytes an activation may hold per row or time step: forward values, derivatives and backward deltas, as float64. */
export const BYTES_PER_ACTIVATION = 4 * 8;

/**
 * A model's memory estimate (`ModelContribution.memoryBytes`) from its counts at its largest:
 * `weights` parameters, `activations` values kept per cycle (units × rows or time steps).
 */
export function estimateModelBytes(weights: number, activations: number): number {
  return weights * BYTES_PER_WEIGHT + activations * BYTES_PER_ACTIVATION;
}
