import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { createSimulatedClients } from '../../sim/sdk-boundary.js';
import { MINUTE, scenarioWith } from './fixtures.js';

const dimensions = [
  { Name: 'FunctionName', Value: 'orders-api' },
  { Name: 'Resource', Value: 'orders-api:live' },
];

function query(
  metricName: string,
  stat: string,
  start: number,
  end: number,
  extra: Partial<GetMetricDataCommandInput> = {},
  namespace = 'AWS/Lambda',
  period = 60,
): GetMetricDataCommand {
  return new GetMetricDataCommand({
    MetricDataQueries: [
      {
        Id: 'm1',
        MetricStat: {
          Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
          Period: period,
          Stat: stat,
        },
      },
    ],
    StartTime: new Date(start),
    EndTime: new Date(end),
    ...extra,
  });
}

describe('CloudWatch: GetMetricData through a real CloudWatchClient', () => {
  const account = new SimulatedAccount(scenarioWith());
  const { cloudwatch } = createSimulatedClients(account);
  const t0 = account.startMillis;
  account.advanceTo(t0 + 10 * MINUTE + 30_000);

  it('returns complete 1-minute periods in [start, end), newest first by default', async () => {
    const out = await cloudwatch.send(query('Invocations', 'Sum', t0, t0 + 60 * MINUTE));
    const [result] = out.MetricDataResults ?? [];
    expect(result?.StatusCode).toBe('Complete');
    expect(result?.Id).toBe('m1');
    expect(result?.Timestamps?.map((d) => d.getTime())).toEqual(
      Array.from({ length: 10 }, (_, i) => t0 + (9 - i) * MINUTE), // minute 10 is not complete yet
    );
    expect(result?.Values?.every((v) => v > 800 && v < 1600)).toBe(true);
  });

  it('orders oldest first with ScanBy TimestampAscending and honours the range', async () => {
    const out = await cloudwatch.send(
      query('Duration', 'p95', t0 + 2 * MINUTE, t0 + 5 * MINUTE, { ScanBy: 'TimestampAscending' }),
    );
    const [result] = out.MetricDataResults ?? [];
    expect(result?.Timestamps?.map((d) => d.getTime())).toEqual([
      t0 + 2 * MINUTE,
      t0 + 3 * MINUTE,
      t0 + 4 * MINUTE,
    ]);
    expect(result?.Values?.every((v) => v > 150 && v < 300)).toBe(true);
  });

  it('returns the warm-up history before the scenario start', async () => {
    const out = await cloudwatch.send(query('ConcurrentExecutions', 'Maximum', t0 - 30 * MINUTE, t0));
    expect(out.MetricDataResults?.[0]?.Values).toHaveLength(30);
  });

  it('serves the custom ColdStarts metric at a 10-second period', async () => {
    const out = await cloudwatch.send(
      query('ColdStarts', 'Sum', t0, t0 + 2 * MINUTE, { ScanBy: 'TimestampAscending' }, 'Micromotion', 10),
    );
    const timestamps = out.MetricDataResults?.[0]?.Timestamps?.map((d) => d.getTime()) ?? [];
    expect(timestamps).toHaveLength(12);
    expect((timestamps[1] ?? 0) - (timestamps[0] ?? 0)).toBe(10_000);
  });

  it('rejects metric math with a clear InvalidParameterValueException', async () => {
    const command = new GetMetricDataCommand({
      MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }],
      StartTime: new Date(t0),
      EndTime: new Date(t0 + MINUTE),
    });
    await expect(cloudwatch.send(command)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/does not evaluate metric math/),
    });
  });

  it('has no Duration datapoint for a period without invocations', async () => {
    const quiet = new SimulatedAccount(
      scenarioWith((fn) => {
        (fn.traffic as Record<string, unknown>).bursts = [
          { startMinute: 2, endMinute: 4, multiplier: 0.000001 },
        ];
      }),
    );
    quiet.advanceTo(quiet.startMillis + 6 * MINUTE);
    const client: CloudWatchClient = createSimulatedClients(quiet).cloudwatch;
    const out = await client.send(
      query('Duration', 'Average', quiet.startMillis, quiet.startMillis + 6 * MINUTE, {
        ScanBy: 'TimestampAscending',
      }),
    );
    const minutes = out.MetricDataResults?.[0]?.Timestamps?.map(
      (d) => (d.getTime() - quiet.startMillis) / MINUTE,
    );
    expect(minutes).toEqual([0, 1, 4, 5]);
  });
});
