import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GrowableView } from '@diffstruct/core';
import { type CycleLogged, metricsHeader, metricsRow, multipliersLine, RUN_FILES, writing } from '@diffstruct/core/host';

/** Byte lengths of a seed's files, as a checkpoint records them (a type alias, so a checkpoint encodes as a StateValue). */
export type SeedFileSizes = {
  readonly metrics: number;
  readonly events: number;
  /** Absent in checkpoints written before multipliers.jsonl existed. */
  readonly multipliers?: number;
};

/**
 * metrics.csv, events.jsonl and multipliers.jsonl of one seed. Events are buffered and written with
 * each metrics row (and at checkpoints), so the files grow a few times per thousand cycles, not per event.
 */
export class SeedFiles {
  readonly metricsFile: string;
  readonly eventsFile: string;
  readonly multipliersFile: string;
  private readonly pending: string[] = [];

  constructor(
    folder: string,
    private readonly families: readonly string[],
    private readonly signals: readonly string[],
    private readonly heldOut: readonly string[],
    /** The model's growables now (a model with blocks returns new arrays as they come and go). */
    private readonly growables: () => readonly GrowableView[],
  ) {
    this.metricsFile = join(folder, RUN_FILES.metrics);
    this.eventsFile = join(folder, RUN_FILES.events);
    this.multipliersFile = join(folder, RUN_FILES.multipliers);
  }

  /** New files; multipliers.jsonl starts with the units the model was built with, at cycle 0. */
  start(): void {
    writing(this.metricsFile, () => writeFileSync(this.metricsFile, metricsHeader(this.families, this.signals, this.heldOut) + '\n'));
    writing(this.eventsFile, () => writeFileSync(this.eventsFile, ''));
    writing(this.multipliersFile, () => writeFileSync(this.multipliersFile, multipliersLine(0, this.growables()) + '\n'));
  }

  /**
   * Cuts the files back to what they held at a checkpoint: rows written after it are redone. A
   * checkpoint from before multipliers.jsonl existed records no size for it: the file starts over
   * empty, and holds the rows from the resume on (a lifeline then has no samples before it).
   */
  truncateTo(sizes: SeedFileSizes): void {
    for (const [file, size] of [
      [this.metricsFile, sizes.metrics],
      [this.eventsFile, sizes.events],
      [this.multipliersFile, sizes.multipliers],
    ] as const) {
      if (size === undefined) {
        writing(file, () => writeFileSync(file, ''));
        continue;
      }
      const actual = existsSync(file) ? statSync(file).size : -1;
      if (actual < size) throw new Error(`${file} holds ${actual} bytes, fewer than the ${size} its checkpoint recorded`);
      writing(file, () => truncateSync(file, size));
    }
  }

  event(event: object): void {
    this.pending.push(JSON.stringify(event));
  }

  row(row: CycleLogged): void {
    this.flush();
    // A row cut short by a full disk is cut off again on resume: the checkpoint records the good length.
    writing(this.metricsFile, () => appendFileSync(this.metricsFile, metricsRow(row, this.families, this.signals, this.heldOut) + '\n'));
    writing(this.multipliersFile, () => appendFileSync(this.multipliersFile, multipliersLine(row.cycle, this.growables()) + '\n'));
  }

  flush(): void {
    if (!this.pending.length) return;
    writing(this.eventsFile, () => appendFileSync(this.eventsFile, this.pending.join('\n') + '\n'));
    this.pending.length = 0;
  }

  sizes(): Required<SeedFileSizes> {
    this.flush();
    return { metrics: statSync(this.metricsFile).size, events: statSync(this.eventsFile).size, multipliers: statSync(this.multipliersFile).size };
  }
}
