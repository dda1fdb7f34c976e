import type { SimulatedAccount } from '../account.js';
import type { AlarmMetric, AlarmSpec } from '../cloudwatch/alarm-spec.js';
import type { FunctionSpec } from '../scenario-types.js';
import { aliasDimensions } from './alias-dimensions.js';
import type { Peer, PeerAction } from './peer.js';

/**
 * Application Auto Scaling target tracking on `LambdaProvisionedConcurrencyUtilization`, as
 * "Configuring provisioned concurrency — Application Auto Scaling" describes it
 * (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html#managing-provisioned-concurency)
 * and "Target tracking scaling policies" (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html):
 * - the policy creates two CloudWatch alarms on the alias's utilization, Average statistic,
 *   1-minute periods: scale out when 3 datapoints in a row are above the target, scale in
 *   when 15 in a row are below 90 % of it;
 * - each scaling sets capacity to ceil(current × metric / target), within the scalable
 *   target's min and max (the compensator's PC bounds here);
 * - the default cooldowns for Lambda provisioned concurrency are 0 s (scaleOutCooldown and
 *   scaleInCooldown in TargetTrackingScalingPolicyConfiguration);
 * - with no provisioned concurrency allocated there is no utilization datapoint, so the alarms
 *   stay INSUFFICIENT_DATA and nothing scales;
 * - a scaling activity is in progress until the resource reaches the new capacity (the PC
 *   configuration is IN_PROGRESS while Lambda allocates it); no new activity starts meanwhile
 *   ("Scaling activities for Application Auto Scaling" —
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scaling-activities.html).
 */
export const TARGET_TRACKING = {
  targetValue: 0.7,
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInThresholdShare: 0.9,
} as const;

interface Tracked {
  readonly fn: FunctionSpec;
  readonly min: number;
  readonly max: number;
  readonly high: string;
  readonly low: string;
}

/** `LambdaProvisionedConcurrencyUtilization`: the alias's utilization, 1-minute Average. */
function utilizationMetric(fn: FunctionSpec): AlarmMetric {
  return {
    id: 'm1',
    namespace: 'AWS/Lambda',
    metricName: 'ProvisionedConcurrencyUtilization',
    dimensions: aliasDimensions(fn),
    periodSeconds: 60,
    stat: 'Average',
  };
}

function utilizationAlarm(fn: FunctionSpec, name: string, high: boolean): AlarmSpec {
  const datapoints = high ? TARGET_TRACKING.scaleOutDatapoints : TARGET_TRACKING.scaleInDatapoints;
  return {
    alarmName: name,
    comparisonOperator: high ? 'GreaterThanThreshold' : 'LessThanThreshold',
    evaluationPeriods: datapoints,
    datapointsToAlarm: datapoints,
    treatMissingData: 'missing',
    metric: utilizationMetric(fn),
    threshold: {
      kind: 'static',
      value: high
        ? TARGET_TRACKING.targetValue
        : TARGET_TRACKING.targetValue * TARGET_TRACKING.scaleInThresholdShare,
    },
  };
}

/** The newest 1-minute Average utilization of the alias, or null when there is none. */
function latestUtilization(account: SimulatedAccount, fn: FunctionSpec, nowMillis: number): number | null {
  const metric = utilizationMetric(fn);
  const from = nowMillis - 5 * 60_000;
  const last = account.metrics.aggregate(metric, from, nowMillis, 60, nowMillis).at(-1);
  return last === undefined || last.set.sampleCount === 0 ? null : last.set.sum / last.set.sampleCount;
}

export function targetTracking(): Peer {
  const actions: PeerAction[] = [];
  const tracked: Tracked[] = [];
  return {
    name: 'target-tracking',
    appliesTo: (scenario) => scenario.functions.some((f) => f.compensator?.provisionedConcurrency),
    actions,
    attach(account) {
      for (const fn of account.scenario.functions) {
        const bounds = fn.compensator?.provisionedConcurrency;
        if (!bounds) continue;
        const entry: Tracked = {
          fn,
          min: bounds.min,
          max: bounds.max,
          high: `TargetTracking-${fn.functionName}-AlarmHigh`,
          low: `TargetTracking-${fn.functionName}-AlarmLow`,
        };
        account.autoScaling.register(fn.functionName, fn.aliasName, bounds.min, bounds.max);
        account.addAlarms([utilizationAlarm(fn, entry.high, true), utilizationAlarm(fn, entry.low, false)]);
        tracked.push(entry);
      }
    },
    async tick(account, nowMillis) {
      for (const t of tracked) {
        const high = account.alarm(t.high).state === 'ALARM';
        const low = account.alarm(t.low).state === 'ALARM';
        if (!high && !low) continue;
        const config = (await account.handle('Lambda', 'GetProvisionedConcurrencyConfig', {
          FunctionName: t.fn.functionName,
          Qualifier: t.fn.aliasName,
        })) as { RequestedProvisionedConcurrentExecutions?: number; Status?: string };
        if (config.Status === 'IN_PROGRESS') continue;
        const utilization = latestUtilization(account, t.fn, nowMillis);
        const current = config.RequestedProvisionedConcurrentExecutions ?? 0;
        if (utilization === null || current === 0) continue;
        const wanted = Math.ceil((current * utilization) / TARGET_TRACKING.targetValue);
        const desired = Math.min(t.max, Math.max(t.min, Math.max(1, wanted)));
        if ((high && desired <= current) || (low && desired >= current)) continue;
        try {
          await account.handle('Lambda', 'PutProvisionedConcurrencyConfig', {
            FunctionName: t.fn.functionName,
            Qualifier: t.fn.aliasName,
            ProvisionedConcurrentExecutions: desired,
          });
        } catch {
          // Application Auto Scaling records a failed scaling activity (e.g. above the reserved
          // concurrency) and tries again at the next evaluation; nothing changed.
          continue;
        }
        actions.push({
          atMillis: nowMillis,
          target: t.fn.target,
          kind: 'provisioned-concurrency',
          detail: `${high ? 'scale out' : 'scale in'} ${current} → ${desired} (utilization ${utilization.toFixed(2)})`,
        });
      }
    },
  };
}
