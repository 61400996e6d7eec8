import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { Model } from '../../contracts/model.js';
import type { StateValue } from '../../contracts/stateful.js';
import { assertUniqueModelIds } from '../../engine/model-ids.js';
import { RandomStream } from '../../random/random-stream.js';
import { checkGradients, type GradientCheckOptions } from '../gradient-check.js';
import { checkCheckpointRoundTrip } from './checkpoint-round-trip.js';
import { growAtRandom, parametersOf } from './model-helpers.js';

export interface GrowableModelFixture<E = unknown> {
  readonly model: Model<E>;
  readonly example: E;
}

export interface LayerConformanceOptions {
  /** Largest relative error allowed between backprop and finite differences. */
  readonly gradientTolerance?: number;
  /** How the gradient check differences and where its floor lies (see `checkGradients`). */
  readonly gradientCheck?: GradientCheckOptions;
}

/**
 * The contract every growable model (and so every growable layer in it) keeps; call it in the
 * plugin's spec: `growableModelConformance('char-rnn', (seed) => ({ model, example }))`.
 * `make` should give small models with weights large enough for gradients to matter, the same
 * model for the same seed (a checkpoint is restored into a second one).
 */
export function growableModelConformance<E>(name: string, make: (seed: number) => GrowableModelFixture<E>, options: LayerConformanceOptions = {}): void {
  const tolerance = options.gradientTolerance ?? 1e-6;

  describe(`${name}: growable model conformance`, () => {
    it('keeps every parameter, gradient and optimizer slot shaped alike through adds and removals', () => {
      for (const seed of [1, 2, 3]) {
        const { model } = make(seed);
        const random = new RandomStream(seed, 'conformance');
        for (const p of parametersOf(model)) p.slot('conformance').fill(1);
        for (let step = 0; step < 40; step++) {
          growAtRandom(model, random, step);
          for (const g of model.growables) {
            strictEqual(g.multipliers.rows, g.size, `${g.id}: one multiplier per unit`);
            const ids = Array.from({ length: g.size }, (_, i) => g.unitId(i));
            strictEqual(new Set(ids).size, ids.length, `${g.id}: unit ids are unique`);
          }
          const parameters = parametersOf(model);
          strictEqual(new Set(parameters).size, parameters.length, 'no parameter is listed twice');
          for (const p of parameters) {
            for (const m of [p.grad, p.slot('conformance')])
              strictEqual(`${m.rows}x${m.cols}`, `${p.rows}x${p.cols}`, `${p.name}: gradient and slots follow the value`);
            for (let i = 0; i < p.length; i++) ok(Number.isFinite(p.value.data[i]), `${p.name}[${i}] is finite`);
          }
        }
      }
    });

    it('gives unique layer ids, parameter names within a layer and growable ids, also after growth', () => {
      for (const seed of [1, 2, 3]) {
        const { model } = make(seed);
        const random = new RandomStream(seed, 'ids');
        assertUniqueModelIds(model);
        for (let step = 0; step < 20; step++) {
          growAtRandom(model, random, step);
          assertUniqueModelIds(model);
        }
      }
    });

    it('computes gradients that match finite differences, also after growth', () => {
      for (const seed of [4, 5]) {
        const { model, example } = make(seed);
        for (const g of [...model.growables]) {
          if (!model.growables.includes(g)) continue;
          if (g.size < g.maxSize) g.addUnit({ init: 'random', multiplier: 0.5 }, 1);
          if (g.size > 2) g.removeUnits([0]);
        }
        const carried: StateValue[] = model.growables.map((x) => x.saveState());
        model.trainStep(example);
        model.growables.forEach((x, i) => x.loadState(carried[i]));
        const result = checkGradients(parametersOf(model), () => model.evaluateLoss(example), options.gradientCheck);
        ok(result.maxRelativeError < tolerance, `max relative error ${result.maxRelativeError} at ${JSON.stringify(result.worst)}`);
      }
    });

    it('continues bit for bit from its checkpoint, carried state included, after growth', () => {
      for (const seed of [7, 8, 9]) checkCheckpointRoundTrip(make, seed);
    });

    if (make(1).model.evaluate) {
      it('evaluates held-out examples without touching parameters, gradients or carried state, the same each time', () => {
        for (const seed of [10, 11]) {
          const { model, example } = make(seed);
          const twin = make(seed).model;
          model.trainStep(example);
          twin.trainStep(example);
          const before = parametersOf(model).map((p) => [p.value.data.slice(0, p.length), p.grad.data.slice(0, p.length)]);
          const tallies = [false, true, false].map((continued) => {
            const tally = { loss: 0, predictions: 0, correct: 0 };
            model.evaluate!(example, tally, continued);
            return tally;
          });
          deepStrictEqual(tallies[2], tallies[0], 'continued: false twice gives the same tally');
          const { loss, predictions, correct } = tallies[0];
          ok(Number.isFinite(loss) && loss >= 0 && predictions > 0 && correct >= 0 && correct <= predictions, `a sane tally ${JSON.stringify(tallies[0])}`);
          deepStrictEqual(
            parametersOf(model).map((p) => [p.value.data.slice(0, p.length), p.grad.data.slice(0, p.length)]),
            before,
            'parameters and gradients as they were',
          );
          // Carried state: the next training step goes on as if nothing had been evaluated.
          strictEqual(model.trainStep(example), twin.trainStep(example), 'the next training step as without the evaluation');
        }
      });
    }

    it('leaves no trace of a removed unit in its growable', () => {
      const { model } = make(6);
      for (const g of [...model.growables]) {
        if (!model.growables.includes(g)) continue;
        while (g.size < 3) g.addUnit({ init: 'random', multiplier: 0.05 }, 0);
        const gone = g.unitId(1);
        const [removed] = g.removeUnits([1]);
        strictEqual(removed.unit, gone);
        for (let i = 0; i < g.size; i++) ok(g.unitId(i) !== gone, 'the id is gone');
      }
    });
  });
}
