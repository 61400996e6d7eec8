import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '@diffstruct/core/host';
import { type BirthsAndDeaths, drawnGrowables, type Lifeline, readLifelines, type SeedLifelines, seedBirthsAndDeaths } from '@diffstruct/report';

/** A lifeline sent to the page keeps at most this many multiplier samples: a panel is no wider in pixels. */
export const MAX_LIFELINE_SAMPLES = 512;

/** The files a seed's structure is read from. */
const STRUCTURE_FILES = [RUN_FILES.events, RUN_FILES.multipliers, RUN_FILES.metrics] as const;

/**
 * One seed's structure as `serve` sends it: its lifelines (report's `readLifelines`) and its births
 * and deaths (report's `seedBirthsAndDeaths`), read again only when the size or time of one of its
 * files changed. Each file is read only when its real path lies inside the served folder (`inside`).
 */
export class SeedStructure {
  private lifelinesOf?: { signature: string; value: SeedLifelines };
  private countsOf?: { signature: string; value: BirthsAndDeaths };

  constructor(
    readonly folder: string,
    private readonly inside: (path: string) => boolean,
  ) {}

  /** Size and time of each file (absent ones as such); throws when one that exists lies outside the served folder. */
  signature(): string {
    return STRUCTURE_FILES.map((name) => {
      const file = join(this.folder, name);
      if (!existsSync(file)) return '-';
      if (!this.inside(file)) throw new Error(`${file}: lies outside the served folder`);
      const { size, mtimeMs } = statSync(file);
      return `${size}:${mtimeMs}`;
    }).join('/');
  }

  lifelines(): SeedLifelines {
    const signature = this.signature();
    if (this.lifelinesOf?.signature !== signature) this.lifelinesOf = { signature, value: thinLifelines(readLifelines(this.folder)) };
    return this.lifelinesOf.value;
  }

  birthsAndDeaths(interval: number, lastCycle: number): BirthsAndDeaths {
    const signature = `${this.signature()}/${interval}/${lastCycle}`;
    if (this.countsOf?.signature !== signature) this.countsOf = { signature, value: seedBirthsAndDeaths(this.folder, interval, lastCycle) };
    return this.countsOf.value;
  }
}

/**
 * A lifeline with every step-th sample and its last, step the power of two that keeps at most
 * MAX_LIFELINE_SAMPLES (powers of two: the samples kept stay the same as the run goes on).
 */
export function thinLifeline(line: Lifeline): Lifeline {
  const last = line.samples.length - 1;
  let step = 1;
  while (Math.ceil(last / step) + 1 > MAX_LIFELINE_SAMPLES) step *= 2;
  if (step === 1) return line;
  return { ...line, samples: line.samples.filter((_, i) => i % step === 0 || i === last) };
}

/**
 * The lifelines thinned, the growables in the order the page draws them: those report's
 * lifelines figure draws (`drawnGrowables`, each family's largest first), then the others, largest first.
 */
function thinLifelines(read: SeedLifelines): SeedLifelines {
  const bySize = Object.entries(read.growables).sort((a, b) => b[1].lifelines.length - a[1].lifelines.length);
  const drawn = drawnGrowables(bySize);
  const ordered = [...drawn, ...bySize.filter((entry) => !drawn.includes(entry))];
  const growables = Object.fromEntries(ordered.map(([id, g]) => [id, { family: g.family, lifelines: g.lifelines.map(thinLifeline) }]));
  return { ...read, growables };
}
