import { ok } from 'node:assert/strict';
import type { Model } from '../../contracts/model.js';
import { loadModel, saveModel } from '../../engine/run-snapshot.js';
import { RandomStream } from '../../random/random-stream.js';
import { decodeState, encodeState } from '../../state/state-encoding.js';
import type { GrowableModelFixture } from './layer-conformance.js';
import { growAtRandom, parametersOf } from './model-helpers.js';

/**
 * Grows `make(seed)`'s model at random, trains a step, checkpoints it as a run does (saveModel,
 * encodeState) and restores it into a fresh `make(seed)`: the restored model must save the very
 * same state and then train and evaluate to the same bits. Carried state (e.g. a hidden state)
 * that neither a growable's state nor `saveStructure` holds makes the losses differ.
 */
export function checkCheckpointRoundTrip<E>(make: (seed: number) => GrowableModelFixture<E>, seed: number): void {
  const { model, example } = make(seed);
  const random = new RandomStream(seed, 'round-trip');
  for (let cycle = 1; cycle <= 5; cycle++) growAtRandom(model, random, cycle);
  model.trainStep(example);
  // As an optimizer would: moved weights and a filled slot must both come back.
  for (const p of parametersOf(model)) {
    const slot = p.slot('conformance').data;
    for (let i = 0; i < p.length; i++) {
      slot[i] += p.grad.data[i] ** 2;
      p.value.data[i] -= 0.01 * p.grad.data[i];
    }
  }
  const saved = encodeState(saveModel(model));
  const { model: restored } = make(seed);
  loadModel(restored, decodeState(saved));
  ok(encodeState(saveModel(restored)) === saved, 'the restored model saves the same state as the model it was restored from');

  for (const step of [1, 2]) {
    const [before, after] = [model.trainStep(example), restored.trainStep(example)];
    ok(Object.is(before, after), `trainStep ${step} after the checkpoint: loss ${before}, restored ${after} (carried state not checkpointed?)`);
    sameGradients(model, restored, `trainStep ${step} after the checkpoint`);
  }
  const [before, after] = [model.evaluateLoss(example), restored.evaluateLoss(example)];
  ok(Object.is(before, after), `evaluateLoss after the checkpoint: ${before}, restored ${after}`);
}

/** Every gradient bit for bit (0 and −0 told apart), parameter by parameter in layer order. */
function sameGradients(model: Model, restored: Model, when: string): void {
  const pairs = model.layers.flatMap((layer, l) =>
    layer.parameters().map((p, k) => ({ at: `${layer.id}.${p.name}`, a: p, b: restored.layers[l]?.parameters()[k] })),
  );
  for (const { at, a, b } of pairs) {
    ok(b && b.length === a.length, `${when}: the restored model has no ${at} of ${a.length} entries`);
    for (let i = 0; i < a.length; i++)
      ok(Object.is(a.grad.data[i], b.grad.data[i]), `${when}: ${at}[${i}] gradient ${a.grad.data[i]}, restored ${b.grad.data[i]}`);
  }
}
