import { max, mean, round, sum } from './stats.js';
import type { Diagnosis, SeriesPoint, SignalWindow, TargetPolicy, Verification } from './types.js';

/** A change must move the primary signal by at least this fraction to count as an effect. */
export const MIN_EFFECT = 0.1;
/** Spillover share (of invocations) a reduced PC pool may show and still count as healthy. */
export const MAX_SPILLOVER_SHARE_AFTER_REDUCE = 0.01;

/**
 * Compares the signals after the bake with the evidence recorded before the action, against
 * the SLO. `keep` is true only for a measured improvement, or for a reduction that held the SLO.
 */
export function verifyEffect(diagnosis: Diagnosis, after: SignalWindow, policy: TargetPolicy): Verification {
  const invocations = sum(values(after, 'invocations'));
  const p95After = mean(values(after, 'p95DurationMillis'));
  // As the diagnosis measures it: what callers see fail, throttles included.
  const throttles = sum(values(after, 'throttles'));
  const attempts = invocations + throttles;
  const errorRateAfter =
    attempts > 0 ? (100 * (sum(values(after, 'errors')) + throttles)) / attempts : Number.NaN;
  const spillShareAfter = invocations > 0 ? sum(values(after, 'pcSpilloverInvocations')) / invocations : 0;
  const afterValues = {
    p95Millis: round(p95After),
    errorRatePercent: round(errorRateAfter),
    spilloverSharePercent: round(100 * spillShareAfter),
    invocations,
  };
  const before = diagnosis.evidence;
  const beforeValues = {
    p95Millis: before.p95RecentMillis ?? Number.NaN,
    errorRatePercent: before.errorRateRecentPercent ?? Number.NaN,
    spilloverSharePercent: before.spilloverSharePercent ?? 0,
  };
  const result = (verdict: Verification['verdict'], keep: boolean, summary: string): Verification => ({
    verdict,
    keep,
    before: beforeValues,
    after: afterValues,
    summary,
  });

  if (invocations === 0 || !Number.isFinite(p95After)) {
    return result(
      'insufficient-data',
      false,
      'no traffic after the bake: the effect cannot be shown, so revert',
    );
  }
  if (diagnosis.kind === 'over-provisioned') {
    const sloHeld =
      p95After <= policy.slo.p95Millis &&
      !(errorRateAfter > policy.slo.errorRatePercent) &&
      spillShareAfter <= MAX_SPILLOVER_SHARE_AFTER_REDUCE;
    return sloHeld
      ? result('improved', true, `capacity lowered and the SLO held (p95 ${round(p95After)} ms)`)
      : result(
          'worse',
          false,
          `p95 ${round(p95After)} ms, errors ${round(errorRateAfter)} %, spillover ${round(100 * spillShareAfter)} % after lowering`,
        );
  }
  if (diagnosis.kind === 'cold-start-pressure')
    return verifyColdStarts(diagnosis, after, afterValues, result);
  const errorsPrimary = diagnosis.kind === 'error-drift' || diagnosis.kind === 'retry-amplification';
  const beforeValue = errorsPrimary ? beforeValues.errorRatePercent : beforeValues.p95Millis;
  const afterValue = errorsPrimary ? errorRateAfter : p95After;
  const slo = errorsPrimary ? policy.slo.errorRatePercent : policy.slo.p95Millis;
  const label = errorsPrimary ? 'error rate' : 'p95';
  if (!Number.isFinite(beforeValue)) {
    return result('insufficient-data', false, `no ${label} was recorded before the action`);
  }
  const change = beforeValue > 0 ? (afterValue - beforeValue) / beforeValue : 0;
  const text = `${label} ${round(beforeValue)} → ${round(afterValue)} (SLO ${slo})`;
  if (change > MIN_EFFECT) return result('worse', false, `${text}: worse`);
  if (change <= -MIN_EFFECT) return result('improved', true, `${text}: improved`);
  if (afterValue <= slo && beforeValue > slo) return result('improved', true, `${text}: back within SLO`);
  return result('no-effect', false, `${text}: no measurable effect`);
}

/** The after-window must carry at least this share of the traffic peak that caused the cold starts. */
export const MIN_RESTRESS = 0.7;
/** A burst onset: a period with at least this many times the previous period's invocations. */
export const MIN_ONSET_GROWTH = 1.5;

/**
 * More provisioned concurrency shows as fewer cold starts when the traffic that caused them
 * comes back; p95 may not move at all. Kept when the cold-start share of the worst period
 * at least halved under comparable traffic and p95 did not get worse. Without comparable
 * traffic there is no evidence either way, and an unproven change is reverted.
 */
function verifyColdStarts(
  diagnosis: Diagnosis,
  after: SignalWindow,
  afterValues: Record<string, number>,
  result: (verdict: Verification['verdict'], keep: boolean, summary: string) => Verification,
): Verification {
  const before = diagnosis.evidence;
  const shareBefore = before.coldStartSharePercentPeak ?? 0;
  const coldAt = new Map(points(after, 'coldStarts').map((p) => [p.t, p.v]));
  const invocations = points(after, 'invocations');
  const shareAfter = max(invocations.filter((p) => p.v > 0).map((p) => (100 * (coldAt.get(p.t) ?? 0)) / p.v));
  const peakBefore = before.invocationsPeakPerPeriod ?? 0;
  const peakAfter = max(invocations.map((p) => p.v));
  const p95Before = before.p95RecentMillis ?? Number.NaN;
  const p95After = afterValues.p95Millis ?? Number.NaN;
  afterValues.coldStartSharePercentPeak = round(Number.isFinite(shareAfter) ? shareAfter : 0);
  afterValues.invocationsPeakPerPeriod = Number.isFinite(peakAfter) ? peakAfter : 0;
  const text = `cold-start share ${round(shareBefore)} → ${round(shareAfter)} % at traffic ${peakBefore} → ${peakAfter}/period, p95 ${round(p95Before)} → ${round(p95After)} ms`;
  if (p95After > p95Before * (1 + MIN_EFFECT)) return result('worse', false, `${text}: p95 worse`);
  // Cold starts come with a rise in traffic; sustained traffic on warm environments says nothing.
  const onset = invocations.some(
    (p, i) =>
      i > 0 &&
      p.v >= MIN_ONSET_GROWTH * (invocations[i - 1] as SeriesPoint).v &&
      p.v >= MIN_RESTRESS * peakBefore,
  );
  if (!onset) {
    return result('insufficient-data', false, `${text}: no new traffic burst during the bake to test it on`);
  }
  if (shareBefore > 0 && shareAfter <= shareBefore / 2)
    return result('improved', true, `${text}: warm capacity held`);
  return result('no-effect', false, `${text}: no measurable effect`);
}

function points(window: SignalWindow, name: keyof SignalWindow): readonly SeriesPoint[] {
  return (window[name] ?? []).filter((p) => Number.isFinite(p.v));
}

function values(window: SignalWindow, name: keyof SignalWindow): number[] {
  return (window[name] ?? []).map((p) => p.v).filter((v) => Number.isFinite(v));
}
