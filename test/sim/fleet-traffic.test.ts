import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { MinuteAccumulator } from '../../sim/accounting.js';
import { SimError } from '../../sim/errors.js';
import { LAMBDA_PRICES_USD, STEP_SECONDS, WARMER_PING_MILLIS } from '../../sim/fleet/aws-behaviour.js';
import { FunctionFleet, type StepOutcome } from '../../sim/fleet/function-fleet.js';
import { RandomBursts } from '../../sim/fleet/random-bursts.js';
import { Histogram } from '../../sim/histogram.js';
import { Rng } from '../../sim/rng.js';
import type { Scenario } from '../../sim/scenario.js';
import { fnData, minutesIn, runToEnd, START_MILLIS, scenarioOf, total } from './builders.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const STEP_MILLIS = STEP_SECONDS * 1000;

function fleetOf(scenario: Scenario): FunctionFleet {
  const spec = scenario.functions[0] as Scenario['functions'][number];
  return new FunctionFleet(spec, scenario.faults ?? [], new Rng(scenario.seed), START_MILLIS);
}

describe('Fleet model: random bursts', () => {
  const spec = { perHour: 3, multiplier: 4, durationMinutes: 1 };

  it('is deterministic for a seed and independent of the order moments are asked about', () => {
    const moments = Array.from({ length: 6 * 360 }, (_, i) => START_MILLIS + i * STEP_MILLIS);
    const forward = new RandomBursts(spec, new Rng(42));
    const backward = new RandomBursts(spec, new Rng(42));
    const other = new RandomBursts(spec, new Rng(43));

    const a = moments.map((t) => forward.multiplierAt(t));
    const b = [...moments]
      .reverse()
      .map((t) => backward.multiplierAt(t))
      .reverse();
    expect(b).toEqual(a);
    expect(a.filter((m) => m > 1).length).toBeGreaterThan(0);
    expect(moments.map((t) => other.multiplierAt(t))).not.toEqual(a);
  });

  it('answers the same after its hour cache has moved on', () => {
    const bursts = new RandomBursts(spec, new Rng(42));
    const early = Array.from({ length: 360 }, (_, i) => bursts.multiplierAt(START_MILLIS + i * STEP_MILLIS));
    for (let h = 1; h <= 100; h += 1) bursts.multiplierAt(START_MILLIS + h * HOUR);

    expect(
      Array.from({ length: 360 }, (_, i) => bursts.multiplierAt(START_MILLIS + i * STEP_MILLIS)),
    ).toEqual(early);
  });

  it('starts about perHour bursts per hour over many hours, each lasting durationMinutes', () => {
    const bursts = new RandomBursts(spec, new Rng(7));
    const hours = 500;
    let onsets = 0;
    let inBurst = 0;
    let previous = 1;
    const seen = new Set<number>();
    for (let t = START_MILLIS; t < START_MILLIS + hours * HOUR; t += STEP_MILLIS) {
      const m = bursts.multiplierAt(t);
      if (m > previous) onsets += 1;
      if (m > 1) inBurst += 1;
      seen.add(m);
      previous = m;
    }

    // Overlapping bursts multiply: every value is a power of the multiplier.
    expect([...seen].every((m) => Number.isInteger(Math.log(m) / Math.log(spec.multiplier)))).toBe(true);
    expect(seen.has(spec.multiplier ** 2)).toBe(true);
    expect(onsets / hours).toBeGreaterThan(spec.perHour * 0.92);
    expect(onsets / hours).toBeLessThan(spec.perHour * 1.08);
    // Share of time in a burst: 1 − e^(−perHour × duration / 60) ≈ 4.9 %.
    const share = inBurst / ((hours * HOUR) / STEP_MILLIS);
    expect(share).toBeGreaterThan(0.045);
    expect(share).toBeLessThan(0.053);
  });

  it('multiplies the fleet arrivals during a burst (traffic.randomBursts)', () => {
    const noisy = scenarioOf({
      durationMinutes: 120,
      functions: [fnData({ traffic: { baselineRps: 20, randomBursts: { ...spec, multiplier: 5 } } })],
    });
    const account = runToEnd(noisy);
    const again = runToEnd(noisy);
    const bursts = new RandomBursts(
      { ...spec, multiplier: 5 },
      new Rng(noisy.seed).fork('fleet/api').fork('random-bursts'),
    );

    expect(again.minutes('api')).toEqual(account.minutes('api'));
    const inside = account
      .minutes('api')
      .filter((m) =>
        Array.from({ length: 6 }, (_, s) => bursts.multiplierAt(m.startMillis + s * STEP_MILLIS)).every(
          (x) => x === 5,
        ),
      );
    expect(inside.length).toBeGreaterThan(0);
    for (const m of inside) expect(m.requests).toBeGreaterThan(20 * 60 * 4);
  });
});

describe('Fleet model: warm-up pings', () => {
  const idle = (pc: number) =>
    scenarioOf({ functions: [fnData({ traffic: { baselineRps: 0 }, initialProvisionedConcurrency: pc })] });

  it('lands pings on provisioned environments first, then keeps on-demand environments warm', () => {
    const fleet = fleetOf(idle(10));
    let t = START_MILLIS;
    const step = (pings: number): StepOutcome => {
      fleet.ping(pings);
      const outcome = fleet.step(t, 0);
      t += STEP_MILLIS;
      return outcome;
    };

    expect(step(6)).toMatchObject({
      pings: 6,
      pingColdStarts: 0,
      pingDurationMillis: 6 * WARMER_PING_MILLIS,
    });
    expect(fleet.warmOnDemandEnvironments).toBe(0);
    const first = step(15);
    expect(first).toMatchObject({ pings: 15, pingColdStarts: 5 });
    expect(first.pingDurationMillis).toBeGreaterThan(15 * WARMER_PING_MILLIS + 5 * 800 * 0.8);
    expect(fleet.warmOnDemandEnvironments).toBe(5);
    expect(step(15)).toMatchObject({ pingColdStarts: 0, pingDurationMillis: 15 * WARMER_PING_MILLIS });
    expect(step(0)).toMatchObject({ pings: 0, pingDurationMillis: 0 });
  });

  it('leaves fewer cold starts at the next burst than without pings', () => {
    const scenario = scenarioOf({
      functions: [
        fnData({ traffic: { baselineRps: 1, bursts: [{ startMinute: 20, endMinute: 25, multiplier: 40 }] } }),
      ],
    });
    const pinged = new SimulatedAccount(scenario);
    for (let minute = 0; minute < 30; minute += 1) {
      if (minute % 5 === 0) pinged.fleet('api').ping(20);
      pinged.advanceTo(pinged.startMillis + (minute + 1) * MINUTE);
    }
    const control = runToEnd(scenario);

    const coldAtBurst = (a: SimulatedAccount) => total(minutesIn(a, 20, 21), (m) => m.coldStarts);
    expect(coldAtBurst(control)).toBeGreaterThan(20);
    expect(coldAtBurst(pinged)).toBeLessThan(coldAtBurst(control) / 5);
    expect(
      minutesIn(pinged, 0, 30)
        .filter((m) => m.pings > 0)
        .map((m) => [m.minute, m.pings]),
    ).toEqual([
      [0, 20],
      [5, 20],
      [10, 20],
      [15, 20],
      [20, 20],
      [25, 20],
    ]);
    for (const m of minutesIn(pinged, 0, 30)) expect(m.cost.invocations).toBe(m.invocations + m.pings);
  });

  it('bills the pings in the minute cost: requests and on-demand duration', () => {
    const scenario = scenarioOf({ functions: [fnData({ memoryMb: 512 })] });
    const plain = fleetOf(scenario);
    const pinged = fleetOf(scenario);
    pinged.ping(8);
    const a = plain.step(START_MILLIS, 0);
    const plainMinute = new MinuteAccumulator();
    plainMinute.add(a);
    const b = pinged.step(START_MILLIS, 0);
    const pingedMinute = new MinuteAccumulator();
    pingedMinute.add(b);
    const slo = { p95Millis: 400, errorRatePercent: 1 };
    const withoutPings = plainMinute.close(0, START_MILLIS, slo, 512);
    const withPings = pingedMinute.close(0, START_MILLIS, slo, 512);

    // The step is the same but for the pings (they are served after the traffic).
    expect({ ...b, pings: 0, pingColdStarts: 0, pingDurationMillis: 0, durations: null }).toEqual({
      ...a,
      durations: null,
    });
    expect(b.pings).toBe(8);
    expect(withPings.pings).toBe(8);
    expect(withPings.cost.invocations).toBe(withoutPings.cost.invocations + 8);
    const pingGbSeconds = (b.pingDurationMillis / 1000) * 0.5;
    expect(withPings.cost.onDemandDurationGbSeconds).toBeCloseTo(
      withoutPings.cost.onDemandDurationGbSeconds + pingGbSeconds,
      9,
    );
    expect(withPings.cost.usd - withoutPings.cost.usd).toBeCloseTo(
      (8 / 1e6) * LAMBDA_PRICES_USD.perMillionRequests +
        pingGbSeconds * LAMBDA_PRICES_USD.perGbSecondOnDemandDuration,
      12,
    );
    expect(withPings.cost.usd).toBeGreaterThan(withoutPings.cost.usd);
  });
});

describe('Fleet model: SLO accounting counts throttles as failures', () => {
  it('breaches error-rate on throttles alone', () => {
    const account = runToEnd(
      scenarioOf({
        durationMinutes: 10,
        functions: [fnData({ errorRatePercent: 0, reservedConcurrency: 3, traffic: { baselineRps: 40 } })],
      }),
    );

    for (const m of account.minutes('api').slice(1)) {
      expect(m.errors).toBe(0);
      expect(m.errorRatePercent).toBe(0);
      expect(m.throttles).toBeGreaterThan(0);
      expect(m.failureRatePercent).toBeCloseTo((100 * m.throttles) / m.requests, 9);
      expect(m.breaches).toContain('error-rate');
    }
  });

  it('computes (errors + throttles) / requests for a hand-built minute', () => {
    const durations = new Histogram();
    durations.add(100, 96);
    const step = {
      startMillis: START_MILLIS,
      stepSeconds: 10,
      requests: 100,
      invocations: 96,
      throttles: 4,
      errors: 1,
      coldStarts: 0,
      concurrencyPeak: 2,
      provisionedAllocated: 0,
      provisionedRequested: 0,
      provisionedInvocations: 0,
      spilloverInvocations: 96,
      provisionedExecutionsPeak: 0,
      provisionedUtilizationPeak: Number.NaN,
      provisionedUtilizationMean: Number.NaN,
      durations,
      durationSumMillis: 9600,
      durationMaxMillis: 100,
      durationMinMillis: 100,
      provisionedDurationSumMillis: 0,
      retriedRequests: 0,
      pings: 0,
      pingColdStarts: 0,
      pingDurationMillis: 0,
    } satisfies StepOutcome;
    const minute = new MinuteAccumulator();
    minute.add(step);
    const slo = { p95Millis: 400, errorRatePercent: 4.5 };
    const record = minute.close(0, START_MILLIS, slo, 1024);

    expect(record.errorRatePercent).toBeCloseTo(100 / 96, 9);
    expect(record.failureRatePercent).toBe(5);
    expect(record.breaches).toEqual(['error-rate']);
    expect(record.sloBreached).toBe(true);
  });
});

describe('SimulatedAccount option metrics: false', () => {
  const scenario = scenarioOf({ durationMinutes: 20 });
  const invocations = {
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    dimensions: [
      { Name: 'FunctionName', Value: 'api-fn' },
      { Name: 'Resource', Value: 'api-fn:live' },
    ],
  };
  const alarm = {
    alarmName: 'errors',
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'missing',
    metric: { id: 'm1', ...invocations, periodSeconds: 60, stat: 'Sum' },
    threshold: { kind: 'static', value: 1 },
  } as const;

  it('publishes no metrics and keeps the same minute accounting as a metrics-on account', () => {
    const silent = runToEnd(scenario, { metrics: false });
    const published = runToEnd(scenario);

    const datapoints = (a: SimulatedAccount) =>
      a.metrics.aggregate(invocations, a.startMillis - 5 * MINUTE, a.endMillis, 60, a.endMillis).length;
    expect(datapoints(silent)).toBe(0);
    expect(datapoints(published)).toBe(25); // 5 warm-up minutes + 20
    expect(silent.minutes('api')).toHaveLength(20);
    expect(silent.minutes('api')).toEqual(published.minutes('api'));
    expect(silent.summary().perFunction).toEqual(published.summary().perFunction);
  });

  it('rejects alarms with a SimError', () => {
    const silent = new SimulatedAccount(scenario, { metrics: false });

    expect(() => silent.addAlarms([alarm])).toThrow(SimError);
    expect(() => silent.addAlarms([alarm])).toThrow(/metrics: false/);
    expect(() => new SimulatedAccount(scenario, { metrics: false, alarms: [alarm] })).toThrow(SimError);
    expect(() => silent.addAlarms([])).not.toThrow();
    expect(() => new SimulatedAccount(scenario).addAlarms([alarm])).not.toThrow();
  });
});
