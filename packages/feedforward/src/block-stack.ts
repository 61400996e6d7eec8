import { field, isList, isNumber, Parameter, type AddedUnit, type Growable, type RemovedUnit, type StateValue, type UnitInit, type UnitWeights } from '@diffstruct/core';
import type { ResidualBlock } from './residual-block.js';

/** Makes the block of unit `unit` with `units` neurons (the model's default when absent). */
export type BlockFactory = (unit: number, units?: number) => ResidualBlock;

/**
 * Depth as a growable: each unit is a whole residual block whose multiplier g scales its branch
 * (s + g · F(s)). Adding a unit builds a block with its own parameters (and optimizer state);
 * removing one drops the block whole, leaving the others exactly as they were.
 */
export class BlockStack implements Growable {
  readonly id = 'blocks';
  readonly l1Steps = 1;
  readonly multipliers: Parameter;
  private blockList: ResidualBlock[] = [];
  private ids: number[] = [];
  private births: number[] = [];
  private nextId = 0;

  constructor(
    readonly maxSize: number,
    initial: number,
    initialMultiplier: number,
    private readonly makeBlock: BlockFactory,
    private readonly changed: () => void,
  ) {
    this.multipliers = new Parameter('g', 0, 1, maxSize);
    for (let i = 0; i < initial; i++) this.append(this.makeBlock(this.nextId++), initialMultiplier, 0);
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

  unitId(index: number): number {
    return this.ids[index];
  }

  birthCycle(index: number): number {
    return this.births[index];
  }

  addUnit(init: UnitInit, cycle: number): AddedUnit {
    const unit = this.nextId++;
    const block = this.makeBlock(unit);
    if (init.weights) inherit(block, init.weights);
    this.append(block, init.multiplier, cycle);
    this.changed();
    return { unit, index: this.size - 1 };
  }

  removeUnits(indices: readonly number[]): RemovedUnit[] {
    if (!indices.length) return [];
    const removed = indices.map((index) => ({
      unit: this.ids[index],
      index,
      birthCycle: this.births[index],
      multiplier: this.multiplier(index),
      weights: Object.fromEntries(this.blockList[index].parameters().map((p) => [p.name, p.value.toArray()])),
    }));
    this.multipliers.removeRows(indices);
    const gone = new Set(indices);
    const keep = (_: unknown, i: number) => !gone.has(i);
    this.blockList = this.blockList.filter(keep);
    this.ids = this.ids.filter(keep);
    this.births = this.births.filter(keep);
    this.changed();
    return removed;
  }

  /** Which blocks exist and their widths: rebuilt before a checkpoint's parameters load. */
  saveStructure(): StateValue {
    return { units: [...this.ids], widths: this.blockList.map((b) => b.units) };
  }

  loadStructure(state: StateValue): void {
    const units = field<number[]>(state, 'units', isList, 'a list');
    const widths = field<number[]>(state, 'widths', (v) => isList(v) && (v as unknown[]).length === units.length, `a list of ${units.length}`);
    this.blockList = units.map((unit, i) => this.makeBlock(unit, widths[i]));
    this.multipliers.loadState({ value: { rows: units.length, cols: 1, data: new Float64Array(units.length) }, slots: {} });
    this.ids = [...units];
    this.births = units.map(() => 0);
    this.changed();
  }

  /** Unit ids and birth cycles; the blocks' parameters are saved with them as layers. */
  saveState(): StateValue {
    return { ids: [...this.ids], births: [...this.births], nextId: this.nextId };
  }

  loadState(state: StateValue): void {
    const ids = field<number[]>(state, 'ids', isList, 'a list');
    const births = field<number[]>(state, 'births', (v) => isList(v) && (v as unknown[]).length === ids.length, `a list of ${ids.length}`);
    if (ids.join() !== this.ids.join()) throw new Error(`saved state of blocks: units ${ids.join(', ')}, but the model has ${this.ids.join(', ')}`);
    this.births = [...births];
    this.nextId = field<number>(state, 'nextId', isNumber, 'a number');
  }

  private append(block: ResidualBlock, multiplier: number, cycle: number): void {
    const index = this.size;
    this.multipliers.insertRows(index);
    this.multipliers.value.data[index] = multiplier;
    this.blockList.push(block);
    this.ids.push(block.unit);
    this.births.push(cycle);
  }
}

/** A removed block's weights, where their shapes still fit (a block whose width differs starts afresh there). */
function inherit(block: ResidualBlock, weights: UnitWeights): void {
  for (const p of block.parameters()) {
    const saved = weights[p.name];
    if (saved && saved.length === p.length) p.value.data.set(saved);
  }
}
