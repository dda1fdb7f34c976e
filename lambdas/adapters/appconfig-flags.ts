import {
  type AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetHostedConfigurationVersionCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
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
 * Reads and flips one flag of a hosted feature-flags profile. A change is a new hosted
 * configuration version (optimistically locked on the latest version number) and a deployment.
 */
export class AppConfigFeatureFlags implements FeatureFlagPort {
  constructor(private readonly client: AppConfigClient) {}

  async get(flag: FlagPolicy): Promise<boolean> {
    const { document } = await this.latest(flag);
    return document.values[flag.key]?.enabled ?? false;
  }

  async set(flag: FlagPolicy, value: boolean): Promise<string> {
    const { document, version } = await this.latest(flag);
    const next: FeatureFlagsDocument = {
      ...document,
      flags: { ...document.flags, [flag.key]: document.flags[flag.key] ?? { name: flag.key } },
      values: { ...document.values, [flag.key]: { ...document.values[flag.key], enabled: value } },
    };
    try {
      const created = await this.client.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          Content: new TextEncoder().encode(JSON.stringify(next)),
          ContentType: 'application/json',
          Description: `micromotion: ${flag.key} = ${value}`,
          ...(version === null ? {} : { LatestVersionNumber: version }),
        }),
      );
      const deployment = await this.client.send(
        new StartDeploymentCommand({
          ApplicationId: flag.applicationId,
          EnvironmentId: flag.environmentId,
          DeploymentStrategyId: flag.deploymentStrategyId,
          ConfigurationProfileId: flag.configurationProfileId,
          ConfigurationVersion: String(created.VersionNumber),
          Description: `micromotion: ${flag.key} = ${value}`,
        }),
      );
      return `version ${created.VersionNumber} deployment ${deployment.DeploymentNumber}`;
    } catch (error) {
      this.translate(error, `set ${flag.key} = ${value}`);
    }
  }

  private async latest(
    flag: FlagPolicy,
  ): Promise<{ document: FeatureFlagsDocument; version: number | null }> {
    try {
      const list = await this.client.send(
        new ListHostedConfigurationVersionsCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          MaxResults: 50,
        }),
      );
      const versions = (list.Items ?? []).map((i) => i.VersionNumber ?? 0);
      if (versions.length === 0) return { document: { version: '1', flags: {}, values: {} }, version: null };
      const version = Math.max(...versions);
      const out = await this.client.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: flag.applicationId,
          ConfigurationProfileId: flag.configurationProfileId,
          VersionNumber: version,
        }),
      );
      return { document: parseFlagsDocument(out.Content, flag), version };
    } catch (error) {
      this.translate(error, `read ${flag.key}`);
    }
  }

  private translate(error: unknown, what: string): never {
    if (error instanceof ActuationError) throw error;
    if (!isTransient(error) && REJECTIONS.has(errorName(error))) {
      throw new ActuationError(`AppConfig rejected "${what}": ${(error as Error).message}`, { cause: error });
    }
    rethrowTransient(error, `AppConfig ${what}`);
  }
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
