import { ContainerModule } from 'inversify';
import { ModelContribution } from '@diffstruct/core';
import { charRnnContribution } from './char-rnn-contribution.js';

export * from './char-rnn-contribution.js';
export * from './char-rnn-model.js';
export * from './char-rnn-sampler.js';
export * from './reference-kernel.js';
export * from './rnn-kernel.js';
export * from './simd-kernel.js';

export default new ContainerModule(({ bind }) => {
  bind(ModelContribution).toConstantValue(charRnnContribution);
});
