/**
 * A small seeded pseudo-random source (mulberry32) with the distributions the fleet model needs.
 * Deterministic for a seed; `fork(label)` derives an independent stream so that adding one consumer
 * (a function, an alarm) does not shift the numbers another consumer sees.
 */
export class Rng {
  #state: number;
  readonly seed: number;
  #spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return spare;
    }
    let u = this.next();
    while (u <= Number.EPSILON) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given parameters of the underlying normal (`mu`, `sigma`). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson count with mean `lambda` (Knuth below 30, rounded normal approximation above). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k += 1;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }

  /** Binomial count of `n` trials with probability `p` (Poisson or normal approximation for large `n`). */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 40) {
      let k = 0;
      for (let i = 0; i < n; i += 1) if (this.next() < p) k += 1;
      return k;
    }
    const mean = n * p;
    if (mean < 30) return Math.min(n, this.poisson(mean));
    const sd = Math.sqrt(mean * (1 - p));
    return Math.min(n, Math.max(0, Math.round(mean + sd * this.normal())));
  }

  /** A new, independent stream derived from this seed and a label. */
  fork(label: string): Rng {
    return new Rng(hashSeed(this.seed, label));
  }
}

/** Mixes a seed with a label (FNV-1a over the label, then a murmur-style finalizer). */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i += 1) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Parameters of a log-normal with the given median and 95th percentile. */
export function lognormalFromMedianP95(medianValue: number, p95Value: number): { mu: number; sigma: number } {
  const Z95 = 1.6448536269514722;
  const mu = Math.log(medianValue);
  const sigma = Math.max(0, (Math.log(p95Value) - mu) / Z95);
  return { mu, sigma };
}
