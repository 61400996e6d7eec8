import { expect } from 'chai';
import { PluginRegistries, TrainingLoop } from '@diffstruct/core/host';
import { ResidualModel } from '@diffstruct/feedforward';
import { buildSetup } from './build-setup.js';
import { createContainer } from './container.js';
import { config } from './test-support.js';

// configs/feedforward/depth-and-width.yaml's model and policies, on its 4×4 checkerboard.
const DEPTH_AND_WIDTH = config(
  [
    'name: reserve-block',
    'cycles: 3000',
    'task: { type: checkerboard, cells: 4 }',
    'model: { type: residual, width: 8, blocks: 1, blockWidth: 2, growWidth: true, maxBlockWidth: 16 }',
    'policy: { type: threshold, l1: 0.001 }',
    'policies: { block-width: { addProbability: 0.02 } }',
    'optimizer: { type: adagrad, learningRate: 0.1 }',
  ].join('\n'),
);

describe('a residual block in reserve (growWidth)', function () {
  this.timeout(60000);

  // Unscaled L1 took the neurons of a block at g = M_min to the floor too; at g = m = M_min each
  // multiplier's gradient is scaled by the other's (about 10⁻⁴ against L1 = 10⁻³), and the block
  // and its one neuron, each the reserve of its growable, stopped all growth: issue #16, row 13.
  it('keeps its neurons, so the stack grows from it instead of collapsing to 1 block of 1 neuron at the floor', () => {
    const registries = createContainer().get(PluginRegistries);
    for (const seed of [0, 1, 2, 3]) {
      const setup = buildSetup(registries, DEPTH_AND_WIDTH.arms[0], seed, 1000);
      expect(setup.model).to.be.instanceOf(ResidualModel);
      const { stack } = setup.model as ResidualModel;
      stack.multipliers.value.data[0] = 0.025;
      new TrainingLoop(setup).run(3000);
      expect(stack.size, `seed ${seed}: blocks`).to.be.above(1);
      expect(stack.blocks[0].units, `seed ${seed}: neurons of the first block`).to.be.above(1);
    }
  });
});
