import { AssertionError } from 'node:assert';
import { expect } from 'chai';
import { ForgetfulToyModel, TOY_EXAMPLE, ToyGrowableModel } from '../../test-support/toy-growable-model.js';
import { checkCheckpointRoundTrip } from './checkpoint-round-trip.js';
import { growableModelConformance } from './layer-conformance.js';

// The suite on the smallest model that keeps it, so a change to the suite is tried here first.
growableModelConformance('toy growable model', (seed) => ({ model: new ToyGrowableModel(seed), example: TOY_EXAMPLE }));

describe('the checkpoint round trip of growableModelConformance', () => {
  it('passes a model whose carried state is a growable state', () => {
    expect(() => checkCheckpointRoundTrip((seed) => ({ model: new ToyGrowableModel(seed), example: TOY_EXAMPLE }), 1)).to.not.throw();
  });

  it('fails a model that carries state no checkpoint holds, at the first step after the checkpoint', () => {
    expect(() => checkCheckpointRoundTrip((seed) => ({ model: new ForgetfulToyModel(seed), example: TOY_EXAMPLE }), 1)).to.throw(
      AssertionError,
      /trainStep 1 after the checkpoint: loss .*, restored /,
    );
  });
});
