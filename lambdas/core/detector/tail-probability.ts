import type { SortedWindow } from './sorted-window.js';

/**
 * Probability that a statistic is at least as large as `value`, judged against its own recent
 * values in `reference`. Inside the observed range this is the empirical rank (with the +1 that
 * keeps it above zero). Beyond the largest value it extrapolates an exponential tail whose scale
 * is read from the spread of the top `tailFraction` of the reference: for an exponential tail the
 * gap between the (1 − τ) quantile and the maximum of n values is about scale·ln(τn). The scale
 * never drops below `minScale`, so a never-seen value on a flat series is very surprising but not
 * infinitely so.
 */
export function upperTailProbability(
  reference: SortedWindow,
  value: number,
  tailFraction: number,
  minScale: number,
): number {
  const n = reference.size;
  const max = reference.at(n - 1);
  if (value <= max) return (n - reference.lowerBound(value) + 1) / (n + 1);
  const tailCount = Math.max(2, Math.ceil(tailFraction * n));
  const scale = Math.max(minScale, (max - reference.at(n - tailCount)) / Math.log(tailCount));
  return Math.exp(-(value - max) / scale) / (n + 1);
}

/** The mirror image of {@link upperTailProbability}: how surprising a low value is. */
export function lowerTailProbability(
  reference: SortedWindow,
  value: number,
  tailFraction: number,
  minScale: number,
): number {
  const n = reference.size;
  const min = reference.at(0);
  if (value >= min) return (reference.upperBound(value) + 1) / (n + 1);
  const tailCount = Math.max(2, Math.ceil(tailFraction * n));
  const scale = Math.max(minScale, (reference.at(tailCount - 1) - min) / Math.log(tailCount));
  return Math.exp(-(min - value) / scale) / (n + 1);
}
