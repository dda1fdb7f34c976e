import type { Deployment, Deployments } from '@aws-sdk/client-appconfig';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { faultEffectsAt } from '../../sim/fleet/faults.js';
import type { FaultSpec } from '../../sim/scenario.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { featureFlagsDocument } from '../../sim/services/appconfig-service.js';
import { errorRatePercent, fnData, minutesIn, runToEnd, scenarioOf, total } from './builders.js';

const MINUTE = 60_000;
const ids = appConfigIdsFor('api');
const at = (account: SimulatedAccount, minute: number): number => account.startMillis + minute * MINUTE;

/** `api` with a flag `newEngine` (no effect of its own) that an operator turns on at minute 5. */
function configChange(change: Record<string, unknown> = {}, durationMinutes = 40) {
  return scenarioOf({
    durationMinutes,
    functions: [fnData({ flags: [{ key: 'newEngine', initial: false, effect: 'none' }] })],
    faults: [
      {
        kind: 'config-change',
        target: 'api',
        startMinute: 5,
        endMinute: 60,
        flagKey: 'newEngine',
        value: true,
        extraErrorRatePercent: 20,
        ...change,
      },
    ],
  });
}

async function deployments(account: SimulatedAccount): Promise<Deployments> {
  return (await account.handle('AppConfig', 'ListDeployments', {
    ApplicationId: ids.applicationId,
    EnvironmentId: ids.environmentId,
  })) as Deployments;
}

describe('Fleet model: config-change fault', () => {
  it('deploys the flag through AppConfig at startMinute with AppConfig.AllAtOnce by default', async () => {
    const account = new SimulatedAccount(configChange());
    account.advanceTo(at(account, 5) - 10_000);
    expect((await deployments(account)).Items?.map((d) => d.DeploymentNumber)).toEqual([1]);

    account.advanceTo(at(account, 5) + 10_000);
    const [latest] = (await deployments(account)).Items ?? [];
    expect(latest).toMatchObject({ DeploymentNumber: 2, State: 'BAKING', FinalBakeTimeInMinutes: 10 });
    const deployment = (await account.handle('AppConfig', 'GetDeployment', {
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      DeploymentNumber: 2,
    })) as Deployment;
    expect(deployment.DeploymentStrategyId).toBe('AppConfig.AllAtOnce');
    expect(deployment.StartedAt?.getTime()).toBe(at(account, 5));
    expect(account.fleet('api').flag('newEngine')?.enabledShare(at(account, 6))).toBe(1);
  });

  it('waits for a deployment still running before deploying the next change (AppConfig answers Conflict)', async () => {
    const scenario = scenarioOf({
      durationMinutes: 30,
      functions: [
        fnData({
          flags: [
            { key: 'newEngine', initial: false, effect: 'none' },
            { key: 'newCache', initial: false, effect: 'none' },
          ],
        }),
      ],
      faults: ['newEngine', 'newCache'].map((flagKey) => ({
        kind: 'config-change',
        target: 'api',
        startMinute: 5,
        endMinute: 30,
        flagKey,
        value: true,
        extraErrorRatePercent: 1,
      })),
    });
    const account = new SimulatedAccount(scenario);
    account.advanceTo(at(account, 30));

    const items = [...((await deployments(account)).Items ?? [])].reverse();
    expect(items.map((d) => d.DeploymentNumber)).toEqual([1, 2, 3]);
    // The first bakes for 10 minutes (AllAtOnce); the second starts at the first step after that.
    expect(items[1]?.StartedAt?.getTime()).toBe(at(account, 5));
    expect(items[2]?.StartedAt?.getTime()).toBe(at(account, 15));
    expect(account.fleet('api').flag('newCache')?.enabledShare(at(account, 16))).toBe(1);
  });

  it('raises errors linearly over rampMinutes up to extraErrorRatePercent', () => {
    const account = runToEnd(configChange({ rampMinutes: 10 }));

    expect(errorRatePercent(minutesIn(account, 0, 5))).toBeLessThan(0.6);
    const rate = (minute: number) => errorRatePercent(minutesIn(account, minute, minute + 1));
    // Ramp share (minute − 5) / 10: +6 % at minute 8, +12 % at minute 11, the full +20 % from 15.
    expect(rate(8)).toBeGreaterThan(4.5);
    expect(rate(8)).toBeLessThan(8.5);
    expect(rate(11)).toBeGreaterThan(10);
    expect(rate(11)).toBeLessThan(14.5);
    const full = errorRatePercent(minutesIn(account, 15, 40));
    expect(full).toBeGreaterThan(19);
    expect(full).toBeLessThan(21.5);
  });

  it('weights the extra errors by the share of environments that see the flag', () => {
    // Linear20PercentEvery6Minutes rolls out over 30 minutes: half the environments at minute 20.
    const slow = runToEnd(configChange({ deploymentStrategyId: 'AppConfig.Linear20PercentEvery6Minutes' }));
    const fast = runToEnd(configChange());

    const share =
      slow
        .fleet('api')
        .flag('newEngine')
        ?.enabledShare(at(slow, 20) + 30_000) ?? 0;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const slowRate = errorRatePercent(minutesIn(slow, 20, 21));
    expect(slowRate).toBeGreaterThan(0.2 + 20 * share - 2.5);
    expect(slowRate).toBeLessThan(0.2 + 20 * share + 2.5);
    expect(errorRatePercent(minutesIn(fast, 20, 21))).toBeGreaterThan(18);
  });

  it('removes the effect when the deployment is stopped with AllowRevert during its bake time', async () => {
    const account = new SimulatedAccount(configChange());
    account.advanceTo(at(account, 8));
    const stopped = (await account.handle('AppConfig', 'StopDeployment', {
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      DeploymentNumber: 2,
      AllowRevert: true,
    })) as Deployment;
    account.advanceTo(account.endMillis);
    const control = runToEnd(configChange());

    expect(stopped.State).toBe('ROLLED_BACK');
    expect(errorRatePercent(minutesIn(account, 6, 8))).toBeGreaterThan(18);
    expect(errorRatePercent(minutesIn(account, 9, 40))).toBeLessThan(0.6);
    expect(errorRatePercent(minutesIn(control, 9, 40))).toBeGreaterThan(19);
  });

  it('removes the effect when a new deployment turns the flag back off', async () => {
    const account = new SimulatedAccount(configChange());
    account.advanceTo(at(account, 20)); // the AllAtOnce bake time is over: COMPLETE
    const version = (await account.handle('AppConfig', 'CreateHostedConfigurationVersion', {
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.configurationProfileId,
      ContentType: 'application/json',
      Content: new TextEncoder().encode(featureFlagsDocument(new Map([['newEngine', false]]))),
    })) as { VersionNumber: number };
    await account.handle('AppConfig', 'StartDeployment', {
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.configurationProfileId,
      DeploymentStrategyId: ids.deploymentStrategyId,
      ConfigurationVersion: String(version.VersionNumber),
    });
    account.advanceTo(account.endMillis);

    expect(errorRatePercent(minutesIn(account, 10, 20))).toBeGreaterThan(19);
    expect(errorRatePercent(minutesIn(account, 21, 40))).toBeLessThan(0.6);
  });

  it('stops at endMinute even if nobody rolls the flag back', () => {
    const account = runToEnd(configChange({ endMinute: 20 }));

    expect(errorRatePercent(minutesIn(account, 10, 20))).toBeGreaterThan(19);
    expect(errorRatePercent(minutesIn(account, 20, 40))).toBeLessThan(0.6);
    expect(account.fleet('api').flag('newEngine')?.enabledShare(account.endMillis)).toBe(1);
  });
});

describe('Fleet model: traffic-burst and excess-capacity faults', () => {
  const fault = (kind: string, extra: Record<string, unknown> = {}) =>
    scenarioOf({ faults: [{ kind, target: 'api', startMinute: 10, endMinute: 20, ...extra }] });

  it('multiplies the arrival rate by the multiplier inside the window only', () => {
    const burst = runToEnd(fault('traffic-burst', { multiplier: 3 }));
    const control = runToEnd(scenarioOf());

    // Same seed, same draws until the fault starts.
    expect(minutesIn(burst, 0, 10).map((m) => m.requests)).toEqual(
      minutesIn(control, 0, 10).map((m) => m.requests),
    );
    const ratio =
      total(minutesIn(burst, 10, 20), (m) => m.requests) /
      total(minutesIn(control, 10, 20), (m) => m.requests);
    expect(ratio).toBeGreaterThan(2.85);
    expect(ratio).toBeLessThan(3.15);
    const after =
      total(minutesIn(burst, 20, 30), (m) => m.requests) /
      total(minutesIn(control, 20, 30), (m) => m.requests);
    expect(after).toBeGreaterThan(0.95);
    expect(after).toBeLessThan(1.05);
  });

  it('changes nothing in the fleet for excess-capacity', () => {
    const marked = runToEnd(fault('excess-capacity'));
    const control = runToEnd(scenarioOf());

    expect(marked.minutes('api')).toEqual(control.minutes('api'));
    expect(marked.timeline().map((e) => e.kind)).toEqual(['fault-start', 'fault-end']);
  });
});

describe('Fleet model: dependency-slowdown with rampMinutes', () => {
  const slowdown: FaultSpec = {
    kind: 'dependency-slowdown',
    target: 'api',
    startMinute: 10,
    endMinute: 40,
    extraLatencyMillis: 400,
    rampMinutes: 20,
  };

  it('grows the extra latency linearly from 0 over rampMinutes, then holds it', () => {
    const extra = (minute: number) => faultEffectsAt([slowdown], 'api', minute).requiredDependencyExtraMillis;

    expect([9, 10, 15, 20, 25, 30, 35, 40].map(extra)).toEqual([0, 0, 100, 200, 300, 400, 400, 0]);
    expect(
      faultEffectsAt([{ ...slowdown, dependency: 'optional' }], 'api', 20).optionalDependencyExtraMillis,
    ).toBe(200);
  });

  it('shows as a median latency that climbs with the ramp', () => {
    const account = runToEnd(
      scenarioOf({
        durationMinutes: 40,
        functions: [fnData({ latencySigma: 0.1, dependency: { latencyMillis: 20 } })],
        faults: [slowdown as unknown as Record<string, unknown>],
      }),
    );
    const p50 = (minute: number) => account.minutes('api')[minute]?.p50Millis ?? Number.NaN;

    // 100 ms handler + 20 ms dependency + the ramp's share of 400 ms.
    for (const [minute, expected] of [
      [5, 120],
      [15, 220],
      [20, 320],
      [25, 420],
      [35, 520],
    ] as const) {
      expect(p50(minute)).toBeGreaterThan(expected * 0.95);
      expect(p50(minute)).toBeLessThan(expected * 1.05);
    }
  });
});
