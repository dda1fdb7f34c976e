import type { Dimension } from './metric-store.js';

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold'
  | 'GreaterThanUpperThreshold'
  | 'LessThanLowerThreshold'
  | 'LessThanLowerOrGreaterThanUpperThreshold';

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** The metric an alarm watches (`m1` in the Compensator's alarms). */
export interface AlarmMetric {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  readonly periodSeconds: number;
  readonly stat: string;
}

/** An alarm the simulator evaluates: a metric, a threshold (static or anomaly band) and M-of-N rules. */
export interface AlarmSpec {
  readonly alarmName: string;
  readonly alarmDescription?: string;
  /** Logical id in the template it came from, when parsed from one. */
  readonly logicalId?: string;
  readonly comparisonOperator: ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  /** The metric the alarm watches; with `ratio`, the numerator (its period is the alarm's). */
  readonly metric: AlarmMetric;
  /**
   * Set when the watched series is metric math of the form `scale * numerator / denominator`
   * (e.g. an error rate in percent). Periods whose denominator is missing or 0 have no value.
   */
  readonly ratio?: { readonly denominator: AlarmMetric; readonly scale: number; readonly expression: string };
  readonly threshold:
    | { readonly kind: 'static'; readonly value: number }
    | {
        readonly kind: 'band';
        readonly metricId: string;
        readonly expression: string;
        readonly widthStdDevs: number;
      };
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The EventBridge event CloudWatch emits on every alarm state change. */
export interface AlarmStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CloudWatch Alarm State Change';
  readonly source: 'aws.cloudwatch';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly alarmName: string;
    readonly state: {
      readonly value: AlarmStateValue;
      readonly reason: string;
      readonly reasonData: string;
      readonly timestamp: string;
    };
    readonly previousState: {
      readonly value: AlarmStateValue;
      readonly reason: string;
      readonly timestamp: string;
    };
    readonly configuration: {
      readonly description?: string;
      readonly metrics: readonly Record<string, unknown>[];
    };
  };
}
