import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import type { Scenario } from '../../sim/scenario.js';
import { noCompensation } from '../../sim/strategies/no-compensation.js';
import { type Peer, runPeer } from '../../sim/strategies/peer.js';
import {
  plannedPeakConcurrency,
  scheduledWarmer,
  WARMER_PERIOD_MINUTES,
} from '../../sim/strategies/scheduled-warmer.js';
import { TARGET_TRACKING, targetTracking } from '../../sim/strategies/target-tracking.js';
import { fnData, scenarioOf } from './builders.js';

const MINUTE = 60_000;
const minuteOf = (account: SimulatedAccount, atMillis: number): number =>
  (atMillis - account.startMillis) / MINUTE;

async function run(scenario: Scenario, peer: Peer): Promise<SimulatedAccount> {
  return runPeer(scenario, peer, new SimulatedAccount(scenario));
}

/** `api` with provisioned concurrency `pc` and target tracking bounds [1, max]. */
function tracked(options: {
  pc: number;
  rps: number;
  max?: number;
  bursts?: readonly Record<string, unknown>[];
  warmupMinutes?: number;
  durationMinutes?: number;
}): Scenario {
  return scenarioOf({
    durationMinutes: options.durationMinutes ?? 30,
    warmupMinutes: options.warmupMinutes ?? 5,
    functions: [
      fnData({
        initialProvisionedConcurrency: options.pc,
        traffic: { baselineRps: options.rps, bursts: options.bursts ?? [] },
        slo: undefined,
        compensator: {
          slo: { p95Millis: 400, errorRatePercent: 1 },
          provisionedConcurrency: { min: 1, max: options.max ?? 50, maxStep: 10 },
        },
      }),
    ],
  });
}

describe('Peer: runPeer', () => {
  it('attaches the peer once, ticks it after every minute and reports progress', async () => {
    const scenario = scenarioOf({ durationMinutes: 4 });
    const calls: string[] = [];
    const progress: [number, number][] = [];
    const peer: Peer = {
      name: 'recorder',
      appliesTo: () => true,
      actions: [],
      attach: (account) => {
        calls.push(`attach ${account.clock.now() === account.startMillis}`);
      },
      tick: (account, now) => {
        calls.push(`tick ${minuteOf(account, now)} ${account.clock.now() === now}`);
      },
    };

    const account = await runPeer(scenario, peer, new SimulatedAccount(scenario), (done, total) =>
      progress.push([done, total]),
    );

    expect(calls).toEqual(['attach true', 'tick 1 true', 'tick 2 true', 'tick 3 true', 'tick 4 true']);
    expect(progress).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(account.minutes('api')).toHaveLength(4);
  });

  it('rejects an account built for another scenario', async () => {
    const scenario = scenarioOf();
    await expect(runPeer(scenario, noCompensation(), new SimulatedAccount(scenarioOf()))).rejects.toThrow(
      /built for scenario inline, not inline/,
    );
  });
});

describe('Peer: target tracking on provisioned concurrency utilization', () => {
  it('scales out only after 3 one-minute datapoints above 0.7, to ceil(current × utilization / 0.7)', async () => {
    // 10 rps use 10 % of 10 environments… until an 8× burst at minute 5 fills all of them.
    const scenario = tracked({ pc: 10, rps: 10, bursts: [{ startMinute: 5, endMinute: 30, multiplier: 8 }] });
    const peer = targetTracking();
    const account = await run(scenario, peer);

    expect(TARGET_TRACKING).toMatchObject({ targetValue: 0.7, scaleOutDatapoints: 3 });
    const [first] = peer.actions;
    // Datapoints of minutes 5, 6 and 7 are above the target: the alarm fires at 8:00.
    expect(minuteOf(account, first?.atMillis ?? 0)).toBe(8);
    expect(first?.detail).toBe('scale out 10 → 15 (utilization 1.00)');
    expect(
      account.autoScaling.describeScalableTargets({ ServiceNamespace: 'lambda' }).ScalableTargets,
    ).toHaveLength(1);
  });

  it('survives a scaling activity Lambda refuses (above reserved concurrency): nothing changes, no action', async () => {
    const base = tracked({ pc: 4, rps: 10, bursts: [{ startMinute: 5, endMinute: 30, multiplier: 8 }] });
    const fn = base.functions[0] as Scenario['functions'][number];
    const scenario = { ...base, functions: [{ ...fn, reservedConcurrency: 5 }] };
    const peer = targetTracking();
    const account = await run(scenario, peer);

    // Scale-outs above 5 are refused (InvalidParameterValueException) and leave PC as it was.
    expect(account.calls.some((c) => c.commandName === 'PutProvisionedConcurrencyConfig' && c.error)).toBe(
      true,
    );
    expect(peer.actions.every((a) => !/→ ([6-9]|\d\d)/.test(a.detail))).toBe(true);
    expect(account.fleet('api').provisionedConcurrency.requested).toBeLessThanOrEqual(5);
  });

  it('keeps the new capacity within the maximum of the scalable target', async () => {
    const scenario = tracked({
      pc: 10,
      rps: 10,
      max: 12,
      bursts: [{ startMinute: 5, endMinute: 30, multiplier: 8 }],
    });
    const peer = targetTracking();
    const account = await run(scenario, peer);

    expect(peer.actions.map((a) => a.detail)).toEqual(['scale out 10 → 12 (utilization 1.00)']);
    expect(account.fleet('api').provisionedConcurrency.requested).toBe(12);
  });

  it('starts no new scaling while the provisioned concurrency config is IN_PROGRESS', async () => {
    const scenario = tracked({
      pc: 10,
      rps: 10,
      bursts: [{ startMinute: 5, endMinute: 30, multiplier: 16 }],
    });
    const peer = targetTracking();
    const account = await run(scenario, peer);

    const completions = account
      .timeline()
      .filter((e) => e.kind === 'pc-allocation-complete')
      .map((e) => e.atMillis);
    expect(peer.actions.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < peer.actions.length; i += 1) {
      const previous = (peer.actions[i - 1] as (typeof peer.actions)[number]).atMillis;
      const next = (peer.actions[i] as (typeof peer.actions)[number]).atMillis;
      // Lambda allocates in 60–120 s: the previous activity must have completed in between.
      expect(completions.some((t) => t > previous && t <= next)).toBe(true);
      expect(next - previous).toBeGreaterThanOrEqual(2 * MINUTE);
    }
    const puts = account.calls.filter((c) => c.commandName === 'PutProvisionedConcurrencyConfig');
    expect(puts).toHaveLength(peer.actions.length);
  });

  it('scales in only after 15 datapoints below 90 % of the target (0.63)', async () => {
    // 3 rps keep 2 of 20 environments busy at the peak (utilization 0.1). No warm-up datapoints.
    const scenario = tracked({ pc: 20, rps: 3, warmupMinutes: 0 });
    const peer = targetTracking();
    const account = await run(scenario, peer);

    expect(TARGET_TRACKING.targetValue * TARGET_TRACKING.scaleInThresholdShare).toBeCloseTo(0.63, 12);
    const [first] = peer.actions;
    expect(minuteOf(account, first?.atMillis ?? 0)).toBe(15);
    expect(first?.detail).toBe('scale in 20 → 3 (utilization 0.10)');
    expect(account.fleet('api').provisionedConcurrency.requested).toBeLessThanOrEqual(3);
  });

  it('does nothing when no provisioned concurrency is allocated (INSUFFICIENT_DATA)', async () => {
    const scenario = tracked({ pc: 0, rps: 80 });
    const peer = targetTracking();
    const account = await run(scenario, peer);

    expect(peer.actions).toEqual([]);
    expect(account.alarm('TargetTracking-api-fn-AlarmHigh').state).toBe('INSUFFICIENT_DATA');
    expect(account.alarm('TargetTracking-api-fn-AlarmLow').state).toBe('INSUFFICIENT_DATA');
    expect(account.calls.filter((c) => c.commandName === 'PutProvisionedConcurrencyConfig')).toEqual([]);
  });

  it('applies only to scenarios whose functions have provisioned concurrency bounds', () => {
    expect(targetTracking().appliesTo(tracked({ pc: 1, rps: 1 }))).toBe(true);
    expect(targetTracking().appliesTo(scenarioOf())).toBe(false);
  });
});

describe('Peer: scheduled warmer', () => {
  it('sizes N for the planned peak: diurnal peak × scheduled bursts, Little’s law + 2 standard deviations', () => {
    const fn = scenarioOf({
      functions: [
        fnData({
          baseLatencyMillis: 100,
          latencySigma: 0,
          dependency: { latencyMillis: 30, optionalLatencyMillis: 20 },
          traffic: {
            baselineRps: 20,
            diurnalAmplitude: 0.5,
            bursts: [
              { startMinute: 1, endMinute: 2, multiplier: 3 },
              { startMinute: 3, endMinute: 4, multiplier: 2 },
            ],
          },
        }),
      ],
    }).functions[0] as Scenario['functions'][number];

    // 20 × 1.5 × 3 = 90 rps × 0.15 s = 13.5 busy → ceil(13.5 + 2√13.5) = ceil(20.85) = 21.
    expect(plannedPeakConcurrency(fn)).toBe(21);
    // Log-normal mean: 100 ms × e^(σ²/2).
    expect(plannedPeakConcurrency({ ...fn, latencySigma: 1, dependency: undefined })).toBe(
      Math.ceil(90 * 0.1 * Math.exp(0.5) + 2 * Math.sqrt(90 * 0.1 * Math.exp(0.5))),
    );
    expect(plannedPeakConcurrency({ ...fn, traffic: { baselineRps: 0 } })).toBe(1);
  });

  it('pings N environments every 5 simulated minutes and takes no actions', async () => {
    const scenario = scenarioOf({ durationMinutes: 30 });
    const peer = scheduledWarmer();
    const account = await run(scenario, peer);
    const n = plannedPeakConcurrency(scenario.functions[0] as Scenario['functions'][number]);

    expect(WARMER_PERIOD_MINUTES).toBe(5);
    expect(n).toBe(
      Math.ceil(20 * (0.1 * Math.exp(0.25 ** 2 / 2)) + 2 * Math.sqrt(20 * 0.1 * Math.exp(0.25 ** 2 / 2))),
    );
    // A tick at the end of minute m − 1 queues the pings; they land in minute m.
    expect(
      account
        .minutes('api')
        .filter((m) => m.pings > 0)
        .map((m) => [m.minute, m.pings]),
    ).toEqual([5, 10, 15, 20, 25].map((m) => [m, n]));
    expect(peer.actions).toEqual([]);
    expect(peer.appliesTo(scenario)).toBe(true);
  });
});
