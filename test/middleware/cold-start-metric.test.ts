import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { coldStartMetric } from '../../lambdas/middleware/cold-start-metric.js';

const context = {
  functionName: 'orders-api',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api:live',
};

describe('Middleware: cold-start metric', () => {
  it('publishes one EMF ColdStarts record per execution environment, with the alias as Resource', async () => {
    const lines: string[] = [];
    const handler = middy(async () => 'ok').use(
      coldStartMetric({ write: (l) => lines.push(l), now: () => 1000 }),
    );

    await handler({}, context as never);
    await handler({}, context as never);

    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string);
    expect(record).toMatchObject({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [{ Namespace: 'Micromotion', Dimensions: [['FunctionName', 'Resource']] }],
      },
      FunctionName: 'orders-api',
      Resource: 'orders-api:live',
      ColdStarts: 1,
    });
    expect(record._aws.CloudWatchMetrics[0].Metrics[0]).toEqual({
      Name: 'ColdStarts',
      Unit: 'Count',
      StorageResolution: 1,
    });
  });

  it('uses the bare function name for an unqualified invocation', async () => {
    const lines: string[] = [];
    const handler = middy(async () => 'ok').use(coldStartMetric({ write: (l) => lines.push(l) }));

    await handler({}, {
      ...context,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api',
    } as never);

    expect(JSON.parse(lines[0] as string).Resource).toBe('orders-api');
  });

  it('publishes nothing for an environment that provisioned concurrency initialized ahead of time', async () => {
    const lines: string[] = [];
    const previous = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'provisioned-concurrency';
    try {
      const handler = middy(async () => 'ok').use(coldStartMetric({ write: (l) => lines.push(l) }));
      await handler({}, context as never);
    } finally {
      if (previous === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = previous;
    }

    expect(lines).toHaveLength(0);
  });
});
