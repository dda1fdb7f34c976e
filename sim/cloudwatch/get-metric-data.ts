import type { GetMetricDataInput, GetMetricDataOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import {
  InvalidParameterValueException,
  MissingRequiredParameterException,
} from '@aws-sdk/client-cloudwatch';
import { sdkError } from '../services/sdk-errors.js';
import type { MetricIdentity, MetricStore } from './metric-store.js';
import { parseStatistic } from './statistics.js';

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds. */
function isValidPeriod(period: number): boolean {
  return [1, 5, 10, 20, 30].includes(period) || (Number.isInteger(period) && period > 0 && period % 60 === 0);
}

/** Accepts what the SDK accepts for a timestamp: Date, ISO string or epoch seconds. */
export function toMillis(value: Date | string | number | undefined, field: string): number {
  if (value === undefined)
    throw sdkError(MissingRequiredParameterException, `The parameter ${field} must be specified.`);
  const millis =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(millis))
    throw sdkError(InvalidParameterValueException, `The parameter ${field} is not a valid timestamp.`);
  return millis;
}

/**
 * Answers `GetMetricData` from the metric store, with CloudWatch's semantics:
 * "GetMetricData" — https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html.
 * StartTime is rounded down to the whole minute (to the period when it is shorter); periods start
 * at StartTime + k × Period; only complete periods before EndTime that hold data are returned;
 * `ScanBy` defaults to `TimestampDescending`. Metric math (`Expression`) is not evaluated.
 */
export function getMetricData(
  store: MetricStore,
  input: GetMetricDataInput,
  nowMillis: number,
): GetMetricDataOutput {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0) {
    throw sdkError(MissingRequiredParameterException, 'The parameter MetricDataQueries must be specified.');
  }
  if (queries.length > 500) {
    throw sdkError(
      InvalidParameterValueException,
      'The collection MetricDataQueries must not have a size greater than 500.',
    );
  }
  const startMillis = toMillis(input.StartTime as Date | string | number | undefined, 'StartTime');
  const endMillis = toMillis(input.EndTime as Date | string | number | undefined, 'EndTime');
  if (startMillis >= endMillis) {
    throw sdkError(
      InvalidParameterValueException,
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw sdkError(InvalidParameterValueException, `The value ${scanBy} for parameter ScanBy is not valid.`);
  }
  const ids = new Set<string>();
  const results: MetricDataResult[] = [];
  for (const [index, query] of queries.entries()) {
    const id = query.Id ?? '';
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) {
      throw sdkError(
        InvalidParameterValueException,
        `The value ${JSON.stringify(id)} for parameter MetricDataQueries.member.${index + 1}.Id is not valid: it must start with a lowercase letter and hold only letters, digits and underscores.`,
      );
    }
    if (ids.has(id)) {
      throw sdkError(
        InvalidParameterValueException,
        `The value ${id} for parameter MetricDataQueries.member.${index + 1}.Id is a duplicate.`,
      );
    }
    ids.add(id);
    if (query.Expression !== undefined) {
      throw sdkError(
        InvalidParameterValueException,
        `Query ${id}: the simulated account does not evaluate metric math expressions (${query.Expression}); query MetricStat values instead.`,
      );
    }
    const stat = query.MetricStat;
    if (!stat?.Metric?.MetricName || !stat.Metric.Namespace || stat.Period === undefined || !stat.Stat) {
      throw sdkError(
        MissingRequiredParameterException,
        `Query ${id}: MetricStat with Metric.Namespace, Metric.MetricName, Period and Stat must be specified.`,
      );
    }
    if (!isValidPeriod(stat.Period)) {
      throw sdkError(
        InvalidParameterValueException,
        `Query ${id}: the Period ${stat.Period} is not valid; use 1, 5, 10, 20, 30 or a multiple of 60.`,
      );
    }
    const statistic = parseStatistic(stat.Stat);
    if (!statistic) {
      throw sdkError(
        InvalidParameterValueException,
        `Query ${id}: the statistic ${stat.Stat} is not supported by the simulator.`,
      );
    }
    if (query.ReturnData === false) continue;
    const metric: MetricIdentity = {
      namespace: stat.Metric.Namespace,
      metricName: stat.Metric.MetricName,
      dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' })),
    };
    const periodMillis = stat.Period * 1000;
    const roundTo = Math.min(60_000, periodMillis);
    const firstPeriod = Math.floor(startMillis / roundTo) * roundTo;
    const points = store
      .aggregate(metric, firstPeriod, endMillis, stat.Period, nowMillis)
      .map((p) => ({ t: p.periodStartMillis, v: statistic(p.set) }))
      .filter((p) => Number.isFinite(p.v));
    if (scanBy === 'TimestampDescending') points.reverse();
    results.push({
      Id: id,
      Label: query.Label ?? stat.Metric.MetricName,
      Timestamps: points.map((p) => new Date(p.t)),
      Values: points.map((p) => p.v),
      StatusCode: 'Complete',
      Messages: [],
    });
  }
  return { MetricDataResults: results, Messages: [] };
}
