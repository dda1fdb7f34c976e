/**
 * The values of a statistic over the last few days, by time, to answer "what range did it take at
 * about this time of day on previous days?". Memory is bounded by the span kept (days + tolerance)
 * divided by the sampling interval; each query scans the points inside the tolerance on each day.
 */
export class SeasonalEnvelope {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly periodMs: number,
    private readonly periods: number,
    private readonly toleranceMs: number,
  ) {}

  /** Records a value; times that go backwards are treated as the latest time seen. */
  push(timeMs: number, value: number): void {
    const t = Math.max(timeMs, this.lastTime);
    this.lastTime = t;
    this.times.push(t);
    this.values.push(value);
    const oldest = t - this.periods * this.periodMs - this.toleranceMs;
    while (this.head < this.times.length && (this.times[this.head] as number) < oldest) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  private firstAtOrAfter(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Lowest and highest value within ±tolerance of the same time on each previous period, or
   * `undefined` unless every one of those periods has at least one point there.
   */
  range(timeMs: number): { min: number; max: number } | undefined {
    const t = Math.max(timeMs, this.lastTime);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let d = 1; d <= this.periods; d++) {
      const centre = t - d * this.periodMs;
      let found = false;
      for (let i = this.firstAtOrAfter(centre - this.toleranceMs); i < this.times.length; i++) {
        if ((this.times[i] as number) > centre + this.toleranceMs) break;
        const v = this.values[i] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        found = true;
      }
      if (!found) return undefined;
    }
    return { min, max };
  }
}
