/**
 * The first SIGINT/SIGTERM sets a flag shared with the worker threads (they stop at the next
 * cycle boundary and write checkpoints); the second exits at once.
 */
export class StopOnSignal {
  readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly handler: (signal: NodeJS.Signals) => void;

  constructor(onFirst: (signal: NodeJS.Signals) => void) {
    this.handler = (signal) => {
      if (this.requested) {
        process.stderr.write(`\n${signal} again: quitting at once (seeds keep their last checkpoint)\n`);
        process.exit(130);
      }
      Atomics.store(this.flag, 0, 1);
      onFirst(signal);
    };
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get requested(): boolean {
    return Atomics.load(this.flag, 0) !== 0;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
