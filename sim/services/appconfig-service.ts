import type {
  CreateHostedConfigurationVersionRequest,
  Deployment,
  GetDeploymentRequest,
  GetHostedConfigurationVersionRequest,
  HostedConfigurationVersion,
  HostedConfigurationVersions,
  ListHostedConfigurationVersionsRequest,
  StartDeploymentRequest,
} from '@aws-sdk/client-appconfig';
import { BadRequestException, ConflictException, ResourceNotFoundException } from '@aws-sdk/client-appconfig';
import { APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS } from '../fleet/aws-behaviour.js';
import type { FunctionFleet } from '../fleet/function-fleet.js';
import { type AppConfigIds, appConfigIdsFor } from './appconfig-ids.js';
import { sdkError } from './sdk-errors.js';

/** The feature-flag strategy the simulated account creates: all at once, no bake. */
const STRATEGY = {
  Name: 'micromotion-immediate',
  DeploymentDurationInMinutes: 0,
  FinalBakeTimeInMinutes: 0,
  GrowthFactor: 100,
  GrowthType: 'LINEAR',
} as const;

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
}

interface FlagProfile {
  readonly fleet: FunctionFleet;
  readonly ids: AppConfigIds;
  readonly versions: StoredVersion[];
  readonly deployments: StoredDeployment[];
  /** Flag values of the latest deployment. */
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
        deployments: [{ deploymentNumber: 1, configurationVersion: '1', startedAtMillis: createdAtMillis }],
        deployed: initial,
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
    const latest = profile.versions[profile.versions.length - 1]?.versionNumber ?? 0;
    if (input.LatestVersionNumber !== undefined && input.LatestVersionNumber !== latest) {
      throw sdkError(
        ConflictException,
        `LatestVersionNumber ${input.LatestVersionNumber} does not match the latest version ${latest}`,
        409,
      );
    }
    const version: StoredVersion = {
      versionNumber: latest + 1,
      content,
      contentType: input.ContentType,
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.VersionLabel === undefined ? {} : { versionLabel: input.VersionLabel }),
    };
    profile.versions.push(version);
    return this.#versionOutput(profile, version);
  }

  startDeployment(input: StartDeploymentRequest): Deployment {
    const profile = this.#profile(input.ApplicationId, input.ConfigurationProfileId);
    if (input.EnvironmentId !== profile.ids.environmentId) {
      throw sdkError(ResourceNotFoundException, `Environment ${input.EnvironmentId} not found`, 404, {
        ResourceName: input.EnvironmentId,
      });
    }
    if (input.DeploymentStrategyId !== profile.ids.deploymentStrategyId) {
      throw sdkError(
        ResourceNotFoundException,
        `Deployment strategy ${input.DeploymentStrategyId} not found`,
        404,
        {
          ResourceName: input.DeploymentStrategyId,
        },
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
    const running = profile.deployments.find((d) => this.#state(d, now) !== 'COMPLETE');
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
    };
    profile.deployments.push(deployment);
    const rampMillis =
      (STRATEGY.DeploymentDurationInMinutes * 60 + APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS) * 1000;
    for (const [key, value] of values) {
      const rollout = profile.fleet.flag(key);
      if (!rollout || profile.deployed.get(key) === value) continue;
      rollout.change(value, now, rampMillis);
      this.#context.onFlagChange?.(profile.fleet, key, value, now + rampMillis);
    }
    profile.deployed = new Map([...profile.deployed, ...values]);
    return this.#deploymentOutput(profile, deployment, now);
  }

  getDeployment(input: GetDeploymentRequest): Deployment {
    const profile = this.#profiles.find(
      (p) => p.ids.applicationId === input.ApplicationId && p.ids.environmentId === input.EnvironmentId,
    );
    if (!profile) {
      throw sdkError(
        ResourceNotFoundException,
        `Application ${input.ApplicationId} or environment ${input.EnvironmentId} not found`,
        404,
      );
    }
    const deployment = profile.deployments.find((d) => d.deploymentNumber === input.DeploymentNumber);
    if (!deployment) {
      throw sdkError(ResourceNotFoundException, `Deployment ${input.DeploymentNumber} not found`, 404, {
        ResourceName: String(input.DeploymentNumber),
      });
    }
    return this.#deploymentOutput(profile, deployment, this.#context.now());
  }

  #state(deployment: StoredDeployment, now: number): 'DEPLOYING' | 'BAKING' | 'COMPLETE' {
    const deployedAt = deployment.startedAtMillis + STRATEGY.DeploymentDurationInMinutes * 60_000;
    if (now < deployedAt) return 'DEPLOYING';
    if (now < deployedAt + STRATEGY.FinalBakeTimeInMinutes * 60_000) return 'BAKING';
    return 'COMPLETE';
  }

  #deploymentOutput(profile: FlagProfile, d: StoredDeployment, now: number): Deployment {
    const state = this.#state(d, now);
    const durationMillis = STRATEGY.DeploymentDurationInMinutes * 60_000;
    const percentage =
      durationMillis === 0 ? 100 : Math.min(100, ((now - d.startedAtMillis) / durationMillis) * 100);
    return {
      ApplicationId: profile.ids.applicationId,
      EnvironmentId: profile.ids.environmentId,
      DeploymentStrategyId: profile.ids.deploymentStrategyId,
      ConfigurationProfileId: profile.ids.configurationProfileId,
      DeploymentNumber: d.deploymentNumber,
      ConfigurationName: `${profile.fleet.spec.target}-flags`,
      ConfigurationLocationUri: 'hosted',
      ConfigurationVersion: d.configurationVersion,
      ...(d.description === undefined ? {} : { Description: d.description }),
      DeploymentDurationInMinutes: STRATEGY.DeploymentDurationInMinutes,
      GrowthType: STRATEGY.GrowthType,
      GrowthFactor: STRATEGY.GrowthFactor,
      FinalBakeTimeInMinutes: STRATEGY.FinalBakeTimeInMinutes,
      State: state,
      PercentageComplete: percentage,
      StartedAt: new Date(d.startedAtMillis),
      ...(state === 'COMPLETE'
        ? {
            CompletedAt: new Date(
              d.startedAtMillis + durationMillis + STRATEGY.FinalBakeTimeInMinutes * 60_000,
            ),
          }
        : {}),
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
