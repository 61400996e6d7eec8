import cliProgress from 'cli-progress';
import type { SeedResult } from '@diffstruct/core/host';
import type { SeedProgress } from '@diffstruct/runner';

/**
 * One aggregate progress display on stderr: a bar with ETA on a terminal, a plain line every
 * `lineSeconds` otherwise (logs, CI). Shows the median units and smooth loss across running seeds.
 */
export class ProgressDisplay {
  private readonly latest = new Map<string, SeedProgress>();
  private readonly done = new Map<string, number>();
  private finished = 0;
  private readonly bar?: cliProgress.SingleBar;
  private readonly started = Date.now();
  private lastLine = 0;

  constructor(
    private readonly totalCycles: number,
    private readonly jobs: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly lineSeconds = 10,
  ) {
    if (stream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream,
          format: '{bar} {percentage}% | {finished}/{jobs} runs | ETA {eta_formatted} | units {units} | smooth loss {loss}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(totalCycles, 0, this.payload());
    }
  }

  update(p: SeedProgress): void {
    const key = `${p.arm}/${p.seed}`;
    this.latest.set(key, p);
    this.done.set(key, p.cycle);
    this.render();
  }

  seedFinished(r: SeedResult): void {
    this.finished++;
    this.done.set(`${r.arm}/${r.seed}`, r.cycles);
    if (!r.finished && !r.interrupted) this.stream.write(`\n${r.arm} seed ${r.seed} stopped: ${r.error}\n`);
    this.render(true);
  }

  stop(): void {
    this.bar?.stop();
  }

  /** A message that must not be overdrawn by the bar. */
  interrupt(message: string): void {
    this.stream.write(`\n${message}\n`);
  }

  private cyclesDone(): number {
    let sum = 0;
    for (const c of this.done.values()) sum += c;
    return sum;
  }

  private payload() {
    const values = [...this.latest.values()];
    const median = (xs: number[]) => (xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
    const units = median(values.map((v) => v.units));
    const loss = median(values.map((v) => v.smoothLoss));
    return { finished: this.finished, jobs: this.jobs, units: Number.isNaN(units) ? '-' : units, loss: Number.isNaN(loss) ? '-' : loss.toFixed(2) };
  }

  private render(force = false): void {
    const done = this.cyclesDone();
    if (this.bar) {
      this.bar.update(done, this.payload());
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastLine < this.lineSeconds * 1000) return;
    this.lastLine = now;
    const fraction = done / this.totalCycles;
    const elapsed = (now - this.started) / 1000;
    const eta = fraction > 0 ? formatSeconds((elapsed * (1 - fraction)) / fraction) : '?';
    const p = this.payload();
    this.stream.write(
      `[${(100 * fraction).toFixed(0).padStart(3)}%] ${p.finished}/${p.jobs} runs done, ETA ${eta}, median units ${p.units}, median smooth loss ${p.loss}\n`,
    );
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}
