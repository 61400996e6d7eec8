import { EventEmitter } from 'eventemitter3';

/** Emitted every `log.every` cycles: the row of metrics.csv. */
export interface CycleLogged {
  readonly cycle: number;
  readonly loss: number;
  readonly smoothLoss: number;
  readonly units: number;
  /** Units of each growable family, by family. */
  readonly growables: Readonly<Record<string, number>>;
  readonly multiplierSum: number;
  /** The policies' signals, by metrics column (`<family>.<name>`). */
  readonly signals: Readonly<Record<string, number>>;
  /** Held-out figures by metrics column (`valLoss`...), NaN where not evaluated; absent without `eval:`. */
  readonly heldOut?: Readonly<Record<string, number>>;
}

export interface UnitAdded {
  readonly type: 'unitAdded';
  readonly cycle: number;
  readonly growable: string;
  /** The growable's family when it is not its id (`Growable.family`): a growable born and gone between two multipliers.jsonl lines is still counted in it. */
  readonly family?: string;
  readonly unit: number;
  readonly age: 0;
  readonly multiplier: number;
  readonly init: string;
  readonly reason: string;
  readonly inheritedFrom?: number;
}

export interface UnitRemoved {
  readonly type: 'unitRemoved';
  readonly cycle: number;
  readonly growable: string;
  /** The growable's family when it is not its id (`Growable.family`): a growable born and gone between two multipliers.jsonl lines is still counted in it. */
  readonly family?: string;
  readonly unit: number;
  readonly age: number;
  readonly multiplier: number;
  readonly reason: string;
}

export interface TaskSwitched {
  readonly type: 'taskSwitched';
  readonly cycle: number;
  readonly from: string;
  readonly to: string;
}

export interface CheckpointSaved {
  readonly cycle: number;
  readonly path: string;
}

export interface RunFinished {
  readonly cycle: number;
  readonly smoothLoss: number;
  readonly units: number;
}

/** Event names are past tense: what happened. Payloads are plain data (they cross threads). */
export interface DiffstructEvents {
  cycle: [CycleLogged];
  unitAdded: [UnitAdded];
  unitRemoved: [UnitRemoved];
  taskSwitched: [TaskSwitched];
  checkpointSaved: [CheckpointSaved];
  runFinished: [RunFinished];
}

/** The run's typed event bus: metric sinks, progress and reports listen; the trainer knows none. */
export class EventBus extends EventEmitter<DiffstructEvents> {}
