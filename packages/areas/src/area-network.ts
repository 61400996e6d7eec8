import {
  type AddedUnit,
  field,
  type Growable,
  isList,
  Parameter,
  type Random,
  type RemovedUnit,
  type StateValue,
  type UnitInit,
  UnitLedger,
  type UnitWeights,
} from '@diffstruct/core';
import { fillNormal, normalDraw } from '@diffstruct/layers';
import { Area, type Link, linkName } from './area.js';
import { keepsEveryAreaOnAPath } from './area-graph.js';
import { AREAS_FAMILY, type AreasOptions, INPUT, type LinkSpec, OUTPUT, templateName } from './area-options.js';

/** A link written by name, as in the options: [from, to], `input` and `output` included. */
type Wiring = readonly [string, string];

/**
 * Areas as a growable: each unit is a whole area, whose multiplier a scales everything it sends.
 * Adding a unit builds an area wired as the template is (same sources and targets, those still
 * alive), with fresh weights; removing one drops the area with its neurons' growable and every
 * link into or out of it, leaving the other areas' weights exactly as they were.
 */
export class AreaNetwork implements Growable {
  readonly id = AREAS_FAMILY;
  readonly l1Steps: number;
  readonly maxSize: number;
  /** a, one per area, in area order. */
  readonly multipliers: Parameter;
  private areaList: Area[] = [];
  private linkList: Link[] = [];
  /** Every link by name, `input`/`output` ends included: what `saveStructure` keeps. */
  private wiring: Wiring[] = [];
  private ledger = new UnitLedger();
  private readonly template: { readonly name: string; readonly neurons: number; readonly wiring: readonly Wiring[] };
  private readonly draw: () => number;

  constructor(
    private readonly options: AreasOptions,
    private readonly vocabulary: number,
    private readonly random: Random,
    private readonly changed: () => void,
  ) {
    this.l1Steps = options.unroll;
    this.maxSize = options.maxAreas;
    this.multipliers = new Parameter('a', 0, 1, options.maxAreas);
    this.draw = normalDraw(random, options.initScale);
    const name = templateName(options);
    this.template = {
      name,
      neurons: options.areas.find((a) => a.name === name)?.hidden ?? 1,
      wiring: options.links.filter((l) => l.from === name || l.to === name).map((l) => [l.from, l.to] as const),
    };
    const wiring = options.links.map((l: LinkSpec) => [l.from, l.to] as const);
    this.build(
      options.areas.map((a) => ({ name: a.name, unit: this.ledger.add(0), neurons: a.hidden })),
      wiring,
    );
    this.multipliers.insertRows(0, this.areaList.length);
    this.multipliers.value.fill(options.initialMultiplier);
    for (const area of this.areaList) {
      area.m.value.fill(options.initialMultiplier);
      this.fill([area.Wx, area.Whh, area.Wy]);
    }
    for (const link of this.linkList) this.fill([link.W]);
    this.rebuildPopulations();
  }

  get areas(): readonly Area[] {
    return this.areaList;
  }

  get links(): readonly Link[] {
    return this.linkList;
  }

  get size(): number {
    return this.areaList.length;
  }

  multiplier(index: number): number {
    return this.multipliers.value.data[index];
  }

  /** The multiplier a of the area whose unit id is `unit`. */
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
    const unit = this.ledger.add(cycle);
    const name = `${this.template.name}+${unit}`;
    const alive = new Set([INPUT, OUTPUT, ...this.areaList.map((a) => a.name)]);
    const rename = (end: string) => (end === this.template.name ? name : end);
    const wiring = this.template.wiring.map(([from, to]) => [rename(from), rename(to)] as const).filter(([from, to]) => alive.has(from === name ? to : from));
    const index = this.areaList.length;
    const before = new Set(this.linkList);
    // An area that inherits starts at the width it had, so its own weights fit as they were.
    const neurons = savedWidth(init.weights, this.options.maxHidden) ?? this.template.neurons;
    this.build(
      [...this.areaList.map((a) => ({ name: a.name, unit: a.unit, neurons: a.size, area: a })), { name, unit, neurons, born: cycle }],
      [...this.wiring, ...wiring],
    );
    this.multipliers.insertRows(index);
    this.multipliers.value.data[index] = init.multiplier;
    const area = this.areaList[index];
    area.m.value.fill(this.options.initialMultiplier);
    this.fill([area.Wx, area.Whh, area.Wy]);
    for (const link of this.linkList) if (!before.has(link)) this.fill([link.W]);
    if (init.weights) inherit(area, this.linkList, init.weights);
    this.rebuildPopulations();
    this.changed();
    return { unit, index };
  }

  removeUnits(indices: readonly number[]): RemovedUnit[] {
    if (!indices.length) return [];
    const removed = indices.map((index) => ({
      unit: this.unitId(index),
      index,
      birthCycle: this.birthCycle(index),
      multiplier: this.multiplier(index),
      weights: weightsOf(this.areaList[index], this.linkList),
    }));
    const gone = new Set(indices.map((i) => this.areaList[i].name));
    this.multipliers.removeRows(indices);
    this.ledger.remove(indices);
    const kept = this.areaList.filter((a) => !gone.has(a.name));
    this.build(
      kept.map((a) => ({ name: a.name, unit: a.unit, neurons: a.size, area: a })),
      this.wiring.filter(([from, to]) => !gone.has(from) && !gone.has(to)),
    );
    this.rebuildPopulations();
    this.changed();
    return removed;
  }

  /**
   * Of the areas a policy would delete, those that may go together (in the order given): none
   * whose deletion would leave an area off every path from input to output, no area at all, or
   * an area added from the template off every such path. The others stay, reserve areas beyond
   * the policy's count.
   */
  removable(indices: readonly number[]): number[] {
    const may: number[] = [];
    const gone = new Set<string>();
    const spec = ([from, to]: Wiring): LinkSpec => ({ from, to });
    const links = this.wiring.map(spec);
    const template = { name: this.template.name, links: this.template.wiring.map(spec) };
    for (const index of indices) {
      const name = this.areaList[index].name;
      gone.add(name);
      const names = this.areaList.map((a) => a.name).filter((n) => !gone.has(n));
      if (keepsEveryAreaOnAPath(names, links, template)) may.push(index);
      else gone.delete(name);
    }
    return may;
  }

  /** Which areas exist (names, unit ids, widths) and every link by name: rebuilt before a checkpoint's parameters load. */
  saveStructure(): StateValue {
    return {
      units: [...this.ledger.unitIds],
      names: this.areaList.map((a) => a.name),
      widths: this.areaList.map((a) => a.size),
      links: this.wiring.map(([from, to]) => [from, to]),
    };
  }

  loadStructure(state: StateValue): void {
    const units = field<number[]>(state, 'units', isList, 'a list');
    const ofUnits = (v: StateValue) => isList(v) && (v as unknown[]).length === units.length;
    const names = field<string[]>(state, 'names', ofUnits, `a list of ${units.length}`);
    const widths = field<number[]>(state, 'widths', ofUnits, `a list of ${units.length}`);
    const links = field<[string, string][]>(state, 'links', isList, 'a list');
    const problem = structureProblem(units, names, widths, links, this.options);
    if (problem) throw new Error(`saved state of areas: ${problem}`);
    this.build(
      units.map((unit, i) => ({ name: names[i], unit, neurons: widths[i] })),
      links.map(([from, to]) => [from, to] as const),
    );
    this.multipliers.loadState({ value: { rows: units.length, cols: 1, data: new Float64Array(units.length) }, slots: {} });
    // Birth cycles and the next id come with the growable's own state, loaded after this.
    this.ledger = new UnitLedger();
    this.ledger.loadState({ ids: units, births: units.map(() => 0), nextId: 0 }, this.id);
    this.rebuildPopulations();
    this.changed();
  }

  /** Unit ids and birth cycles; the areas' parameters are saved with them as layers. */
  saveState(): StateValue {
    return this.ledger.saveState();
  }

  loadState(state: StateValue): void {
    const ids = field<number[]>(state, 'ids', isList, 'a list');
    const have = this.ledger.unitIds;
    if (ids.join() !== have.join()) throw new Error(`saved state of areas: units ${ids.join(', ')}, but the model has ${have.join(', ')}`);
    this.ledger.loadState(state, this.id);
  }

  /**
   * Sets the areas and links to these, keeping the Area objects (and link weights) given and
   * making the rest; parameters are left as made (zero) for the caller to fill.
   */
  private build(areas: readonly { name: string; unit: number; neurons: number; born?: number; area?: Area }[], wiring: readonly Wiring[]): void {
    const ends = (name: string) => ({
      readsInput: wiring.some(([f, t]) => f === INPUT && t === name),
      feedsOutput: wiring.some(([f, t]) => f === name && t === OUTPUT),
    });
    this.areaList = areas.map(
      (a) =>
        a.area ??
        new Area(
          a.name,
          a.unit,
          a.born ?? 0,
          { neurons: a.neurons, vocabulary: this.vocabulary, maxNeurons: this.options.maxHidden, steps: this.options.unroll, ...ends(a.name) },
          () => this.options.unroll * Math.abs(this.multiplierOfUnit(a.unit)),
        ),
    );
    const byName = new Map(this.areaList.map((a) => [a.name, a]));
    const existing = new Map(this.linkList.map((l) => [`${l.from.name}>${l.to.name}`, l]));
    this.wiring = [...wiring];
    this.linkList = [];
    for (const [fromName, toName] of wiring) {
      const from = byName.get(fromName);
      const to = byName.get(toName);
      if (!from || !to) continue;
      // A link is kept (weights and optimizer state) only between the very areas it joined.
      const kept = existing.get(`${fromName}>${toName}`);
      const link =
        kept?.from === from && kept.to === to ? kept : { from, to, W: new Parameter(linkName(fromName, toName), to.size, from.size, to.size * from.size) };
      this.linkList.push(link);
    }
    for (const area of this.areaList) {
      area.incoming = this.linkList.filter((l) => l.to === area);
      area.outgoing = this.linkList.filter((l) => l.from === area);
    }
  }

  private rebuildPopulations(): void {
    for (const area of this.areaList) area.rebuildPopulation(this.linkList, this.draw, this.options.maxHidden);
  }

  /** N(0, initScale²) draws from the weights stream, parameter after parameter. */
  private fill(parameters: readonly (Parameter | undefined)[]): void {
    for (const p of parameters) if (p) fillNormal(p.value.data, p.length, this.random, this.options.initScale);
  }
}

/** What is wrong with a saved structure, if anything: what `build` needs, and the caps of the options. */
function structureProblem(units: unknown[], names: unknown[], widths: unknown[], links: unknown[], options: AreasOptions): string | undefined {
  if (units.length < 1 || units.length > options.maxAreas) return `${units.length} areas, but the model has room for 1 to ${options.maxAreas}`;
  const ids = new Set<unknown>();
  for (const unit of units) {
    if (!Number.isInteger(unit) || (unit as number) < 0) return `unit id ${JSON.stringify(unit)} is not a whole number ≥ 0`;
    if (ids.has(unit)) return `unit id ${unit} appears twice`;
    ids.add(unit);
  }
  const known = new Set<unknown>();
  for (const name of names) {
    if (typeof name !== 'string' || !name || name === INPUT || name === OUTPUT) return `area name ${JSON.stringify(name)} is not a name an area may have`;
    if (known.has(name)) return `area name ${name} appears twice`;
    known.add(name);
  }
  for (const [i, width] of widths.entries())
    if (!Number.isInteger(width) || (width as number) < 1 || (width as number) > options.maxHidden)
      return `area ${names[i]} has ${JSON.stringify(width)} neurons, but maxHidden is ${options.maxHidden}`;
  for (const link of links) {
    const [from, to] = isList(link as StateValue) && (link as unknown[]).length === 2 ? (link as unknown[]) : [];
    if ((from !== INPUT && !known.has(from)) || (to !== OUTPUT && !known.has(to)) || from === to || (from === INPUT && to === OUTPUT))
      return `link ${JSON.stringify(link)} does not join two of the areas ${[...known].join(', ')} (or input to one, or one to output)`;
  }
  return undefined;
}

/** Beside each of a removed area's parameters: its shape [rows, cols], and for a link the other area's neuron ids. */
const SHAPE = '$shape';
const NEURONS = '$neurons';

/** One parameter an area owns or sends through; for a link, the area at its other end and which axis that area's neurons index. */
interface Role {
  readonly key: string;
  readonly parameter: Parameter;
  readonly other?: { readonly area: Area; readonly axis: 'row' | 'column' };
}

/**
 * A removed area's weights: its own parameters by name, each link into it as `from:<source>` and
 * out of it as `to:<target>` (by role, since a link's name holds the area's own name), each with
 * its shape and, for a link, the ids of the other area's neurons it was indexed by.
 */
function weightsOf(area: Area, links: readonly Link[]): UnitWeights {
  const weights: Record<string, Float64Array> = {};
  for (const { key, parameter, other } of roles(area, links)) {
    weights[key] = parameter.value.toArray();
    weights[key + SHAPE] = Float64Array.of(parameter.rows, parameter.cols);
    if (other) weights[key + NEURONS] = Float64Array.from(other.area.neuronIds());
  }
  return weights;
}

/** The width a removed area had, when `weights` are one's and it fits under `most`. */
function savedWidth(weights: UnitWeights | undefined, most: number): number | undefined {
  const rows = weights?.[`m${SHAPE}`]?.[0];
  return rows !== undefined && rows >= 1 && rows <= most ? rows : undefined;
}

/**
 * Takes a removed area's weights where their shapes still fit: its own parameters when their
 * shape is the same; a link's entries where the neuron of the other area is still there, matched
 * by id (a neuron added there since starts afresh, as does a link to an area it did not have).
 */
function inherit(area: Area, links: readonly Link[], weights: UnitWeights): void {
  for (const { key, parameter, other } of roles(area, links)) {
    const saved = weights[key];
    const shape = weights[key + SHAPE];
    if (!saved || !shape) continue;
    const [rows, cols] = shape;
    const m = parameter.value;
    if (!other) {
      if (rows === parameter.rows && cols === parameter.cols) m.data.set(saved);
      continue;
    }
    const savedIds = weights[key + NEURONS];
    if (!savedIds || saved.length !== rows * cols) continue;
    const ids = other.area.neuronIds();
    const across = other.axis === 'column';
    if ((across ? rows : cols) !== (across ? parameter.rows : parameter.cols)) continue;
    for (let k = 0; k < ids.length; k++) {
      const at = savedIds.indexOf(ids[k]);
      if (at < 0 || at >= (across ? cols : rows)) continue;
      if (across) for (let r = 0; r < rows; r++) m.data[r * parameter.cols + k] = saved[r * cols + at];
      else for (let c = 0; c < cols; c++) m.data[k * parameter.cols + c] = saved[at * cols + c];
    }
  }
}

/** Every parameter an area owns or sends through, keyed by its role (see `weightsOf`). */
export function roles(area: Area, links: readonly Link[]): Role[] {
  const own = [area.Wx, area.Whh, area.b, area.m, area.Wy].filter((p): p is Parameter => p !== undefined);
  return [
    ...own.map((parameter): Role => ({ key: parameter.name, parameter })),
    ...links.filter((l) => l.to === area).map((l): Role => ({ key: `from:${l.from.name}`, parameter: l.W, other: { area: l.from, axis: 'column' } })),
    ...links.filter((l) => l.from === area).map((l): Role => ({ key: `to:${l.to.name}`, parameter: l.W, other: { area: l.to, axis: 'row' } })),
  ];
}
