import type { StepOutcome } from '../fleet/function-fleet.js';
import type { Dimension, MetricStore, StatisticSet } from './metric-store.js';

/** Namespace and name of the high-resolution cold-start metric the in-function middleware publishes. */
export const COLD_STARTS_METRIC = { namespace: 'Micromotion', metricName: 'ColdStarts' } as const;

/** The dimension sets Lambda publishes for an alias: per resource (`fn:alias`) and per function. */
export function lambdaDimensionSets(functionName: string, aliasName: string): Dimension[][] {
  return [
    [
      { Name: 'FunctionName', Value: functionName },
      { Name: 'Resource', Value: `${functionName}:${aliasName}` },
    ],
    [{ Name: 'FunctionName', Value: functionName }],
  ];
}

const LAMBDA_METRICS = [
  'Invocations',
  'Errors',
  'Throttles',
  'Duration',
  'ConcurrentExecutions',
  'ProvisionedConcurrencyUtilization',
  'ProvisionedConcurrencySpilloverInvocations',
  'ProvisionedConcurrentExecutions',
  'ProvisionedConcurrencyInvocations',
] as const;
type LambdaMetricName = (typeof LAMBDA_METRICS)[number] | 'ColdStarts';
type Writer = (timestampMillis: number, set: StatisticSet) => void;

/** Per-invocation 0/1 observations: `samples` invocations of which `ones` were 1. */
function counts(samples: number, ones: number): StatisticSet {
  return {
    sampleCount: samples,
    sum: ones,
    minimum: ones >= samples && ones > 0 ? 1 : 0,
    maximum: ones > 0 ? 1 : 0,
  };
}

/** One observation of a gauge. */
function gauge(value: number): StatisticSet {
  return { sampleCount: 1, sum: value, minimum: value, maximum: value };
}

/**
 * Publishes the steps of one function alias as AWS/Lambda metrics (standard resolution, 60 s)
 * and the Micromotion/ColdStarts metric (high resolution, 10 s), under both dimension sets.
 * Names, statistics and dimensions follow "Types of metrics for Lambda functions" —
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (Invocations
 * excludes throttled requests; periods without invocations have no Duration datapoint).
 */
export class LambdaMetricPublisher {
  readonly #writers: Record<LambdaMetricName, Writer>[];

  constructor(store: MetricStore, functionName: string, aliasName: string) {
    this.#writers = lambdaDimensionSets(functionName, aliasName).map((dimensions) => {
      const writers = {} as Record<LambdaMetricName, Writer>;
      for (const metricName of LAMBDA_METRICS) {
        writers[metricName] = store.writer({ namespace: 'AWS/Lambda', metricName, dimensions }, 60);
      }
      writers.ColdStarts = store.writer({ ...COLD_STARTS_METRIC, dimensions }, 10);
      return writers;
    });
  }

  publish(step: StepOutcome): void {
    const t = step.startMillis;
    for (const put of this.#writers) {
      if (step.requests > 0) put.Throttles(t, counts(step.requests, step.throttles));
      if (step.invocations > 0) {
        put.Invocations(t, { sampleCount: step.invocations, sum: step.invocations, minimum: 1, maximum: 1 });
        put.Errors(t, counts(step.invocations, step.errors));
        put.Duration(t, {
          sampleCount: step.invocations,
          sum: step.durationSumMillis,
          minimum: step.durationMinMillis,
          maximum: step.durationMaxMillis,
          histogram: step.durations,
        });
        put.ConcurrentExecutions(t, gauge(step.concurrencyPeak));
        if (step.provisionedRequested > 0) {
          put.ProvisionedConcurrencySpilloverInvocations(
            t,
            counts(step.invocations, step.spilloverInvocations),
          );
          put.ProvisionedConcurrencyInvocations(t, counts(step.invocations, step.provisionedInvocations));
        }
        put.ColdStarts(t, counts(step.invocations, step.coldStarts));
      }
      if (step.provisionedAllocated > 0) {
        put.ProvisionedConcurrentExecutions(t, gauge(step.provisionedExecutionsPeak));
        put.ProvisionedConcurrencyUtilization(t, gauge(step.provisionedUtilizationPeak));
      }
    }
  }
}
