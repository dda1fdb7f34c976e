import { PEAK_CONCURRENCY_STDEVS } from './aws-behaviour.js';

/**
 * Peak busy environments for a mean concurrency (Little's law: rate × mean duration): Poisson
 * occupancy peaks about `PEAK_CONCURRENCY_STDEVS` standard deviations above its mean.
 */
export function peakConcurrency(meanConcurrency: number): number {
  return meanConcurrency > 0
    ? Math.ceil(meanConcurrency + PEAK_CONCURRENCY_STDEVS * Math.sqrt(meanConcurrency))
    : 0;
}

/**
 * Expected number of busy environments above `capacity` when occupancy is Poisson with `mean`
 * (M/G/∞ queue: E[(X − capacity)+], X ~ Poisson(mean)). Exact summation for moderate means,
 * normal approximation above.
 */
export function expectedExcess(mean: number, capacity: number): number {
  if (!(mean > 0)) return 0;
  if (capacity <= 0) return mean;
  if (mean > 400) {
    const sd = Math.sqrt(mean);
    const z = (capacity - mean) / sd;
    return sd * (normalPdf(z) - z * (1 - normalCdf(z)));
  }
  // E[(X−c)+] = E[X] − E[min(X, c)] = mean − Σ_{k<c} P(X>k)... computed via Σ_{k=0}^{c-1} (c−k)·P(X=k).
  let p = Math.exp(-mean);
  let belowCapacity = 0;
  for (let k = 0; k < capacity; k += 1) {
    belowCapacity += (capacity - k) * p;
    p *= mean / (k + 1);
  }
  return Math.max(0, mean - capacity + belowCapacity);
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
