import { describe, expect, it } from 'vitest';
import { SDK_STANDARD_MAX_ATTEMPTS, STEP_SECONDS } from '../../sim/fleet/aws-behaviour.js';
import { ClientRetries } from '../../sim/fleet/client-retries.js';
import { FunctionFleet, type StepOutcome } from '../../sim/fleet/function-fleet.js';
import { Rng } from '../../sim/rng.js';
import type { Scenario } from '../../sim/scenario.js';
import {
  errorRatePercent,
  fnData,
  minutesIn,
  runToEnd,
  START_MILLIS,
  scenarioOf,
  total,
} from './builders.js';

const STEP_MILLIS = STEP_SECONDS * 1000;

/** Steps the first function of `scenario` directly for `steps` steps from minute 0. */
function stepFleet(scenario: Scenario, steps: number): StepOutcome[] {
  const fleet = new FunctionFleet(
    scenario.functions[0] as Scenario['functions'][number],
    scenario.faults ?? [],
    new Rng(scenario.seed),
    START_MILLIS,
  );
  const outcomes: StepOutcome[] = [];
  for (let i = 0; i < steps; i += 1) {
    const outcome = fleet.step(START_MILLIS + i * STEP_MILLIS, Math.floor((i * STEP_SECONDS) / 60));
    // The step's histogram is reused by the next step: keep what the tests read.
    outcomes.push({ ...outcome, p50: outcome.durations.percentile(50) } as StepOutcome & { p50: number });
  }
  return outcomes;
}

const p50 = (s: StepOutcome): number => (s as StepOutcome & { p50: number }).p50;

/** Every invocation's dependency calls hang (`affectedPercent` 100) from minute 0; no other errors. */
function hangingScenario(options: {
  tight?: boolean;
  dependencyAttempts?: number;
  affectedPercent?: number;
}) {
  return scenarioOf({
    functions: [
      fnData({
        errorRatePercent: 0,
        dependency: {
          latencyMillis: 20,
          ...(options.dependencyAttempts ? { maxAttempts: options.dependencyAttempts } : {}),
        },
        clientRetry: { maxAttempts: 2 },
        flags:
          options.tight === undefined
            ? []
            : [{ key: 'tightRetryBudget', initial: options.tight, effect: 'tighten-retry-budget' }],
      }),
    ],
    faults: [
      {
        kind: 'dependency-timeouts',
        target: 'api',
        startMinute: 0,
        endMinute: 20,
        affectedPercent: options.affectedPercent ?? 100,
        timeoutMillis: 1000,
      },
    ],
  });
}

describe('Fleet model: dependency-timeouts fault', () => {
  it('hangs an affected invocation for timeout × the SDK default of 3 attempts, and fails it', () => {
    const steps = stepFleet(hangingScenario({}), 18);

    expect(SDK_STANDARD_MAX_ATTEMPTS).toBe(3);
    for (const s of steps) {
      expect(s.invocations).toBeGreaterThan(0);
      expect(s.errors).toBe(s.invocations);
      expect(s.durationMinMillis).toBeGreaterThanOrEqual(3 * 1000 + 20);
    }
    // Once the first minute's cold starts are over, the median is one handler time above 3 s.
    for (const s of steps.slice(6)) {
      expect(p50(s)).toBeGreaterThan(3000);
      expect(p50(s)).toBeLessThan(3400);
    }
  });

  it('hangs for timeout × dependency.maxAttempts when the function sets it', () => {
    const steps = stepFleet(hangingScenario({ dependencyAttempts: 2 }), 12);

    for (const s of steps) {
      expect(s.durationMinMillis).toBeGreaterThanOrEqual(2 * 1000 + 20);
      expect(p50(s)).toBeGreaterThan(2000);
      expect(p50(s)).toBeLessThan(2400);
    }
  });

  it('hangs one timeout when a tighten-retry-budget flag is fully rolled out, and still fails', () => {
    const steps = stepFleet(hangingScenario({ tight: true }), 12);

    for (const s of steps) {
      expect(s.errors).toBe(s.invocations);
      expect(s.durationMinMillis).toBeGreaterThanOrEqual(1000 + 20);
      expect(p50(s)).toBeGreaterThan(1000);
      expect(p50(s)).toBeLessThan(1400);
    }
  });

  it('has callers retry hung failures, but not the non-retryable ones of a tightened budget', () => {
    const loose = stepFleet(hangingScenario({ tight: false }), 12);
    const tight = stepFleet(hangingScenario({ tight: true }), 12);

    // maxAttempts 2: every failed first attempt comes back once, in the next step.
    expect(loose[0]?.retriedRequests).toBe(0);
    for (let i = 1; i < loose.length; i += 1) {
      const previous = loose[i - 1] as StepOutcome;
      expect(loose[i]?.retriedRequests).toBe(previous.requests - previous.retriedRequests);
      expect(loose[i]?.retriedRequests).toBeGreaterThan(100);
    }
    expect(tight.every((s) => s.retriedRequests === 0)).toBe(true);
  });

  it('fails about affectedPercent of invocations inside the window and none after it', () => {
    const account = runToEnd(hangingScenario({ affectedPercent: 10 }));

    const during = minutesIn(account, 0, 20);
    expect(errorRatePercent(during)).toBeGreaterThan(9);
    expect(errorRatePercent(during)).toBeLessThan(11);
    // Retries of the minute-19 failures arrive at the start of minute 20, then nothing fails.
    expect(total(minutesIn(account, 21, 30), (m) => m.errors)).toBe(0);
  });
});

describe('Fleet model: ClientRetries', () => {
  it('never retries when maxAttempts is 1', () => {
    const retries = new ClientRetries(1);
    expect(retries.due()).toBe(0);
    retries.record(100, 0, 100);
    expect(retries.due()).toBe(0);
  });

  it('with 100 % failure stops the chain after maxAttempts − 1 retry generations', () => {
    const retries = new ClientRetries(4);
    const generations: number[] = [];
    let fresh = 100;
    for (let step = 0; step < 8; step += 1) {
      const retried = retries.due();
      generations.push(retried);
      const requests = fresh + retried;
      retries.record(requests, retried, requests);
      fresh = 0;
    }

    expect(generations).toEqual([0, 100, 100, 100, 0, 0, 0, 0]);
  });

  it('with steady traffic and 100 % failure holds (maxAttempts − 1) × the fresh requests in retries', () => {
    const retries = new ClientRetries(3);
    const due: number[] = [];
    for (let step = 0; step < 6; step += 1) {
      const retried = retries.due();
      due.push(retried);
      retries.record(50 + retried, retried, 50 + retried);
    }

    expect(due).toEqual([0, 50, 100, 100, 100, 100]);
  });

  it('shares failures among attempts in proportion to their counts', () => {
    const retries = new ClientRetries(3);
    retries.due();
    retries.record(1000, 0, 100); // 10 % of first attempts fail
    const second = retries.due();
    retries.record(1100, second, 110); // 10 % of 1000 new + 100 second attempts fail

    expect(second).toBe(100);
    expect(retries.due()).toBe(100 + 10);
  });

  it('comes back through the fleet as retriedRequests in the next step, never past maxAttempts', () => {
    // Every invocation fails (a 100 % error spike) and callers make at most 3 attempts: a step's
    // retries are exactly the fresh requests of the two steps before it, never a fourth attempt.
    const steps = stepFleet(
      scenarioOf({
        functions: [fnData({ errorRatePercent: 0, clientRetry: { maxAttempts: 3 } })],
        faults: [
          {
            kind: 'error-spike',
            target: 'api',
            startMinute: 0,
            endMinute: 10,
            extraErrorRatePercent: 100,
          },
        ],
      }),
      30,
    );

    const fresh = steps.map((s) => s.requests - s.retriedRequests);
    for (let i = 2; i < steps.length; i += 1) {
      // Attempt 2 = the previous step's fresh requests; attempt 3 = the one before's.
      expect(steps[i]?.retriedRequests).toBe((fresh[i - 1] as number) + (fresh[i - 2] as number));
    }
  });
});

describe('Fleet model: retry amplification at reserved concurrency', () => {
  /** payments-like: 27 rps, reserved concurrency 12, 2 % of calls hang for 3 × 2 s from minute 10. */
  function amplification(tight: boolean): Scenario {
    return scenarioOf({
      durationMinutes: 40,
      functions: [
        fnData({
          baseLatencyMillis: 120,
          reservedConcurrency: 12,
          traffic: { baselineRps: 27 },
          dependency: { latencyMillis: 40, maxAttempts: 3 },
          clientRetry: { maxAttempts: 3 },
          flags: [{ key: 'tightRetryBudget', initial: tight, effect: 'tighten-retry-budget' }],
          slo: { p95Millis: 400, errorRatePercent: 2.5 },
        }),
      ],
      faults: [
        {
          kind: 'dependency-timeouts',
          target: 'api',
          startMinute: 10,
          endMinute: 40,
          affectedPercent: 2,
          timeoutMillis: 2000,
        },
      ],
    });
  }

  it('throttles hanging calls at the reserved limit and retries them; a tightened budget removes the throttles', () => {
    const loose = runToEnd(amplification(false));
    const tight = runToEnd(amplification(true));

    // Before the fault neither account throttles.
    expect(total(minutesIn(loose, 0, 10), (m) => m.throttles)).toBe(0);
    expect(total(minutesIn(tight, 0, 10), (m) => m.throttles)).toBe(0);
    // During it the retry budget decides.
    const looseThrottles = total(minutesIn(loose, 10, 40), (m) => m.throttles);
    expect(looseThrottles).toBeGreaterThan(1000);
    expect(total(minutesIn(tight, 10, 40), (m) => m.throttles)).toBe(0);
    // Callers' retries add requests on top of the same arrivals.
    const requests = (a: typeof loose) => total(minutesIn(a, 10, 40), (m) => m.requests);
    expect(requests(loose)).toBeGreaterThan(requests(tight) + looseThrottles / 2);
    expect(loose.summary().sloMinutesBreached).toBeGreaterThan(tight.summary().sloMinutesBreached);
  });
});
