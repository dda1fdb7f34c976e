import { Histogram } from '../histogram.js';
import { lowerBound } from '../sorted.js';

/** A CloudWatch dimension. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** Which metric: namespace, name and the exact set of dimensions (order does not matter). */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
}

/** Aggregated observations of one metric in one stored period (a CloudWatch statistic set). */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** Distribution of the observations, for percentile statistics. */
  histogram?: Histogram;
}

/** The identity of a metric as one string: CloudWatch matches the dimension set exactly. */
export function metricKey(metric: MetricIdentity): string {
  const dims = [...metric.dimensions]
    .map((d) => `${d.Name}=${d.Value}`)
    .sort()
    .join(',');
  return `${metric.namespace}|${metric.metricName}|${dims}`;
}

interface Series {
  readonly resolutionSeconds: number;
  readonly timestamps: number[];
  readonly points: Map<number, StatisticSet>;
}

/**
 * Stored metric data: per metric, statistic sets at the metric's storage resolution (60 s for
 * standard metrics, 10 s for the high-resolution ones the model publishes), aggregated into any
 * query period on read.
 */
export class MetricStore {
  readonly #series = new Map<string, Series>();

  /** Merges `set` into the period of `resolutionSeconds` that contains `timestampMillis`. */
  put(metric: MetricIdentity, timestampMillis: number, resolutionSeconds: number, set: StatisticSet): void {
    this.writer(metric, resolutionSeconds)(timestampMillis, set);
  }

  /** A fast writer for one metric (resolves the metric once; use it on hot paths). */
  writer(
    metric: MetricIdentity,
    resolutionSeconds: number,
  ): (timestampMillis: number, set: StatisticSet) => void {
    const key = metricKey(metric);
    let series = this.#series.get(key);
    if (!series) {
      series = { resolutionSeconds, timestamps: [], points: new Map() };
      this.#series.set(key, series);
    }
    const target = series;
    return (timestampMillis, set) => putInto(target, timestampMillis, set);
  }

  /** Whether any data was ever stored for this metric. */
  has(metric: MetricIdentity): boolean {
    return this.#series.has(metricKey(metric));
  }

  /** Storage resolution of a metric, or undefined when unknown. */
  resolutionSeconds(metric: MetricIdentity): number | undefined {
    return this.#series.get(metricKey(metric))?.resolutionSeconds;
  }

  /**
   * Aggregates the stored data into periods `[periodStart, periodStart + periodSeconds)` with
   * `periodStart = firstPeriodMillis + k × periodSeconds`, for every period that lies before
   * `endMillis`, is complete at `nowMillis`, and holds data. Oldest first. A period holding one
   * stored set returns that set itself: read the results, never change them.
   */
  aggregate(
    metric: MetricIdentity,
    firstPeriodMillis: number,
    endMillis: number,
    periodSeconds: number,
    nowMillis: number,
  ): { periodStartMillis: number; set: Readonly<StatisticSet> }[] {
    const series = this.#series.get(metricKey(metric));
    if (!series) return [];
    const periodMillis = periodSeconds * 1000;
    const out: { periodStartMillis: number; set: StatisticSet; owned: boolean }[] = [];
    const ts = series.timestamps;
    let current: { periodStartMillis: number; set: StatisticSet; owned: boolean } | null = null;
    for (let i = lowerBound(ts, firstPeriodMillis); i < ts.length; i += 1) {
      const t = ts[i] as number;
      if (t >= endMillis) break;
      const periodStart =
        firstPeriodMillis + Math.floor((t - firstPeriodMillis) / periodMillis) * periodMillis;
      if (periodStart + periodMillis > nowMillis) break;
      const set = series.points.get(t) as StatisticSet;
      if (current && current.periodStartMillis === periodStart) {
        // Stored sets are shared until a second one lands in the same period.
        if (!current.owned) {
          current.set = cloneSet(current.set);
          current.owned = true;
        }
        mergeInto(current.set, set);
      } else {
        current = { periodStartMillis: periodStart, set, owned: false };
        out.push(current);
      }
    }
    return out;
  }
}

function putInto(series: Series, timestampMillis: number, set: StatisticSet): void {
  const resolutionMillis = series.resolutionSeconds * 1000;
  const bucket = Math.floor(timestampMillis / resolutionMillis) * resolutionMillis;
  const existing = series.points.get(bucket);
  if (existing) {
    mergeInto(existing, set);
    return;
  }
  series.points.set(bucket, cloneSet(set));
  const ts = series.timestamps;
  if (ts.length === 0 || (ts[ts.length - 1] as number) < bucket) ts.push(bucket);
  else ts.splice(lowerBound(ts, bucket), 0, bucket);
}

function cloneSet(set: StatisticSet): StatisticSet {
  const copy: StatisticSet = {
    sampleCount: set.sampleCount,
    sum: set.sum,
    minimum: set.minimum,
    maximum: set.maximum,
  };
  if (set.histogram) {
    copy.histogram = new Histogram();
    copy.histogram.merge(set.histogram);
  }
  return copy;
}

function mergeInto(target: StatisticSet, set: StatisticSet): void {
  target.sampleCount += set.sampleCount;
  target.sum += set.sum;
  target.minimum = Math.min(target.minimum, set.minimum);
  target.maximum = Math.max(target.maximum, set.maximum);
  if (set.histogram) {
    if (!target.histogram) target.histogram = new Histogram();
    target.histogram.merge(set.histogram);
  }
}
