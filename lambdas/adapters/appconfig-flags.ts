import {
  type AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  DeleteHostedConfigurationVersionCommand,
  type DeploymentState,
  type DeploymentSummary,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { ActuationError } from '../core/errors.js';
import type { FeatureFlagPort } from '../core/ports.js';
import type { FlagPolicy } from '../core/types.js';
import { errorName, isTransient, rethrowTransient } from './aws-errors.js';

/**
 * An `AWS.AppConfig.FeatureFlags` document:
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-type-reference-feature-flags.html
 */
export interface FeatureFlagsDocument {
  version: '1';
  flags: Record<string, { name: string; [k: string]: unknown }>;
  values: Record<string, { enabled: boolean; [k: string]: unknown }>;
}

const REJECTIONS = new Set([
  'BadRequestException',
  'ResourceNotFoundException',
  'ConflictException',
  'AccessDeniedException',
]);

/**
 * Deployment states in which the environment is busy: AppConfig runs one deployment per
 * environment at a time and rejects another `StartDeployment` with `ConflictException`.
 * (`DeploymentState` also has the terminal `COMPLETE`, `ROLLED_BACK` and `REVERTED`.)
 */
const ACTIVE_STATES: ReadonlySet<DeploymentState> = new Set<DeploymentState>([
  'DEPLOYING',
  'BAKING',
  'ROLLING_BACK',
  'VALIDATING',
]);
const TERMINAL_STATES: ReadonlySet<DeploymentState> = new Set<DeploymentState>([
  'COMPLETE',
  'ROLLED_BACK',
  'REVERTED',
]);

/** Largest page `ListDeployments` and `ListHostedConfigurationVersions` accept. */
const PAGE_SIZE = 50;

/**
 * Reads and flips one flag of a hosted feature-flags profile.
 *
 * Reads follow what clients see: the configuration version of the environment's latest
 * `COMPLETE` deployment of the profile, not the latest hosted version (which may hold someone's
 * undeployed edits). With no completed deployment the environment serves nothing, so every flag
 * reads `false` (the AppConfig default for a flag without a value).
 *
 * A change is that deployed document plus the flag change, written as a new hosted version
 * (optimistically locked on the latest version number) and deployed. If the deployment cannot
 * be started, the new version is deleted so it never becomes the profile's orphaned "latest".
 */
export class AppConfigFeatureFlags implements FeatureFlagPort {
  constructor(private readonly client: AppConfigClient) {}

  async get(flag: FlagPolicy): Promise<boolean> {
    try {
      const deployed = await this.#deployed(flag);
      return deployed?.values[flag.key]?.enabled ?? false;
    } catch (error) {
      this.#translate(error, `read ${flag.key}`);
    }
  }

  async deploymentInProgress(flag: FlagPolicy): Promise<boolean> {
    try {
      // Newest first. A deployment can only start once the previous one ended, and ended
      // deployments stay ended, so the first terminal deployment settles the question.
      for await (const deployment of this.#deployments(flag)) {
        if (deployment.State && ACTIVE_STATES.has(deployment.State)) return true;
        if (deployment.State && TERMINAL_STATES.has(deployment.State)) return false;
      }
      return false;
    } catch (error) {
      this.#translate(error, `list deployments of ${flag.key}`);
    }
  }

  async stopDeployment(flag: FlagPolicy, deploymentNumber: number): Promise<void> {
    try {
      await this.client.send(
        new StopDeploymentCommand({
          ApplicationId: flag.applicationId,
          EnvironmentId: flag.environmentId,
          DeploymentNumber: deploymentNumber,
          AllowRevert: true,
        }),
      );
    } catch (error) {
      this.#translate(error, `stop deployment ${deploymentNumber} of ${flag.key}`);
    }
  }

  async set(flag: FlagPolicy, value: boolean): Promise<string> {
    const what = `set ${flag.key} = ${value}`;
    let deployed: FeatureFlagsDocument | null;
    let latest: number | null;
    try {
      [deployed, latest] = await Promise.all([this.#deployed(flag), this.#latestVersionNumber(flag)]);
    } catch (error) {
      this.#translate(error, what);
    }
    const next = withFlag(deployed ?? emptyDocument(), flag.key, value);
    let version: number;
    try {
      const created = await this.client.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          Content: new TextEncoder().encode(JSON.stringify(next)),
          ContentType: 'application/json',
          Description: `micromotion: ${flag.key} = ${value}`,
          ...(latest === null ? {} : { LatestVersionNumber: latest }),
        }),
      );
      if (created.VersionNumber === undefined) {
        throw new ActuationError(`AppConfig returned no version number for "${what}"`);
      }
      version = created.VersionNumber;
    } catch (error) {
      if (errorName(error) === 'ConflictException') {
        throw new ActuationError(
          `AppConfig rejected "${what}": hosted version ${latest} of profile ${flag.configurationProfileId} is no longer the latest (someone created a version meanwhile): ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.#translate(error, what);
    }
    try {
      const deployment = await this.client.send(
        new StartDeploymentCommand({
          ApplicationId: flag.applicationId,
          EnvironmentId: flag.environmentId,
          DeploymentStrategyId: flag.deploymentStrategyId,
          ConfigurationProfileId: flag.configurationProfileId,
          ConfigurationVersion: String(version),
          Description: `micromotion: ${flag.key} = ${value}`,
        }),
      );
      return `version ${version} deployment ${deployment.DeploymentNumber}`;
    } catch (error) {
      throw await this.#withdraw(flag, version, error, what);
    }
  }

  /**
   * After a failed `StartDeployment`: deletes the version `set` created and returns the error to
   * throw. After an ambiguous failure (timeout, 5xx) the deployment may have started anyway, so
   * the version is deleted only once the deployment list shows it was not deployed.
   */
  async #withdraw(flag: FlagPolicy, version: number, error: unknown, what: string): Promise<Error> {
    let note: string;
    try {
      if (isTransient(error) && (await this.#deploymentOf(flag, version))) {
        note = `; the deployment of version ${version} started anyway`;
      } else {
        await this.client.send(
          new DeleteHostedConfigurationVersionCommand({
            ApplicationId: flag.applicationId,
            ConfigurationProfileId: flag.configurationProfileId,
            VersionNumber: version,
          }),
        );
        note = `; undeployed version ${version} was deleted`;
      }
    } catch (cleanupError) {
      note = `; undeployed version ${version} could not be deleted (${errorName(cleanupError) || 'error'}: ${(cleanupError as Error)?.message}) and is now the latest hosted version`;
    }
    try {
      if (errorName(error) === 'ConflictException' && !isTransient(error)) {
        throw new ActuationError(
          `AppConfig rejected "${what}": another deployment to environment ${flag.environmentId} of application ${flag.applicationId} is in progress (AppConfig runs one at a time)${note}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.#translate(error, what, note);
    } catch (translated) {
      return translated as Error;
    }
  }

  /** The document of the environment's latest `COMPLETE` deployment of the flag's profile; null when none. */
  async #deployed(flag: FlagPolicy): Promise<FeatureFlagsDocument | null> {
    for await (const deployment of this.#deployments(flag)) {
      if (deployment.State !== 'COMPLETE') continue;
      if (deployment.ConfigurationProfileId !== flag.configurationProfileId) continue;
      const versionNumber = Number(deployment.ConfigurationVersion);
      if (!Number.isInteger(versionNumber)) {
        throw new ActuationError(
          `deployment ${deployment.DeploymentNumber} of profile ${flag.configurationProfileId} deployed version "${deployment.ConfigurationVersion}", which is not a hosted configuration version`,
        );
      }
      const out = await this.client.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          VersionNumber: versionNumber,
        }),
      );
      return parseFlagsDocument(out.Content, flag);
    }
    return null;
  }

  /** Whether a deployment of hosted `version` of the flag's profile exists. */
  async #deploymentOf(flag: FlagPolicy, version: number): Promise<boolean> {
    for await (const deployment of this.#deployments(flag)) {
      if (
        deployment.ConfigurationProfileId === flag.configurationProfileId &&
        deployment.ConfigurationVersion === String(version)
      ) {
        return true;
      }
      if (deployment.State && TERMINAL_STATES.has(deployment.State)) return false;
    }
    return false;
  }

  /** The deployments to the flag's environment, newest first (ListDeployments' documented order). */
  async *#deployments(flag: FlagPolicy): AsyncGenerator<DeploymentSummary> {
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListDeploymentsCommand({
          ApplicationId: flag.applicationId,
          EnvironmentId: flag.environmentId,
          MaxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      yield* page.Items ?? [];
      nextToken = page.NextToken;
    } while (nextToken);
  }

  /** The highest hosted version number of the profile (every page, any order); null when none. */
  async #latestVersionNumber(flag: FlagPolicy): Promise<number | null> {
    let latest: number | null = null;
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListHostedConfigurationVersionsCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          MaxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.VersionNumber !== undefined && (latest === null || item.VersionNumber > latest)) {
          latest = item.VersionNumber;
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return latest;
  }

  #translate(error: unknown, what: string, note = ''): never {
    if (error instanceof ActuationError) throw error;
    if (!isTransient(error) && REJECTIONS.has(errorName(error))) {
      throw new ActuationError(`AppConfig rejected "${what}"${note}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    rethrowTransient(error, `AppConfig ${what}${note}`);
  }
}

function emptyDocument(): FeatureFlagsDocument {
  return { version: '1', flags: {}, values: {} };
}

/** `document` with `key` defined and set to `value`; every other flag and attribute kept. */
export function withFlag(document: FeatureFlagsDocument, key: string, value: boolean): FeatureFlagsDocument {
  return {
    ...document,
    flags: { ...document.flags, [key]: document.flags[key] ?? { name: key } },
    values: { ...document.values, [key]: { ...document.values[key], enabled: value } },
  };
}

export function parseFlagsDocument(content: Uint8Array | undefined, flag: FlagPolicy): FeatureFlagsDocument {
  const text = content ? new TextDecoder().decode(content) : '';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ActuationError(
      `profile ${flag.configurationProfileId} does not hold a JSON feature-flags document`,
    );
  }
  const d = doc as Partial<FeatureFlagsDocument>;
  if (!d || typeof d !== 'object' || typeof d.flags !== 'object' || typeof d.values !== 'object') {
    throw new ActuationError(
      `profile ${flag.configurationProfileId} is not an AWS.AppConfig.FeatureFlags document`,
    );
  }
  return { version: '1', flags: d.flags ?? {}, values: d.values ?? {} };
}
