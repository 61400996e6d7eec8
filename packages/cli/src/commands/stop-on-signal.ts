import { interruptedExitCode } from '../exit-codes.js';

/**
 * The first SIGINT/SIGTERM sets a flag shared with the worker threads (they stop at the next
 * cycle boundary and write checkpoints); the second exits at once.
 */
export class StopOnSignal {
  readonly flag = new Int32Array(new SharedArrayBuffer(4));
  /** The signal that asked the run to stop, if one did. */
  signal?: NodeJS.Signals;
  private readonly handler: (signal: NodeJS.Signals) => void;

  constructor(onFirst: (signal: NodeJS.Signals) => void) {
    this.handler = (signal) => {
      if (this.signal) {
        process.stderr.write(`\n${signal} again: quitting at once (seeds keep their last checkpoint)\n`);
        process.exit(interruptedExitCode(signal));
      }
      this.signal = signal;
      Atomics.store(this.flag, 0, 1);
      onFirst(signal);
    };
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
