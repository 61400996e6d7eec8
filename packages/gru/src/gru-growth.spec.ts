import { expect } from 'chai';
import type { GruModel } from './gru-model.js';
import { GRU_KERNELS } from './gru-kernels.js';
import { smallGru, trainStepOutcome } from './test-support.js';

/** Sets `to`'s weights and carried state to `from`'s (the same size). */
function copyModel(from: GruModel, to: GruModel): void {
  const [source, target] = [from, to].map((model) => model.layers.flatMap((l) => [...l.parameters()]));
  source.forEach((p, i) => {
    expect([target[i].name, target[i].rows, target[i].cols]).to.deep.equal([p.name, p.rows, p.cols]);
    target[i].value.data.set(p.value.data.subarray(0, p.length));
  });
  to.gated.state.data.set(from.gated.state.data.subarray(0, from.gated.state.length));
}

describe('GruModel growth', () => {
  for (const kernel of GRU_KERNELS)
    it(`computes the same loss, gradients and state whether it grew to N or was built at N with the same weights (${kernel} kernel)`, () => {
      // Sizes across the vector width, and past the starting capacity (16), where every array is reallocated.
      for (const [seed, N0, N] of [
        [1, 1, 5],
        [2, 3, 8],
        [3, 2, 19],
      ]) {
        const grown = smallGru(seed, N0, 7, { kernel });
        const [units] = grown.growables;
        // Train at every size on the way, so the kernel has laid out (and padded) for other sizes.
        for (let step = 0; units.size < N; step++) {
          trainStepOutcome(grown, step);
          units.addUnit({ init: 'random', multiplier: 0.3 }, step);
          if (step % 3 === 2) units.removeUnits([step % units.size]);
        }
        const built = smallGru(seed + 100, N, 7, { kernel });
        copyModel(grown, built);
        expect(trainStepOutcome(built, seed)).to.deep.equal(trainStepOutcome(grown, seed));
      }
    });
});
