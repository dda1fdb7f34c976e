import type { MiddlewareObj } from '@middy/core';

/**
 * Middy middleware for a service team's own handler: publishes `Micromotion/ColdStarts`
 * (one per new execution environment) as a CloudWatch Embedded Metric Format log line, with
 * the dimensions the compensator reads (`FunctionName`, `Resource` = `<function>:<alias>`)
 * at high resolution (`StorageResolution: 1`, so periods down to 10 s can be read). No SDK call and no extra latency: Lambda ships the log line and
 * CloudWatch extracts the metric.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * ```ts
 * export const handler = middy(myHandler).use(coldStartMetric());
 * ```
 */
export interface ColdStartMetricOptions {
  /** Where the EMF line goes. @default console.log */
  readonly write?: (line: string) => void;
  /** Clock for the EMF timestamp. @default Date.now */
  readonly now?: () => number;
}

interface LambdaContextLike {
  readonly functionName?: string;
  readonly invokedFunctionArn?: string;
}

export const COLD_START_NAMESPACE = 'Micromotion';

export function coldStartMetric(options: ColdStartMetricOptions = {}): MiddlewareObj<unknown, unknown> {
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  // One per module instance, i.e. per execution environment.
  let cold = true;
  return {
    before: (request) => {
      if (!cold) return;
      cold = false;
      // An environment that provisioned concurrency initialized ahead of time served this call warm.
      if (initializationType() === 'provisioned-concurrency') return;
      const context = request.context as LambdaContextLike;
      const functionName = context.functionName ?? 'unknown';
      write(JSON.stringify(coldStartRecord(functionName, resourceOf(context, functionName), now())));
    },
  };
}

/** How Lambda initialized this environment: `on-demand`, `provisioned-concurrency` or `snap-start`. */
function initializationType(): string | undefined {
  return process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
}

/** `<function>:<qualifier>` from the invoked ARN; the bare name for an unqualified invocation. */
function resourceOf(context: LambdaContextLike, functionName: string): string {
  const parts = (context.invokedFunctionArn ?? '').split(':');
  return parts.length === 8 ? `${functionName}:${parts[7]}` : functionName;
}

export function coldStartRecord(functionName: string, resource: string, timestampMs: number) {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: COLD_START_NAMESPACE,
          Dimensions: [['FunctionName', 'Resource']],
          Metrics: [{ Name: 'ColdStarts', Unit: 'Count', StorageResolution: 1 }],
        },
      ],
    },
    FunctionName: functionName,
    Resource: resource,
    ColdStarts: 1,
  };
}
