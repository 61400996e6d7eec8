import type { SeedResult } from '@diffstruct/core/host';
import type { SeedProgress } from '@diffstruct/runner';
import { PROGRESS_WIDTH, progressLines } from './progress-lines.js';
import { type ArmPlan, RunProgress } from './run-progress.js';

/** Where the display writes: stderr, or a fake of it in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplayOptions {
  readonly stream?: ProgressStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds on a monotonic clock. */
  readonly now?: () => number;
  /** Without a terminal: seconds between two printed blocks. */
  readonly lineSeconds?: number;
}

/** A terminal that can redraw in place: a TTY, not a dumb one, not a CI log (CI=true) that merely looks like one. */
export function isInteractive(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci && env.TERM !== 'dumb';
}

const REDRAW_MS = 200;
// Cursor up n lines, then erase to the end of the screen.
const erase = (lines: number) => (lines ? `\x1b[${lines}A\r\x1b[J` : '');

/**
 * The progress of a run on stderr: on a terminal a block redrawn in place; otherwise (logs, CI)
 * the block printed every `lineSeconds` and once at the end.
 */
export class ProgressDisplay {
  private readonly progress: RunProgress;
  private readonly stream: ProgressStream;
  private readonly interactive: boolean;
  private readonly now: () => number;
  private readonly lineSeconds: number;
  private readonly started: number;
  private drawnLines = 0;
  private lastDrawn = Number.NEGATIVE_INFINITY;

  constructor(plan: readonly ArmPlan[], workers: number, options: ProgressDisplayOptions = {}) {
    this.progress = new RunProgress(plan, workers);
    this.stream = options.stream ?? process.stderr;
    this.interactive = isInteractive(this.stream, options.env ?? process.env);
    this.now = options.now ?? (() => performance.now());
    this.lineSeconds = options.lineSeconds ?? 10;
    this.started = this.now();
  }

  update(p: SeedProgress): void {
    this.progress.sample(p, (this.now() - this.started) / 1000);
    this.render(false);
  }

  seedFinished(r: SeedResult): void {
    this.progress.ended(r);
    if (!r.finished && !r.interrupted) this.interrupt(`${r.arm} seed ${r.seed} stopped: ${r.error}`);
    else this.render(false);
  }

  /** A message that must not be overdrawn by the block. */
  interrupt(message: string): void {
    if (this.interactive) {
      this.stream.write(`${erase(this.drawnLines)}${message}\n`);
      this.drawnLines = 0;
      this.render(true);
    } else this.stream.write(`${message}\n`);
  }

  /** Draws the last state (without a terminal too, so a log ends with it). */
  stop(): void {
    this.render(true);
  }

  private render(force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDrawn < (this.interactive ? REDRAW_MS : this.lineSeconds * 1000)) return;
    this.lastDrawn = now;
    // One column short of the terminal's: a line that fills it exactly wraps in some terminals.
    const width = Math.min(PROGRESS_WIDTH, (this.interactive && this.stream.columns ? this.stream.columns : PROGRESS_WIDTH + 1) - 1);
    const lines = progressLines(this.progress, width);
    const text = lines.map((line) => `${line}\n`).join('');
    this.stream.write(this.interactive ? `${erase(this.drawnLines)}${text}` : text);
    this.drawnLines = lines.length;
  }
}
