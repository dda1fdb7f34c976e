import type { AppConfigClient } from '@aws-sdk/client-appconfig';
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type {
  Clock,
  FeatureFlagPort,
  LedgerPort,
  MetricsReader,
  PolicyStore,
  ProvisionedConcurrencyPort,
} from '../core/ports.js';
import { AppConfigFeatureFlags } from './appconfig-flags.js';
import { CloudWatchMetricsReader } from './cloudwatch-metrics.js';
import { DynamoDbLedger } from './dynamodb-ledger.js';
import { LambdaProvisionedConcurrency } from './lambda-provisioned-concurrency.js';
import { SsmPolicyStore } from './ssm-policies.js';

/** The SDK clients the loop talks through. In Lambda they reach AWS; locally, the simulated account. */
export interface AwsClients {
  readonly cloudwatch: CloudWatchClient;
  readonly lambda: LambdaClient;
  readonly appconfig: AppConfigClient;
  readonly ssm: SSMClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly autoscaling: ApplicationAutoScalingClient;
}

/** Typed configuration of the loop handlers (read from the environment once, in the handler factory). */
export interface LoopConfig {
  readonly ledgerTableName: string;
  readonly policyParameterPrefix: string;
  readonly ledgerRetentionDays: number;
  readonly globalDryRun: boolean;
  readonly stateMachineArn: string;
  readonly alarmNamePrefix: string;
  /**
   * How long a target's lease lasts: the workflow's execution timeout, so no execution can
   * still be acting when another takes the lease.
   */
  readonly leaseSeconds: number;
  /** Lambda metrics arrive a few minutes late; Detect and Verify end their windows this far back. */
  readonly metricLagSeconds: number;
}

export type LogFn = (entry: Record<string, unknown>) => void;

export interface LoopDeps {
  readonly config: LoopConfig;
  readonly clock: Clock;
  readonly log: LogFn;
  readonly clients: AwsClients;
  readonly policies: PolicyStore;
  readonly metrics: MetricsReader;
  readonly provisionedConcurrency: ProvisionedConcurrencyPort;
  readonly flags: FeatureFlagPort;
  readonly ledger: LedgerPort;
}

/** Wires the adapters over a set of clients. The same wiring serves Lambda and the local run. */
export function createLoopDeps(clients: AwsClients, config: LoopConfig, clock: Clock, log: LogFn): LoopDeps {
  return {
    config,
    clock,
    log,
    clients,
    policies: new SsmPolicyStore(clients.ssm, config.policyParameterPrefix),
    metrics: new CloudWatchMetricsReader(clients.cloudwatch),
    provisionedConcurrency: new LambdaProvisionedConcurrency(clients.lambda, clients.autoscaling),
    flags: new AppConfigFeatureFlags(clients.appconfig),
    ledger: new DynamoDbLedger(clients.dynamodb, config.ledgerTableName),
  };
}
