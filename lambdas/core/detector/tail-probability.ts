import type { SortedWindow } from './sorted-window.js';

/**
 * Probability that a statistic is at least as large as `value`, judged against its own recent
 * values in `reference` (which must hold at least two values). Inside the observed range this is
 * the empirical rank, with the +1 that keeps it above zero. Beyond the largest value it
 * extrapolates an exponential tail (peaks over threshold): for an exponential tail the gap between
 * the (1 − τ) quantile and the maximum of n values is about scale·ln(τn), which gives the scale.
 * Two floors keep that scale honest:
 * - `minScale`, from the series' own spread, so a flat or quantised series is not infinitely
 *   surprised by one step;
 * - `extremeFloorFraction` of the distance from the median to the maximum, because a statistic
 *   averaged over a window turns one past event into a plateau of equal top values whose spread
 *   says nothing about how much larger the next event may be.
 *
 * `measure` (increasing) sets the scale the tail is extrapolated on, and `minScale` is in its
 * units: `Math.log1p` judges a count by ratios (twice the longest run) rather than differences.
 * The empirical rank inside the observed range does not depend on it.
 */
export function upperTailProbability(
  reference: SortedWindow,
  value: number,
  tailFraction: number,
  minScale: number,
  extremeFloorFraction: number,
  measure: (x: number) => number = identity,
): number {
  const n = reference.size;
  const max = reference.at(n - 1);
  if (value <= max) return (n - reference.lowerBound(value) + 1) / (n + 1);
  const tailCount = Math.max(2, Math.ceil(tailFraction * n));
  const top = measure(max);
  const scale = Math.max(
    minScale,
    (top - measure(reference.at(n - tailCount))) / Math.log(tailCount),
    extremeFloorFraction * (top - measure(reference.quantile(0.5))),
  );
  return Math.exp(-(measure(value) - top) / scale) / (n + 1);
}

function identity(x: number): number {
  return x;
}

/** The mirror image of {@link upperTailProbability}: how surprising a low value is. */
export function lowerTailProbability(
  reference: SortedWindow,
  value: number,
  tailFraction: number,
  minScale: number,
  extremeFloorFraction: number,
): number {
  const n = reference.size;
  const min = reference.at(0);
  if (value >= min) return (reference.upperBound(value) + 1) / (n + 1);
  const tailCount = Math.max(2, Math.ceil(tailFraction * n));
  const scale = Math.max(
    minScale,
    (reference.at(tailCount - 1) - min) / Math.log(tailCount),
    extremeFloorFraction * (reference.quantile(0.5) - min),
  );
  return Math.exp(-(min - value) / scale) / (n + 1);
}
