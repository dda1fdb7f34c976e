import {
  type AppConfigClient,
  BadRequestException,
  ConflictException,
  CreateHostedConfigurationVersionCommand,
  DeleteHostedConfigurationVersionCommand,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  ResourceNotFoundException,
  StartDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS } from '../../sim/fleet/aws-behaviour.js';
import { createSimulatedClients } from '../../sim/sdk-boundary.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { featureFlagsDocument } from '../../sim/services/appconfig-service.js';
import { MINUTE, scenarioWith } from './fixtures.js';

const KEY = 'skipOptionalDependency';
const ids = appConfigIdsFor('orders');
const POLL_MILLIS = APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS * 1000;

function setup() {
  const account = new SimulatedAccount(scenarioWith());
  return { account, client: createSimulatedClients(account).appconfig };
}

async function createVersion(client: AppConfigClient, enabled: boolean): Promise<number> {
  const out = await client.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.configurationProfileId,
      ContentType: 'application/json',
      Content: new TextEncoder().encode(featureFlagsDocument(new Map([[KEY, enabled]]))),
    }),
  );
  return out.VersionNumber ?? 0;
}

function deploy(client: AppConfigClient, version: number, strategyId = ids.deploymentStrategyId) {
  return client.send(
    new StartDeploymentCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.configurationProfileId,
      DeploymentStrategyId: strategyId,
      ConfigurationVersion: String(version),
    }),
  );
}

function stop(client: AppConfigClient, deploymentNumber: number, allowRevert?: boolean) {
  return client.send(
    new StopDeploymentCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      DeploymentNumber: deploymentNumber,
      ...(allowRevert === undefined ? {} : { AllowRevert: allowRevert }),
    }),
  );
}

async function listDeployments(client: AppConfigClient, maxResults?: number, nextToken?: string) {
  return client.send(
    new ListDeploymentsCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ...(maxResults === undefined ? {} : { MaxResults: maxResults }),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    }),
  );
}

describe('AppConfig: deployment strategies and states', () => {
  it('deploys with AppConfig.AllAtOnce: at once, then bakes 10 minutes before COMPLETE', async () => {
    const { account, client } = setup();
    const started = await deploy(client, await createVersion(client, true), 'AppConfig.AllAtOnce');
    const startedAt = account.clock.now();

    expect(started).toMatchObject({
      DeploymentStrategyId: 'AppConfig.AllAtOnce',
      DeploymentDurationInMinutes: 0,
      FinalBakeTimeInMinutes: 10,
      State: 'BAKING',
      PercentageComplete: 100,
    });
    account.advanceTo(startedAt + 10 * MINUTE - 1000);
    expect((await listDeployments(client)).Items?.[0]?.State).toBe('BAKING');
    account.advanceTo(startedAt + 10 * MINUTE);
    expect((await listDeployments(client)).Items?.[0]).toMatchObject({
      State: 'COMPLETE',
      CompletedAt: new Date(startedAt + 10 * MINUTE),
    });
  });

  it('rolls a timed strategy out over its duration: DEPLOYING, then BAKING, then COMPLETE', async () => {
    const { account, client } = setup();
    await deploy(client, await createVersion(client, true), 'AppConfig.Canary10Percent20Minutes');
    const startedAt = account.clock.now();
    const flag = account.fleet('orders').flag(KEY);

    account.advanceTo(startedAt + 10 * MINUTE);
    expect((await listDeployments(client)).Items?.[0]).toMatchObject({
      State: 'DEPLOYING',
      PercentageComplete: 50,
    });
    expect(flag?.enabledShare(startedAt + 10 * MINUTE)).toBeLessThan(1);
    account.advanceTo(startedAt + 25 * MINUTE);
    expect((await listDeployments(client)).Items?.[0]?.State).toBe('BAKING');
    expect(flag?.enabledShare(startedAt + 20 * MINUTE + POLL_MILLIS)).toBe(1);
    account.advanceTo(startedAt + 30 * MINUTE);
    expect((await listDeployments(client)).Items?.[0]?.State).toBe('COMPLETE');
  });

  it('rejects an unknown deployment strategy with ResourceNotFoundException', async () => {
    const { client } = setup();
    const version = await createVersion(client, true);

    await expect(deploy(client, version, 'nosuchx')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('AppConfig: one deployment per environment', () => {
  it('rejects StartDeployment with ConflictException while another deployment bakes, and accepts it after', async () => {
    const { account, client } = setup();
    await deploy(client, await createVersion(client, true), 'AppConfig.AllAtOnce');
    const startedAt = account.clock.now();
    const next = await createVersion(client, false);

    await expect(deploy(client, next)).rejects.toBeInstanceOf(ConflictException);
    account.advanceTo(startedAt + 10 * MINUTE);
    await expect(deploy(client, next)).resolves.toMatchObject({ DeploymentNumber: 3, State: 'COMPLETE' });
  });
});

describe('AppConfig: ListDeployments', () => {
  it('lists the environment deployments newest first, a page at a time', async () => {
    const { client } = setup();
    await deploy(client, await createVersion(client, true));
    await deploy(client, await createVersion(client, false));

    const first = await listDeployments(client, 2);
    const second = await listDeployments(client, 2, first.NextToken);

    expect(first.Items?.map((d) => d.DeploymentNumber)).toEqual([3, 2]);
    expect(first.Items?.[0]).toMatchObject({
      ConfigurationProfileId: ids.configurationProfileId,
      ConfigurationVersion: '3',
      State: 'COMPLETE',
    });
    expect(second.Items?.map((d) => d.DeploymentNumber)).toEqual([1]);
    expect(second.NextToken).toBeUndefined();
  });

  it('rejects MaxResults above 50 with BadRequestException', async () => {
    const { client } = setup();

    await expect(listDeployments(client, 51)).rejects.toBeInstanceOf(BadRequestException);
  });
});

describe('AppConfig: StopDeployment', () => {
  it('rolls a running deployment back: ROLLED_BACK, and the fleet returns to the previous version', async () => {
    const { account, client } = setup();
    const started = await deploy(
      client,
      await createVersion(client, true),
      'AppConfig.Canary10Percent20Minutes',
    );
    const startedAt = account.clock.now();
    account.advanceTo(startedAt + 5 * MINUTE);
    const flag = account.fleet('orders').flag(KEY);
    expect(flag?.enabledShare(account.clock.now())).toBeGreaterThan(0);

    const stopped = await stop(client, started.DeploymentNumber ?? 0);

    const stoppedAt = account.clock.now();
    expect(stopped).toMatchObject({ State: 'ROLLED_BACK', CompletedAt: new Date(stoppedAt) });
    expect(flag?.enabledShare(stoppedAt + POLL_MILLIS)).toBe(0);
    expect((await listDeployments(client)).Items?.map((d) => d.State)).toEqual(['ROLLED_BACK', 'COMPLETE']);
  });

  it('rejects stopping a baking deployment without AllowRevert, and rolls it back with it', async () => {
    const { client } = setup();
    const started = await deploy(client, await createVersion(client, true), 'AppConfig.AllAtOnce');

    await expect(stop(client, started.DeploymentNumber ?? 0)).rejects.toBeInstanceOf(BadRequestException);
    await expect(stop(client, started.DeploymentNumber ?? 0, true)).resolves.toMatchObject({
      State: 'ROLLED_BACK',
    });
  });

  it('reverts a completed deployment with AllowRevert: REVERTED, and the previous version is served again', async () => {
    const { account, client } = setup();
    const started = await deploy(client, await createVersion(client, true));
    const flag = account.fleet('orders').flag(KEY);

    const reverted = await stop(client, started.DeploymentNumber ?? 0, true);

    expect(reverted.State).toBe('REVERTED');
    expect(flag?.enabledShare(account.clock.now() + POLL_MILLIS)).toBe(0);
    expect(
      account
        .timeline()
        .filter((e) => e.kind === 'flag-deployed')
        .map((e) => e.detail),
    ).toEqual([`${KEY}=true`, `${KEY}=false`]);
  });
});

describe('AppConfig: DeleteHostedConfigurationVersion', () => {
  it('deletes a version, never reuses its number, and rejects an unknown one with ResourceNotFoundException', async () => {
    const { client } = setup();
    const version = await createVersion(client, true);
    const remove = () =>
      client.send(
        new DeleteHostedConfigurationVersionCommand({
          ApplicationId: ids.applicationId,
          ConfigurationProfileId: ids.configurationProfileId,
          VersionNumber: version,
        }),
      );

    await remove();

    await expect(
      client.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: ids.applicationId,
          ConfigurationProfileId: ids.configurationProfileId,
          VersionNumber: version,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(remove()).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(await createVersion(client, true)).toBe(version + 1);
  });
});
