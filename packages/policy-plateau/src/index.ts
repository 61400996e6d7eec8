import { ContainerModule } from 'inversify';
import { PolicyContribution } from '@diffstruct/core';
import { floorBelowThreshold, PLATEAU_OPTIONS, type PlateauOptions } from './plateau-options.js';
import { PlateauPolicy } from './plateau-policy.js';

export * from './plateau-options.js';
export * from './plateau-policy.js';

export const plateauPolicy: PolicyContribution = {
  type: 'plateau',
  description: 'add a unit when the smooth loss stops improving over a window; delete old sub-threshold units as the paper does',
  optionsSchema: PLATEAU_OPTIONS,
  check(options: PlateauOptions) {
    return floorBelowThreshold(options);
  },
  create(options: PlateauOptions) {
    return new PlateauPolicy(options);
  },
};

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(plateauPolicy);
});
