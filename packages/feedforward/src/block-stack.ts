import {
  type AddedUnit,
  field,
  type Growable,
  isList,
  Parameter,
  type RemovedUnit,
  type StateValue,
  type UnitInit,
  UnitLedger,
  type UnitWeights,
} from '@diffstruct/core';
import { BLOCKS_FAMILY } from './model-options.js';
import type { ResidualBlock } from './residual-block.js';

/** Makes the block of unit `unit` with `units` neurons (the model's default when absent). */
/** A block for unit `unit`, `units` neurons wide (the default width when absent), its neurons born at `birthCycle` (0 when absent). */
export type BlockFactory = (unit: number, units?: number, birthCycle?: number) => ResidualBlock;

/**
 * Depth as a growable: each unit is a whole residual block whose multiplier g scales its branch
 * (s + g · F(s)). Adding a unit builds a block with its own parameters (and optimizer state);
 * removing one drops the block whole, leaving the others exactly as they were.
 */
export class BlockStack implements Growable {
  readonly id = BLOCKS_FAMILY;
  readonly l1Steps = 1;
  readonly multipliers: Parameter;
  private blockList: ResidualBlock[] = [];
  private ledger = new UnitLedger();

  constructor(
    readonly maxSize: number,
    initial: number,
    initialMultiplier: number,
    private readonly makeBlock: BlockFactory,
    private readonly changed: () => void,
  ) {
    this.multipliers = new Parameter('g', 0, 1, maxSize);
    for (let i = 0; i < initial; i++) this.append(initialMultiplier, 0);
  }

  get blocks(): readonly ResidualBlock[] {
    return this.blockList;
  }

  get size(): number {
    return this.blockList.length;
  }

  multiplier(index: number): number {
    return this.multipliers.value.data[index];
  }

  /** The multiplier g of the block whose unit id is `unit`. */
  multiplierOfUnit(unit: number): number {
    return this.multiplier(this.ledger.unitIds.indexOf(unit));
  }

  unitId(index: number): number {
    return this.ledger.unitId(index);
  }

  birthCycle(index: number): number {
    return this.ledger.birthCycle(index);
  }

  addUnit(init: UnitInit, cycle: number): AddedUnit {
    const block = this.append(init.multiplier, cycle);
    if (init.weights) inherit(block, init.weights);
    this.changed();
    return { unit: block.unit, index: this.size - 1 };
  }

  removeUnits(indices: readonly number[]): RemovedUnit[] {
    if (!indices.length) return [];
    const removed = indices.map((index) => ({
      unit: this.unitId(index),
      index,
      birthCycle: this.birthCycle(index),
      multiplier: this.multiplier(index),
      weights: Object.fromEntries(this.blockList[index].parameters().map((p) => [p.name, p.value.toArray()])),
    }));
    this.multipliers.removeRows(indices);
    const gone = new Set(indices);
    const keep = (_: unknown, i: number) => !gone.has(i);
    this.blockList = this.blockList.filter(keep);
    this.ledger.remove(indices);
    this.changed();
    return removed;
  }

  /** Which blocks exist and their widths: rebuilt before a checkpoint's parameters load. */
  saveStructure(): StateValue {
    return { units: [...this.ledger.unitIds], widths: this.blockList.map((b) => b.units) };
  }

  loadStructure(state: StateValue): void {
    const units = field<number[]>(state, 'units', isList, 'a list');
    const widths = field<number[]>(state, 'widths', (v) => isList(v) && (v as unknown[]).length === units.length, `a list of ${units.length}`);
    this.blockList = units.map((unit, i) => this.makeBlock(unit, widths[i]));
    this.multipliers.loadState({ value: { rows: units.length, cols: 1, data: new Float64Array(units.length) }, slots: {} });
    // Birth cycles and the next id come with the growable's own state, loaded after this.
    this.ledger = new UnitLedger();
    this.ledger.loadState({ ids: units, births: units.map(() => 0), nextId: 0 }, this.id);
    this.changed();
  }

  /** Unit ids and birth cycles; the blocks' parameters are saved with them as layers. */
  saveState(): StateValue {
    return this.ledger.saveState();
  }

  loadState(state: StateValue): void {
    const ids = field<number[]>(state, 'ids', isList, 'a list');
    const have = this.ledger.unitIds;
    if (ids.join() !== have.join()) throw new Error(`saved state of blocks: units ${ids.join(', ')}, but the model has ${have.join(', ')}`);
    this.ledger.loadState(state, this.id);
  }

  /** A new block at the end of the stack, with its multiplier. */
  private append(multiplier: number, cycle: number): ResidualBlock {
    const block = this.makeBlock(this.ledger.add(cycle), undefined, cycle);
    const index = this.blockList.length;
    this.multipliers.insertRows(index);
    this.multipliers.value.data[index] = multiplier;
    this.blockList.push(block);
    return block;
  }
}

/** A removed block's weights, where their shapes still fit (a block whose width differs starts afresh there). */
function inherit(block: ResidualBlock, weights: UnitWeights): void {
  for (const p of block.parameters()) {
    const saved = weights[p.name];
    if (saved && saved.length === p.length) p.value.data.set(saved);
  }
}
