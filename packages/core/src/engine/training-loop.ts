import type { Parameter } from '../arrays/parameter.js';
import type { AddedUnit, Growable } from '../contracts/growable.js';
import { familyOf, modelFamilies } from '../contracts/model.js';
import type { GrowthPolicy, PolicyContext } from '../contracts/growth-policy.js';
import type { StateValue } from '../contracts/stateful.js';
import type { TrainingSetup } from './training-setup.js';
import { DiffstructError } from '../errors.js';
import { assertUniqueModelIds } from './model-ids.js';
import { SmoothLoss } from './smooth-loss.js';
import { field, isNumber, isString } from '../state/state-encoding.js';
import { signalColumn } from '../run-folder/run-folder.js';

/** What hooks see as `multiplierGradient`: after removals and additions, no index would match. */
const NO_GRADIENT: Float64Array = new Float64Array(0);

/** Signal names become CSV column names: keep them plain. */
const SIGNAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface SignalColumn {
  readonly family: string;
  readonly name: string;
  readonly column: string;
}

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
  private readonly policyContext: Mutable<PolicyContext>;
  /**
   * Each growable's ∂loss/∂m of the last cycle, copied before L1 is added (PolicyContext.multiplierGradient):
   * `view` is exactly the growable's units, so a policy sees the same array after a resume.
   */
  private readonly gradients = new Map<string, { values: Float64Array; view: Float64Array; cycle: number }>();
  private readonly signalColumns: readonly SignalColumn[];
  private readonly example: unknown;
  private phase: string;
  private readonly families: readonly string[];

  constructor(private readonly setup: TrainingSetup) {
    // Every host builds the loop right after the model, so a model whose ids a checkpoint cannot tell apart fails before any cycle.
    assertUniqueModelIds(setup.model);
    this.smooth = new SmoothLoss(setup.model.chanceLoss);
    this.parameters = setup.model.layers.flatMap((l) => [...l.parameters()]);
    for (const g of setup.model.growables) setup.policies.of(g);
    this.families = modelFamilies(setup.model);
    this.example = setup.task.createExample(setup.model.exampleRequest);
    this.phase = setup.task.phase(0);
    this.policyContext = {
      cycle: 0,
      totalCycles: setup.cycles,
      loss: NaN,
      smoothLoss: this.smooth.value,
      phase: this.phase,
      multiplierGradient: new Float64Array(0),
      random: setup.random.stream('policy'),
    };
    this.signalColumns = this.families.flatMap((family) => {
      const first = setup.model.growables.find((g) => familyOf(g) === family);
      const names = Object.keys((first && this.policy(first).signals) ?? {});
      const bad = names.find((name) => !SIGNAL_NAME.test(name));
      if (bad !== undefined) throw new DiffstructError(`policy ${first && this.policy(first).type}: signal "${bad}" is not a name (letters, digits, _)`);
      return names.map((name) => ({ family, name, column: signalColumn(family, name) }));
    });
  }

  /** The held-out metrics columns (valLoss...) the rows fill, in order; none without `eval:`. */
  get heldOutColumns(): readonly string[] {
    return this.setup.heldOut?.evaluation.columns ?? [];
  }

  /** The metrics columns the policies' signals fill, in order (`<family>.<name>`). */
  get signals(): readonly string[] {
    return this.signalColumns.map((s) => s.column);
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
      for (const g of model.growables) {
        this.keepGradient(g);
        addL1(g, this.policy(g));
      }
      optimizer.step(this.parameters);
      for (const g of model.growables) floorMultipliers(g, this.policy(g).regularization.minMultiplier);
      this.cycleCount++;
      this.lastLoss = loss;
      this.smooth.add(loss);
      const context = this.policyContext;
      context.cycle = this.cycleCount;
      context.loss = loss;
      context.smoothLoss = this.smooth.value;
      context.phase = phase;
      // A growable's decision may remove others (a block takes its width with it): those come first.
      let changed = false;
      for (const g of model.growables) changed = this.grow(g) || changed;
      if (changed) this.structureChanged();
      // The last cycle is always logged: otherwise a run's final rows (and its summary) would end at the last multiple of logEvery.
      if (this.cycleCount % this.setup.logEvery === 0 || this.cycleCount === this.setup.cycles) this.log();
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
    const live = new Set(model.growables.map((g) => g.id));
    for (const id of this.gradients.keys()) if (!live.has(id)) this.gradients.delete(id);
  }

  private policy(g: Growable): GrowthPolicy {
    return this.setup.policies.of(g);
  }

  /** Copies ∂loss/∂m before L1 joins it; only a change of size allocates (a view, or more room). */
  private keepGradient(g: Growable): void {
    let kept = this.gradients.get(g.id);
    if (!kept || kept.values.length < g.size) {
      const values = new Float64Array(roomFor(g));
      kept = { values, view: values.subarray(0, g.size), cycle: -1 };
      this.gradients.set(g.id, kept);
    }
    if (kept.view.length !== g.size) kept.view = kept.values.subarray(0, g.size);
    const grad = g.multipliers.grad.data;
    const view = kept.view;
    for (let i = 0; i < g.size; i++) view[i] = grad[i];
    kept.cycle = this.cycleCount;
  }

  /** Applies the policy's decision; true when units were added or removed. */
  private grow(g: Growable): boolean {
    const policy = this.policy(g);
    const context = this.policyContext;
    context.multiplierGradient = this.gradientOf(g);
    const decision = policy.decide(g, context);
    const { events } = this.setup;
    // The growable's family for its unit events when it is not its id, as in multipliers.jsonl (made only when there is an event).
    const family = () => (g.family === undefined || g.family === g.id ? {} : { family: g.family });
    // A growable may keep units whose removal would break it; they stay, with no event.
    const remove = g.removable && decision.remove.length ? g.removable(decision.remove) : decision.remove;
    if (remove.length) {
      const removed = g.removeUnits(remove);
      for (const r of removed) {
        events.emit('unitRemoved', {
          type: 'unitRemoved',
          cycle: this.cycleCount,
          growable: g.id,
          ...family(),
          unit: r.unit,
          age: this.cycleCount - r.birthCycle,
          multiplier: r.multiplier,
          reason: decision.removeReason,
        });
      }
      context.multiplierGradient = NO_GRADIENT; // its indices no longer match the growable's
      policy.unitsRemoved?.(g, removed, context);
    }
    const added = decision.add.length && policy.unitsAdded ? ([] as AddedUnit[]) : undefined;
    for (const addition of decision.add) {
      const unit = g.addUnit(addition, this.cycleCount);
      added?.push(unit);
      events.emit('unitAdded', {
        type: 'unitAdded',
        cycle: this.cycleCount,
        growable: g.id,
        ...family(),
        unit: unit.unit,
        age: 0,
        multiplier: addition.multiplier,
        init: addition.init,
        reason: addition.reason,
        ...(addition.inheritedFrom === undefined ? {} : { inheritedFrom: addition.inheritedFrom }),
      });
    }
    if (added) {
      context.multiplierGradient = NO_GRADIENT;
      policy.unitsAdded!(g, added, context);
    }
    return remove.length > 0 || decision.add.length > 0;
  }

  /** True when `g` was trained this cycle (cycle counts already include it), so its policy decided. */
  private trainedThisCycle(g: Growable): boolean {
    return this.gradients.get(g.id)?.cycle === this.cycleCount - 1;
  }

  /** The gradient copied this cycle, or NaN for each unit of a growable this cycle did not train. */
  private gradientOf(g: Growable): Float64Array {
    return this.trainedThisCycle(g) ? this.gradients.get(g.id)!.view : new Float64Array(g.size).fill(NaN);
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
    this.setup.events.emit('cycle', {
      cycle: this.cycleCount,
      loss: this.lastLoss,
      smoothLoss: this.smooth.value,
      units,
      growables,
      multiplierSum,
      signals: this.signalValues(),
      ...this.heldOutCells(),
    });
  }

  /** The validation figures at multiples of `eval.every` and at the last cycle, NaN on other rows; nothing without `eval:`. */
  private heldOutCells(): { heldOut?: Record<string, number> } {
    const heldOut = this.setup.heldOut;
    if (!heldOut) return {};
    const due = this.cycleCount % heldOut.every === 0 || this.cycleCount === this.setup.cycles;
    return { heldOut: heldOut.evaluation.cells(due ? heldOut.evaluation.evaluate('validation') : undefined) };
  }

  /**
   * Each signal column's mean over the growables of its family whose policy decided this cycle and
   * publishes a number (NaN if none): a growable created by this cycle's growth has not decided yet.
   */
  private signalValues(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const { family, name, column } of this.signalColumns) {
      let sum = 0;
      let count = 0;
      for (const g of this.setup.model.growables) {
        const value = familyOf(g) === family && this.trainedThisCycle(g) ? this.policy(g).signals?.[name] : undefined;
        if (value === undefined || Number.isNaN(value)) continue;
        sum += value;
        count++;
      }
      values[column] = count ? sum / count : NaN;
    }
    return values;
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

/** Room for a growable's units with space to grow, so copies reallocate only when it doubles. */
function roomFor(g: Growable): number {
  return Math.max(g.size, Math.min(g.maxSize, 2 * g.size + 16));
}

function floorMultipliers(g: Growable, floor: number): void {
  const m = g.multipliers.value.data;
  for (let i = 0; i < g.size; i++) if (m[i] < floor) m[i] = floor;
}
