import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../../sim/scenario.js';

/** The scenario these tests were written against: a dependency slowdown plus a traffic burst. */
export const FIXTURE_SCENARIO_PATH = new URL('../../sim/scenarios/dependency-slowdown.json', import.meta.url);

/** The default scenario's raw JSON (a fresh copy each call). */
export function defaultScenarioData(): Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURE_SCENARIO_PATH, 'utf8')) as Record<string, unknown>;
}

/** The default scenario with its first function patched by `patch` (and the top level by `top`). */
export function scenarioWith(
  patch: (fn: Record<string, unknown>) => void = () => {},
  top: (s: Record<string, unknown>) => void = () => {},
): Scenario {
  const data = defaultScenarioData();
  patch((data.functions as Record<string, unknown>[])[0] as Record<string, unknown>);
  top(data);
  return parseScenario(data, 'test');
}

export const MINUTE = 60_000;

/** Alarm properties shaped like the ones the Compensator synthesizes. */
export function compensatorAlarm(
  signal: string,
  metricName: string,
  stat: string,
  overrides: Record<string, unknown> = {},
): { logicalId: string; properties: Record<string, unknown> } {
  return {
    logicalId: `Alarm${signal}`,
    properties: {
      AlarmName: `micromotion-orders-${signal}`,
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ThresholdMetricId: 'band',
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: metricName,
              Dimensions: [
                { Name: 'FunctionName', Value: 'orders-api' },
                { Name: 'Resource', Value: 'orders-api:live' },
              ],
            },
            Period: 60,
            Stat: stat,
          },
          ReturnData: true,
        },
        { Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
      ],
      ...overrides,
    },
  };
}
