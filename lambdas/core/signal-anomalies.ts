import { DEFAULT_DETECTOR_CONFIG, scoreSeries } from './detector/index.js';
import { clamp, round } from './stats.js';
import type { SeriesPoint, SignalWindow } from './types.js';

/** Signals the streaming detector scores for a diagnosis; rates are derived from the counts. */
export const ANOMALY_SIGNALS = [
  'p95',
  'p99',
  'errorRate',
  'throttleRate',
  'concurrency',
  'pcUtilization',
  'spilloverShare',
  'coldStartShare',
] as const;
export type AnomalySignal = (typeof ANOMALY_SIGNALS)[number];
export type AnomalyScores = Readonly<Partial<Record<AnomalySignal, number>>>;

/** Shares of bad events: long runs at exactly zero are normal for them. */
const RATE_SIGNALS: ReadonlySet<AnomalySignal> = new Set([
  'errorRate',
  'throttleRate',
  'spilloverShare',
  'coldStartShare',
]);

/**
 * Runs the streaming detector over each signal's history, point by point (each score uses
 * only the past), and keeps the highest score of the last `recentPeriods`. A signal without
 * enough history to judge scores 0, never an error. Pure and deterministic.
 */
export function anomalyScores(history: SignalWindow, recentPeriods: number): AnomalyScores {
  const invocations = history.invocations ?? [];
  const series: Record<AnomalySignal, readonly SeriesPoint[]> = {
    p95: history.p95DurationMillis ?? [],
    p99: history.p99DurationMillis ?? [],
    errorRate: ratioSeries(history.errors ?? [], invocations),
    throttleRate: ratioSeries(history.throttles ?? [], invocations),
    concurrency: history.concurrentExecutions ?? [],
    pcUtilization: history.pcUtilization ?? [],
    spilloverShare: ratioSeries(history.pcSpilloverInvocations ?? [], invocations),
    coldStartShare: ratioSeries(history.coldStarts ?? [], invocations),
  };
  const scores: Partial<Record<AnomalySignal, number>> = {};
  for (const name of ANOMALY_SIGNALS) {
    const points = series[name];
    if (points.length === 0) continue;
    // A rate of bad events that sits at exactly 0 for a long time is good news, not a stuck metric.
    const config = RATE_SIGNALS.has(name) ? { watchStillness: false } : {};
    const recent = scoreSeries(points, config).slice(-recentPeriods);
    scores[name] = round(Math.max(0, ...recent));
  }
  return scores;
}

/** How strongly a score backs a diagnosis: 1 at the detector's alarm level and above. */
export function detectorSupport(score: number | undefined): number {
  return clamp((score ?? 0) / DEFAULT_DETECTOR_CONFIG.alarmScore, 0, 1);
}

/** `part / whole` per period where `whole` has data (a period without `part` counts as 0). */
export function ratioSeries(part: readonly SeriesPoint[], whole: readonly SeriesPoint[]): SeriesPoint[] {
  const partAt = new Map(part.map((p) => [p.t, p.v]));
  return whole.filter((p) => p.v > 0).map((p) => ({ t: p.t, v: (partAt.get(p.t) ?? 0) / p.v }));
}
