import { type DetectorConfig, resolveDetectorConfig } from './config.js';
import { DelayLine, RollingMean } from './rolling-mean.js';
import { RunLength } from './run-length.js';
import { SortedWindow } from './sorted-window.js';
import { lowerTailProbability, upperTailProbability } from './tail-probability.js';

/**
 * The statistics the detector watches, each judged against its own recent values:
 * - `value`: the point itself (spikes and dips);
 * - `short-mean`: the mean of the last half hour (level shifts; not watched when the series is so
 *   coarse that half an hour is one point, the value itself);
 * - `long-mean`: the mean of the last three hours (slow drift, bursts of activity);
 * - `roughness`: the mean absolute step over three hours (variance up or down);
 * - `stillness`: how many points in a row repeated exactly the same value (a metric stuck at one
 *   value several times longer than its longest recent run; only ever `up`).
 */
export type DetectorSignal = 'value' | 'short-mean' | 'long-mean' | 'roughness' | 'stillness';

/** What the detector made of the latest point. */
export interface DetectorReading {
  /** The score returned by `update`, in [0, 1]. */
  readonly score: number;
  /** The score before the refractory damping. */
  readonly rawScore: number;
  /** Tail probability of the most surprising statistic, after the multiple-test correction. */
  readonly pValue: number;
  /** The statistic behind the score, or `null` when nothing was scored. */
  readonly signal: DetectorSignal | null;
  /** Whether that statistic was unusually high or low. */
  readonly direction: 'up' | 'down' | null;
  /** The point fell in the refractory period after an alarm, and its score was damped. */
  readonly refractory: boolean;
  /** Why the point scored 0 without being judged: still learning, or no usable value. */
  readonly skipped: 'warmup' | 'missing' | null;
}

export interface StreamingDetector {
  /**
   * Scores one point from its own past only. Points are taken in call order; the timestamps set
   * the sampling interval (the median step of the warm-up points) and are not otherwise used, so
   * gaps, repeated or backward stamps are harmless. A value that is not a finite number is a missing point: it scores
   * 0 and leaves the state untouched.
   * @returns an anomaly score in [0, 1].
   */
  update(timestampMs: number, value: number): number;
  /** The reading behind the last score. */
  readonly last: DetectorReading;
  /** Sampling interval in minutes once measured, else `undefined`. */
  readonly intervalMinutes: number | undefined;
}

/** Fewest points whose spacing sets the sampling interval, however short the warm-up is set. */
const MIN_INTERVAL_PROBE_POINTS = 8;

/** Smallest tail scale relative to the series' level: 0.01 % (a resolution floor for flat series). */
const LEVEL_FLOOR_FRACTION = 1e-4;

/**
 * Smallest tail scale of the stillness statistic, which is judged on log(1 + run length): runs
 * are compared by ratio, since a disk idle for 300 points is no more alarming after 310. ln 1.25:
 * a run a quarter longer is one scale, so an alarm (about 4.5 scales past the top) needs a run
 * about 2.7 times the longest of the baseline (two days, or 200 points on coarse series). (An absolute floor of one point alarmed a few
 * points past the longest run and re-alarmed all through long idle spells: 7 of NAB's 25 false
 * alarms. On NAB, floors from ln 1.18 to ln 1.35 score alike; ln 1.16 brings the re-alarms back and
 * ln 1.5 finds a stuck disk too late.)
 */
const STILLNESS_FLOOR_LOG = Math.log(1.25);

const IDLE: DetectorReading = {
  score: 0,
  rawScore: 0,
  pValue: 1,
  signal: null,
  direction: null,
  refractory: false,
  skipped: 'warmup',
};

/** A statistic and the recent values it is compared with. */
interface Tracked {
  readonly signal: DetectorSignal;
  /** Averages the input over the statistic's span; `null` for the raw value. */
  readonly mean: RollingMean | null;
  /** Holds each statistic back by its span before it joins the baseline, so a window is never judged against itself. */
  readonly delay: DelayLine | null;
  readonly baseline: SortedWindow;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The detector proper, built once the sampling interval is known. */
class Engine {
  private readonly value: SortedWindow;
  private readonly tracked: Tracked[];
  private readonly roughness: Tracked;
  private readonly stillness: RunLength | null;
  private readonly refractoryPoints: number;
  private previous = Number.NaN;
  private sinceAlarm = Number.POSITIVE_INFINITY;

  constructor(
    private readonly c: DetectorConfig,
    intervalMinutes: number,
  ) {
    const points = (minutes: number, min: number) =>
      Math.min(c.maxSpanPoints, Math.max(min, Math.round(minutes / intervalMinutes)));
    const history = points(c.historyMinutes, c.minHistoryPoints);
    const withMean = (signal: DetectorSignal, minutes: number): Tracked => {
      const span = points(minutes, 1);
      return {
        signal,
        mean: new RollingMean(span),
        delay: new DelayLine(span),
        baseline: new SortedWindow(history),
      };
    };
    this.value = new SortedWindow(history);
    this.roughness = withMean('roughness', c.longMeanMinutes);
    // A mean over one point is the point itself (the half-hour mean of hourly data): testing it
    // again would only weaken the multiple-test correction.
    const all: Tracked[] = [
      { signal: 'value', mean: null, delay: null, baseline: this.value },
      withMean('short-mean', c.shortMeanMinutes),
      withMean('long-mean', c.longMeanMinutes),
    ];
    this.tracked = all.filter((t) => t.mean === null || t.mean.span > 1);
    this.stillness = c.watchStillness ? new RunLength(history) : null;
    this.refractoryPoints = c.refractoryMinutes === 0 ? 0 : points(c.refractoryMinutes, 1);
  }

  /** Smallest tail scale for this series now: a share of its spread, or of its level when it is flat. */
  private minScale(): number {
    const v = this.value;
    return Math.max(
      this.c.noiseFloorFraction * (v.quantile(0.9) - v.quantile(0.1)),
      this.c.rangeFloorFraction * (v.quantile(0.99) - v.quantile(0.01)),
      LEVEL_FLOOR_FRACTION * Math.abs(v.quantile(0.5)),
      Number.MIN_VALUE,
    );
  }

  // The most extreme statistic of the current update (reset by `update`).
  private best = 1;
  private bestSignal: DetectorSignal | null = null;
  private bestDirection: 'up' | 'down' | null = null;
  private tests = 0;
  private ready = false;
  private minScaleNow = 0;

  private judge(t: Tracked, stat: number): void {
    if (!this.ready || t.baseline.size < this.c.warmupPoints) return;
    this.tests++;
    const { tailFraction, extremeFloorFraction } = this.c;
    const up = upperTailProbability(t.baseline, stat, tailFraction, this.minScaleNow, extremeFloorFraction);
    const down = lowerTailProbability(t.baseline, stat, tailFraction, this.minScaleNow, extremeFloorFraction);
    if (Math.min(up, down) < this.best) {
      this.best = Math.min(up, down);
      this.bestSignal = t.signal;
      this.bestDirection = up <= down ? 'up' : 'down';
    }
  }

  private track(t: Tracked, input: number): void {
    if (t.mean === null || t.delay === null) {
      this.judge(t, input);
      return;
    }
    t.mean.push(input);
    if (!t.mean.full) return;
    this.judge(t, t.mean.mean);
    const old = t.delay.push(t.mean.mean);
    if (old !== undefined) t.baseline.push(old);
  }

  update(x: number): DetectorReading {
    this.ready = this.value.size >= this.c.warmupPoints;
    this.minScaleNow = this.ready ? this.minScale() : 0;
    this.best = 1;
    this.bestSignal = null;
    this.bestDirection = null;
    this.tests = 0;
    for (const t of this.tracked) this.track(t, x);
    if (!Number.isNaN(this.previous)) this.track(this.roughness, Math.abs(x - this.previous));
    this.previous = x;
    this.value.push(x);
    const still = this.stillness;
    if (still !== null) {
      still.push(x);
      if (this.ready && still.baseline.size >= this.c.warmupPoints) {
        this.tests++;
        // One-sided: a run shorter than usual is just a change of value, which the others judge.
        const up = upperTailProbability(
          still.baseline,
          still.current,
          this.c.tailFraction,
          STILLNESS_FLOOR_LOG,
          this.c.extremeFloorFraction,
          Math.log1p,
        );
        if (up < this.best) {
          this.best = up;
          this.bestSignal = 'stillness';
          this.bestDirection = 'up';
        }
      }
    }

    const { best, tests, bestSignal: signal, bestDirection: direction } = this;
    if (tests === 0) return { ...IDLE, skipped: 'warmup' };
    // Bonferroni over the statistics: the smallest tail probability times their number. Each
    // statistic contributes its more extreme one-sided tail, uncorrected for having two sides;
    // that factor of 2 is a constant shift of the score (0.03) and is absorbed in alarmScore.
    const pValue = Math.min(1, best * tests);
    const rawScore = pValue <= 0 ? 1 : Math.min(1, -Math.log10(pValue) / this.c.scoreDecades);
    const refractory = this.sinceAlarm < this.refractoryPoints;
    let score = rawScore;
    if (refractory) {
      this.sinceAlarm++;
      score = rawScore * this.c.refractoryFactor;
    } else if (rawScore >= this.c.alarmScore) {
      this.sinceAlarm = 0;
    }
    return { score, rawScore, pValue, signal, direction, refractory, skipped: null };
  }
}

/**
 * A streaming detector of small, persistent deviations (level shifts, drift, variance changes),
 * spikes, and metrics stuck at one value. Each statistic is compared with its own values over the
 * last two days (at least 200 points): inside the range seen, its tail probability is its empirical rank; beyond it, an
 * exponential tail fitted to the top 5 % of the baseline extrapolates. The smallest probability,
 * corrected for the number of statistics, becomes the score −log10(p)/10. After a score reaches the
 * alarm level the detector damps its scores for six hours, so one episode raises one alarm.
 * Deterministic, O(history) work and memory per point, no clock or randomness.
 */
export function createDetector(config: Partial<DetectorConfig> = {}): StreamingDetector {
  const c = resolveDetectorConfig(config);
  let engine: Engine | undefined;
  let intervalMinutes: number | undefined;
  const pending: { t: number; v: number }[] = [];
  let last: DetectorReading = IDLE;

  const start = () => {
    const steps: number[] = [];
    for (let i = 1; i < pending.length; i++) {
      const step = (pending[i] as { t: number }).t - (pending[i - 1] as { t: number }).t;
      if (step > 0 && Number.isFinite(step)) steps.push(step / 60_000);
    }
    intervalMinutes = median(steps) ?? c.fallbackIntervalMinutes;
    engine = new Engine(c, intervalMinutes);
    for (const p of pending) engine.update(p.v);
    pending.length = 0;
  };

  return {
    update(timestampMs: number, value: number): number {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        last = { ...IDLE, skipped: 'missing' };
        return 0;
      }
      if (engine === undefined) {
        pending.push({ t: timestampMs, v: value });
        // The spacing of the warm-up points sets the interval: the median of that many steps holds on
        // irregular series (NAB's traffic data skips points), and those points score 0 anyway.
        if (pending.length >= Math.max(c.warmupPoints, MIN_INTERVAL_PROBE_POINTS)) start();
        last = IDLE;
        return 0;
      }
      last = engine.update(value);
      return last.score;
    },
    get last() {
      return last;
    },
    get intervalMinutes() {
      return intervalMinutes;
    },
  };
}

/** Scores a whole series in order with a fresh detector: one score per point. */
export function scoreSeries(
  points: readonly { readonly t: number; readonly v: number }[],
  config: Partial<DetectorConfig> = {},
): number[] {
  const detector = createDetector(config);
  return points.map((p) => detector.update(p.t, p.v));
}
