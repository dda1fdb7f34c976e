import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { createLoopDeps, type LoopConfig, type LoopDeps } from '../adapters/loop-deps.js';
import { InvalidEventError } from '../core/errors.js';

export type Handler<T> = (event: unknown, context?: unknown) => Promise<T>;

/**
 * Reads the handler configuration from an environment. Called once per container, on the
 * first invocation (never at module load), so importing a handler has no side effects.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): LoopConfig {
  const days = Number(env.LEDGER_RETENTION_DAYS ?? '90');
  if (!Number.isFinite(days) || days <= 0) {
    throw new InvalidEventError(
      `LEDGER_RETENTION_DAYS must be a positive number; got ${env.LEDGER_RETENTION_DAYS}`,
    );
  }
  return {
    ledgerTableName: env.LEDGER_TABLE_NAME ?? '',
    policyParameterPrefix: env.POLICY_PARAMETER_PREFIX ?? '/micromotion/targets/',
    ledgerRetentionDays: days,
    globalDryRun: env.GLOBAL_DRY_RUN === 'true',
    stateMachineArn: env.STATE_MACHINE_ARN ?? '',
    alarmNamePrefix: env.ALARM_NAME_PREFIX ?? 'micromotion-',
    leaseSeconds: nonNegativeSeconds(env, 'LEASE_SECONDS', 7200),
    metricLagSeconds: nonNegativeSeconds(env, 'METRIC_LAG_SECONDS', 120),
  };
}

function nonNegativeSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidEventError(`${name} must be a number of seconds >= 0; got ${env[name]}`);
  }
  return value;
}

function depsFromEnv(): LoopDeps {
  const clients = {
    cloudwatch: new CloudWatchClient({}),
    lambda: new LambdaClient({}),
    appconfig: new AppConfigClient({}),
    ssm: new SSMClient({}),
    dynamodb: new DynamoDBClient({}),
    sfn: new SFNClient({}),
    autoscaling: new ApplicationAutoScalingClient({}),
  };
  return createLoopDeps(clients, configFromEnv(process.env), Date, (entry) =>
    console.log(JSON.stringify(entry)),
  );
}

/**
 * Wraps a state's logic in middy with the loop's middleware: a structured log line per
 * invocation and per failure, naming the error so the workflow's Catch can match it.
 */
export function withMiddleware<T>(stateName: string, deps: LoopDeps, logic: Handler<T>): Handler<T> {
  const wrapped = middy(async (event: unknown) => logic(event)).use({
    before: (request) => {
      const e = request.event as { target?: unknown; execution?: { name?: unknown } } | null;
      deps.log({ level: 'info', state: stateName, target: e?.target, execution: e?.execution?.name });
    },
    onError: (request) => {
      const error = request.error as Error | null;
      deps.log({ level: 'error', state: stateName, error: error?.name, message: error?.message });
    },
  });
  // Lambda passes its context; the local run and tests pass none.
  return (event, context) => wrapped(event, (context ?? {}) as Parameters<typeof wrapped>[1]);
}

/** The Lambda entry point: builds the deps from the environment on first use. */
export function lambdaEntry<T>(factory: (deps: LoopDeps) => Handler<T>): Handler<T> {
  let built: Handler<T> | undefined;
  return async (event: unknown, context?: unknown) => {
    built ??= factory(depsFromEnv());
    return built(event, context);
  };
}

/**
 * End (epoch ms, exclusive) of the newest complete metric period Detect and Verify may read:
 * now minus the metric lag, down to a period boundary.
 */
export function metricWindowEndMs(deps: LoopDeps, periodSeconds: number, dataUntil?: string): number {
  const periodMs = periodSeconds * 1000;
  const now = deps.clock.now();
  const lagged = Math.floor((now - deps.config.metricLagSeconds * 1000) / periodMs) * periodMs;
  // An alarm already saw data up to `dataUntil`: it is ingested, whatever the usual lag.
  const seen = dataUntil === undefined ? Number.NaN : Math.floor(Date.parse(dataUntil) / periodMs) * periodMs;
  return Number.isFinite(seen)
    ? Math.max(lagged, Math.min(seen, Math.floor(now / periodMs) * periodMs))
    : lagged;
}
