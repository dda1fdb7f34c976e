import { fitLatencyTrend } from './latency-trend.js';
import { type AnomalySignal, anomalyScores, detectorSupport, ratioSeries } from './signal-anomalies.js';
import { clamp, max, mean, median, robustSpread, round, sum } from './stats.js';
import type {
  Diagnosis,
  DiagnosisKind,
  SeriesPoint,
  SignalName,
  SignalWindow,
  TargetPolicy,
} from './types.js';

/**
 * Diagnoses one target from its recent signals. The window is split into a baseline
 * (older periods) and the recent periods; a signal deviates when the recent values
 * sit persistently above a robust band around the baseline. Pure: same window, same answer.
 */
export interface DiagnosisOptions {
  /** Periods at the end of the window that count as "now". @default 5 */
  readonly recentPeriods: number;
  /** Band half-width in robust standard deviations. @default 3 */
  readonly bandSigmas: number;
  /** Smallest relative change worth correcting (a micromotion, not noise). @default 0.15 */
  readonly minRelativeChange: number;
  /** A PC pool whose peak utilization stays under this is over-provisioned. @default 0.3 */
  readonly overProvisionedUtilization: number;
  /** Cold-start share of a period's invocations that can move its p95. @default 0.03 */
  readonly coldShareForP95: number;
  /** Cold-start share of a period's invocations that can move its p99. @default 0.005 */
  readonly coldShareForP99: number;
  /** How far ahead a steady p95 rise is projected against its objective. @default 30 */
  readonly trendHorizonMinutes: number;
}

export const DEFAULT_DIAGNOSIS_OPTIONS: DiagnosisOptions = {
  recentPeriods: 5,
  bandSigmas: 3,
  minRelativeChange: 0.15,
  overProvisionedUtilization: 0.3,
  coldShareForP95: 0.03,
  coldShareForP99: 0.005,
  trendHorizonMinutes: 30,
};

interface SignalReading {
  readonly baseline: number;
  readonly recent: number;
  readonly persistence: number;
  readonly zScore: number;
}

export const NO_DIAGNOSIS: Diagnosis = {
  kind: 'none',
  magnitude: 0,
  persistence: 0,
  confidence: 0,
  evidence: {},
  summary: 'no deviation',
};

export function countDataPoints(window: SignalWindow): number {
  return Object.values(window).reduce((n, points) => n + (points?.length ?? 0), 0);
}

/** The detector signals that back each diagnosis. */
const PRIMARY_SIGNALS: Readonly<Record<DiagnosisKind, readonly AnomalySignal[]>> = {
  'cold-start-pressure': ['p95', 'p99', 'coldStartShare'],
  'latency-drift': ['p95'],
  'error-drift': ['errorRate'],
  'retry-amplification': ['errorRate'],
  'canary-regression': ['p95', 'errorRate'],
  'over-provisioned': ['pcUtilization'],
};

/** How much the streaming detector's agreement can add to a rule's confidence (never subtracts). */
export const DETECTOR_CONFIDENCE_WEIGHT = 0.25;

/**
 * Diagnoses one target from its signal history. The rules read the last `windowMinutes`
 * (a baseline and the recent periods) and decide the kind; the streaming detector scores
 * every signal against its own longer past, its scores go into the evidence, and its
 * agreement on the signals behind the kind raises the confidence. The detector alone never
 * makes a diagnosis: a surprise that no rule can explain is evidence for on-call, not an action.
 */
export function diagnose(
  history: SignalWindow,
  policy: TargetPolicy,
  options: DiagnosisOptions = DEFAULT_DIAGNOSIS_OPTIONS,
  /** Evidence before this time (epoch ms) was already acted on: the last action's start. */
  evidenceSinceMs = Number.NEGATIVE_INFINITY,
): Diagnosis {
  const found = diagnoseRules(history, policy, options, evidenceSinceMs);
  const anomalies = anomalyScores(history, options.recentPeriods);
  const evidence: Record<string, number> = { ...found.evidence };
  for (const [signal, score] of Object.entries(anomalies)) {
    evidence[`anomalyScore${signal.charAt(0).toUpperCase()}${signal.slice(1)}`] = score;
  }
  if (found.kind === 'none') return { ...found, evidence };
  const support = Math.max(0, ...PRIMARY_SIGNALS[found.kind].map((s) => detectorSupport(anomalies[s])));
  const confidence = found.confidence + DETECTOR_CONFIDENCE_WEIGHT * support * (1 - found.confidence);
  return { ...found, evidence, confidence: round(clamp(confidence, 0, 1)) };
}

/**
 * The rules alone, on the last `windowMinutes` of `history`: the same kind, magnitude and
 * persistence as `diagnose`, without the detector's scores (they need the long history).
 * `diagnose` can only differ from it in confidence and evidence, and only when this finds a
 * deviation — so a caller may read the short window first and the long history only then.
 * A later `evidenceSinceMs` can only take evidence away: when the rules find nothing with
 * none, they find nothing with any (so the caller need not look up the last action first).
 */
export function diagnoseRules(
  history: SignalWindow,
  policy: TargetPolicy,
  options: DiagnosisOptions = DEFAULT_DIAGNOSIS_OPTIONS,
  evidenceSinceMs = Number.NEGATIVE_INFINITY,
): Diagnosis {
  const window = lastMinutes(history, policy.detection.windowMinutes, policy.detection.periodSeconds);
  return diagnoseWindow(window, policy, options, evidenceSinceMs);
}

/** The points of the last `minutes` before the newest period (inclusive) of any signal. */
function lastMinutes(history: SignalWindow, minutes: number, periodSeconds: number): SignalWindow {
  let newest = Number.NEGATIVE_INFINITY;
  for (const points of Object.values(history)) for (const p of points ?? []) newest = Math.max(newest, p.t);
  const from = newest + periodSeconds * 1000 - minutes * 60_000;
  const window: Partial<Record<SignalName, readonly SeriesPoint[]>> = {};
  for (const [name, points] of Object.entries(history) as [SignalName, readonly SeriesPoint[]][]) {
    window[name] = points.filter((p) => p.t >= from);
  }
  return window;
}

function diagnoseWindow(
  window: SignalWindow,
  policy: TargetPolicy,
  options: DiagnosisOptions,
  evidenceSinceMs: number,
): Diagnosis {
  const n = options.recentPeriods;
  const latency = readElevation(values(window, 'p95DurationMillis'), n, options, policy.slo.p95Millis);
  const errorRate = readErrorElevation(window, n, options, policy.slo.errorRatePercent);
  const invocations = values(window, 'invocations');
  const spill = values(window, 'pcSpilloverInvocations');
  const cold = values(window, 'coldStarts');
  const utilization = values(window, 'pcUtilization');

  const tail = readElevation(values(window, 'p99DurationMillis'), n, options, Number.POSITIVE_INFINITY);
  const spillShares = shares(window.pcSpilloverInvocations ?? [], window.invocations ?? []);
  const spillRecent = mean(spillShares.slice(-n));
  const spillBaseline = spillShares.length > n ? median(spillShares.slice(0, -n)) : 0;
  const coldRecent = cold.length > 0 ? mean(cold.slice(-n)) : 0;
  const coldBaseline = cold.length > n ? median(cold.slice(0, -n)) : 0;
  const invocationGrowth = ratio(mean(invocations.slice(-n)), median(invocations.slice(0, -n)));

  const evidence: Record<string, number> = {
    sloP95Millis: policy.slo.p95Millis,
    sloErrorRatePercent: policy.slo.errorRatePercent,
    // A reading without three baseline periods takes its objective as the baseline: for p99
    // that may be none (Infinity), which is no evidence to keep.
    ...(latency
      ? {
          ...finite('p95RecentMillis', latency.recent),
          ...finite('p95BaselineMillis', latency.baseline),
        }
      : {}),
    ...(tail
      ? { ...finite('p99RecentMillis', tail.recent), ...finite('p99BaselineMillis', tail.baseline) }
      : {}),
    ...(errorRate
      ? {
          errorRateRecentPercent: round(errorRate.recent),
          errorRateBaselinePercent: round(errorRate.baseline),
        }
      : {}),
    ...finite('spilloverSharePercent', 100 * spillRecent),
    ...finite('spilloverShareBaselinePercent', 100 * spillBaseline),
    coldStartsPerPeriodRecent: round(coldRecent),
    coldStartsPerPeriodBaseline: round(coldBaseline),
    ...finite('pcUtilizationPeak', max(utilization)),
    ...finite('concurrencyPeak', max(values(window, 'concurrentExecutions'))),
    invocationGrowth: round(invocationGrowth),
    periods: Math.max(invocations.length, values(window, 'p95DurationMillis').length),
  };

  const throttling = readThrottling(window, n);
  evidence.throttleSharePercentRecent = round(100 * throttling.recent);
  evidence.throttleSharePercentBaseline = round(100 * throttling.baseline);
  const latencyDeviates = latency !== null && latency.persistence >= 0.4;
  const errorsDeviate = errorRate !== null && errorRate.persistence >= 0.4;
  // Cold starts can only move a percentile when their share of the period's invocations
  // exceeds the tail beyond it: a few percent for p95, about one percent for p99. A latency
  // rise with fewer cold starts than that is a warm slowdown (a dependency, the code), and
  // more provisioned concurrency would not help it.
  const coldShares = shares(window.coldStarts ?? [], window.invocations ?? []);
  const coldShareRecent = max(coldShares.slice(-n));
  evidence.coldStartSharePercentPeak = round(100 * (coldShares.length > 0 ? max(coldShares) : 0));
  evidence.invocationsPeakPerPeriod = invocations.length > 0 ? max(invocations) : 0;

  if (latency && latencyDeviates && coldShareRecent >= options.coldShareForP95) {
    return make('cold-start-pressure', latency, evidence, 'p95 rose with cold starts: warm capacity short');
  }
  if (errorRate && errorsDeviate && (invocationGrowth >= 1.25 || throttling.appeared)) {
    return make(
      'retry-amplification',
      errorRate,
      evidence,
      throttling.appeared
        ? 'failures rose and throttling appeared with them: retries are filling the concurrency limit'
        : 'errors rose and invocations grew with them: retries',
    );
  }
  if (errorRate && errorsDeviate) {
    return make('error-drift', errorRate, evidence, 'error rate persistently above its baseline');
  }
  if (latency && latencyDeviates) {
    return make(
      'latency-drift',
      latency,
      evidence,
      'p95 persistently above its baseline without cold-start pressure',
    );
  }
  const rising = readRisingLatency(window, policy, options);
  if (rising && coldShareRecent < options.coldShareForP95) {
    return make('latency-drift', rising.reading, { ...evidence, ...rising.evidence }, rising.summary);
  }
  const recurring = readRecurringColdStarts(window, policy, options, evidenceSinceMs);
  if (recurring) return { ...recurring, evidence: { ...evidence, ...recurring.evidence } };
  const overProvisioned = readOverProvisioning(utilization, spill, policy, options);
  if (overProvisioned) {
    return { ...overProvisioned, evidence };
  }
  return { ...NO_DIAGNOSIS, evidence };
}

function make(
  kind: DiagnosisKind,
  reading: SignalReading,
  evidence: Record<string, number>,
  summary: string,
): Diagnosis {
  const strength = clamp(reading.zScore / 6, 0, 1);
  return {
    kind,
    magnitude: round(ratio(reading.recent, reading.baseline) - 1),
    persistence: round(reading.persistence),
    confidence: round(clamp(0.5 * reading.persistence + 0.5 * strength, 0, 1)),
    evidence,
    summary,
  };
}

/** Traffic of a period, relative to the window's median, that makes its cold starts a surge's. */
export const BURST_SURGE_GROWTH = 1.5;

/**
 * Cold starts that come back with every burst: periods where cold starts were at least
 * `coldShareForP99` of invocations and p99 went over its objective (targets without a p99
 * objective are never diagnosed this way). Consecutive such periods are one burst; two bursts
 * since the last action make a pattern, and so does one that came with a traffic surge. Bursts
 * are short, so this reads the whole window, not the recent periods.
 */
function readRecurringColdStarts(
  window: SignalWindow,
  policy: TargetPolicy,
  options: DiagnosisOptions,
  evidenceSinceMs: number,
): Diagnosis | null {
  // Short bursts move only the tail: without a p99 objective no objective is at risk, and
  // chasing the p99 of every traffic spike would be chasing noise.
  const limit = policy.slo.p99Millis;
  const p99 = window.p99DurationMillis ?? [];
  if (limit === undefined || p99.length < 2) return null;
  const baseline = median(p99.map((p) => p.v));
  const coldShareAt = new Map(
    ratioSeries(window.coldStarts ?? [], window.invocations ?? []).map((p) => [p.t, p.v] as const),
  );
  const periodMs = policy.detection.periodSeconds * 1000;
  const allHits = p99.filter((p) => p.v > limit && (coldShareAt.get(p.t) ?? 0) >= options.coldShareForP99);
  const burstStarts = (list: readonly SeriesPoint[]) =>
    list.filter((p, i) => i === 0 || p.t - (list[i - 1] as SeriesPoint).t > periodMs);
  // How often bursts come back (from every burst in the window, acted on or not): a change
  // can only be judged once the next one has arrived.
  const everyStart = burstStarts(allHits);
  const interval =
    everyStart.length >= 2
      ? ((everyStart.at(-1) as SeriesPoint).t - (everyStart.at(-2) as SeriesPoint).t) / 1000
      : null;
  const hits = allHits.filter((p) => p.t >= evidenceSinceMs);
  // Bursts that began since the last action: one that began before it was already acted on.
  // (So a later cut-off can only remove bursts, never turn the tail of an old one into a new one.)
  const starts = everyStart.filter((p) => p.t >= evidenceSinceMs);
  const bursts = starts.length;
  // A burst that arrived with a traffic surge (its first period ≥ 1.5× the median traffic) is
  // already the pattern: the surge brought the cold starts. Verification keeps the change only
  // if the next comparable surge shows fewer; a lone surge leaves it unproven, and it is reverted.
  const invocationsAt = new Map((window.invocations ?? []).map((p) => [p.t, p.v] as const));
  const typical = median((window.invocations ?? []).map((p) => p.v));
  const surges = starts.filter((p) => (invocationsAt.get(p.t) ?? 0) >= BURST_SURGE_GROWTH * typical).length;
  if (bursts < 2 && surges < 1) return null;
  const worst = max(hits.map((p) => p.v));
  const spread = Math.max(robustSpread(p99.map((p) => p.v)), 0.05 * baseline, 1e-9);
  const strength = clamp((worst - baseline) / spread / 6, 0, 1);
  return {
    kind: 'cold-start-pressure',
    magnitude: round(ratio(worst, baseline) - 1),
    persistence: round(clamp(bursts / 3, 0, 1)),
    confidence: round(clamp(0.5 * clamp(bursts / 2, 0, 1) + 0.5 * strength, 0, 1)),
    evidence: {
      p99PeakMillis: round(worst),
      p99BaselineMillis: round(baseline),
      coldStartBursts: bursts,
      coldStartSurges: surges,
      ...(interval === null ? {} : { coldStartBurstIntervalSeconds: interval }),
    },
    summary:
      bursts >= 2
        ? `p99 over ${round(limit)} ms with cold starts in ${bursts} bursts: warm capacity short`
        : `p99 over ${round(limit)} ms with cold starts in a traffic surge: warm capacity short`,
  };
}

function readOverProvisioning(
  utilization: readonly number[],
  spill: readonly number[],
  policy: TargetPolicy,
  options: DiagnosisOptions,
): Diagnosis | null {
  const bounds = policy.provisionedConcurrency;
  if (!bounds || utilization.length < 3 * options.recentPeriods) return null;
  const peak = max(utilization);
  if (peak > options.overProvisionedUtilization || sum(spill) > 0) return null;
  const coverage = clamp(
    utilization.length / (policy.detection.windowMinutes * (60 / policy.detection.periodSeconds)),
    0,
    1,
  );
  return {
    kind: 'over-provisioned',
    magnitude: round(1 - peak),
    persistence: 1,
    confidence: round(clamp(coverage * (1 - peak / options.overProvisionedUtilization / 2), 0, 1)),
    evidence: {},
    summary: `provisioned concurrency peaked at ${round(100 * peak, 1)} % utilization over the window`,
  };
}

/**
 * Compares the recent periods with the baseline. A period deviates when it is above the
 * robust band and at least `minRelativeChange` above the baseline, or above the SLO itself.
 */
function readElevation(
  series: readonly number[],
  n: number,
  options: DiagnosisOptions,
  sloLevel: number,
): SignalReading | null {
  if (series.length < n) return null;
  const recentValues = series.slice(-n);
  const baselineValues = series.slice(0, -n);
  const hasBaseline = baselineValues.length >= 3;
  const baseline = hasBaseline ? median(baselineValues) : sloLevel;
  const spread = Math.max(hasBaseline ? robustSpread(baselineValues) : 0, 0.05 * Math.abs(baseline), 1e-9);
  const limit = hasBaseline
    ? Math.max(baseline + options.bandSigmas * spread, baseline * (1 + options.minRelativeChange))
    : sloLevel;
  const deviating = recentValues.filter((v) => v > limit || v > sloLevel);
  // Size the deviation by the periods that deviate, so an onset two periods old is not
  // diluted by the normal periods before it; persistence says how many there were.
  const recent = deviating.length > 0 ? mean(deviating) : mean(recentValues);
  return { baseline, recent, persistence: deviating.length / n, zScore: (recent - baseline) / spread };
}

function values(window: SignalWindow, name: SignalName): number[] {
  return (window[name] ?? []).map((p) => p.v).filter((v) => Number.isFinite(v));
}

function shares(part: readonly SeriesPoint[], whole: readonly SeriesPoint[]): number[] {
  return ratioSeries(part, whole).map((p) => p.v);
}

/**
 * The failure rate callers see: errors plus throttles over invocations plus throttles.
 * Error counts are small and Poisson-like, so a rate per period is noisy at low traffic:
 * 1 error in 480 calls and 3 in 480 are the same thing. A period deviates when its errors
 * exceed what the baseline rate predicts for its traffic by more than three Poisson
 * standard deviations (and by `minRelativeChange`), or when the rate is over the SLO with
 * at least three errors. Traffic alone (more calls, same rate) never deviates.
 */
function readErrorElevation(
  window: SignalWindow,
  n: number,
  options: DiagnosisOptions,
  sloPercent: number,
): SignalReading | null {
  const errorsAt = new Map((window.errors ?? []).map((p) => [p.t, p.v]));
  const throttlesAt = new Map((window.throttles ?? []).map((p) => [p.t, p.v]));
  // What callers see fail: errors and throttles, out of every attempt (throttled ones included).
  const periods = (window.invocations ?? [])
    .map((p) => {
      const throttles = throttlesAt.get(p.t) ?? 0;
      return { calls: p.v + throttles, errors: (errorsAt.get(p.t) ?? 0) + throttles };
    })
    .filter((p) => p.calls > 0);
  if (periods.length < n) return null;
  const recent = periods.slice(-n);
  const base = periods.slice(0, -n);
  const baseCalls = sum(base.map((p) => p.calls));
  const hasBaseline = base.length >= 3 && baseCalls > 0;
  const baseRate = hasBaseline ? sum(base.map((p) => p.errors)) / baseCalls : sloPercent / 100;
  const zOf = (p: { calls: number; errors: number }) => {
    const expected = baseRate * p.calls;
    return (p.errors - expected) / Math.sqrt(Math.max(expected, 1));
  };
  const deviating = recent.filter((p) => {
    const rate = p.errors / p.calls;
    const aboveNoise =
      zOf(p) > options.bandSigmas && rate > baseRate * (1 + options.minRelativeChange) && p.errors >= 3;
    const overSlo = 100 * rate > sloPercent && p.errors >= 3;
    return hasBaseline ? aboveNoise || overSlo : overSlo;
  });
  const sized = deviating.length > 0 ? deviating : recent;
  return {
    baseline: 100 * baseRate,
    recent: (100 * sum(sized.map((p) => p.errors))) / sum(sized.map((p) => p.calls)),
    persistence: deviating.length / n,
    zScore: mean(sized.map(zOf)),
  };
}

/**
 * A slow rise the window's own baseline hides (the baseline drifts with it): p95 rising steadily
 * over the whole window — by at least three noise spreads and `minRelativeChange` — still
 * under its objective but heading over it within `trendHorizonMinutes`. Acting before the
 * objective breaks is the point; a rise that would stay under it is left alone.
 */
function readRisingLatency(
  window: SignalWindow,
  policy: TargetPolicy,
  options: DiagnosisOptions,
): { reading: SignalReading; evidence: Record<string, number>; summary: string } | null {
  const trend = fitLatencyTrend(
    window.p95DurationMillis ?? [],
    options.trendHorizonMinutes,
    2 * options.recentPeriods,
  );
  if (!trend || !(trend.startMillis > 0)) return null;
  const rise = trend.endMillis - trend.startMillis;
  const slo = policy.slo.p95Millis;
  const steady =
    rise >= 3 * trend.residualSpreadMillis && rise >= options.minRelativeChange * trend.startMillis;
  if (!steady || trend.endMillis >= slo || trend.projectedMillis < slo || trend.persistence < 0.5)
    return null;
  const spread = Math.max(trend.residualSpreadMillis, 1e-9);
  const minutesToSlo = (slo - trend.endMillis) / trend.slopeMillisPerMinute;
  return {
    reading: {
      baseline: trend.startMillis,
      recent: trend.endMillis,
      persistence: trend.persistence,
      zScore: rise / spread,
    },
    evidence: {
      p95TrendMillisPerMinute: round(trend.slopeMillisPerMinute),
      p95TrendStartMillis: round(trend.startMillis),
      p95TrendEndMillis: round(trend.endMillis),
      p95MinutesToSlo: round(minutesToSlo),
    },
    summary: `p95 rising ${round(trend.slopeMillisPerMinute)} ms/min without cold-start pressure: over its ${slo} ms objective in about ${Math.round(minutesToSlo)} min`,
  };
}

/** Throttles that were rare before and are not now (at least 1 % of attempts, 3× the baseline share). */
export const THROTTLE_SHARE_APPEARED = 0.01;

function readThrottling(
  window: SignalWindow,
  n: number,
): { recent: number; baseline: number; appeared: boolean } {
  const throttlesAt = new Map((window.throttles ?? []).map((p) => [p.t, p.v]));
  const shares = (window.invocations ?? []).map((p) => {
    const throttles = throttlesAt.get(p.t) ?? 0;
    return p.v + throttles > 0 ? throttles / (p.v + throttles) : 0;
  });
  const recent = shares.length > 0 ? mean(shares.slice(-n)) : 0;
  const baseline = shares.length > n ? median(shares.slice(0, -n)) : 0;
  return { recent, baseline, appeared: recent >= THROTTLE_SHARE_APPEARED && recent >= 3 * baseline };
}

/** An evidence entry only when the signal had data (JSON has no NaN). */
function finite(name: string, value: number): Record<string, number> {
  return Number.isFinite(value) ? { [name]: round(value) } : {};
}

function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return 1;
  return a / b;
}
