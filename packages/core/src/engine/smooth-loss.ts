/** The paper's reported loss: an exponential moving average of the per-cycle loss. */
export class SmoothLoss {
  constructor(
    public value: number,
    private readonly decay = 0.999,
  ) {}

  add(loss: number): number {
    this.value = this.decay * this.value + (1 - this.decay) * loss;
    return this.value;
  }
}
