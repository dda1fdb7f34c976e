/**
 * The last `capacity` values of a stream, kept both in arrival order (a ring) and sorted, so that
 * ranks and quantiles of the recent past cost O(log n) and each push costs O(n) memory moves.
 * Bounded memory: two arrays of `capacity` numbers.
 */
export class SortedWindow {
  // Allocated small and doubled up to `capacity` as values arrive (short series stay cheap).
  // Until the window is full nothing is dropped, so the ring is simply [0, count).
  private ring: Float64Array;
  private sorted: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`SortedWindow capacity must be a positive integer, got ${capacity}`);
    }
    const initial = Math.min(capacity, 64);
    this.ring = new Float64Array(initial);
    this.sorted = new Float64Array(initial);
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.ring.length * 2);
    const ring = new Float64Array(size);
    ring.set(this.ring);
    const sorted = new Float64Array(size);
    sorted.set(this.sorted);
    this.ring = ring;
    this.sorted = sorted;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a finite value, dropping the oldest one when full. */
  push(value: number): void {
    if (this.count === this.ring.length && this.count < this.capacity) this.grow();
    if (this.count === this.capacity) {
      const oldest = this.ring[this.head] as number;
      const at = this.lowerBound(oldest);
      this.sorted.copyWithin(at, at + 1, this.count);
      this.count--;
    }
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    const at = this.upperBound(value);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = value;
    this.count++;
  }

  /** Number of values < `value`. */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of values ≤ `value`. */
  upperBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The `k`-th smallest value (0-based), clamped to the stored range. */
  at(k: number): number {
    const i = Math.min(this.count - 1, Math.max(0, k));
    return this.sorted[i] as number;
  }

  /** Quantile by linear interpolation between order statistics, q in [0, 1]. Needs size > 0. */
  quantile(q: number): number {
    const pos = q * (this.count - 1);
    const lo = Math.floor(pos);
    const frac = pos - lo;
    const a = this.at(lo);
    return frac === 0 ? a : a + frac * (this.at(lo + 1) - a);
  }

  /** Mean of the `k` largest values. */
  meanOfLargest(k: number): number {
    const n = Math.min(k, this.count);
    let sum = 0;
    for (let i = this.count - n; i < this.count; i++) sum += this.sorted[i] as number;
    return n > 0 ? sum / n : Number.NaN;
  }

  /** Mean of the `k` smallest values. */
  meanOfSmallest(k: number): number {
    const n = Math.min(k, this.count);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.sorted[i] as number;
    return n > 0 ? sum / n : Number.NaN;
  }
}
