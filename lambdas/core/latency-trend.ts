import { median, robustSpread } from './stats.js';
import type { SeriesPoint } from './types.js';

/** A steady rise of a latency series, fitted robustly, and where it is heading. */
export interface LatencyTrend {
  /** Fitted level at the first and the last point of the window. */
  readonly startMillis: number;
  readonly endMillis: number;
  readonly slopeMillisPerMinute: number;
  /** Robust spread of the points around the fitted line (the noise). */
  readonly residualSpreadMillis: number;
  /** Fitted level `horizonMinutes` after the last point, if the rise goes on. */
  readonly projectedMillis: number;
  /** Share of the last `recentPoints` points above the fitted start plus two noise spreads. */
  readonly persistence: number;
}

/** Fewest points a trend is fitted on. */
export const MIN_TREND_POINTS = 15;

/**
 * The Theil–Sen line through `points` (the median of all pairwise slopes, robust to a few
 * outliers), its noise, and its projection `horizonMinutes` ahead. Null with too few points.
 * Pure and O(n²) in the points (a 30-minute window is 435 pairs).
 */
export function fitLatencyTrend(
  points: readonly SeriesPoint[],
  horizonMinutes: number,
  recentPoints: number,
): LatencyTrend | null {
  const usable = points.filter((p) => Number.isFinite(p.v));
  if (usable.length < MIN_TREND_POINTS) return null;
  const t0 = (usable[0] as SeriesPoint).t;
  const xs = usable.map((p) => (p.t - t0) / 60_000);
  const ys = usable.map((p) => p.v);
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx > 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  const slope = median(slopes);
  const intercept = median(ys.map((y, i) => y - slope * (xs[i] as number)));
  const residualSpread = robustSpread(ys.map((y, i) => y - (intercept + slope * (xs[i] as number))));
  const lastX = xs.at(-1) as number;
  const start = intercept;
  const end = intercept + slope * lastX;
  const above = ys.slice(-recentPoints).filter((y) => y > start + 2 * residualSpread).length;
  return {
    startMillis: start,
    endMillis: end,
    slopeMillisPerMinute: slope,
    residualSpreadMillis: residualSpread,
    projectedMillis: end + slope * horizonMinutes,
    persistence: above / Math.min(recentPoints, ys.length),
  };
}
