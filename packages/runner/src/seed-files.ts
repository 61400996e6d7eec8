import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CycleLogged, metricsHeader, metricsRow, RUN_FILES, writing } from '@diffstruct/core/host';

/**
 * metrics.csv and events.jsonl of one seed. Events are buffered and written with each metrics
 * row (and at checkpoints), so the files grow a few times per thousand cycles, not per event.
 */
export class SeedFiles {
  readonly metricsFile: string;
  readonly eventsFile: string;
  private readonly pending: string[] = [];

  constructor(
    folder: string,
    private readonly families: readonly string[],
    private readonly signals: readonly string[],
    private readonly heldOut: readonly string[] = [],
  ) {
    this.metricsFile = join(folder, RUN_FILES.metrics);
    this.eventsFile = join(folder, RUN_FILES.events);
  }

  start(): void {
    writing(this.metricsFile, () => writeFileSync(this.metricsFile, metricsHeader(this.families, this.signals, this.heldOut) + '\n'));
    writing(this.eventsFile, () => writeFileSync(this.eventsFile, ''));
  }

  /** Cuts both files back to what they held at a checkpoint: rows written after it are redone. */
  truncateTo(sizes: { metrics: number; events: number }): void {
    for (const [file, size] of [
      [this.metricsFile, sizes.metrics],
      [this.eventsFile, sizes.events],
    ] as const) {
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
  }

  flush(): void {
    if (!this.pending.length) return;
    writing(this.eventsFile, () => appendFileSync(this.eventsFile, this.pending.join('\n') + '\n'));
    this.pending.length = 0;
  }

  sizes(): { metrics: number; events: number } {
    this.flush();
    return { metrics: statSync(this.metricsFile).size, events: statSync(this.eventsFile).size };
  }
}
