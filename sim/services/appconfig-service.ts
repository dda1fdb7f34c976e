import type {
  CreateHostedConfigurationVersionRequest,
  DeleteHostedConfigurationVersionRequest,
  Deployment,
  DeploymentState,
  DeploymentSummary,
  Deployments,
  GetDeploymentRequest,
  GetHostedConfigurationVersionRequest,
  GrowthType,
  HostedConfigurationVersion,
  HostedConfigurationVersions,
  ListDeploymentsRequest,
  ListHostedConfigurationVersionsRequest,
  StartDeploymentRequest,
  StopDeploymentRequest,
} from '@aws-sdk/client-appconfig';
import { BadRequestException, ConflictException, ResourceNotFoundException } from '@aws-sdk/client-appconfig';
import { APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS } from '../fleet/aws-behaviour.js';
import type { FunctionFleet } from '../fleet/function-fleet.js';
import { type AppConfigIds, appConfigIdsFor, SIM_DEPLOYMENT_STRATEGY_ID } from './appconfig-ids.js';
import { sdkError } from './sdk-errors.js';

/** A deployment strategy: how long a deployment rolls out and then bakes. */
export interface DeploymentStrategySpec {
  readonly Id: string;
  readonly Name: string;
  readonly DeploymentDurationInMinutes: number;
  readonly FinalBakeTimeInMinutes: number;
  readonly GrowthFactor: number;
  readonly GrowthType: GrowthType;
}

/** The feature-flag strategy the simulated account creates for every target: all at once, no bake. */
export const SIM_STRATEGY: DeploymentStrategySpec = {
  Id: SIM_DEPLOYMENT_STRATEGY_ID,
  Name: 'micromotion-immediate',
  DeploymentDurationInMinutes: 0,
  FinalBakeTimeInMinutes: 0,
  GrowthFactor: 100,
  GrowthType: 'LINEAR',
};

/**
 * AppConfig's predefined strategies, available in every account under these ids:
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-deployment-strategy-predefined.html
 */
export const PREDEFINED_STRATEGIES: readonly DeploymentStrategySpec[] = [
  {
    Id: 'AppConfig.AllAtOnce',
    Name: 'AppConfig.AllAtOnce',
    DeploymentDurationInMinutes: 0,
    FinalBakeTimeInMinutes: 10,
    GrowthFactor: 100,
    GrowthType: 'LINEAR',
  },
  {
    Id: 'AppConfig.Linear50PercentEvery30Seconds',
    Name: 'AppConfig.Linear50PercentEvery30Seconds',
    DeploymentDurationInMinutes: 1,
    FinalBakeTimeInMinutes: 1,
    GrowthFactor: 50,
    GrowthType: 'LINEAR',
  },
  {
    Id: 'AppConfig.Canary10Percent20Minutes',
    Name: 'AppConfig.Canary10Percent20Minutes',
    DeploymentDurationInMinutes: 20,
    FinalBakeTimeInMinutes: 10,
    GrowthFactor: 10,
    GrowthType: 'EXPONENTIAL',
  },
  {
    Id: 'AppConfig.Linear20PercentEvery6Minutes',
    Name: 'AppConfig.Linear20PercentEvery6Minutes',
    DeploymentDurationInMinutes: 30,
    FinalBakeTimeInMinutes: 30,
    GrowthFactor: 20,
    GrowthType: 'LINEAR',
  },
];

const STRATEGIES: ReadonlyMap<string, DeploymentStrategySpec> = new Map(
  [SIM_STRATEGY, ...PREDEFINED_STRATEGIES].map((s) => [s.Id, s]),
);

/** A completed deployment can be reverted (`StopDeployment` with `AllowRevert`) for 72 hours. */
const REVERT_WINDOW_MILLIS = 72 * 60 * 60_000;

interface StoredVersion {
  readonly versionNumber: number;
  readonly content: Uint8Array;
  readonly contentType: string;
  readonly description?: string;
  readonly versionLabel?: string;
}

interface StoredDeployment {
  readonly deploymentNumber: number;
  readonly configurationVersion: string;
  readonly description?: string;
  readonly startedAtMillis: number;
  readonly strategy: DeploymentStrategySpec;
  /** Flag values of the deployed version. */
  readonly values: ReadonlyMap<string, boolean>;
  /** Set by `StopDeployment`: the deployment ended early (in progress) or was reverted (complete). */
  stopped?: { readonly atMillis: number; readonly state: 'ROLLED_BACK' | 'REVERTED' };
}

interface FlagProfile {
  readonly fleet: FunctionFleet;
  readonly ids: AppConfigIds;
  versions: StoredVersion[];
  /** Hosted version numbers are never reused, even after a delete. */
  nextVersionNumber: number;
  readonly deployments: StoredDeployment[];
  /** Flag values the environment is rolling out or serving (what the fleet converges on). */
  deployed: Map<string, boolean>;
}

export interface AppConfigServiceContext {
  now(): number;
  /** A deployed flag value starts rolling out; every environment sees it at `effectiveAtMillis`. */
  onFlagChange?(fleet: FunctionFleet, key: string, value: boolean, effectiveAtMillis: number): void;
}

/** An `AWS.AppConfig.FeatureFlags` document. */
export function featureFlagsDocument(values: ReadonlyMap<string, boolean>): string {
  const flags: Record<string, { name: string }> = {};
  const enabled: Record<string, { enabled: boolean }> = {};
  for (const [key, value] of values) {
    flags[key] = { name: key };
    enabled[key] = { enabled: value };
  }
  return JSON.stringify({ version: '1', flags, values: enabled });
}

/**
 * AppConfig for the functions' feature flags: one application, environment and
 * `AWS.AppConfig.FeatureFlags` profile per function that has flags, hosted versions, and
 * deployments whose values reach the function's environments after the deployment and the
 * AppConfig Lambda extension's poll interval.
 */
export class AppConfigService {
  readonly #profiles: FlagProfile[] = [];
  readonly #context: AppConfigServiceContext;

  constructor(fleets: readonly FunctionFleet[], context: AppConfigServiceContext, createdAtMillis: number) {
    this.#context = context;
    for (const fleet of fleets) {
      const flags = fleet.spec.flags ?? [];
      if (flags.length === 0) continue;
      const initial = new Map(flags.map((f) => [f.key, f.initial]));
      this.#profiles.push({
        fleet,
        ids: appConfigIdsFor(fleet.spec.target),
        versions: [
          {
            versionNumber: 1,
            content: new TextEncoder().encode(featureFlagsDocument(initial)),
            contentType: 'application/json',
            description: 'Initial flags of the scenario',
          },
        ],
        nextVersionNumber: 2,
        deployments: [
          {
            deploymentNumber: 1,
            configurationVersion: '1',
            startedAtMillis: createdAtMillis,
            strategy: SIM_STRATEGY,
            values: initial,
          },
        ],
        deployed: new Map(initial),
      });
    }
  }

  listHostedConfigurationVersions(
    input: ListHostedConfigurationVersionsRequest,
  ): HostedConfigurationVersions {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    const all = [...profile.versions]
      .filter((v) => !input.VersionLabel || v.versionLabel === input.VersionLabel)
      .sort((a, b) => b.versionNumber - a.versionNumber);
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const max = input.MaxResults ?? 50;
    const page = all.slice(offset, offset + max);
    return {
      Items: page.map((v) => ({
        ApplicationId: profile.ids.applicationId,
        ConfigurationProfileId: profile.ids.configurationProfileId,
        VersionNumber: v.versionNumber,
        ContentType: v.contentType,
        ...(v.description === undefined ? {} : { Description: v.description }),
        ...(v.versionLabel === undefined ? {} : { VersionLabel: v.versionLabel }),
      })),
      ...(offset + max < all.length ? { NextToken: String(offset + max) } : {}),
    };
  }

  getHostedConfigurationVersion(input: GetHostedConfigurationVersionRequest): HostedConfigurationVersion {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    const version = profile.versions.find((v) => v.versionNumber === input.VersionNumber);
    if (!version) {
      throw sdkError(
        ResourceNotFoundException,
        `Hosted configuration version ${input.VersionNumber} not found`,
        404,
        {
          ResourceName: String(input.VersionNumber),
        },
      );
    }
    return this.#versionOutput(profile, version);
  }

  createHostedConfigurationVersion(
    input: CreateHostedConfigurationVersionRequest,
  ): HostedConfigurationVersion {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    if (!input.ContentType) throw sdkError(BadRequestException, 'ContentType is required');
    const raw = input.Content as Uint8Array | string | undefined;
    if (raw === undefined) throw sdkError(BadRequestException, 'Content is required');
    const content = typeof raw === 'string' ? new TextEncoder().encode(raw) : new Uint8Array(raw);
    parseFeatureFlags(new TextDecoder().decode(content));
    const latest = Math.max(0, ...profile.versions.map((v) => v.versionNumber));
    if (input.LatestVersionNumber !== undefined && input.LatestVersionNumber !== latest) {
      throw sdkError(
        ConflictException,
        `LatestVersionNumber ${input.LatestVersionNumber} does not match the latest version ${latest}`,
        409,
      );
    }
    const version: StoredVersion = {
      versionNumber: profile.nextVersionNumber,
      content,
      contentType: input.ContentType,
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.VersionLabel === undefined ? {} : { versionLabel: input.VersionLabel }),
    };
    profile.nextVersionNumber += 1;
    profile.versions.push(version);
    return this.#versionOutput(profile, version);
  }

  /**
   * What an operator does to change one flag: a new hosted version with `key` = `value` on top of
   * the values being served, deployed with `strategyId`. Returns the deployment number.
   */
  deployFlag(target: string, key: string, value: boolean, strategyId: string, description: string): number {
    const ids = appConfigIdsFor(target);
    const profile = this.#profile(ids.applicationId, ids.configurationProfileId);
    const values = new Map(profile.deployed);
    values.set(key, value);
    const version = this.createHostedConfigurationVersion({
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.configurationProfileId,
      Content: new TextEncoder().encode(featureFlagsDocument(values)),
      ContentType: 'application/json',
      Description: description,
    });
    const deployment = this.startDeployment({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.configurationProfileId,
      ConfigurationVersion: String(version.VersionNumber),
      DeploymentStrategyId: strategyId,
      Description: description,
    });
    return deployment.DeploymentNumber ?? 0;
  }

  /** Deletes a hosted version (HTTP 204, no body). Its number is not reused. */
  deleteHostedConfigurationVersion(input: DeleteHostedConfigurationVersionRequest): Record<string, never> {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    const index = profile.versions.findIndex((v) => v.versionNumber === input.VersionNumber);
    if (index < 0) {
      throw sdkError(
        ResourceNotFoundException,
        `Hosted configuration version ${input.VersionNumber} not found`,
        404,
        { ResourceName: String(input.VersionNumber) },
      );
    }
    profile.versions.splice(index, 1);
    return {};
  }

  /**
   * Starts a deployment with the strategy's timing: DEPLOYING for `DeploymentDurationInMinutes`,
   * BAKING for `FinalBakeTimeInMinutes`, then COMPLETE. The fleet starts converging on the new
   * values at once and sees them everywhere after the deployment time plus the extension's poll
   * interval. Only one deployment per environment may be running or baking (ConflictException).
   */
  startDeployment(input: StartDeploymentRequest): Deployment {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    if (input.EnvironmentId !== profile.ids.environmentId) {
      throw sdkError(ResourceNotFoundException, `Environment ${input.EnvironmentId} not found`, 404, {
        ResourceName: input.EnvironmentId,
      });
    }
    const strategy = STRATEGIES.get(input.DeploymentStrategyId ?? '');
    if (!strategy) {
      throw sdkError(
        ResourceNotFoundException,
        `Deployment strategy ${input.DeploymentStrategyId} not found`,
        404,
        { ResourceName: input.DeploymentStrategyId },
      );
    }
    const version = profile.versions.find((v) => String(v.versionNumber) === input.ConfigurationVersion);
    if (!version) {
      throw sdkError(
        BadRequestException,
        `Configuration version ${input.ConfigurationVersion} does not exist`,
      );
    }
    const now = this.#context.now();
    const running = profile.deployments.find((d) => isActive(stateOf(d, now)));
    if (running) {
      throw sdkError(
        ConflictException,
        `Deployment #${running.deploymentNumber} is already in progress on environment ${profile.ids.environmentId}`,
        409,
      );
    }
    const values = parseFeatureFlags(new TextDecoder().decode(version.content));
    const deployment: StoredDeployment = {
      deploymentNumber: profile.deployments.length + 1,
      configurationVersion: String(version.versionNumber),
      ...(input.Description === undefined ? {} : { description: input.Description }),
      startedAtMillis: now,
      strategy,
      values,
    };
    profile.deployments.push(deployment);
    this.#rollOut(profile, values, now, strategy.DeploymentDurationInMinutes * 60_000);
    return this.#deploymentOutput(profile, deployment, now);
  }

  /** The environment's deployments, newest first (descending deployment number), paginated. */
  listDeployments(input: ListDeploymentsRequest): Deployments {
    const profile = this.#environment(input.ApplicationId, input.EnvironmentId);
    const max = input.MaxResults ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) {
      throw sdkError(BadRequestException, `MaxResults must be between 1 and 50, not ${max}`);
    }
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw sdkError(BadRequestException, `NextToken ${input.NextToken} is not valid`);
    }
    const now = this.#context.now();
    const all = [...profile.deployments].sort((a, b) => b.deploymentNumber - a.deploymentNumber);
    const page = all.slice(offset, offset + max);
    return {
      Items: page.map((d) => this.#summary(profile, d, now)),
      ...(offset + max < all.length ? { NextToken: String(offset + max) } : {}),
    };
  }

  /**
   * Stops a deployment. Without `AllowRevert` only a DEPLOYING one can be stopped; it becomes
   * ROLLED_BACK. With `AllowRevert` a DEPLOYING or BAKING one becomes ROLLED_BACK and a COMPLETE
   * one (the environment's latest, within 72 hours) becomes REVERTED. Either way the environment
   * returns to the version of its previous completed deployment:
   * https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_StopDeployment.html
   */
  stopDeployment(input: StopDeploymentRequest): Deployment {
    const profile = this.#environment(input.ApplicationId, input.EnvironmentId);
    const deployment = this.#deployment(profile, input.DeploymentNumber);
    const now = this.#context.now();
    const state = stateOf(deployment, now);
    const allowRevert = input.AllowRevert === true;
    const latest = profile.deployments[profile.deployments.length - 1];
    let stoppedState: 'ROLLED_BACK' | 'REVERTED';
    if (state === 'DEPLOYING' || (state === 'BAKING' && allowRevert)) {
      stoppedState = 'ROLLED_BACK';
    } else if (
      state === 'COMPLETE' &&
      allowRevert &&
      deployment === latest &&
      now - completedAtMillis(deployment) <= REVERT_WINDOW_MILLIS
    ) {
      stoppedState = 'REVERTED';
    } else {
      throw sdkError(
        BadRequestException,
        `Deployment #${deployment.deploymentNumber} is ${state}${allowRevert ? '' : ' (AllowRevert not set)'} and cannot be stopped`,
      );
    }
    deployment.stopped = { atMillis: now, state: stoppedState };
    const previous = [...profile.deployments]
      .reverse()
      .find((d) => d !== deployment && stateOf(d, now) === 'COMPLETE');
    this.#rollOut(profile, previous?.values ?? new Map(), now, 0);
    return this.#deploymentOutput(profile, deployment, now);
  }

  getDeployment(input: GetDeploymentRequest): Deployment {
    const profile = this.#environment(input.ApplicationId, input.EnvironmentId);
    return this.#deploymentOutput(
      profile,
      this.#deployment(profile, input.DeploymentNumber),
      this.#context.now(),
    );
  }

  /** Starts moving the fleet to `values`: every environment sees them after `rolloutMillis` plus one extension poll. */
  #rollOut(
    profile: FlagProfile,
    values: ReadonlyMap<string, boolean>,
    now: number,
    rolloutMillis: number,
  ): void {
    const rampMillis = rolloutMillis + APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS * 1000;
    const next = new Map<string, boolean>();
    for (const key of profile.deployed.keys()) next.set(key, values.get(key) ?? false);
    for (const [key, value] of values) next.set(key, value);
    for (const [key, value] of next) {
      const rollout = profile.fleet.flag(key);
      if (!rollout || profile.deployed.get(key) === value) continue;
      rollout.change(value, now, rampMillis);
      this.#context.onFlagChange?.(profile.fleet, key, value, now + rampMillis);
    }
    profile.deployed = next;
  }

  #deployment(profile: FlagProfile, deploymentNumber: number | undefined): StoredDeployment {
    const deployment = profile.deployments.find((d) => d.deploymentNumber === deploymentNumber);
    if (!deployment) {
      throw sdkError(ResourceNotFoundException, `Deployment ${deploymentNumber} not found`, 404, {
        ResourceName: String(deploymentNumber),
      });
    }
    return deployment;
  }

  #environment(applicationId: string | undefined, environmentId: string | undefined): FlagProfile {
    const profile = this.#profiles.find(
      (p) => p.ids.applicationId === applicationId && p.ids.environmentId === environmentId,
    );
    if (!profile) {
      throw sdkError(
        ResourceNotFoundException,
        `Application ${applicationId} or environment ${environmentId} not found`,
        404,
      );
    }
    return profile;
  }

  #summary(profile: FlagProfile, d: StoredDeployment, now: number): DeploymentSummary {
    const state = stateOf(d, now);
    const ended = endedAtMillis(d, now);
    return {
      DeploymentNumber: d.deploymentNumber,
      ConfigurationProfileId: profile.ids.configurationProfileId,
      ConfigurationName: `${profile.fleet.spec.target}-flags`,
      ConfigurationVersion: d.configurationVersion,
      DeploymentDurationInMinutes: d.strategy.DeploymentDurationInMinutes,
      GrowthType: d.strategy.GrowthType,
      GrowthFactor: d.strategy.GrowthFactor,
      FinalBakeTimeInMinutes: d.strategy.FinalBakeTimeInMinutes,
      State: state,
      PercentageComplete: percentageComplete(d, now),
      StartedAt: new Date(d.startedAtMillis),
      ...(ended === null ? {} : { CompletedAt: new Date(ended) }),
    };
  }

  #deploymentOutput(profile: FlagProfile, d: StoredDeployment, now: number): Deployment {
    return {
      ApplicationId: profile.ids.applicationId,
      EnvironmentId: profile.ids.environmentId,
      DeploymentStrategyId: d.strategy.Id,
      ConfigurationLocationUri: 'hosted',
      ...(d.description === undefined ? {} : { Description: d.description }),
      ...this.#summary(profile, d, now),
    };
  }

  #versionOutput(profile: FlagProfile, v: StoredVersion): HostedConfigurationVersion {
    return {
      ApplicationId: profile.ids.applicationId,
      ConfigurationProfileId: profile.ids.configurationProfileId,
      VersionNumber: v.versionNumber,
      Content: new Uint8Array(v.content),
      ContentType: v.contentType,
      ...(v.description === undefined ? {} : { Description: v.description }),
      ...(v.versionLabel === undefined ? {} : { VersionLabel: v.versionLabel }),
    };
  }

  #profile(applicationId: string | undefined, profileId: string | undefined): FlagProfile {
    const app = this.#profiles.filter((p) => p.ids.applicationId === applicationId);
    if (app.length === 0) {
      throw sdkError(ResourceNotFoundException, `Application ${applicationId} not found`, 404, {
        ResourceName: applicationId,
      });
    }
    const profile = app.find((p) => p.ids.configurationProfileId === profileId);
    if (!profile) {
      throw sdkError(ResourceNotFoundException, `Configuration profile ${profileId} not found`, 404, {
        ResourceName: profileId,
      });
    }
    return profile;
  }
}

/** Parses an `AWS.AppConfig.FeatureFlags` document into flag → enabled; BadRequestException when malformed. */
export function parseFeatureFlags(text: string): Map<string, boolean> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw sdkError(
      BadRequestException,
      'Content is not valid JSON for an AWS.AppConfig.FeatureFlags profile',
    );
  }
  const d = doc as {
    version?: unknown;
    flags?: Record<string, unknown>;
    values?: Record<string, { enabled?: unknown }>;
  };
  if (
    d?.version !== '1' ||
    typeof d.flags !== 'object' ||
    d.flags === null ||
    typeof d.values !== 'object' ||
    d.values === null
  ) {
    throw sdkError(
      BadRequestException,
      'Content must be {"version":"1","flags":{...},"values":{...}} (AWS.AppConfig.FeatureFlags)',
    );
  }
  const values = new Map<string, boolean>();
  for (const key of Object.keys(d.flags)) {
    const enabled = d.values[key]?.enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw sdkError(BadRequestException, `values.${key}.enabled must be a boolean`);
    }
    values.set(key, enabled === true);
  }
  for (const key of Object.keys(d.values)) {
    if (!(key in d.flags))
      throw sdkError(BadRequestException, `values.${key} has no flag definition in flags`);
  }
  return values;
}

/** When a deployment finishes rolling out and baking (if nothing stops it). */
function completedAtMillis(d: StoredDeployment): number {
  return (
    d.startedAtMillis + (d.strategy.DeploymentDurationInMinutes + d.strategy.FinalBakeTimeInMinutes) * 60_000
  );
}

/** When the deployment ended (completed or stopped); null while it runs. */
function endedAtMillis(d: StoredDeployment, now: number): number | null {
  const completedAt = completedAtMillis(d);
  if (d.stopped && d.stopped.atMillis < completedAt) return d.stopped.atMillis;
  return now >= completedAt ? completedAt : null;
}

function stateOf(d: StoredDeployment, now: number): DeploymentState {
  if (d.stopped) return d.stopped.state;
  const deployedAt = d.startedAtMillis + d.strategy.DeploymentDurationInMinutes * 60_000;
  if (now < deployedAt) return 'DEPLOYING';
  if (now < completedAtMillis(d)) return 'BAKING';
  return 'COMPLETE';
}

/** Running or baking: the environment takes no other deployment meanwhile. */
function isActive(state: DeploymentState): boolean {
  return state === 'DEPLOYING' || state === 'BAKING' || state === 'ROLLING_BACK' || state === 'VALIDATING';
}

/** Share of targets offered the version (time-linear over the deployment duration; 100 once baking). */
function percentageComplete(d: StoredDeployment, now: number): number {
  const until = d.stopped ? Math.min(now, d.stopped.atMillis) : now;
  const durationMillis = d.strategy.DeploymentDurationInMinutes * 60_000;
  if (durationMillis === 0) return 100;
  return Math.min(100, Math.max(0, ((until - d.startedAtMillis) / durationMillis) * 100));
}
