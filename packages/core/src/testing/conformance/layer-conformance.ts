import { ok, strictEqual } from 'node:assert/strict';
import type { Model } from '../../contracts/model.js';
import type { StateValue } from '../../contracts/stateful.js';
import { RandomStream } from '../../random/random-stream.js';
import { checkGradients } from '../gradient-check.js';

export interface GrowableModelFixture<E = unknown> {
  readonly model: Model<E>;
  readonly example: E;
}

export interface LayerConformanceOptions {
  /** Largest relative error allowed between backprop and finite differences. */
  readonly gradientTolerance?: number;
}

/**
 * The contract every growable model (and so every growable layer in it) keeps; call it in the
 * plugin's spec: `growableModelConformance('char-rnn', (seed) => ({ model, example }))`.
 * `make` should give small models with weights large enough for gradients to matter.
 */
export function growableModelConformance<E>(name: string, make: (seed: number) => GrowableModelFixture<E>, options: LayerConformanceOptions = {}): void {
  const tolerance = options.gradientTolerance ?? 1e-6;

  describe(`${name}: growable model conformance`, () => {
    it('keeps every parameter, gradient and optimizer slot shaped alike through adds and removals', () => {
      for (const seed of [1, 2, 3]) {
        const { model } = make(seed);
        const random = new RandomStream(seed, 'conformance');
        const parametersOf = () => model.layers.flatMap((l) => [...l.parameters()]);
        for (const p of parametersOf()) p.slot('conformance').fill(1);
        for (let step = 0; step < 40; step++) {
          // Growables may come and go with the structure (a block brings its own width).
          for (const g of [...model.growables]) {
            if (!model.growables.includes(g)) continue;
            if (random.uniform() < 0.5 || g.size < 2) {
              if (g.size < g.maxSize) g.addUnit({ init: 'random', multiplier: 0.05 }, step);
            } else g.removeUnits([random.int(g.size)]);
            strictEqual(g.multipliers.rows, g.size, `${g.id}: one multiplier per unit`);
            const ids = Array.from({ length: g.size }, (_, i) => g.unitId(i));
            strictEqual(new Set(ids).size, ids.length, `${g.id}: unit ids are unique`);
          }
          const parameters = parametersOf();
          strictEqual(new Set(parameters).size, parameters.length, 'no parameter is listed twice');
          for (const p of parameters) {
            for (const m of [p.grad, p.slot('conformance')])
              strictEqual(`${m.rows}x${m.cols}`, `${p.rows}x${p.cols}`, `${p.name}: gradient and slots follow the value`);
            for (let i = 0; i < p.length; i++) ok(Number.isFinite(p.value.data[i]), `${p.name}[${i}] is finite`);
          }
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
        const parameters = model.layers.flatMap((l) => [...l.parameters()]);
        const result = checkGradients(parameters, () => model.evaluateLoss(example));
        ok(result.maxRelativeError < tolerance, `max relative error ${result.maxRelativeError} at ${JSON.stringify(result.worst)}`);
      }
    });

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
