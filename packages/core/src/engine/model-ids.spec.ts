import { expect } from 'chai';
import { Parameter } from '../arrays/parameter.js';
import type { Growable } from '../contracts/growable.js';
import { NO_CHANGE } from '../contracts/growth-policy.js';
import type { Layer } from '../contracts/layer.js';
import type { Model } from '../contracts/model.js';
import { DiffstructError } from '../errors.js';
import { EventBus } from '../events/event-bus.js';
import { UnitPopulation } from '../growth/unit-population.js';
import { RandomStreams } from '../random/random-streams.js';
import { decodeState, encodeState } from '../state/state-encoding.js';
import { GrowthPolicies } from './growth-policies.js';
import { loadModel, saveModel } from './run-snapshot.js';
import { TrainingLoop } from './training-loop.js';

function gru(layers: readonly Layer[], growables: readonly Growable[] = []): Model {
  return { type: 'gru', layers, growables, chanceLoss: 1, exampleRequest: {}, trainStep: () => 0, evaluateLoss: () => 0, resetState: () => undefined };
}

const parameter = (name: string, value: number) => {
  const p = new Parameter(name, 1, 1);
  p.value.data[0] = value;
  return p;
};

const population = (id: string) => new UnitPopulation(id, { size: 1, maxSize: 2, l1Steps: 1, multipliers: parameter('m', 1), axes: [], states: [] });

function loopOf(model: Model): TrainingLoop {
  return new TrainingLoop({
    model,
    task: {
      type: 'none',
      shape: { kind: 'table', inputSize: 1, outputSize: 1 },
      entropyFloor: () => undefined,
      createExample: () => ({}),
      next: () => undefined,
      phase: () => 'only',
      saveState: () => null,
      loadState: () => undefined,
    },
    policies: GrowthPolicies.shared({ type: 'none', regularization: { l1: 0, minMultiplier: 0 }, decide: () => NO_CHANGE }),
    optimizer: { type: 'none', step: () => undefined },
    random: new RandomStreams(1),
    events: new EventBus(),
    logEvery: 1,
    cycles: 1,
  });
}

/** A saved state the duplicate models would otherwise load without complaint. */
const EMPTY_SAVE = decodeState(encodeState({ structure: null, layers: {}, growables: {} }));

const DUPLICATES: readonly { what: string; model: () => Model; message: string }[] = [
  {
    what: 'two parameters of one layer with one name',
    model: () => gru([{ id: 'hidden', parameters: () => [parameter('W', 1), parameter('W', 2)] }]),
    message: 'model "gru": layer "hidden" has two parameters named "W"',
  },
  {
    what: 'two layers with one id',
    model: () =>
      gru([
        { id: 'hidden', parameters: () => [parameter('W', 1)] },
        { id: 'hidden', parameters: () => [parameter('U', 2)] },
      ]),
    message: 'model "gru": two layers have the id "hidden"',
  },
  {
    what: 'two growables with one id',
    model: () => gru([], [population('hidden'), population('hidden')]),
    message: 'model "gru": two growables have the id "hidden"',
  },
];

describe('duplicate ids in a model', () => {
  for (const { what, model, message } of DUPLICATES) {
    it(`refuses ${what} when the training loop is built, before any cycle`, () => {
      expect(() => loopOf(model())).to.throw(DiffstructError, message);
    });

    it(`refuses ${what} when a checkpoint is saved or restored`, () => {
      expect(() => saveModel(model())).to.throw(DiffstructError, message);
      expect(() => loadModel(model(), EMPTY_SAVE)).to.throw(DiffstructError, message);
    });
  }

  it('saves and restores a model whose ids are unique, one parameter name in two layers included', () => {
    const twoLayers = (hidden: Parameter, output: Parameter) =>
      gru([
        { id: 'hidden', parameters: () => [hidden] },
        { id: 'output', parameters: () => [output] },
      ]);
    const saved = encodeState(saveModel(twoLayers(parameter('W', 1), parameter('W', 2))));
    const [hidden, output] = [parameter('W', 0), parameter('W', 0)];
    loadModel(twoLayers(hidden, output), decodeState(saved));
    expect([hidden.value.data[0], output.value.data[0]]).to.deep.equal([1, 2]);
  });
});
