import { describe, expect, it } from 'vitest';
import type { Diagnosis, DiagnosisKind, SeriesPoint, SignalWindow } from '../../lambdas/core/types.js';
import { verifyEffect } from '../../lambdas/core/verify.js';
import { makePolicy } from '../fixtures/policy.js';

const T0 = Date.UTC(2024, 4, 1, 12, 30, 0);
const PERIOD_MS = 60_000;

/** One point per 60 s period, oldest first, starting at `startMs`. */
function series(values: readonly number[], startMs = T0): SeriesPoint[] {
  return values.map((v, i) => ({ t: startMs + i * PERIOD_MS, v }));
}

/** Five periods after the bake: the given p95, 1000 invocations a period, `errors` a period. */
function afterWindow(p95Millis: number, errors = 0, spillover = 0): SignalWindow {
  return {
    p95DurationMillis: series([p95Millis, p95Millis, p95Millis, p95Millis, p95Millis]),
    invocations: series([1000, 1000, 1000, 1000, 1000]),
    errors: series([errors, errors, errors, errors, errors]),
    pcSpilloverInvocations: series([spillover, spillover, spillover, spillover, spillover]),
  };
}

function diagnosisOf(kind: DiagnosisKind, evidence: Record<string, number>): Diagnosis {
  return { kind, magnitude: 0.5, persistence: 1, confidence: 0.9, evidence, summary: kind };
}

const policy = makePolicy({ slo: { p95Millis: 300, errorRatePercent: 2 } });

describe('Verify: latency diagnoses', () => {
  it('keeps a change that lowered p95 by at least 10 %', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 400, spilloverSharePercent: 8 });

    const verification = verifyEffect(diagnosis, afterWindow(250), policy);

    expect(verification).toEqual({
      verdict: 'improved',
      keep: true,
      before: { p95Millis: 400, errorRatePercent: Number.NaN, spilloverSharePercent: 8 },
      after: { p95Millis: 250, errorRatePercent: 0, spilloverSharePercent: 0, invocations: 5000 },
      summary: 'p95 400 → 250 (SLO 300): improved',
    });
  });

  it('counts a drop of exactly 10 % as improved', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });

    expect(verifyEffect(diagnosis, afterWindow(180), policy)).toMatchObject({
      verdict: 'improved',
      keep: true,
    });
  });

  it('reverts a change after which p95 rose by more than 10 %', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });

    const verification = verifyEffect(diagnosis, afterWindow(230), policy);

    expect(verification).toMatchObject({
      verdict: 'worse',
      keep: false,
      summary: 'p95 200 → 230 (SLO 300): worse',
    });
  });

  it('reverts a change with no measurable effect', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });

    const verification = verifyEffect(diagnosis, afterWindow(210), policy);

    expect(verification).toMatchObject({
      verdict: 'no-effect',
      keep: false,
      summary: 'p95 200 → 210 (SLO 300): no measurable effect',
    });
  });

  it('counts a rise of exactly 10 % as no effect rather than worse', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });

    expect(verifyEffect(diagnosis, afterWindow(220), policy).verdict).toBe('no-effect');
  });

  it('keeps a small improvement that brought p95 back within the SLO', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 310 });

    const verification = verifyEffect(diagnosis, afterWindow(295), policy);

    expect(verification).toMatchObject({
      verdict: 'improved',
      keep: true,
      summary: 'p95 310 → 295 (SLO 300): back within SLO',
    });
  });

  it('averages p95 over the periods after the bake', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });
    const after = { ...afterWindow(0), p95DurationMillis: series([100, 200, 300, 200, 100]) };

    expect(verifyEffect(diagnosis, after, policy).after.p95Millis).toBe(180);
  });
});

describe('Verify: error diagnoses', () => {
  it('keeps a change that lowered the error rate', () => {
    const diagnosis = diagnosisOf('error-drift', { p95RecentMillis: 200, errorRateRecentPercent: 3 });

    const verification = verifyEffect(diagnosis, afterWindow(200, 10), policy);

    expect(verification).toMatchObject({
      verdict: 'improved',
      keep: true,
      before: { errorRatePercent: 3 },
      after: { errorRatePercent: 1 },
      summary: 'error rate 3 → 1 (SLO 2): improved',
    });
  });

  it('judges retry amplification by the error rate, not p95', () => {
    const diagnosis = diagnosisOf('retry-amplification', { p95RecentMillis: 200, errorRateRecentPercent: 3 });

    const verification = verifyEffect(diagnosis, afterWindow(400, 40), policy);

    expect(verification).toMatchObject({ verdict: 'worse', keep: false });
    expect(verification.summary).toBe('error rate 3 → 4 (SLO 2): worse');
  });

  it('counts throttles as failures: a retry budget that ends the throttling is kept though errors stay', () => {
    // Before: 2 % errors plus throttling at the concurrency limit, 12 % of attempts failing.
    const diagnosis = diagnosisOf('retry-amplification', { errorRateRecentPercent: 12 });
    const after = { ...afterWindow(200, 20), throttles: series([0, 0, 0, 0, 0]) };

    expect(verifyEffect(diagnosis, after, policy)).toMatchObject({
      verdict: 'improved',
      keep: true,
      after: { errorRatePercent: 2 },
    });
  });

  it('sees throttles that remain after the change', () => {
    const diagnosis = diagnosisOf('retry-amplification', { errorRateRecentPercent: 12 });
    const after = { ...afterWindow(200, 20), throttles: series([120, 120, 120, 120, 120]) };

    expect(verifyEffect(diagnosis, after, policy)).toMatchObject({ verdict: 'no-effect', keep: false });
  });

  it('reverts a change that left the error rate unchanged', () => {
    const diagnosis = diagnosisOf('error-drift', { errorRateRecentPercent: 3 });

    expect(verifyEffect(diagnosis, afterWindow(200, 30), policy)).toMatchObject({
      verdict: 'no-effect',
      keep: false,
    });
  });
});

describe('Verify: over-provisioned', () => {
  const diagnosis = diagnosisOf('over-provisioned', { p95RecentMillis: 120, pcUtilizationPeak: 0.1 });

  it('keeps a reduction that held the SLO', () => {
    const verification = verifyEffect(diagnosis, afterWindow(130), policy);

    expect(verification).toMatchObject({
      verdict: 'improved',
      keep: true,
      summary: 'capacity lowered and the SLO held (p95 130 ms)',
    });
  });

  it('keeps a reduction even though p95 rose, as long as it stayed within the SLO', () => {
    expect(verifyEffect(diagnosis, afterWindow(290), policy).keep).toBe(true);
  });

  it('reverts a reduction after which p95 broke the SLO', () => {
    const verification = verifyEffect(diagnosis, afterWindow(310), policy);

    expect(verification).toMatchObject({
      verdict: 'worse',
      keep: false,
      summary: 'p95 310 ms, errors 0 %, spillover 0 % after lowering',
    });
  });

  it('reverts a reduction after which more than 1 % of invocations spilled over', () => {
    const verification = verifyEffect(diagnosis, afterWindow(130, 0, 20), policy);

    expect(verification).toMatchObject({ verdict: 'worse', keep: false });
    expect(verification.after.spilloverSharePercent).toBe(2);
  });

  it('keeps a reduction with exactly 1 % spillover', () => {
    expect(verifyEffect(diagnosis, afterWindow(130, 0, 10), policy).keep).toBe(true);
  });
});

describe('Verify: insufficient data', () => {
  it('reverts when there was no traffic after the bake', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });
    const after = { ...afterWindow(150), invocations: series([0, 0, 0, 0, 0]) };

    const verification = verifyEffect(diagnosis, after, policy);

    expect(verification).toMatchObject({
      verdict: 'insufficient-data',
      keep: false,
      summary: 'no traffic after the bake: the effect cannot be shown, so revert',
    });
  });

  it('reverts when no p95 was read after the bake', () => {
    const diagnosis = diagnosisOf('latency-drift', { p95RecentMillis: 200 });
    const { p95DurationMillis: _dropped, ...after } = afterWindow(150);

    expect(verifyEffect(diagnosis, after, policy)).toMatchObject({
      verdict: 'insufficient-data',
      keep: false,
    });
  });

  it('reverts an over-provisioned reduction when there was no traffic after the bake', () => {
    const diagnosis = diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 });

    expect(verifyEffect(diagnosis, {}, policy)).toMatchObject({ verdict: 'insufficient-data', keep: false });
  });

  it('reverts when the primary signal was not recorded before the action', () => {
    const diagnosis = diagnosisOf('error-drift', { p95RecentMillis: 200 });

    const verification = verifyEffect(diagnosis, afterWindow(150, 5), policy);

    expect(verification).toMatchObject({
      verdict: 'insufficient-data',
      keep: false,
      summary: 'no error rate was recorded before the action',
    });
  });
});

describe('Verify: cold-start pressure', () => {
  /** A quiet period (500 calls), then a 2-period burst of `invocations` with `cold` cold starts at its onset. */
  function burstWindow(cold: number, invocations = 3000, p95 = 300): SignalWindow {
    const t = (i: number) => T0 + i * PERIOD_MS;
    const calls = [500, invocations, invocations, 500, 500];
    return {
      p95DurationMillis: calls.map((_, i) => ({ t: t(i), v: p95 })),
      invocations: calls.map((v, i) => ({ t: t(i), v })),
      coldStarts: calls.map((_, i) => ({ t: t(i), v: i === 1 ? cold : 0 })),
    };
  }
  const before = { p95RecentMillis: 300, coldStartSharePercentPeak: 3, invocationsPeakPerPeriod: 3000 };

  it('keeps more provisioned concurrency when the returning burst has at most half the cold-start share', () => {
    const verification = verifyEffect(diagnosisOf('cold-start-pressure', before), burstWindow(30), policy);

    expect(verification).toMatchObject({ verdict: 'improved', keep: true });
    expect(verification.after.coldStartSharePercentPeak).toBe(1);
  });

  it('reverts when the cold starts came back as before', () => {
    expect(verifyEffect(diagnosisOf('cold-start-pressure', before), burstWindow(90), policy)).toMatchObject({
      verdict: 'no-effect',
      keep: false,
    });
  });

  it('reverts without evidence when the burst did not come back during the bake', () => {
    const verification = verifyEffect(
      diagnosisOf('cold-start-pressure', before),
      burstWindow(0, 500),
      policy,
    );

    expect(verification).toMatchObject({ verdict: 'insufficient-data', keep: false });
    expect(verification.summary).toContain('no new traffic burst');
  });

  it('reverts without evidence under sustained traffic that brought no burst onset', () => {
    const t = (i: number) => T0 + i * PERIOD_MS;
    const sustained: SignalWindow = {
      p95DurationMillis: [0, 1, 2].map((i) => ({ t: t(i), v: 300 })),
      invocations: [0, 1, 2].map((i) => ({ t: t(i), v: 3000 })),
      coldStarts: [0, 1, 2].map((i) => ({ t: t(i), v: 0 })),
    };

    expect(verifyEffect(diagnosisOf('cold-start-pressure', before), sustained, policy)).toMatchObject({
      verdict: 'insufficient-data',
      keep: false,
    });
  });

  it('reverts when p95 got worse, whatever the cold starts did', () => {
    expect(
      verifyEffect(diagnosisOf('cold-start-pressure', before), burstWindow(0, 3000, 400), policy),
    ).toMatchObject({ verdict: 'worse', keep: false });
  });
});
