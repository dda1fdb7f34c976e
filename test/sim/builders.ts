import { SimulatedAccount } from '../../sim/account.js';
import type { MinuteRecord } from '../../sim/accounting.js';
import { parseScenario, type Scenario } from '../../sim/scenario.js';

/** Small inline scenarios for the fleet and peer tests: one function `api`, short runs, little warm-up. */

export const START = '2026-11-23T10:00:00Z';
export const START_MILLIS = Date.parse(START);

/**
 * A function spec (raw scenario JSON) with quiet defaults; `patch` overrides top-level fields
 * (a field patched to `undefined` is left out).
 */
export function fnData(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const data: Record<string, unknown> = {
    target: 'api',
    functionName: 'api-fn',
    aliasName: 'live',
    memoryMb: 1024,
    baseLatencyMillis: 100,
    latencySigma: 0.25,
    coldStartMillis: { median: 800, p95: 1500 },
    errorRatePercent: 0.2,
    reservedConcurrency: null,
    initialProvisionedConcurrency: 0,
    traffic: { baselineRps: 20 },
    slo: { p95Millis: 400, errorRatePercent: 1 },
    ...patch,
  };
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

export interface ScenarioParts {
  readonly functions?: readonly Record<string, unknown>[];
  readonly faults?: readonly Record<string, unknown>[];
  readonly seed?: number;
  readonly durationMinutes?: number;
  readonly warmupMinutes?: number;
}

/** A validated scenario (through `parseScenario`, as scenario files are). */
export function scenarioOf(parts: ScenarioParts = {}): Scenario {
  return parseScenario(
    {
      name: 'inline',
      description: 'inline test scenario',
      seed: parts.seed ?? 11,
      start: START,
      durationMinutes: parts.durationMinutes ?? 30,
      warmupMinutes: parts.warmupMinutes ?? 5,
      functions: parts.functions ?? [fnData()],
      faults: parts.faults ?? [],
    },
    'inline',
  );
}

/** Runs a scenario to its end without any compensation; returns the account. */
export function runToEnd(scenario: Scenario, options?: ConstructorParameters<typeof SimulatedAccount>[1]) {
  const account = new SimulatedAccount(scenario, options);
  account.advanceTo(account.endMillis);
  return account;
}

/** The minute records of `target` in [from, to). */
export function minutesIn(
  account: SimulatedAccount,
  from: number,
  to: number,
  target = 'api',
): readonly MinuteRecord[] {
  return account.minutes(target).filter((m) => m.minute >= from && m.minute < to);
}

/** Sum of `f` over minute records. */
export function total(minutes: readonly MinuteRecord[], f: (m: MinuteRecord) => number): number {
  return minutes.reduce((acc, m) => acc + f(m), 0);
}

/** Errors / invocations in percent over minute records. */
export function errorRatePercent(minutes: readonly MinuteRecord[]): number {
  const invocations = total(minutes, (m) => m.invocations);
  return invocations > 0 ? (100 * total(minutes, (m) => m.errors)) / invocations : 0;
}
