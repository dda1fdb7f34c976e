/** Mean of the last `span` values, O(1) per push. */
export class RollingMean {
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  private sum = 0;

  constructor(readonly span: number) {
    this.values = new Float64Array(span);
  }

  push(value: number): void {
    if (this.count === this.span) this.sum -= this.values[this.head] as number;
    else this.count++;
    this.values[this.head] = value;
    this.sum += value;
    this.head = (this.head + 1) % this.span;
    // Re-add from scratch once per cycle so rounding errors of the running sum cannot pile up.
    if (this.head === 0) this.sum = this.values.reduce((a, b) => a + b, 0);
  }

  /** True once `span` values have been pushed. */
  get full(): boolean {
    return this.count === this.span;
  }

  get mean(): number {
    return this.sum / this.count;
  }
}

/** Hands values back `delay` pushes later (`undefined` until then). */
export class DelayLine {
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly delay: number) {
    this.values = new Float64Array(delay);
  }

  push(value: number): number | undefined {
    let out: number | undefined;
    if (this.count === this.delay) out = this.values[this.head] as number;
    else this.count++;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.delay;
    return out;
  }
}
