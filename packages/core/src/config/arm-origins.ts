import { SLOT_KEYS, type SlotKey } from '../plugins/extension-points.js';
import type { ConfigPath } from './config-source.js';
import type { ConfigDefaults } from './experiment-config.js';
import { isPlain, type Plain, setAt, valueAt } from './plain-data.js';
import type { ExpandedArm } from './sweep.js';

/** Where a value of an arm was written; of two places, the one with the higher `rank` is the more specific to the arm. */
export interface WrittenAt {
  readonly at: ConfigPath;
  readonly rank: number;
}

/** A place in the config file to report a problem at (`at`), and the path to name it by (`shown`, which may go deeper). */
export interface Located {
  readonly at: ConfigPath;
  readonly shown: ConfigPath;
}

/** One source of a plugin slot's options: the application's defaults, the top level, the arm, its sweep point. */
interface Layer {
  readonly value: unknown;
  /** Where this layer wrote the value at `path` (relative to the slot); undefined for the defaults, which no file holds. */
  readonly place: (path: ConfigPath) => ConfigPath | undefined;
  readonly rank: number;
}

/**
 * Where each value of one arm's resolved plugin slots was written in the config file. A slot is
 * the defaults, the top level's, the arm's and the arm's sweep point's options merged in that
 * order (a `policies` entry: the arm's `policy`, then the top level's entry, the arm's, the sweep's),
 * where a mapping naming another `type`, or any value that is not a mapping, replaces what lies
 * below it. This replays that merge on the file's paths instead of the values.
 */
export class ArmOrigins {
  constructor(
    private readonly data: Plain,
    private readonly defaults: ConfigDefaults,
    private readonly arm: ExpandedArm,
    /** Whether `arm.fromArm` indexes the file's `arms` list (else the arm is the top level alone). */
    private readonly armsDeclared: boolean,
  ) {}

  /** Where the value at `path` of the resolved arm (e.g. ['policy', 'threshold']) was written; undefined when nowhere. */
  writtenAt(path: ConfigPath): WrittenAt | undefined {
    const [root, family] = path;
    if (root === 'policies' && typeof family === 'string') {
      const entry = this.layers(['policies', family], (sweptPath) => sweptPath[0] === 'policies' && sweptPath[1] === family, 2);
      return writtenIn([...this.slotLayers('policy'), ...entry.map((l) => ({ ...l, rank: l.rank + 4 }))], path.slice(2));
    }
    if (!SLOT_KEYS.includes(root as SlotKey)) return undefined;
    return writtenIn(this.slotLayers(root as SlotKey), path.slice(1));
  }

  /** Where to report a problem with the value at `path`: where it was written, else its nearest written ancestor, else the arm. */
  locate(path: ConfigPath): Located {
    for (let depth = path.length; depth > 0; depth--) {
      const written = this.writtenAt(path.slice(0, depth));
      if (written) return { at: written.at, shown: [...written.at, ...path.slice(depth)] };
    }
    if (!this.armsDeclared) return { at: [], shown: path };
    return { at: ['arms', this.arm.fromArm], shown: ['arms', this.arm.fromArm, ...path] };
  }

  /**
   * Where to report a rule across `fields` (of the plugin at `options`): the most specific place
   * any of them was written, the first field winning ties, since a value the arm or its sweep
   * point wrote is what makes this arm break a rule its siblings may keep.
   */
  locateRule(fields: readonly ConfigPath[], options: ConfigPath): Located {
    let best: WrittenAt | undefined;
    for (const field of fields) {
      const written = this.writtenAt(field);
      if (written && (!best || written.rank > best.rank)) best = written;
    }
    return best ? { at: best.at, shown: best.at } : this.locate(fields[0] ?? options);
  }

  private slotLayers(key: SlotKey): Layer[] {
    const defaults: Layer = { value: this.defaults[key], place: () => undefined, rank: 0 };
    return [defaults, ...this.layers([key], (sweptPath) => sweptPath[0] === key, 1)];
  }

  /** The top level's, the arm's and the sweep point's values at `at` (a slot or a `policies` entry), ranked 1, 2, 3. */
  private layers(at: ConfigPath, swept: (path: readonly string[]) => boolean, depth: number): Layer[] {
    const layers: Layer[] = [{ value: valueAt(this.data, at), place: (path) => [...at, ...path], rank: 1 }];
    if (this.armsDeclared) {
      const armAt = ['arms', this.arm.fromArm, ...at];
      layers.push({ value: valueAt(this.data, armAt), place: (path) => [...armAt, ...path], rank: 2 });
    }
    const values = this.arm.swept.filter((s) => swept(s.path)).map((s) => ({ path: s.path.slice(depth), value: s.value, at: s.at }));
    if (values.length) {
      const tree: Plain = {};
      for (const { path, value } of values) setAt(tree, path, value);
      // A swept mapping (one `setAt` made) has no place of its own: its first swept value stands for it.
      const place = (path: ConfigPath) => values.find((v) => path.every((part, i) => v.path[i] === part))?.at;
      layers.push({ value: tree, place, rank: 3 });
    }
    return layers;
  }
}

/** The place of the value at `path` inside the merge of `layers` (lowest first). */
function writtenIn(layers: readonly Layer[], path: ConfigPath): WrittenAt | undefined {
  let present = layers.filter((l) => l.value !== undefined).map((layer) => ({ layer, value: layer.value }));
  for (let depth = 0; ; depth++) {
    present = merged(present, depth === 0);
    if (depth === path.length) {
      const last = present.at(-1);
      const at = last?.layer.place(path);
      return last && at ? { at, rank: last.layer.rank } : undefined;
    }
    const key = path[depth];
    present = present
      .filter(({ value }) => value !== null && typeof value === 'object' && Object.hasOwn(value, key))
      .map(({ layer, value }) => ({ layer, value: (value as Record<string | number, unknown>)[key] }));
  }
}

/**
 * The layers whose values survive the merge at one place, as `mergeSlot` decides: a mapping is
 * merged over a mapping of the same (or no) `type`; anything else replaces what is below it,
 * except at the slot itself, where a value that is not a mapping is ignored.
 */
function merged<T extends { readonly value: unknown }>(present: readonly T[], slot: boolean): T[] {
  let kept: T[] = [];
  for (const entry of present) {
    if (!kept.length) {
      kept = [entry];
      continue;
    }
    if (slot && !isPlain(entry.value)) continue;
    // Everything kept is a mapping here, or a single value that is not.
    const merges = isPlain(kept[0].value) && isPlain(entry.value) && (entry.value.type === undefined || entry.value.type === typeOf(kept));
    kept = merges ? [...kept, entry] : [entry];
  }
  return kept;
}

/** The `type` of merged mappings: the last one named. */
function typeOf(mappings: readonly { readonly value: unknown }[]): unknown {
  return mappings.map((m) => (m.value as Plain).type).findLast((type) => type !== undefined);
}
