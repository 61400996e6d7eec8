import type { Parameter } from '../arrays/parameter.js';
import type { Growable } from '../contracts/growable.js';
import { familyOf, modelFamilies } from '../contracts/model.js';
import type { GrowthPolicy, PolicyContext } from '../contracts/growth-policy.js';
import type { StateValue } from '../contracts/stateful.js';
import type { TrainingSetup } from './training-setup.js';
import { DiffstructError } from '../errors.js';
import { SmoothLoss } from './smooth-loss.js';
import { field, isNumber, isString } from '../state/state-encoding.js';

/** The loss stopped being a finite number: this seed cannot go on. */
export class DivergedError extends DiffstructError {
  override readonly name = 'DivergedError';
  constructor(
    readonly cycle: number,
    loss: number,
  ) {
    super(`the loss became ${loss} at cycle ${cycle}`);
  }
}

/**
 * The one loop for every model and policy: example → forward/backward → L1 on multipliers →
 * optimizer step (clipping included) → multiplier floor → policy decisions → events → log.
 */
export class TrainingLoop {
  private cycleCount = 0;
  private lastLoss = NaN;
  private readonly smooth: SmoothLoss;
  private parameters: Parameter[];
  private readonly policyContext: { cycle: number; random: PolicyContext['random'] };
  private readonly example: unknown;
  private phase: string;
  private readonly families: readonly string[];

  constructor(private readonly setup: TrainingSetup) {
    this.smooth = new SmoothLoss(setup.model.chanceLoss);
    this.parameters = setup.model.layers.flatMap((l) => [...l.parameters()]);
    for (const g of setup.model.growables) setup.policies.of(g);
    this.families = modelFamilies(setup.model);
    this.policyContext = { cycle: 0, random: setup.random.stream('policy') };
    this.example = setup.task.createExample(setup.model.exampleRequest);
    this.phase = setup.task.phase(0);
  }

  get cycle(): number {
    return this.cycleCount;
  }

  get smoothLoss(): number {
    return this.smooth.value;
  }

  /** Trains until `untilCycle`, or until `shouldStop` (checked between cycles) says to stop. */
  run(untilCycle: number, shouldStop?: () => boolean): void {
    const { model, task, optimizer, events } = this.setup;
    while (this.cycleCount < untilCycle && !shouldStop?.()) {
      const phase = task.phase(this.cycleCount);
      if (phase !== this.phase) {
        model.resetState();
        events.emit('taskSwitched', { type: 'taskSwitched', cycle: this.cycleCount, from: this.phase, to: phase });
        this.phase = phase;
      }
      task.next(this.example, this.cycleCount);
      const loss = model.trainStep(this.example);
      if (!Number.isFinite(loss)) throw new DivergedError(this.cycleCount, loss);
      for (const g of model.growables) addL1(g, this.policy(g));
      optimizer.step(this.parameters);
      for (const g of model.growables) floorMultipliers(g, this.policy(g).regularization.minMultiplier);
      this.cycleCount++;
      this.lastLoss = loss;
      this.smooth.add(loss);
      // A growable's decision may remove others (a block takes its width with it): those come first.
      let changed = false;
      for (const g of model.growables) changed = this.grow(g) || changed;
      if (changed) this.structureChanged();
      if (this.cycleCount % this.setup.logEvery === 0) this.log();
    }
  }

  saveState(): StateValue {
    return { cycle: this.cycleCount, smoothLoss: this.smooth.value, lastLoss: this.lastLoss, phase: this.phase };
  }

  loadState(state: StateValue): void {
    this.cycleCount = field<number>(state, 'cycle', isNumber, 'a number');
    this.smooth.value = field<number>(state, 'smoothLoss', isNumber, 'a number');
    this.lastLoss = field<number>(state, 'lastLoss', isNumber, 'a number');
    this.phase = field<string>(state, 'phase', isString, 'a string');
  }

  /** Re-reads the model's parameters and growables after growth (blocks bring and take their own). */
  structureChanged(): void {
    const { model, policies } = this.setup;
    this.parameters = model.layers.flatMap((l) => [...l.parameters()]);
    policies.retain(model.growables);
  }

  private policy(g: Growable): GrowthPolicy {
    return this.setup.policies.of(g);
  }

  /** Applies the policy's decision; true when units were added or removed. */
  private grow(g: Growable): boolean {
    const policy = this.policy(g);
    const context = this.policyContext;
    context.cycle = this.cycleCount;
    const decision = policy.decide(g, context);
    const { events } = this.setup;
    if (decision.remove.length) {
      const removed = g.removeUnits(decision.remove);
      for (const r of removed) {
        events.emit('unitRemoved', {
          type: 'unitRemoved',
          cycle: this.cycleCount,
          growable: g.id,
          unit: r.unit,
          age: this.cycleCount - r.birthCycle,
          multiplier: r.multiplier,
          reason: decision.removeReason,
        });
      }
      policy.unitsRemoved?.(g, removed, context);
    }
    for (const addition of decision.add) {
      const { unit } = g.addUnit(addition, this.cycleCount);
      events.emit('unitAdded', {
        type: 'unitAdded',
        cycle: this.cycleCount,
        growable: g.id,
        unit,
        age: 0,
        multiplier: addition.multiplier,
        init: addition.init,
        reason: addition.reason,
        ...(addition.inheritedFrom === undefined ? {} : { inheritedFrom: addition.inheritedFrom }),
      });
    }
    return decision.remove.length > 0 || decision.add.length > 0;
  }

  private log(): void {
    const growables: Record<string, number> = {};
    for (const family of this.families) growables[family] = 0;
    let units = 0;
    let multiplierSum = 0;
    for (const g of this.setup.model.growables) {
      const family = familyOf(g);
      growables[family] = (growables[family] ?? 0) + g.size;
      units += g.size;
      const m = g.multipliers.value.data;
      for (let i = 0; i < g.size; i++) multiplierSum += Math.abs(m[i]);
    }
    this.setup.events.emit('cycle', { cycle: this.cycleCount, loss: this.lastLoss, smoothLoss: this.smooth.value, units, growables, multiplierSum });
  }
}

/** The L1 term `l1 · sign(m)`, counted once per step of the update (docs/method.md#l1-penalty). */
function addL1(g: Growable, policy: GrowthPolicy): void {
  const strength = policy.regularization.l1 * g.l1Steps;
  if (strength === 0) return;
  const m = g.multipliers.value.data;
  const grad = g.multipliers.grad.data;
  for (let i = 0; i < g.size; i++) grad[i] += strength * Math.sign(m[i]);
}

function floorMultipliers(g: Growable, floor: number): void {
  const m = g.multipliers.value.data;
  for (let i = 0; i < g.size; i++) if (m[i] < floor) m[i] = floor;
}
