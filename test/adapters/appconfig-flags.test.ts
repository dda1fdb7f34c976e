import {
  type AppConfigClient,
  BadRequestException,
  ConflictException,
  CreateHostedConfigurationVersionCommand,
  GetHostedConfigurationVersionCommand,
  InternalServerException,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
} from '@aws-sdk/client-appconfig';
import { describe, expect, it } from 'vitest';
import { AppConfigFeatureFlags } from '../../lambdas/adapters/appconfig-flags.js';
import { ActuationError, TransientAwsError } from '../../lambdas/core/errors.js';
import type { FlagPolicy } from '../../lambdas/core/types.js';
import { SimulatedAccount } from '../../sim/account.js';
import { createSimulatedClients } from '../../sim/sdk-boundary.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { sdkError } from '../../sim/services/sdk-errors.js';
import { makeFlag } from '../fixtures/policy.js';
import { MINUTE, scenarioWith } from '../sim/fixtures.js';

const KEY = 'skipOptionalDependency';
const SECOND = 1000;

/** The fixture scenario's account, a real AppConfigClient answered by it, and the adapter. */
function setup(overrides: Partial<FlagPolicy> = {}) {
  const account = new SimulatedAccount(scenarioWith());
  const client = createSimulatedClients(account).appconfig;
  const flag = makeFlag(KEY, ['latency-drift'], { ...appConfigIdsFor('orders'), ...overrides });
  return { account, client, flag, flags: new AppConfigFeatureFlags(client) };
}

/** A teammate's edit: a new hosted version that nobody deploys. */
async function createUndeployedVersion(client: AppConfigClient, flag: FlagPolicy): Promise<number> {
  const document = {
    version: '1',
    flags: { [KEY]: { name: KEY }, newCheckout: { name: 'newCheckout' } },
    values: { [KEY]: { enabled: true }, newCheckout: { enabled: true } },
  };
  const out = await client.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: flag.applicationId,
      ConfigurationProfileId: flag.configurationProfileId,
      ContentType: 'application/json',
      Content: new TextEncoder().encode(JSON.stringify(document)),
      Description: 'teammate: launch newCheckout',
    }),
  );
  return out.VersionNumber ?? 0;
}

async function versionNumbers(client: AppConfigClient, flag: FlagPolicy): Promise<number[]> {
  const out = await client.send(
    new ListHostedConfigurationVersionsCommand({
      ApplicationId: flag.applicationId,
      ConfigurationProfileId: flag.configurationProfileId,
    }),
  );
  return (out.Items ?? []).map((i) => i.VersionNumber ?? 0).sort((a, b) => a - b);
}

async function hostedDocument(client: AppConfigClient, flag: FlagPolicy, version: number): Promise<unknown> {
  const out = await client.send(
    new GetHostedConfigurationVersionCommand({
      ApplicationId: flag.applicationId,
      ConfigurationProfileId: flag.configurationProfileId,
      VersionNumber: version,
    }),
  );
  return JSON.parse(new TextDecoder().decode(out.Content));
}

async function newestDeployment(client: AppConfigClient, flag: FlagPolicy) {
  const out = await client.send(
    new ListDeploymentsCommand({ ApplicationId: flag.applicationId, EnvironmentId: flag.environmentId }),
  );
  return out.Items?.[0];
}

describe('AppConfigFeatureFlags: reads', () => {
  it('reads the deployed value while an undeployed hosted version holds another', async () => {
    const { client, flag, flags } = setup();
    await createUndeployedVersion(client, flag);

    expect(await flags.get(flag)).toBe(false);
  });

  it('reads false for a flag the deployed document does not define', async () => {
    const { flag, flags } = setup();

    expect(await flags.get({ ...flag, key: 'noSuchFlag' })).toBe(false);
  });

  it('reads the previous value until the deployment completes (bake included), then the new one', async () => {
    const { account, flag, flags } = setup({ deploymentStrategyId: 'AppConfig.AllAtOnce' });
    await flags.set(flag, true);

    account.advanceTo(account.clock.now() + 9 * MINUTE);
    expect(await flags.get(flag)).toBe(false);
    account.advanceTo(account.clock.now() + MINUTE);
    expect(await flags.get(flag)).toBe(true);
  });
});

describe('AppConfigFeatureFlags: set', () => {
  it("deploys the deployed document plus the flag change, not a teammate's undeployed edit", async () => {
    const { client, flag, flags } = setup();
    const teammate = await createUndeployedVersion(client, flag);

    const ref = await flags.set(flag, true);

    const created = teammate + 1;
    expect(ref).toBe(`version ${created} deployment 2`);
    expect(await hostedDocument(client, flag, created)).toEqual({
      version: '1',
      flags: { [KEY]: { name: KEY } },
      values: { [KEY]: { enabled: true } },
    });
    expect(await newestDeployment(client, flag)).toMatchObject({
      ConfigurationVersion: String(created),
      ConfigurationProfileId: flag.configurationProfileId,
      State: 'COMPLETE',
    });
    expect(await flags.get(flag)).toBe(true);
  });

  it('locks on the latest hosted version number', async () => {
    const { account, client, flag, flags } = setup();
    const teammate = await createUndeployedVersion(client, flag);

    await flags.set(flag, true);

    const creates = account.calls.filter((c) => c.commandName === 'CreateHostedConfigurationVersion');
    expect(creates.at(-1)?.input).toMatchObject({ LatestVersionNumber: teammate });
  });

  it('rejects a write that lost the optimistic lock with ActuationError', async () => {
    const { account, client, flag, flags } = setup();
    const before = await versionNumbers(client, flag);
    account.failNext(
      'CreateHostedConfigurationVersion',
      sdkError(ConflictException, 'LatestVersionNumber 1 does not match the latest version 2', 409),
    );

    const error = await flags.set(flag, true).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActuationError);
    expect((error as Error).message).toContain('is no longer the latest');
    expect(await versionNumbers(client, flag)).toEqual(before);
  });

  it('deletes the version it created when StartDeployment is rejected, leaving no orphan', async () => {
    const { account, client, flag, flags } = setup();
    const before = await versionNumbers(client, flag);
    account.failNext('StartDeployment', sdkError(BadRequestException, 'Configuration is invalid'));

    const error = await flags.set(flag, true).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActuationError);
    expect((error as Error).message).toContain('was deleted');
    expect(await versionNumbers(client, flag)).toEqual(before);
    expect(await flags.get(flag)).toBe(false);
  });

  it('deletes the version after a transient StartDeployment failure that started nothing', async () => {
    const { account, client, flag, flags } = setup();
    const before = await versionNumbers(client, flag);
    account.failNext('StartDeployment', sdkError(InternalServerException, 'try again', 500));

    await expect(flags.set(flag, true)).rejects.toBeInstanceOf(TransientAwsError);
    expect(await versionNumbers(client, flag)).toEqual(before);
  });
});

describe('AppConfigFeatureFlags: one deployment at a time', () => {
  it('reports a deployment in progress while it deploys and bakes, and none after', async () => {
    const { account, client, flag, flags } = setup({
      deploymentStrategyId: 'AppConfig.Linear50PercentEvery30Seconds', // 1 min deploy, 1 min bake
    });
    expect(await flags.deploymentInProgress(flag)).toBe(false);
    await flags.set(flag, true);
    const startedAt = account.clock.now();

    account.advanceTo(startedAt + 30 * SECOND);
    expect((await newestDeployment(client, flag))?.State).toBe('DEPLOYING');
    expect(await flags.deploymentInProgress(flag)).toBe(true);
    account.advanceTo(startedAt + 90 * SECOND);
    expect((await newestDeployment(client, flag))?.State).toBe('BAKING');
    expect(await flags.deploymentInProgress(flag)).toBe(true);
    expect(await flags.get(flag)).toBe(false);
    account.advanceTo(startedAt + 2 * MINUTE);
    expect((await newestDeployment(client, flag))?.State).toBe('COMPLETE');
    expect(await flags.deploymentInProgress(flag)).toBe(false);
    expect(await flags.get(flag)).toBe(true);
  });

  it('fails with an ActuationError naming the running deployment when another one is in progress', async () => {
    const { client, flag, flags } = setup({ deploymentStrategyId: 'AppConfig.AllAtOnce' });
    await flags.set(flag, true);
    const before = await versionNumbers(client, flag);

    const error = await flags.set(flag, false).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActuationError);
    expect((error as Error).message).toMatch(
      new RegExp(`another deployment to environment ${flag.environmentId} .*is in progress`),
    );
    expect((error as Error).cause).toMatchObject({ name: 'ConflictException' });
    expect(await versionNumbers(client, flag)).toEqual(before);
  });
});
