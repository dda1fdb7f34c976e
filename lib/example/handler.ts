import middy from '@middy/core';
import { coldStartMetric } from '../../lambdas/middleware/cold-start-metric.js';

/** The example service function: a stand-in for a team's real handler, with the cold-start metric. */
const orders = async (event: unknown): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: JSON.stringify({ ok: true, received: event ?? null }),
});

export const handler = middy(orders).use(coldStartMetric());
