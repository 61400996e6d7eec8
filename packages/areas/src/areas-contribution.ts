import type { ModelContext, ModelContribution, TaskShape } from '@diffstruct/core';
import { estimateModelBytes } from '@diffstruct/layers';
import { areaGraphProblems } from './area-graph.js';
import {
  AREAS_FAMILY,
  AREAS_OPTIONS,
  type AreasOptions,
  areasExampleRequest,
  INPUT,
  type LinkSpec,
  NEURONS_FAMILY,
  OUTPUT,
  templateName,
} from './area-options.js';
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
    // Every area present at its cap: the links written, and those of every area that could be
    // added (the template's links to other areas, each); each area keeps two (T + 1) × maxHidden
    // arrays of activity for the backward pass.
    const N = options.maxHidden;
    const K = options.maxAreas;
    const template = templateName(options);
    const betweenAreas = (l: LinkSpec) => l.from !== INPUT && l.to !== OUTPUT;
    const links =
      options.links.filter(betweenAreas).length + K * options.links.filter((l) => betweenAreas(l) && (l.from === template || l.to === template)).length;
    const weights = K * N * (inputSize + N + 2 + outputSize) + links * N * N + outputSize + K;
    return estimateModelBytes(weights, 2 * K * (options.unroll + 1) * N + options.unroll * outputSize);
  },
  create(options: AreasOptions, { task, random }: ModelContext) {
    return new AreasModel(options, task.shape.inputSize, random);
  },
};
