import { AlarmSpecError } from '../errors.js';
import type { AlarmMetric, AlarmSpec, ComparisonOperator, TreatMissingData } from './alarm-spec.js';

const OPERATORS: readonly ComparisonOperator[] = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'GreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
];
const MISSING: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const BAND_EXPRESSION = /^\s*ANOMALY_DETECTION_BAND\(\s*([a-z][a-zA-Z0-9_]*)\s*(?:,\s*([0-9.]+)\s*)?\)\s*$/;
/** The one metric-math form supported: `<scale> * <numerator id> / <denominator id>`. */
const RATIO_EXPRESSION = /^\s*([0-9.]+)\s*\*\s*([a-z][a-zA-Z0-9_]*)\s*\/\s*([a-z][a-zA-Z0-9_]*)\s*$/;

/** Options of `parseAlarmSpecs`. */
export interface ParseAlarmSpecsOptions {
  /**
   * Resolves a value that is not a plain string or number (a `Ref`, `Fn::GetAtt`, `Fn::Join`…) at
   * `path`. @default - such values are rejected with `AlarmSpecError`
   */
  readonly resolve?: (value: unknown, path: string) => string | number;
}

/** An alarm resource already picked out of a template: its logical id and `Properties`. */
export interface AlarmResource {
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Reads `AWS::CloudWatch::Alarm` resources into alarm specs, from either a synthesized
 * CloudFormation template (every alarm resource in `Resources`) or a list of alarm resources
 * (`{ logicalId, properties }`, e.g. `localSynth(...).alarms`). Supports anomaly-detection alarms
 * (`Metrics` with `ThresholdMetricId` and an `ANOMALY_DETECTION_BAND(m1, W)` expression) and
 * static single-metric alarms. Throws `AlarmSpecError` naming the property path of a problem.
 */
export function parseAlarmSpecs(
  template: unknown | readonly AlarmResource[],
  options: ParseAlarmSpecsOptions = {},
): AlarmSpec[] {
  if (Array.isArray(template)) {
    return (template as AlarmResource[]).map((alarm) =>
      parseAlarm(alarm.logicalId, { ...alarm.properties } as Record<string, unknown>, options),
    );
  }
  const resources = (template as { Resources?: Record<string, { Type?: string; Properties?: unknown }> })
    ?.Resources;
  if (!resources || typeof resources !== 'object')
    throw new AlarmSpecError('The template has no Resources section.');
  const specs: AlarmSpec[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::CloudWatch::Alarm') continue;
    specs.push(parseAlarm(logicalId, (resource.Properties ?? {}) as Record<string, unknown>, options));
  }
  return specs;
}

function parseAlarm(
  logicalId: string,
  props: Record<string, unknown>,
  options: ParseAlarmSpecsOptions,
): AlarmSpec {
  const at = (field: string): string => `Resources.${logicalId}.Properties.${field}`;
  const fail = (field: string, reason: string): never => {
    throw new AlarmSpecError(`${at(field)}: ${reason}`);
  };
  const scalar = (value: unknown, field: string): string | number | undefined => {
    if (value === undefined || typeof value === 'string' || typeof value === 'number') return value;
    if (options.resolve) return options.resolve(value, at(field));
    return fail(
      field,
      `is an unresolved CloudFormation value ${JSON.stringify(value)}; pass options.resolve`,
    );
  };
  const str = (value: unknown, field: string): string | undefined => {
    const v = scalar(value, field);
    return v === undefined ? undefined : String(v);
  };
  const num = (value: unknown, field: string): number | undefined => {
    const v = scalar(value, field);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : fail(field, `must be a number, got ${JSON.stringify(v)}`);
  };
  const dims = (value: unknown, field: string): { Name: string; Value: string }[] =>
    ((value as unknown[] | undefined) ?? []).map((d, i) => {
      const dim = d as { Name?: unknown; Value?: unknown };
      return {
        Name: str(dim.Name, `${field}[${i}].Name`) ?? fail(`${field}[${i}].Name`, 'is required'),
        Value: str(dim.Value, `${field}[${i}].Value`) ?? fail(`${field}[${i}].Value`, 'is required'),
      };
    });

  const alarmName = str(props.AlarmName, 'AlarmName') ?? logicalId;
  const operator = str(props.ComparisonOperator, 'ComparisonOperator');
  if (!operator || !OPERATORS.includes(operator as ComparisonOperator)) {
    fail('ComparisonOperator', `must be one of ${OPERATORS.join(', ')}, got ${JSON.stringify(operator)}`);
  }
  const evaluationPeriods =
    num(props.EvaluationPeriods, 'EvaluationPeriods') ?? fail('EvaluationPeriods', 'is required');
  const datapointsToAlarm = num(props.DatapointsToAlarm, 'DatapointsToAlarm') ?? evaluationPeriods;
  if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    fail('DatapointsToAlarm', `must be between 1 and EvaluationPeriods (${evaluationPeriods})`);
  }
  const treatMissingData = (str(props.TreatMissingData, 'TreatMissingData') ?? 'missing') as TreatMissingData;
  if (!MISSING.includes(treatMissingData)) fail('TreatMissingData', `must be one of ${MISSING.join(', ')}`);
  const description = str(props.AlarmDescription, 'AlarmDescription');
  const base = {
    alarmName,
    logicalId,
    comparisonOperator: operator as ComparisonOperator,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData,
    ...(description === undefined ? {} : { alarmDescription: description }),
  };

  if (props.Metrics !== undefined) {
    const metrics = props.Metrics as Record<string, unknown>[];
    const thresholdId = str(props.ThresholdMetricId, 'ThresholdMetricId');
    const band = metrics.find((m) => m.Id === thresholdId);
    if (!thresholdId || !band) fail('ThresholdMetricId', 'must name one of Metrics[].Id (a band expression)');
    const bandIndex = metrics.indexOf(band as Record<string, unknown>);
    const expression =
      str((band as Record<string, unknown>).Expression, `Metrics[${bandIndex}].Expression`) ?? '';
    const match = BAND_EXPRESSION.exec(expression);
    if (!match)
      fail(
        `Metrics[${bandIndex}].Expression`,
        `must be ANOMALY_DETECTION_BAND(<id>, <width>), got ${expression}`,
      );
    const metricId = (match as RegExpExecArray)[1] as string;
    const statOf = (id: string, namedBy: string): AlarmMetric => {
      const index = metrics.findIndex((m) => m.Id === id);
      if (index < 0) fail('Metrics', `has no query with Id ${id} (named by ${namedBy})`);
      const stat = (metrics[index] as { MetricStat?: Record<string, unknown> }).MetricStat;
      if (!stat) fail(`Metrics[${index}].MetricStat`, `is required for ${id}`);
      return parseMetricStat(
        id,
        stat as Record<string, unknown>,
        `Metrics[${index}].MetricStat`,
        str,
        num,
        dims,
        fail,
      );
    };
    const input = metrics.find((m) => m.Id === metricId);
    const math = input ? str(input.Expression, `Metrics[${metrics.indexOf(input)}].Expression`) : undefined;
    let metric: AlarmMetric;
    let ratio: AlarmSpec['ratio'];
    if (math !== undefined) {
      const parts = RATIO_EXPRESSION.exec(math);
      if (!parts)
        fail(
          `Metrics[${metrics.indexOf(input as Record<string, unknown>)}].Expression`,
          `must be <scale> * <id> / <id>, got ${math}`,
        );
      const [, scale, numerator, denominator] = parts as RegExpExecArray;
      metric = statOf(numerator as string, math);
      ratio = { denominator: statOf(denominator as string, math), scale: Number(scale), expression: math };
    } else {
      metric = statOf(metricId, expression);
    }
    return {
      ...base,
      metric,
      ...(ratio ? { ratio } : {}),
      threshold: {
        kind: 'band',
        metricId: thresholdId as string,
        expression,
        widthStdDevs: Number((match as RegExpExecArray)[2] ?? 2),
      },
    };
  }

  const stat =
    str(props.ExtendedStatistic, 'ExtendedStatistic') ??
    str(props.Statistic, 'Statistic') ??
    fail('Statistic', 'is required');
  const metric: AlarmMetric = {
    id: 'm1',
    namespace: str(props.Namespace, 'Namespace') ?? fail('Namespace', 'is required'),
    metricName: str(props.MetricName, 'MetricName') ?? fail('MetricName', 'is required'),
    dimensions: dims(props.Dimensions, 'Dimensions'),
    periodSeconds: num(props.Period, 'Period') ?? fail('Period', 'is required'),
    stat,
  };
  const value = num(props.Threshold, 'Threshold') ?? fail('Threshold', 'is required for a static alarm');
  return { ...base, metric, threshold: { kind: 'static', value } };
}

function parseMetricStat(
  id: string,
  stat: Record<string, unknown>,
  at: string,
  str: (v: unknown, f: string) => string | undefined,
  num: (v: unknown, f: string) => number | undefined,
  dims: (v: unknown, f: string) => { Name: string; Value: string }[],
  fail: (f: string, r: string) => never,
): AlarmMetric {
  const metric = (stat.Metric ?? {}) as Record<string, unknown>;
  return {
    id,
    namespace:
      str(metric.Namespace, `${at}.Metric.Namespace`) ?? fail(`${at}.Metric.Namespace`, 'is required'),
    metricName:
      str(metric.MetricName, `${at}.Metric.MetricName`) ?? fail(`${at}.Metric.MetricName`, 'is required'),
    dimensions: dims(metric.Dimensions, `${at}.Metric.Dimensions`),
    periodSeconds: num(stat.Period, `${at}.Period`) ?? fail(`${at}.Period`, 'is required'),
    stat: str(stat.Stat, `${at}.Stat`) ?? fail(`${at}.Stat`, 'is required'),
  };
}
