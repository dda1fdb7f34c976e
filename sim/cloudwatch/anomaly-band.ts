/**
 * Approximation of a CloudWatch anomaly detection band.
 *
 * The real model "analyzes the past data of a metric ... up to two weeks" and learns its expected
 * values, including hourly, daily and weekly patterns ("Using CloudWatch anomaly detection" —
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html).
 * `ANOMALY_DETECTION_BAND(m1, W)` is expected ± W "standard deviations".
 *
 * Here: expected = median of the training values; spread = 1.4826 × the median absolute
 * deviation (a robust standard deviation that the anomaly itself barely moves), floored at 5 % of
 * |expected| so a flat metric does not get a zero-width band, and for counts (Sum, SampleCount) at
 * √expected, their Poisson noise; for a ratio of counts (an error rate) at the binomial noise of
 * the typical denominator n: scale · √(max(p, 1/n) / n). Training values are the metric's values over the two weeks before the periods
 * being evaluated; when at least two days are known, only values within ±1 h of the same time of
 * day are used (a crude daily pattern). The account pre-trains the band on a warm-up simulated
 * before the scenario start, so an alarm is not blind at minute 0.
 */
import { lowerBound } from '../sorted.js';

export const TRAINING_WINDOW_MILLIS = 14 * 24 * 3_600_000;
const DAY_MILLIS = 24 * 3_600_000;
const SEASONAL_MIN_SPAN_MILLIS = 2 * DAY_MILLIS;
const SEASONAL_HALF_WIDTH_MILLIS = 3_600_000;
const RELATIVE_SPREAD_FLOOR = 0.05;
const MAD_TO_STDEV = 1.4826;

export interface Band {
  readonly expected: number;
  readonly spread: number;
  readonly lower: number;
  readonly upper: number;
}

/** The training history of one alarm metric and the band it implies. */
export class AnomalyBand {
  readonly #times: number[] = [];
  readonly #values: number[] = [];
  /** Denominators of a ratio series, aligned with the values (empty otherwise). */
  readonly #denominators: number[] = [];
  /**
   * The values (and denominators) of stored indices [#lo, #hi), kept sorted: the training set of
   * the latest non-seasonal band, moved forward incrementally as evaluations move forward.
   */
  readonly #sortedValues: number[] = [];
  readonly #sortedDenominators: number[] = [];
  #lo = 0;
  #hi = 0;

  /**
   * @param widthStdDevs the band width W of ANOMALY_DETECTION_BAND(m, W)
   * @param counts whether the values are counts (statistic Sum or SampleCount)
   * @param ratioScale for `scale * a / b` series of counts, the scale (100 for a percentage)
   */
  constructor(
    readonly widthStdDevs: number,
    readonly counts = false,
    readonly ratioScale?: number,
  ) {}

  /** Adds the value of the period starting at `periodStartMillis` (in time order); `denominator` for ratios. */
  observe(periodStartMillis: number, value: number, denominator = 0): void {
    const last = this.#times[this.#times.length - 1];
    if (last !== undefined && periodStartMillis <= last) return;
    this.#times.push(periodStartMillis);
    this.#values.push(value);
    if (this.ratioScale !== undefined) this.#denominators.push(denominator);
    // Drop what falls out of the training window.
    let drop = 0;
    while (
      drop < this.#times.length &&
      (this.#times[drop] as number) < periodStartMillis - TRAINING_WINDOW_MILLIS
    )
      drop += 1;
    if (drop > 0) {
      // Only [#lo, #hi) is in the sorted set; the indices of what stays move down by `drop`.
      for (let i = this.#lo; i < Math.min(drop, this.#hi); i += 1) this.#untrain(i);
      this.#lo = Math.max(0, this.#lo - drop);
      this.#hi = Math.max(0, this.#hi - drop);
      this.#times.splice(0, drop);
      this.#values.splice(0, drop);
      if (this.ratioScale !== undefined) this.#denominators.splice(0, drop);
    }
  }

  /** The period start of the latest observed value, or -Infinity. */
  get lastObservedMillis(): number {
    return this.#times[this.#times.length - 1] ?? Number.NEGATIVE_INFINITY;
  }

  /** The band for periods starting at or after `atMillis`, trained on values before it; null without history. */
  bandAt(atMillis: number): Band | null {
    const from = atMillis - TRAINING_WINDOW_MILLIS;
    const first = this.#times.find((t) => t >= from);
    const seasonal = first !== undefined && atMillis - first >= SEASONAL_MIN_SPAN_MILLIS;
    if (!seasonal) {
      const band = this.#movingBand(from, atMillis);
      if (band !== undefined) return band;
    }
    const training: number[] = [];
    const denominators: number[] = [];
    for (let i = 0; i < this.#times.length; i += 1) {
      const t = this.#times[i] as number;
      if (t < from || t >= atMillis) continue;
      if (seasonal) {
        const offset = Math.abs(
          ((((t - atMillis) % DAY_MILLIS) + DAY_MILLIS * 1.5) % DAY_MILLIS) - DAY_MILLIS / 2,
        );
        if (offset > SEASONAL_HALF_WIDTH_MILLIS) continue;
      }
      training.push(this.#values[i] as number);
      if (this.ratioScale !== undefined) denominators.push(this.#denominators[i] as number);
    }
    return this.#band(
      training.sort((a, b) => a - b),
      denominators.sort((a, b) => a - b),
    );
  }

  /**
   * The non-seasonal band by moving the sorted training set forward to [from, atMillis); the
   * same result as sorting the set anew. Undefined when the window moved backwards.
   */
  #movingBand(from: number, atMillis: number): Band | null | undefined {
    const times = this.#times;
    if (
      (this.#hi > 0 && (times[this.#hi - 1] as number) >= atMillis) ||
      (this.#lo > 0 && (times[this.#lo - 1] as number) >= from)
    ) {
      return undefined;
    }
    while (this.#hi < times.length && (times[this.#hi] as number) < atMillis) {
      insertSorted(this.#sortedValues, this.#values[this.#hi] as number);
      if (this.ratioScale !== undefined)
        insertSorted(this.#sortedDenominators, this.#denominators[this.#hi] as number);
      this.#hi += 1;
    }
    while (this.#lo < this.#hi && (times[this.#lo] as number) < from) {
      this.#untrain(this.#lo);
      this.#lo += 1;
    }
    return this.#band(this.#sortedValues, this.#sortedDenominators);
  }

  #untrain(index: number): void {
    removeSorted(this.#sortedValues, this.#values[index] as number);
    if (this.ratioScale !== undefined)
      removeSorted(this.#sortedDenominators, this.#denominators[index] as number);
  }

  /** The band of ascending training values (and ascending denominators for a ratio). */
  #band(sorted: readonly number[], sortedDenominators: readonly number[]): Band | null {
    if (sorted.length === 0) return null;
    const expected = quantile(sorted, 0.5);
    const mad = medianAbsoluteDeviation(sorted, expected);
    const poisson = this.counts ? Math.sqrt(Math.max(expected, 1)) : 0;
    const binomial =
      this.ratioScale !== undefined ? binomialSpread(expected, sortedDenominators, this.ratioScale) : 0;
    const spread = Math.max(
      MAD_TO_STDEV * mad,
      RELATIVE_SPREAD_FLOOR * Math.abs(expected),
      poisson,
      binomial,
    );
    return {
      expected,
      spread,
      lower: expected - this.widthStdDevs * spread,
      upper: expected + this.widthStdDevs * spread,
    };
  }
}

/** Linear-interpolated quantile of an ascending array. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  return a + ((sorted[high] as number) - a) * (position - low);
}

/** Binomial noise of a rate `scale * k / n` at the typical n: one event in n is the smallest step. */
function binomialSpread(expected: number, sortedDenominators: readonly number[], scale: number): number {
  const n = quantile(sortedDenominators, 0.5);
  if (!(n > 0)) return 0;
  const p = Math.max(expected / scale, 1 / n);
  return scale * Math.sqrt(p / n);
}

function insertSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

function removeSorted(sorted: number[], value: number): void {
  const i = lowerBound(sorted, value);
  if (sorted[i] === value) sorted.splice(i, 1);
}

/**
 * The median of |v − center| over an ascending array, without sorting the deviations: they
 * are two ascending runs (leftwards and rightwards from the center), merged up to the middle.
 */
function medianAbsoluteDeviation(sorted: readonly number[], center: number): number {
  const n = sorted.length;
  const low = Math.floor((n - 1) / 2);
  const high = Math.ceil((n - 1) / 2);
  const deviations: number[] = [];
  let left = lowerBound(sorted, center) - 1;
  let right = left + 1;
  while (deviations.length <= high) {
    const dl = left >= 0 ? center - (sorted[left] as number) : Number.POSITIVE_INFINITY;
    const dr = right < n ? (sorted[right] as number) - center : Number.POSITIVE_INFINITY;
    if (dl <= dr) {
      deviations.push(dl);
      left -= 1;
    } else {
      deviations.push(dr);
      right += 1;
    }
  }
  return ((deviations[low] as number) + (deviations[high] as number)) / 2;
}
