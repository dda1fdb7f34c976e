import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../bench/sim/strategies.js';
import { runScenario } from '../../sim/loop/run-scenario.js';
import { parseScenario, type Scenario } from '../../sim/scenario.js';
import { mulberry32 } from '../fixtures/mulberry32.js';

/**
 * Scenarios nobody wrote by hand: random but valid combinations of traffic, reserved
 * concurrency, retries, flags, compensators and faults. Whatever happens, the loop must not
 * crash, every execution must end with exactly one ledger record, none of them a failure, and
 * the peers must run to the end too.
 */
function randomScenario(seed: number): Scenario {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const duration = int(30, 75);
  const functions: Record<string, unknown>[] = [];
  const faults: Record<string, unknown>[] = [];
  for (let i = 0; i < int(1, 2); i++) {
    const target = `f${i}`;
    const reserved = random() < 0.4 ? int(2, 20) : null;
    const max = int(1, 40);
    const withFlags = random() < 0.6;
    functions.push({
      target,
      functionName: `${target}-fn`,
      aliasName: 'live',
      memoryMb: pick([128, 1024, 3008]),
      baseLatencyMillis: int(5, 400),
      latencySigma: random() * 0.8,
      coldStartMillis: { median: int(100, 1500), p95: int(1500, 4000) },
      errorRatePercent: random() * 2,
      reservedConcurrency: reserved,
      initialProvisionedConcurrency: Math.min(int(0, 8), reserved ?? 8),
      traffic: { baselineRps: pick([0, 0.2, 5, 40, 300]), diurnalAmplitude: random() },
      dependency: { latencyMillis: int(0, 80), optionalLatencyMillis: int(0, 80), maxAttempts: int(1, 4) },
      ...(random() < 0.4 ? { clientRetry: { maxAttempts: int(1, 5) } } : {}),
      flags: withFlags
        ? [
            { key: 'skip', initial: false, effect: 'skip-optional-dependency' },
            { key: 'tight', initial: false, effect: 'tighten-retry-budget' },
            { key: 'feature', initial: false, effect: 'none' },
          ]
        : [],
      compensator: {
        slo: {
          p95Millis: int(150, 700),
          ...(random() < 0.5 ? { p99Millis: int(700, 2000) } : {}),
          errorRatePercent: pick([0.5, 1, 5]),
        },
        ...(random() < 0.7 || !withFlags
          ? { provisionedConcurrency: { min: 0, max, maxStep: int(1, max) } }
          : {}),
        ...(withFlags
          ? {
              flags: [
                { key: 'skip', compensatingValue: true, remedies: ['latency-drift'] },
                { key: 'tight', compensatingValue: true, remedies: ['retry-amplification', 'error-drift'] },
                { key: 'feature', compensatingValue: false, remedies: ['error-drift'] },
              ],
            }
          : {}),
        guardrails: {
          cooldownSeconds: pick([0, 300]),
          actionsPerHour: pick([1, 10]),
          bakeSeconds: pick([180, 600]),
        },
      },
    });
    for (let k = 0; k < int(1, 3); k++) {
      const startMinute = int(0, duration - 5);
      const window = { target, startMinute, endMinute: startMinute + int(2, 40) };
      faults.push(
        pick([
          {
            kind: 'dependency-slowdown',
            ...window,
            extraLatencyMillis: int(20, 900),
            rampMinutes: int(0, 20),
          },
          { kind: 'error-spike', ...window, extraErrorRatePercent: random() * 20 },
          {
            kind: 'dependency-timeouts',
            ...window,
            affectedPercent: random() * 15,
            timeoutMillis: int(200, 4000),
          },
          { kind: 'traffic-burst', ...window, multiplier: 1 + random() * 15 },
          ...(withFlags
            ? [
                {
                  kind: 'config-change',
                  ...window,
                  flagKey: 'feature',
                  value: true,
                  extraErrorRatePercent: 10,
                },
              ]
            : []),
        ]),
      );
    }
  }
  return parseScenario(
    {
      name: `random-${seed}`,
      description: 'generated',
      seed,
      start: '2026-11-23T06:00:00Z',
      durationMinutes: duration,
      warmupMinutes: int(0, 90),
      functions,
      faults,
    },
    `random-${seed}`,
  );
}

describe('Random scenarios: the loop and the peers hold their invariants', () => {
  for (const seed of [3, 17, 29, 41]) {
    it(`seed ${seed}`, async () => {
      const scenario = randomScenario(seed);
      const run = await runScenario(scenario, { compareUncompensated: false });

      for (const execution of run.executions) {
        expect(
          run.records.filter((r) => r.executionName === execution.name),
          execution.name,
        ).toHaveLength(1);
      }
      expect(run.executions.filter((e) => e.status === 'FAILED')).toEqual([]);
      expect(run.records.filter((r) => r.outcome === 'failed')).toEqual([]);
      for (const peer of ['none', 'target-tracking', 'scheduled-warmer', 'static-rollback'] as const) {
        const result = await runStrategy(peer, scenario);
        expect(result.series).toHaveLength(scenario.functions.length);
      }
    }, 60_000);
  }
});
