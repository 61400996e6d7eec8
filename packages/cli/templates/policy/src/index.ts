import { ContainerModule } from 'inversify';
import { PolicyContribution } from '@diffstruct/core';
import { __CONSTANT___OPTIONS, __Class__, type __Class__Options } from './policy.js';

export * from './policy.js';

/** What a config's `policy: __type__` creates: its options schema, a rule across options, the factory. */
export const __Class__Contribution: PolicyContribution = {
  type: '__type__',
  description: 'deletes units below threshold at random and adds one every growEvery cycles',
  optionsSchema: __CONSTANT___OPTIONS,
  // A rule across options: name each option in braces; diffstruct writes its config path and value.
  check: (options: __Class__Options) =>
    options.minMultiplier < options.threshold ? [] : [{ message: '{minMultiplier} must be below {threshold}, or no unit could ever be deleted' }],
  create: (options: __Class__Options) => new __Class__(options),
};

/** diffstruct loads this module when a config lists the package under `plugins:`. */
export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(__Class__Contribution);
});
