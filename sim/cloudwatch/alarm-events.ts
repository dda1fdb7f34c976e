import type { Rng } from '../rng.js';
import { type AlarmTransition, formatTimestamp } from './alarm-evaluator.js';
import type { AlarmSpec, AlarmStateChangeEvent } from './alarm-spec.js';

/** A version-4-shaped UUID from the seeded source (deterministic per seed). */
export function seededUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(rng.next() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * The EventBridge event of an alarm state change, shaped like CloudWatch's
 * ("Alarm events and EventBridge" — https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 */
export function alarmStateChangeEvent(
  spec: AlarmSpec,
  alarmArn: string,
  transition: AlarmTransition,
  context: { readonly account: string; readonly region: string; readonly rng: Rng },
): AlarmStateChangeEvent {
  const dimensions = Object.fromEntries(spec.metric.dimensions.map((d) => [d.Name, d.Value]));
  const metrics: Record<string, unknown>[] = [
    {
      id: spec.metric.id,
      metricStat: {
        metric: { namespace: spec.metric.namespace, name: spec.metric.metricName, dimensions },
        period: spec.metric.periodSeconds,
        stat: spec.metric.stat,
      },
      returnData: true,
    },
  ];
  if (spec.threshold.kind === 'band') {
    metrics.push({
      id: spec.threshold.metricId,
      expression: spec.threshold.expression,
      label: `${spec.metric.metricName} (expected)`,
      returnData: true,
    });
  }
  return {
    version: '0',
    id: seededUuid(context.rng),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: context.account,
    time: new Date(transition.atMillis).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [alarmArn],
    detail: {
      alarmName: spec.alarmName,
      state: {
        value: transition.to,
        reason: transition.reason,
        reasonData: transition.reasonData,
        timestamp: formatTimestamp(transition.atMillis),
      },
      previousState: {
        value: transition.from,
        reason: transition.fromReason,
        timestamp: formatTimestamp(transition.fromTimestampMillis),
      },
      configuration: {
        ...(spec.alarmDescription === undefined ? {} : { description: spec.alarmDescription }),
        metrics,
      },
    },
  };
}
