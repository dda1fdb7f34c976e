import { describe, expect, it } from 'vitest';
import {
  countDataPoints,
  DEFAULT_DIAGNOSIS_OPTIONS,
  diagnose,
  diagnoseRules,
} from '../../lambdas/core/diagnosis.js';
import type { SeriesPoint, SignalWindow } from '../../lambdas/core/types.js';
import { mulberry32 } from '../fixtures/mulberry32.js';
import { makePolicy } from '../fixtures/policy.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const PERIOD_MS = 60_000;
const BASELINE_PERIODS = 25;
const RECENT_PERIODS = DEFAULT_DIAGNOSIS_OPTIONS.recentPeriods;

/** One point per 60 s period, oldest first, starting at `startMs`. */
function series(values: readonly number[], startMs = T0): SeriesPoint[] {
  return values.map((v, i) => ({ t: startMs + i * PERIOD_MS, v }));
}

/** `baseline` for 25 periods, then the given recent values (5 of them). */
function shift(baseline: number, recent: readonly number[]): number[] {
  return [...Array<number>(BASELINE_PERIODS).fill(baseline), ...recent];
}

function flat(value: number, count = BASELINE_PERIODS + RECENT_PERIODS): number[] {
  return Array<number>(count).fill(value);
}

/** A healthy 30-period window: p95 100 ms (SLO 300), 0.5 % errors, no spillover, 1 cold start a period. */
function stableWindow(overrides: Partial<Record<keyof SignalWindow, readonly number[]>> = {}): SignalWindow {
  const signals = {
    p95DurationMillis: flat(100),
    invocations: flat(1000),
    errors: flat(5),
    pcSpilloverInvocations: flat(0),
    coldStarts: flat(1),
    concurrentExecutions: flat(8),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(signals).map(([name, values]) => [name, series(values)]));
}

describe('Diagnosis: cold-start pressure', () => {
  it('diagnoses cold-start pressure when p95 rises and cold starts are at least 3 % of invocations', () => {
    const window = stableWindow({
      p95DurationMillis: shift(100, [180, 180, 180, 180, 180]),
      coldStarts: shift(1, [40, 40, 40, 40, 40]),
      concurrentExecutions: shift(8, [12, 12, 12, 12, 12]),
    });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('cold-start-pressure');
    expect(diagnosis.magnitude).toBe(0.8);
    expect(diagnosis.persistence).toBe(1);
    expect(diagnosis.confidence).toBe(1);
  });

  it('calls a p95 rise with spillover but few cold starts a latency drift: warm capacity is not short', () => {
    const window = stableWindow({
      p95DurationMillis: shift(100, [180, 180, 180, 180, 180]),
      pcSpilloverInvocations: shift(0, [100, 100, 100, 100, 100]),
      coldStarts: shift(1, [20, 20, 20, 20, 20]),
    });

    expect(diagnose(window, makePolicy()).kind).toBe('latency-drift');
  });

  it('records the spillover share, cold-start share and concurrency peak as evidence', () => {
    const window = stableWindow({
      p95DurationMillis: shift(100, [180, 180, 180, 180, 180]),
      pcSpilloverInvocations: shift(0, [100, 100, 100, 100, 100]),
      coldStarts: shift(1, [40, 40, 40, 40, 40]),
      concurrentExecutions: shift(8, [12, 12, 12, 12, 12]),
    });

    const { evidence } = diagnose(window, makePolicy());

    expect(evidence).toMatchObject({
      sloP95Millis: 300,
      sloErrorRatePercent: 2,
      p95RecentMillis: 180,
      p95BaselineMillis: 100,
      spilloverSharePercent: 10,
      coldStartsPerPeriodRecent: 40,
      coldStartsPerPeriodBaseline: 1,
      coldStartSharePercentPeak: 4,
      invocationsPeakPerPeriod: 1000,
      concurrencyPeak: 12,
      invocationGrowth: 1,
      periods: 30,
    });
  });

  it('prefers cold-start pressure over error drift when latency and errors both deviate', () => {
    const window = stableWindow({
      p95DurationMillis: shift(100, [180, 180, 180, 180, 180]),
      errors: shift(5, [40, 40, 40, 40, 40]),
      coldStarts: shift(1, [40, 40, 40, 40, 40]),
    });

    expect(diagnose(window, makePolicy()).kind).toBe('cold-start-pressure');
  });

  it('diagnoses recurring cold-start pressure from bursts that push p99 over its objective with cold starts', () => {
    const p99 = flat(300);
    const cold = flat(0);
    for (const i of [8, 23]) {
      p99[i] = 1600;
      cold[i] = 30;
    }
    const window = stableWindow({ p99DurationMillis: p99, coldStarts: cold });

    const diagnosis = diagnose(
      window,
      makePolicy({ slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 2 } }),
    );

    expect(diagnosis.kind).toBe('cold-start-pressure');
    expect(diagnosis.evidence).toMatchObject({ coldStartBursts: 2, p99PeakMillis: 1600 });
    expect(diagnosis.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('acts on a single cold burst that came with a traffic surge', () => {
    const p99 = flat(300);
    const cold = flat(0);
    const invocations = flat(1000);
    p99[23] = 1600;
    cold[23] = 90;
    invocations[23] = 6000;
    const window = stableWindow({ p99DurationMillis: p99, coldStarts: cold, invocations });

    const diagnosis = diagnose(
      window,
      makePolicy({ slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 2 } }),
    );

    expect(diagnosis.kind).toBe('cold-start-pressure');
    expect(diagnosis.evidence).toMatchObject({ coldStartBursts: 1, coldStartSurges: 1 });
    expect(diagnosis.summary).toMatch(/traffic surge/);
    expect(diagnosis.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('never turns the tail of a burst that began before the last action into a new burst', () => {
    // One burst over periods 23–24; traffic peaks only in its second period.
    const p99 = flat(300);
    const cold = flat(0);
    const invocations = flat(1000);
    for (const i of [23, 24]) {
      p99[i] = 1600;
      cold[i] = 60;
    }
    invocations[24] = 6000;
    const window = stableWindow({ p99DurationMillis: p99, coldStarts: cold, invocations });
    const policy = makePolicy({ slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 2 } });

    expect(diagnoseRules(window, policy).kind).toBe('none');
    // An action between the two periods: the later cut-off takes evidence away, never adds it.
    expect(diagnoseRules(window, policy, undefined, T0 + 24 * PERIOD_MS).kind).toBe('none');
  });

  it('finds no pattern in a single cold burst at steady traffic', () => {
    const p99 = flat(300);
    const cold = flat(0);
    p99[23] = 1600;
    cold[23] = 30;
    const window = stableWindow({ p99DurationMillis: p99, coldStarts: cold });

    expect(
      diagnose(window, makePolicy({ slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 2 } })).kind,
    ).toBe('none');
  });
});

describe('Diagnosis: latency drift', () => {
  const rising = (slopePerPeriod: number, start = 200) =>
    Array.from({ length: 30 }, (_, i) => start + slopePerPeriod * i + (i % 3) - 1);

  it('acts on a steady p95 rise before it breaks the objective, when it is heading over it', () => {
    // 200 → 287 ms over the window, objective 300: over it within minutes if the rise goes on.
    const diagnosis = diagnose(stableWindow({ p95DurationMillis: rising(3) }), makePolicy());

    expect(diagnosis.kind).toBe('latency-drift');
    expect(diagnosis.summary).toMatch(/^p95 rising 3 ms\/min .*over its 300 ms objective in about \d+ min$/);
    expect(diagnosis.evidence.p95TrendMillisPerMinute).toBeCloseTo(3, 1);
    expect(diagnosis.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('leaves a rise alone that stays well under the objective for the next half hour', () => {
    // 100 → 129 ms, +1 ms/min: 160 ms in 30 min, far from 300.
    expect(diagnose(stableWindow({ p95DurationMillis: rising(1, 100) }), makePolicy()).kind).toBe('none');
  });

  it('calls a rise that comes with cold starts cold-start pressure, not a drift', () => {
    const diagnosis = diagnose(
      stableWindow({ p95DurationMillis: rising(3), coldStarts: shift(1, [40, 40, 40, 40, 40]) }),
      makePolicy(),
    );
    expect(diagnosis.kind).not.toBe('latency-drift');
  });

  it('diagnoses latency drift when p95 stays above its baseline without cold-start pressure', () => {
    const window = stableWindow({ p95DurationMillis: shift(100, [160, 160, 160, 160, 160]) });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('latency-drift');
    expect(diagnosis.magnitude).toBe(0.6);
    expect(diagnosis.persistence).toBe(1);
    expect(diagnosis.evidence).toMatchObject({ p95RecentMillis: 160, p95BaselineMillis: 100 });
  });

  it('diagnoses latency drift when two of the five recent periods deviate', () => {
    const window = stableWindow({ p95DurationMillis: shift(100, [100, 100, 100, 160, 160]) });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('latency-drift');
    expect(diagnosis.persistence).toBe(0.4);
  });

  it('does not diagnose a single deviating period', () => {
    const window = stableWindow({ p95DurationMillis: shift(100, [100, 100, 100, 100, 250]) });

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });

  it('does not diagnose a rise smaller than the minimum relative change', () => {
    const window = stableWindow({ p95DurationMillis: shift(100, [110, 110, 110, 110, 110]) });

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });

  it('counts periods above the SLO as deviating even when the baseline was already there', () => {
    const window = stableWindow({ p95DurationMillis: flat(320) });

    const diagnosis = diagnose(window, makePolicy({ slo: { p95Millis: 300 } }));

    expect(diagnosis.kind).toBe('latency-drift');
    expect(diagnosis.persistence).toBe(1);
  });

  it('reaches full confidence only for a strong, persistent deviation', () => {
    const weak = stableWindow({ p95DurationMillis: shift(100, [100, 100, 100, 120, 120]) });
    const strong = stableWindow({ p95DurationMillis: shift(100, [200, 200, 200, 200, 200]) });

    const weakDiagnosis = diagnose(weak, makePolicy());
    const strongDiagnosis = diagnose(strong, makePolicy());

    expect(weakDiagnosis.kind).toBe('latency-drift');
    expect(weakDiagnosis.confidence).toBeLessThan(0.6);
    expect(strongDiagnosis.confidence).toBe(1);
  });
});

describe('Diagnosis: error drift', () => {
  it('diagnoses error drift when the error rate stays above its baseline', () => {
    const window = stableWindow({ errors: shift(5, [30, 30, 30, 30, 30]) });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('error-drift');
    expect(diagnosis.magnitude).toBe(5);
    expect(diagnosis.persistence).toBe(1);
    expect(diagnosis.confidence).toBe(1);
    expect(diagnosis.evidence).toMatchObject({
      errorRateRecentPercent: 3,
      errorRateBaselinePercent: 0.5,
      invocationGrowth: 1,
    });
  });

  it('prefers error drift over latency drift when both deviate', () => {
    const window = stableWindow({
      p95DurationMillis: shift(100, [160, 160, 160, 160, 160]),
      errors: shift(5, [30, 30, 30, 30, 30]),
    });

    expect(diagnose(window, makePolicy()).kind).toBe('error-drift');
  });

  it('matches errors to invocations by period start, a period without errors counting as none', () => {
    const invocations = series(flat(1000));
    const errors = series(shift(5, [30, 30, 30, 30, 30])).filter((_, i) => i % 2 === 0);

    const diagnosis = diagnose({ invocations, errors }, makePolicy());

    expect(diagnosis.kind).toBe('error-drift');
    expect(diagnosis.persistence).toBe(0.4);
    // Sized by the deviating periods: 30 errors in 1000.
    expect(diagnosis.evidence.errorRateRecentPercent).toBe(3);
  });
});

describe('Diagnosis: retry amplification', () => {
  it('diagnoses retry amplification when errors rise and invocations grow with them', () => {
    const window = stableWindow({
      invocations: shift(1000, [1500, 1500, 1500, 1500, 1500]),
      errors: shift(5, [60, 60, 60, 60, 60]),
    });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('retry-amplification');
    expect(diagnosis.evidence.invocationGrowth).toBe(1.5);
    expect(diagnosis.evidence.errorRateRecentPercent).toBe(4);
  });

  it('diagnoses error drift instead when invocations grow by less than 25 %', () => {
    const window = stableWindow({
      invocations: shift(1000, [1200, 1200, 1200, 1200, 1200]),
      errors: shift(5, [60, 60, 60, 60, 60]),
    });

    expect(diagnose(window, makePolicy()).kind).toBe('error-drift');
  });

  it('diagnoses retry amplification when throttling appears with the errors at a concurrency limit', () => {
    // 2 % errors, and retries now fill the reserved concurrency: 8 % of attempts are throttled.
    const window = stableWindow({
      errors: shift(5, [20, 20, 20, 20, 20]),
      throttles: shift(0, [87, 87, 87, 87, 87]),
    });

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('retry-amplification');
    expect(diagnosis.summary).toMatch(/throttling appeared/);
    // What callers see fail: (20 errors + 87 throttles) / (1000 invocations + 87 throttles).
    expect(diagnosis.evidence.errorRateRecentPercent).toBeCloseTo(9.84, 1);
    expect(diagnosis.evidence.throttleSharePercentRecent).toBeCloseTo(8, 0);
  });

  it('does not call steady throttling amplification: it was there before the errors', () => {
    const window = stableWindow({
      errors: shift(5, [20, 20, 20, 20, 20]),
      throttles: flat(80),
    });

    expect(diagnose(window, makePolicy()).kind).toBe('error-drift');
  });
});

describe('Diagnosis: over-provisioned', () => {
  const idlePool = () =>
    stableWindow({ pcUtilization: flat(0.1), concurrentExecutions: flat(1), p95DurationMillis: flat(100) });

  it('diagnoses an over-provisioned pool whose utilization stays low over the window', () => {
    const diagnosis = diagnose(idlePool(), makePolicy());

    expect(diagnosis.kind).toBe('over-provisioned');
    expect(diagnosis.magnitude).toBe(0.9);
    expect(diagnosis.persistence).toBe(1);
    expect(diagnosis.confidence).toBe(0.833);
    expect(diagnosis.summary).toContain('10 %');
    expect(diagnosis.evidence).toMatchObject({ pcUtilizationPeak: 0.1, sloP95Millis: 300 });
  });

  it('lowers confidence when the window covers only part of the policy window', () => {
    const window = {
      ...idlePool(),
      pcUtilization: series(flat(0.1, 15)),
    };

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('over-provisioned');
    expect(diagnosis.confidence).toBe(0.417);
  });

  it('does not diagnose over-provisioning when the pool spilled over', () => {
    const window = { ...idlePool(), pcSpilloverInvocations: series(shift(0, [0, 0, 0, 0, 1])) };

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });

  it('does not diagnose over-provisioning when utilization peaked above 30 %', () => {
    const window = { ...idlePool(), pcUtilization: series(shift(0.1, [0.1, 0.1, 0.35, 0.1, 0.1])) };

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });

  it('does not diagnose over-provisioning for a target without PC bounds', () => {
    expect(diagnose(idlePool(), makePolicy({ provisionedConcurrency: null })).kind).toBe('none');
  });

  it('does not diagnose over-provisioning from fewer than three recent-lengths of utilization', () => {
    const window = { ...idlePool(), pcUtilization: series(flat(0.1, 14)) };

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });

  it('reports a latency problem before over-provisioning', () => {
    const window = { ...idlePool(), p95DurationMillis: series(shift(100, [160, 160, 160, 160, 160])) };

    expect(diagnose(window, makePolicy()).kind).toBe('latency-drift');
  });
});

describe('Diagnosis: no deviation', () => {
  it.each([1, 2, 3, 42, 1234, 99_999])(
    'finds nothing in seeded noise around a stable baseline (seed %i)',
    (seed) => {
      const random = mulberry32(seed);
      const noisy = (center: number, halfWidth: number) =>
        flat(0).map(() => center + halfWidth * (2 * random() - 1));
      const window = stableWindow({
        p95DurationMillis: noisy(100, 8),
        invocations: noisy(1000, 50).map(Math.round),
        errors: noisy(5, 3).map(Math.round),
        coldStarts: noisy(1, 1).map(Math.round),
        concurrentExecutions: noisy(10, 2).map(Math.round),
        pcUtilization: noisy(0.6, 0.1),
      });

      const diagnosis = diagnose(window, makePolicy());

      expect(diagnosis.kind).toBe('none');
      expect(diagnosis.magnitude).toBe(0);
      expect(diagnosis.confidence).toBe(0);
      expect(diagnosis.summary).toBe('no deviation');
    },
  );

  it('still records evidence when nothing deviates', () => {
    const diagnosis = diagnose(stableWindow(), makePolicy());

    expect(diagnosis.kind).toBe('none');
    expect(diagnosis.evidence).toMatchObject({
      sloP95Millis: 300,
      sloErrorRatePercent: 2,
      p95RecentMillis: 100,
      p95BaselineMillis: 100,
      errorRateRecentPercent: 0.5,
      errorRateBaselinePercent: 0.5,
      spilloverSharePercent: 0,
      concurrencyPeak: 8,
      invocationGrowth: 1,
      periods: 30,
    });
  });

  it('finds nothing in an empty window', () => {
    const diagnosis = diagnose({}, makePolicy());

    expect(diagnosis.kind).toBe('none');
    expect(diagnosis.evidence).toMatchObject({ periods: 0, invocationGrowth: 1 });
    expect(diagnosis.evidence).not.toHaveProperty('spilloverSharePercent');
  });

  it('finds nothing with fewer points than the recent periods', () => {
    const window = { p95DurationMillis: series([900, 900, 900, 900]), invocations: series(flat(1000, 4)) };

    const diagnosis = diagnose(window, makePolicy());

    expect(diagnosis.kind).toBe('none');
    expect(diagnosis.evidence).not.toHaveProperty('p95RecentMillis');
  });

  it('gives the same answer for the same window', () => {
    const window = stableWindow({ p95DurationMillis: shift(100, [160, 160, 160, 160, 160]) });

    expect(diagnose(window, makePolicy())).toEqual(diagnose(window, makePolicy()));
  });

  it('ignores non-finite values', () => {
    const window = stableWindow({ p95DurationMillis: [...flat(100), Number.NaN, Number.POSITIVE_INFINITY] });

    expect(diagnose(window, makePolicy()).kind).toBe('none');
  });
});

describe('Diagnosis: window with only recent points', () => {
  it('measures against the SLO when there is no baseline', () => {
    const window = {
      p95DurationMillis: series([350, 360, 370, 380, 390]),
      invocations: series(flat(1000, 5)),
    };

    const diagnosis = diagnose(window, makePolicy({ slo: { p95Millis: 300 } }));

    expect(diagnosis.kind).toBe('latency-drift');
    expect(diagnosis.persistence).toBe(1);
    expect(diagnosis.evidence).toMatchObject({ p95RecentMillis: 370, p95BaselineMillis: 300, periods: 5 });
  });

  it('finds nothing when recent points stay within the SLO and there is no baseline', () => {
    const window = {
      p95DurationMillis: series([250, 260, 270, 280, 290]),
      invocations: series(flat(1000, 5)),
    };

    expect(diagnose(window, makePolicy({ slo: { p95Millis: 300 } })).kind).toBe('none');
  });

  it('does not count growth in invocations without a baseline', () => {
    const window = {
      invocations: series(flat(1000, 5)),
      errors: series(flat(50, 5)),
    };

    const diagnosis = diagnose(window, makePolicy({ slo: { errorRatePercent: 2 } }));

    expect(diagnosis.kind).toBe('error-drift');
    expect(diagnosis.evidence.invocationGrowth).toBe(1);
  });
});

describe('Diagnosis: countDataPoints', () => {
  it('counts the points of every signal', () => {
    expect(countDataPoints({ invocations: series([1, 2, 3]), errors: series([0]) })).toBe(4);
  });

  it('counts zero for an empty window', () => {
    expect(countDataPoints({})).toBe(0);
  });
});

describe('Diagnosis: short windows', () => {
  it('keeps only finite numbers in the evidence when there is no baseline yet', () => {
    // Six periods: too few for a baseline; p99 has no objective to stand in for one.
    const window = {
      p95DurationMillis: series([100, 100, 100, 100, 100, 100]),
      p99DurationMillis: series([200, 200, 200, 900, 900, 900]),
      invocations: series([1000, 1000, 1000, 6000, 6000, 6000]),
      errors: series([1, 1, 1, 1, 1, 1]),
      coldStarts: series([0, 0, 0, 30, 30, 30]),
    };

    const diagnosis = diagnose(window, makePolicy());

    for (const [name, value] of Object.entries(diagnosis.evidence))
      expect(Number.isFinite(value), name).toBe(true);
    expect(Number.isFinite(diagnosis.magnitude)).toBe(true);
    expect(Number.isFinite(diagnosis.confidence)).toBe(true);
  });
});

describe('Diagnosis: the rules alone (what Detect reads first)', () => {
  const windows: Record<string, SignalWindow> = {
    quiet: stableWindow(),
    'cold starts': stableWindow({
      p95DurationMillis: shift(100, [180, 180, 180, 180, 180]),
      coldStarts: shift(1, [40, 40, 40, 40, 40]),
    }),
    'latency drift': stableWindow({ p95DurationMillis: shift(100, [180, 180, 180, 180, 180]) }),
    'error drift': stableWindow({ errors: shift(5, [40, 40, 40, 40, 40]) }),
  };
  for (const [name, window] of Object.entries(windows)) {
    it(`finds the same kind, magnitude and persistence as the full diagnosis: ${name}`, () => {
      const policy = makePolicy();
      const full = diagnose(window, policy);
      const rules = diagnoseRules(window, policy);
      expect(rules.kind).toBe(full.kind);
      expect(rules.magnitude).toBe(full.magnitude);
      expect(rules.persistence).toBe(full.persistence);
      // The detector can only add confidence, never take it away.
      expect(full.confidence).toBeGreaterThanOrEqual(rules.confidence);
    });
  }
});
