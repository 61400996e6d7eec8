import type { Model } from '../contracts/model.js';
import type { StateValue } from '../contracts/stateful.js';
import { assertUniqueModelIds } from './model-ids.js';
import type { TrainingSetup } from './training-setup.js';
import type { TrainingLoop } from './training-loop.js';

type Saved = Record<string, StateValue>;

/**
 * Everything a run needs to continue exactly: the loop's counters, every random stream's
 * position, every parameter with its optimizer slots, every growable's units and carried state,
 * the task's and the policies' state.
 */
export function captureRun(setup: TrainingSetup, loop: TrainingLoop): StateValue {
  const policies: Saved = {};
  for (const g of setup.model.growables) policies[g.id] = setup.policies.of(g).saveState?.() ?? null;
  return { trainer: loop.saveState(), random: setup.random.saveState(), model: saveModel(setup.model), task: setup.task.saveState(), policies };
}

/** Restores what `captureRun` saved into freshly built pieces of the same config and seed. */
export function restoreRun(setup: TrainingSetup, loop: TrainingLoop, state: StateValue): void {
  const s = state as Saved;
  for (const key of ['trainer', 'random', 'model', 'task', 'policies']) if (!(key in s)) throw new Error(`saved state: no ${key}`);
  loadModel(setup.model, s.model);
  setup.random.loadState(s.random);
  setup.task.loadState(s.task);
  loop.structureChanged();
  for (const g of setup.model.growables) {
    const policy = setup.policies.of(g);
    const saved = (s.policies as Saved)[g.id];
    if (saved === undefined) throw new Error(`saved state: no policy state for growable ${g.id}`);
    if (saved !== null) {
      if (!policy.loadState) throw new Error(`saved state: policy ${policy.type} of ${g.id} has state but cannot load it`);
      policy.loadState(saved);
    }
  }
  loop.loadState(s.trainer);
}

/** The model's part of a checkpoint: its structure, every layer's parameters, every growable's state. */
export function saveModel(model: Model): StateValue {
  assertUniqueModelIds(model);
  const layers: Saved = {};
  for (const layer of model.layers) {
    const parameters: Saved = {};
    for (const p of layer.parameters()) parameters[p.name] = p.saveState();
    layers[layer.id] = parameters;
  }
  const growables: Saved = {};
  for (const g of model.growables) growables[g.id] = g.saveState();
  return { structure: model.saveStructure?.() ?? null, layers, growables };
}

/** Restores what `saveModel` saved into a freshly made model of the same options and seed. */
export function loadModel(model: Model, state: StateValue): void {
  const { structure, layers, growables } = state as { structure?: StateValue; layers: Record<string, Saved>; growables: Saved };
  if (model.loadStructure) {
    if (structure === undefined || structure === null) throw new Error('saved state: no model structure');
    model.loadStructure(structure);
  }
  assertUniqueModelIds(model);
  for (const layer of model.layers) {
    const saved = layers?.[layer.id];
    if (!saved) throw new Error(`saved state: no layer ${layer.id}`);
    for (const p of layer.parameters()) {
      if (!(p.name in saved)) throw new Error(`saved state: no parameter ${layer.id}.${p.name}`);
      p.loadState(saved[p.name]);
    }
  }
  for (const g of model.growables) {
    if (!growables || !(g.id in growables)) throw new Error(`saved state: no growable ${g.id}`);
    g.loadState(growables[g.id]);
  }
}
