import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import type { AlarmStateChangeEvent } from '../../sim/cloudwatch/alarm-spec.js';
import { parseAlarmSpecs } from '../../sim/cloudwatch/alarms-from-template.js';
import { AlarmSpecError } from '../../sim/errors.js';
import { compensatorAlarm, MINUTE, scenarioWith } from './fixtures.js';

describe('Alarms: parsing a synthesized template', () => {
  it('reads anomaly-detection alarms from Resources', () => {
    const alarm = compensatorAlarm('p95', 'Duration', 'p95');
    const template = {
      Resources: {
        [alarm.logicalId]: { Type: 'AWS::CloudWatch::Alarm', Properties: alarm.properties },
        Other: { Type: 'AWS::SNS::Topic' },
      },
    };
    expect(parseAlarmSpecs(template)).toEqual([
      {
        alarmName: 'micromotion-orders-p95',
        logicalId: 'Alarmp95',
        comparisonOperator: 'GreaterThanUpperThreshold',
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: 'notBreaching',
        metric: {
          id: 'm1',
          namespace: 'AWS/Lambda',
          metricName: 'Duration',
          dimensions: [
            { Name: 'FunctionName', Value: 'orders-api' },
            { Name: 'Resource', Value: 'orders-api:live' },
          ],
          periodSeconds: 60,
          stat: 'p95',
        },
        threshold: {
          kind: 'band',
          metricId: 'band',
          expression: 'ANOMALY_DETECTION_BAND(m1, 2)',
          widthStdDevs: 2,
        },
      },
    ]);
  });

  it('rejects an unresolved token, naming the property path', () => {
    const alarm = compensatorAlarm('p95', 'Duration', 'p95', { AlarmName: { 'Fn::Join': ['', ['a', 'b']] } });
    expect(() => parseAlarmSpecs([alarm])).toThrow(AlarmSpecError);
    expect(() => parseAlarmSpecs([alarm])).toThrow(/Resources\.Alarmp95\.Properties\.AlarmName/);
  });
});

describe('Alarms: evaluation', () => {
  it('goes OK → ALARM on a level shift and emits the EventBridge event', () => {
    const account = new SimulatedAccount(scenarioWith(), {
      alarms: parseAlarmSpecs([compensatorAlarm('p95', 'Duration', 'p95')]),
    });
    const events: AlarmStateChangeEvent[] = [];
    account.onEvent((e) => {
      events.push(e);
    });
    expect(account.alarm('micromotion-orders-p95').state).toBe('OK');

    account.advanceTo(account.startMillis + 29 * MINUTE);
    expect(events).toEqual([]);
    account.advanceTo(account.startMillis + 35 * MINUTE); // the optional dependency slows down at minute 30

    expect(account.alarm('micromotion-orders-p95').state).toBe('ALARM');
    expect(events).toHaveLength(1);
    const event = events[0] as AlarmStateChangeEvent;
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      region: 'us-east-1',
      resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:micromotion-orders-p95'],
      detail: {
        alarmName: 'micromotion-orders-p95',
        state: { value: 'ALARM' },
        previousState: { value: 'OK' },
        configuration: {
          metrics: [
            {
              id: 'm1',
              metricStat: {
                metric: {
                  namespace: 'AWS/Lambda',
                  name: 'Duration',
                  dimensions: { FunctionName: 'orders-api', Resource: 'orders-api:live' },
                },
                period: 60,
                stat: 'p95',
              },
              returnData: true,
            },
            { id: 'band', expression: 'ANOMALY_DETECTION_BAND(m1, 2)', returnData: true },
          ],
        },
      },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event.time).toBe('2026-11-23T08:32:00Z'); // 2 of 3 datapoints: minutes 30 and 31
    expect(event.detail.state.reason).toMatch(/^Thresholds Crossed: 2 out of the last 3 datapoints/);
  });

  it('goes back to OK when the fault ends', () => {
    const account = new SimulatedAccount(scenarioWith(), {
      alarms: parseAlarmSpecs([compensatorAlarm('p95', 'Duration', 'p95')]),
    });
    const states: string[] = [];
    account.onEvent((e) => {
      states.push(`${e.detail.previousState.value}->${e.detail.state.value}`);
    });
    account.advanceTo(account.endMillis);
    expect(states).toEqual(['OK->ALARM', 'ALARM->OK']);
  });

  it('treats missing data as configured: missing → INSUFFICIENT_DATA, breaching → ALARM', () => {
    const silent = (fn: Record<string, unknown>) => {
      (fn.traffic as Record<string, unknown>).bursts = [
        { startMinute: 5, endMinute: 20, multiplier: 0.000001 },
      ];
    };
    const account = new SimulatedAccount(scenarioWith(silent), {
      alarms: parseAlarmSpecs([
        compensatorAlarm('missing', 'Duration', 'p95', { TreatMissingData: 'missing' }),
        compensatorAlarm('breaching', 'Duration', 'p95', { TreatMissingData: 'breaching' }),
      ]),
    });
    account.advanceTo(account.startMillis + 12 * MINUTE);
    expect(account.alarm('micromotion-orders-missing').state).toBe('INSUFFICIENT_DATA');
    expect(account.alarm('micromotion-orders-breaching').state).toBe('ALARM');
  });
});
