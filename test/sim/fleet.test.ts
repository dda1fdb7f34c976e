import { ProvisionedConcurrencyConfigNotFoundException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS } from '../../sim/fleet/aws-behaviour.js';
import { loadScenario } from '../../sim/scenario.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { featureFlagsDocument } from '../../sim/services/appconfig-service.js';
import { FIXTURE_SCENARIO_PATH, MINUTE, scenarioWith } from './fixtures.js';

const at = (account: SimulatedAccount, minute: number): number => account.startMillis + minute * MINUTE;
const sumOver = (
  account: SimulatedAccount,
  from: number,
  to: number,
  f: (m: { coldStarts: number; spilloverInvocations: number }) => number,
) =>
  account
    .minutes('orders')
    .filter((m) => m.minute >= from && m.minute < to)
    .reduce((acc, m) => acc + f(m), 0);

describe('Fleet: the default scenario without compensation', () => {
  it('breaches the p95 SLO during the burst and not before the fault', async () => {
    const account = new SimulatedAccount(await loadScenario(FIXTURE_SCENARIO_PATH));
    account.advanceTo(account.endMillis);

    const minutes = account.minutes('orders');
    expect(minutes).toHaveLength(90);
    const burst = minutes.filter((m) => m.minute >= 40 && m.minute < 60);
    expect(burst.every((m) => m.sloBreached && m.p95Millis > 300)).toBe(true);
    expect(minutes.filter((m) => m.minute < 30).some((m) => m.sloBreached)).toBe(false);
    expect(account.summary().sloMinutesBreached).toBeGreaterThanOrEqual(20);
    // The burst onset spills over provisioned concurrency into cold starts.
    const onset = minutes.find((m) => m.minute === 40);
    expect(onset?.coldStarts).toBeGreaterThan(20);
    expect(onset?.spilloverInvocations).toBeGreaterThan((onset?.invocations ?? 0) / 2);
  });

  it('is deterministic for a seed', async () => {
    const scenario = await loadScenario(FIXTURE_SCENARIO_PATH);
    const run = () => {
      const account = new SimulatedAccount(scenario);
      account.advanceTo(at(account, 45));
      return account.minutes('orders').map((m) => [m.invocations, m.p95Millis, m.coldStarts]);
    };
    expect(run()).toEqual(run());
  });
});

describe('Fleet: provisioned concurrency', () => {
  it('answers ProvisionedConcurrencyConfigNotFoundException when none is configured', async () => {
    const account = new SimulatedAccount(scenarioWith((fn) => (fn.initialProvisionedConcurrency = 0)));
    await expect(
      account.handle('LambdaClient', 'GetProvisionedConcurrencyConfigCommand', {
        FunctionName: 'orders-api',
        Qualifier: 'live',
      }),
    ).rejects.toBeInstanceOf(ProvisionedConcurrencyConfigNotFoundException);
  });

  it('reports IN_PROGRESS until the allocation delay has passed, then READY', async () => {
    const account = new SimulatedAccount(scenarioWith());
    account.advanceTo(at(account, 10));
    const put = (await account.handle('Lambda', 'PutProvisionedConcurrencyConfig', {
      FunctionName: 'orders-api',
      Qualifier: 'live',
      ProvisionedConcurrentExecutions: 40,
    })) as { Status: string; AllocatedProvisionedConcurrentExecutions: number };
    expect(put).toMatchObject({ Status: 'IN_PROGRESS', AllocatedProvisionedConcurrentExecutions: 4 });
    const get = () =>
      account.handle('Lambda', 'GetProvisionedConcurrencyConfig', {
        FunctionName: 'orders-api',
        Qualifier: 'live',
      });

    account.advanceTo(at(account, 10) + 59_000);
    expect(await get()).toMatchObject({
      Status: 'IN_PROGRESS',
      RequestedProvisionedConcurrentExecutions: 40,
    });
    account.advanceTo(at(account, 12) + 10_000);
    expect(await get()).toMatchObject({ Status: 'READY', AllocatedProvisionedConcurrentExecutions: 40 });
    expect(account.timeline().map((e) => e.kind)).toContain('pc-allocation-complete');
  });

  it('rejects a value below 1 with the SDK exception', async () => {
    const account = new SimulatedAccount(scenarioWith());
    await expect(
      account.handle('Lambda', 'PutProvisionedConcurrencyConfig', {
        FunctionName: 'orders-api',
        Qualifier: 'live',
        ProvisionedConcurrentExecutions: 0,
      }),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('removes spillover and cold starts of the burst when raised before it, and not when raised too late', async () => {
    const scenario = scenarioWith(undefined, (s) => (s.faults = []));
    const runWithPcAt = (minute: number | null): SimulatedAccount => {
      const account = new SimulatedAccount(scenario);
      if (minute !== null) {
        account.advanceTo(at(account, minute));
        void account.handle('Lambda', 'PutProvisionedConcurrencyConfig', {
          FunctionName: 'orders-api',
          Qualifier: 'live',
          ProvisionedConcurrentExecutions: 45,
        });
      }
      account.advanceTo(at(account, 50));
      return account;
    };
    const none = runWithPcAt(null);
    const early = runWithPcAt(37);
    const late = runWithPcAt(39.8);

    const cold = (a: SimulatedAccount) => sumOver(a, 40, 41, (m) => m.coldStarts);
    const spill = (a: SimulatedAccount) => sumOver(a, 43, 50, (m) => m.spilloverInvocations);
    expect(cold(none)).toBeGreaterThan(20);
    expect(cold(early)).toBe(0);
    expect(cold(late)).toBeGreaterThan(20); // the allocation delay has not passed at the onset
    expect(spill(early)).toBeLessThan(spill(none) / 100);
    expect(spill(late)).toBeLessThan(spill(none) / 100); // ready within two minutes
  });
});

describe('Fleet: feature flags through AppConfig', () => {
  it('takes effect only after the deployment and the extension poll interval', async () => {
    const account = new SimulatedAccount(await loadScenario(FIXTURE_SCENARIO_PATH));
    const ids = appConfigIdsFor('orders');
    account.advanceTo(at(account, 35));
    const created = (await account.handle('AppConfig', 'CreateHostedConfigurationVersion', {
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.configurationProfileId,
      ContentType: 'application/json',
      Content: new TextEncoder().encode(featureFlagsDocument(new Map([['skipOptionalDependency', true]]))),
    })) as { VersionNumber: number };
    const deployedAt = account.clock.now();
    await account.handle('AppConfig', 'StartDeployment', {
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.configurationProfileId,
      DeploymentStrategyId: ids.deploymentStrategyId,
      ConfigurationVersion: String(created.VersionNumber),
    });
    const flag = account.fleet('orders').flag('skipOptionalDependency');
    const pollMillis = APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS * 1000;
    expect(flag?.enabledShare(deployedAt)).toBe(0);
    expect(flag?.enabledShare(deployedAt + pollMillis / 2)).toBeLessThan(1);
    expect(flag?.enabledShare(deployedAt + pollMillis)).toBe(1);

    account.advanceTo(at(account, 38));
    const minutes = account.minutes('orders');
    const before = minutes.find((m) => m.minute === 34);
    const after = minutes.find((m) => m.minute === 37);
    expect(before?.p95Millis).toBeGreaterThan(300);
    expect(after?.p95Millis).toBeLessThan(250); // the slow optional dependency is skipped
    const effective = account.timeline().find((e) => e.kind === 'flag-effective');
    expect(effective?.atMillis).toBe(deployedAt + pollMillis);
  });
});
