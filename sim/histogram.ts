/**
 * A log-bucketed histogram (buckets 1 % wide) with weights: mergeable across periods, so percentiles
 * of any period can be computed from stored per-minute histograms, as CloudWatch does from its
 * stored distributions (CloudWatch percentiles are approximate too). Dense storage over the range
 * of buckets in use, grown on demand.
 */
const LOG_BASE = Math.log(1.01);

export class Histogram {
  #offset = 0;
  #counts: Float64Array | null = null;
  #zeroCount = 0;
  #count = 0;

  /** Total weight. */
  get count(): number {
    return this.#count;
  }

  /** Empties the histogram, keeping its storage for reuse. */
  reset(): void {
    this.#counts?.fill(0);
    this.#zeroCount = 0;
    this.#count = 0;
  }

  /** Adds `weight` observations of `value`. */
  add(value: number, weight = 1): void {
    if (!(weight > 0)) return;
    this.#count += weight;
    if (!(value > 0)) {
      this.#zeroCount += weight;
      return;
    }
    const bucket = Math.round(Math.log(value) / LOG_BASE);
    this.#ensure(bucket, bucket);
    (this.#counts as Float64Array)[bucket - this.#offset] += weight;
  }

  /** Adds every observation of `other`. */
  merge(other: Histogram): void {
    this.#count += other.#count;
    this.#zeroCount += other.#zeroCount;
    const source = other.#counts;
    if (!source) return;
    this.#ensure(other.#offset, other.#offset + source.length - 1);
    const target = this.#counts as Float64Array;
    const shift = other.#offset - this.#offset;
    for (let i = 0; i < source.length; i += 1) target[i + shift] += source[i] as number;
  }

  /** The value at percentile `p` (0..100), or NaN when empty. */
  percentile(p: number): number {
    if (this.#count <= 0) return Number.NaN;
    const rank = (Math.min(100, Math.max(0, p)) / 100) * this.#count;
    let cumulative = this.#zeroCount;
    if (cumulative >= rank && this.#zeroCount > 0) return 0;
    const counts = this.#counts;
    if (!counts) return 0;
    let last = 0;
    for (let i = 0; i < counts.length; i += 1) {
      const c = counts[i] as number;
      if (c <= 0) continue;
      cumulative += c;
      last = i;
      if (cumulative >= rank) return Math.exp((i + this.#offset) * LOG_BASE);
    }
    return Math.exp((last + this.#offset) * LOG_BASE);
  }

  #ensure(low: number, high: number): void {
    const counts = this.#counts;
    if (!counts) {
      // Leave room around the first bucket: most later values fall close to it.
      this.#offset = low - 64;
      this.#counts = new Float64Array(high - low + 129);
      return;
    }
    const end = this.#offset + counts.length - 1;
    if (low >= this.#offset && high <= end) return;
    const newLow = Math.min(low, this.#offset) - (low < this.#offset ? 64 : 0);
    const newHigh = Math.max(high, end) + (high > end ? 64 : 0);
    const grown = new Float64Array(newHigh - newLow + 1);
    grown.set(counts, this.#offset - newLow);
    this.#offset = newLow;
    this.#counts = grown;
  }
}
