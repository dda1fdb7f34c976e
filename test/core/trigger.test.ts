import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambdas/core/errors.js';
import { executionName, parseAlarmEvent } from '../../lambdas/core/trigger.js';

const PREFIX = 'micromotion-';

function alarmEvent(
  overrides: Record<string, unknown> = {},
  detail: Record<string, unknown> = {},
  state: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: '2024-05-01T12:00:05Z',
    region: 'eu-west-1',
    resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:micromotion-checkout-api-p95'],
    detail: {
      alarmName: 'micromotion-checkout-api-p95',
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed: 3 datapoints were greater than the threshold (300.0).',
        timestamp: '2024-05-01T12:00:00.123+0000',
        ...state,
      },
      previousState: { value: 'OK' },
      ...detail,
    },
    ...overrides,
  };
}

describe('Trigger: parseAlarmEvent', () => {
  it('reads the target, signal and state of a compensator alarm', () => {
    const parsed = parseAlarmEvent(alarmEvent(), PREFIX);

    expect(parsed.target).toBe('checkout-api');
    expect(parsed.trigger).toEqual({
      source: 'alarm',
      alarmName: 'micromotion-checkout-api-p95',
      signal: 'p95',
      state: 'ALARM',
      reason: 'Threshold Crossed: 3 datapoints were greater than the threshold (300.0).',
      at: '2024-05-01T12:00:00.123Z',
    });
    expect(parsed.executionName).toMatch(/^checkout-api-p95-20240501T120000-[0-9a-f]{6}$/);
  });

  it('records how far the alarm saw data, from the evaluated datapoints of its reasonData', () => {
    const reasonData = JSON.stringify({
      version: '1.0',
      queryDate: '2024-05-01T12:00:00.123+0000',
      startDate: '2024-05-01T11:57:00.000+0000',
      period: 60,
      recentDatapoints: [310, 320],
      evaluatedDatapoints: [
        { timestamp: '2024-05-01T11:58:00.000+0000', value: 320 },
        { timestamp: '2024-05-01T11:57:00.000+0000', value: 310 },
      ],
    });
    const parsed = parseAlarmEvent(alarmEvent({}, {}, { reasonData }), PREFIX);

    // The newest period judged starts 11:58; its data reaches 11:59.
    expect(parsed.trigger.dataUntil).toBe('2024-05-01T11:59:00.000Z');
  });

  it('leaves dataUntil out when reasonData is missing, malformed or has no timestamps', () => {
    for (const reasonData of [
      undefined,
      '{not json',
      JSON.stringify({ period: 60 }),
      JSON.stringify({ evaluatedDatapoints: [{ timestamp: '2024-05-01T11:58:00Z' }] }),
    ]) {
      expect(parseAlarmEvent(alarmEvent({}, {}, { reasonData }), PREFIX).trigger).not.toHaveProperty(
        'dataUntil',
      );
    }
  });

  it('reads an INSUFFICIENT_DATA state change', () => {
    const parsed = parseAlarmEvent(alarmEvent({}, {}, { value: 'INSUFFICIENT_DATA' }), PREFIX);

    expect(parsed.trigger.state).toBe('INSUFFICIENT_DATA');
  });

  it('falls back to the event time when the state has no timestamp', () => {
    const parsed = parseAlarmEvent(alarmEvent({}, {}, { timestamp: undefined }), PREFIX);

    expect(parsed.trigger.at).toBe('2024-05-01T12:00:05.000Z');
  });

  it('cuts a long reason to 500 characters', () => {
    const parsed = parseAlarmEvent(alarmEvent({}, {}, { reason: 'x'.repeat(2000) }), PREFIX);

    expect(parsed.trigger.reason).toHaveLength(500);
  });

  it('names the same execution for a redelivered event', () => {
    expect(parseAlarmEvent(alarmEvent(), PREFIX).executionName).toBe(
      parseAlarmEvent(alarmEvent(), PREFIX).executionName,
    );
  });

  it('names a different execution for a different event id', () => {
    expect(parseAlarmEvent(alarmEvent({ id: 'event-2' }), PREFIX).executionName).not.toBe(
      parseAlarmEvent(alarmEvent({ id: 'event-1' }), PREFIX).executionName,
    );
  });

  it('rejects an event from a foreign source', () => {
    const event = alarmEvent({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' });

    expect(() => parseAlarmEvent(event, PREFIX)).toThrow(InvalidEventError);
    expect(() => parseAlarmEvent(event, PREFIX)).toThrow(
      /not a CloudWatch alarm state change \(source aws\.ec2/,
    );
  });

  it('rejects a CloudWatch event of another detail type', () => {
    expect(() => parseAlarmEvent(alarmEvent({ 'detail-type': 'Scheduled Event' }), PREFIX)).toThrow(
      InvalidEventError,
    );
  });

  it('rejects an event that is not an object', () => {
    expect(() => parseAlarmEvent('ALARM', PREFIX)).toThrow(
      new InvalidEventError('event must be an object; got "ALARM"'),
    );
  });

  it('rejects an alarm without the compensator prefix', () => {
    const event = alarmEvent({}, { alarmName: 'billing-checkout-api-p95' });

    expect(() => parseAlarmEvent(event, PREFIX)).toThrow(
      new InvalidEventError(
        'alarm billing-checkout-api-p95 is not a compensator alarm (prefix micromotion-)',
      ),
    );
  });

  it.each(['micromotion-checkoutp95', 'micromotion--p95', 'micromotion-checkout-', 'micromotion-'])(
    'rejects the malformed alarm name %s',
    (alarmName) => {
      expect(() => parseAlarmEvent(alarmEvent({}, { alarmName }), PREFIX)).toThrow(
        new InvalidEventError(`alarm ${alarmName} does not follow micromotion-<target>-<signal>`),
      );
    },
  );

  it('rejects an event without an alarm name, naming the path', () => {
    expect(() => parseAlarmEvent(alarmEvent({}, { alarmName: undefined }), PREFIX)).toThrow(
      /event\.detail\.alarmName must be a non-empty string/,
    );
  });

  it('rejects an unknown state value, naming the path', () => {
    expect(() => parseAlarmEvent(alarmEvent({}, {}, { value: 'FIRING' }), PREFIX)).toThrow(
      /event\.detail\.state\.value must be one of ALARM, OK, INSUFFICIENT_DATA/,
    );
  });

  it('rejects a state change without any time', () => {
    const event = alarmEvent({ time: undefined }, {}, { timestamp: undefined });

    expect(() => parseAlarmEvent(event, PREFIX)).toThrow(InvalidEventError);
  });
});

describe('Trigger: executionName', () => {
  const AT = '2024-05-01T12:00:00.123Z';

  it('joins target, signal, time stamp and a short hash', () => {
    expect(executionName('checkout-api', 'p95', AT, 'event-1')).toMatch(
      /^checkout-api-p95-20240501T120000-[0-9a-f]{6}$/,
    );
  });

  it('is deterministic', () => {
    expect(executionName('checkout-api', 'p95', AT, 'event-1')).toBe(
      executionName('checkout-api', 'p95', AT, 'event-1'),
    );
  });

  it('differs per event id', () => {
    expect(executionName('checkout-api', 'p95', AT, 'event-1')).not.toBe(
      executionName('checkout-api', 'p95', AT, 'event-2'),
    );
  });

  it('stays within 80 characters for long names', () => {
    const name = executionName('t'.repeat(100), 's'.repeat(100), AT, 'event-1');

    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/-20240501T120000-[0-9a-f]{6}$/);
  });

  it('uses only the characters Step Functions allows', () => {
    const name = executionName('checkout api/€', 'p95:ms.value', AT, 'event-1');

    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
