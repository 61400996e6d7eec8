import type { UnitWeights } from '../contracts/growable.js';
import type { UnitAxis } from './unit-population.js';

/** The key of one axis's slice in `RemovedUnit.weights`, e.g. 'Whh:row'. */
export const weightsKey = (axis: UnitAxis): string => `${axis.parameter.name}:${axis.axis}`;

/**
 * Writes the entries of the new unit at `index` along every axis, in axis order (they are zero
 * when called): the inherited value where `inherited` (aligned with the current units) holds
 * one that is not NaN, else `axis.draw()`, else 0. An entry that lies on two axes (the diagonal
 * of a matrix across units) is written once, with its row.
 */
export function initializeUnitWeights(axes: readonly UnitAxis[], index: number, inherited: UnitWeights | undefined): void {
  for (const axis of axes) {
    const m = axis.parameter.value;
    const count = axis.axis === 'row' ? m.cols : m.rows;
    const saved = axis.inherits === false ? undefined : inherited?.[weightsKey(axis)];
    for (let k = 0; k < count; k++) {
      if (axis.axis === 'column' && axis.acrossUnits && k === index) continue;
      const value = saved?.[k];
      const at = axis.axis === 'row' ? index * m.cols + k : k * m.cols + index;
      if (value !== undefined && !Number.isNaN(value)) m.data[at] = value;
      else if (axis.draw) m.data[at] = axis.draw();
    }
  }
}
