import type { ModelContext, ModelContribution, TaskShape } from '@diffstruct/core';
import { estimateModelBytes } from '@diffstruct/layers';
import { areaGraphProblems } from './area-graph.js';
import { AREAS_FAMILY, AREAS_OPTIONS, type AreasOptions, areasExampleRequest, NEURONS_FAMILY } from './area-options.js';
import { AreasModel } from './areas-model.js';

export const areasContribution: ModelContribution = {
  type: 'areas',
  description: 'one-hot symbols → recurrent areas wired by a graph (neurons grow in each area; areas are units that grow too) → softmax',
  optionsSchema: AREAS_OPTIONS,
  accepts: ['sequence'],
  exampleRequest: areasExampleRequest,
  evaluates: true,
  families: () => [NEURONS_FAMILY, AREAS_FAMILY],
  check: areaGraphProblems,
  memoryBytes(options: AreasOptions, { inputSize, outputSize }: TaskShape) {
    // Every area present and at its cap, every pair of areas linked both ways; each area keeps two (T + 1) × maxHidden arrays of activity.
    const N = options.maxHidden;
    const K = options.maxAreas;
    const weights = K * (N * (inputSize + N + 2) + outputSize * N) + K * K * N * N + outputSize + K;
    return estimateModelBytes(weights, 2 * K * (options.unroll + 1) * N + options.unroll * outputSize);
  },
  create(options: AreasOptions, { task, random }: ModelContext) {
    return new AreasModel(options, task.shape.inputSize, random);
  },
};
