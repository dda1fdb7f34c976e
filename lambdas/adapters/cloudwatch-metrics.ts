import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { MetricsReader } from '../core/ports.js';
import type { SeriesPoint, SignalName, SignalWindow, TargetPolicy } from '../core/types.js';
import { rethrowTransient } from './aws-errors.js';

/** Custom namespace of the metrics the in-function middleware publishes (cold starts). */
export const MICROMOTION_NAMESPACE = 'Micromotion';

interface SignalQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
}

/** Where each signal comes from. AWS/Lambda metrics: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html */
export const SIGNAL_QUERIES: Readonly<Record<SignalName, SignalQuery>> = {
  p95DurationMillis: { namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p95' },
  p99DurationMillis: { namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p99' },
  errors: { namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum' },
  invocations: { namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum' },
  throttles: { namespace: 'AWS/Lambda', metricName: 'Throttles', stat: 'Sum' },
  concurrentExecutions: { namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', stat: 'Maximum' },
  pcUtilization: {
    namespace: 'AWS/Lambda',
    metricName: 'ProvisionedConcurrencyUtilization',
    stat: 'Maximum',
  },
  pcSpilloverInvocations: {
    namespace: 'AWS/Lambda',
    metricName: 'ProvisionedConcurrencySpilloverInvocations',
    stat: 'Sum',
  },
  coldStarts: { namespace: MICROMOTION_NAMESPACE, metricName: 'ColdStarts', stat: 'Sum' },
};

/** Reads a target's signals with one paginated `GetMetricData` call per window. */
export class CloudWatchMetricsReader implements MetricsReader {
  constructor(private readonly client: CloudWatchClient) {}

  async readSignals(policy: TargetPolicy, startMs: number, endMs: number): Promise<SignalWindow> {
    const names = Object.keys(SIGNAL_QUERIES) as SignalName[];
    const queries: MetricDataQuery[] = names.map((name) => {
      const q = SIGNAL_QUERIES[name];
      return {
        Id: name,
        Label: name,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: q.namespace,
            MetricName: q.metricName,
            Dimensions: [
              { Name: 'FunctionName', Value: policy.functionName },
              { Name: 'Resource', Value: `${policy.functionName}:${policy.aliasName}` },
            ],
          },
          Period: policy.detection.periodSeconds,
          Stat: q.stat,
        },
      };
    });
    const points = new Map<string, SeriesPoint[]>();
    let nextToken: string | undefined;
    do {
      let page: GetMetricDataCommandOutput;
      try {
        page = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
          }),
        );
      } catch (error) {
        rethrowTransient(error, 'CloudWatch GetMetricData');
      }
      for (const result of page.MetricDataResults ?? []) {
        const list = points.get(result.Id ?? '') ?? [];
        const stamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < Math.min(stamps.length, values.length); i++) {
          const t = new Date(stamps[i] as Date).getTime();
          const v = values[i] as number;
          if (Number.isFinite(t) && Number.isFinite(v)) list.push({ t, v });
        }
        points.set(result.Id ?? '', list);
      }
      nextToken = page.NextToken;
    } while (nextToken);

    const window: SignalWindow = {};
    for (const name of names) {
      const list = (points.get(name) ?? []).sort((a, b) => a.t - b.t);
      if (list.length > 0) (window as Record<SignalName, SeriesPoint[]>)[name] = list;
    }
    return window;
  }
}
