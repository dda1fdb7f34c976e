import type { Deployments } from '@aws-sdk/client-appconfig';
import type { SimulatedAccount } from '../account.js';
import type { AlarmSpec } from '../cloudwatch/alarm-spec.js';
import type { FunctionSpec } from '../scenario-types.js';
import { appConfigIdsFor } from '../services/appconfig-ids.js';
import { aliasDimensions } from './alias-dimensions.js';
import type { Peer, PeerAction } from './peer.js';

/**
 * AppConfig's own safety net for a flag change: a CloudWatch alarm attached to the environment
 * as a monitor. "If an alarm is triggered during a deployment [or its bake time], AWS AppConfig
 * automatically rolls back" — https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-environment.html
 * (monitors) and https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-deployment-strategy.html
 * (FinalBakeTimeInMinutes). After the bake time the deployment is COMPLETE and the monitor no
 * longer rolls it back. The alarm is a static threshold on the error rate at the SLO, 2 of 2
 * one-minute datapoints (metric math 100 × Errors / Invocations). It applies to functions with
 * feature flags; scenarios without a flag change give it nothing to do.
 */
export const ROLLBACK_ALARM = { evaluationPeriods: 2, datapointsToAlarm: 2 } as const;

function errorRateAlarm(fn: FunctionSpec, name: string): AlarmSpec {
  const slo = fn.slo ?? fn.compensator?.slo;
  const dimensions = aliasDimensions(fn);
  const metric = (id: string, metricName: string) => ({
    id,
    namespace: 'AWS/Lambda',
    metricName,
    dimensions,
    periodSeconds: 60,
    stat: 'Sum',
  });
  return {
    alarmName: name,
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: ROLLBACK_ALARM.evaluationPeriods,
    datapointsToAlarm: ROLLBACK_ALARM.datapointsToAlarm,
    treatMissingData: 'notBreaching',
    metric: metric('errors', 'Errors'),
    ratio: {
      denominator: metric('invocations', 'Invocations'),
      scale: 100,
      expression: '100 * errors / invocations',
    },
    threshold: { kind: 'static', value: slo?.errorRatePercent ?? 1 },
  };
}

export function staticRollback(): Peer {
  const actions: PeerAction[] = [];
  const monitored: { fn: FunctionSpec; alarm: string }[] = [];
  return {
    name: 'static-rollback',
    appliesTo: (scenario) => (scenario.faults ?? []).some((f) => f.kind === 'config-change'),
    actions,
    attach(account) {
      for (const fn of account.scenario.functions) {
        if ((fn.flags ?? []).length === 0) continue;
        const alarm = `AppConfigMonitor-${fn.functionName}-ErrorRate`;
        account.addAlarms([errorRateAlarm(fn, alarm)]);
        monitored.push({ fn, alarm });
      }
    },
    async tick(account, nowMillis) {
      for (const { fn, alarm } of monitored) {
        if (account.alarm(alarm).state !== 'ALARM') continue;
        const active = await activeDeployment(account, fn);
        if (active === null) continue;
        const ids = appConfigIdsFor(fn.target);
        try {
          await account.handle('AppConfig', 'StopDeployment', {
            ApplicationId: ids.applicationId,
            EnvironmentId: ids.environmentId,
            DeploymentNumber: active,
            AllowRevert: true,
          });
        } catch {
          // The deployment completed or was stopped meanwhile: nothing to roll back.
          continue;
        }
        actions.push({
          atMillis: nowMillis,
          target: fn.target,
          kind: 'rollback',
          detail: `alarm ${alarm} during deployment #${active}: rolled back`,
        });
      }
    },
  };
}

/** The deployment that is rolling out or baking, if any (ListDeployments, newest first). */
async function activeDeployment(account: SimulatedAccount, fn: FunctionSpec): Promise<number | null> {
  const ids = appConfigIdsFor(fn.target);
  const page = (await account.handle('AppConfig', 'ListDeployments', {
    ApplicationId: ids.applicationId,
    EnvironmentId: ids.environmentId,
  })) as Deployments;
  const active = page.Items?.find((d) => d.State === 'DEPLOYING' || d.State === 'BAKING');
  return active?.DeploymentNumber ?? null;
}
