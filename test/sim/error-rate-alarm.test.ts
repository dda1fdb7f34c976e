import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localSynth } from '../../lib/local-synth.js';
import { SimulatedAccount } from '../../sim/account.js';
import { parseAlarmSpecs } from '../../sim/cloudwatch/alarms-from-template.js';
import { compensatorSpecs } from '../../sim/compensator-specs.js';
import { DEFAULT_SCENARIO_PATH, parseScenario, type Scenario } from '../../sim/scenario.js';

/** The errors alarm as the Compensator synthesizes it: an anomaly band on the error rate (metric math). */
function scenario(overrides: Record<string, unknown> = {}): Scenario {
  const data = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')) as Record<string, unknown>;
  return parseScenario({ ...data, durationMinutes: 60, ...overrides }, 'test');
}

function errorsAlarmStates(s: Scenario): string[] {
  const alarms = parseAlarmSpecs(localSynth(compensatorSpecs(s)).alarms);
  const account = new SimulatedAccount(s, { alarms });
  const states: string[] = [];
  account.onEvent((e) => {
    if (e.detail.alarmName.endsWith('-errors')) states.push(e.detail.state.value);
  });
  account.advanceTo(account.endMillis);
  return states;
}

describe('Alarms: error rate (metric math)', () => {
  it('is parsed from the synthesized template as 100 * errors / invocations', () => {
    const alarms = parseAlarmSpecs(localSynth(compensatorSpecs(scenario())).alarms);
    const errors = alarms.find((a) => a.alarmName === 'micromotion-orders-errors');

    expect(errors?.metric.metricName).toBe('Errors');
    expect(errors?.ratio).toMatchObject({
      scale: 100,
      denominator: { metricName: 'Invocations', stat: 'Sum' },
    });
  });

  it('stays quiet through 6x traffic bursts at the usual error rate', () => {
    expect(errorsAlarmStates(scenario())).not.toContain('ALARM');
  });

  it('goes to ALARM when the error rate rises', () => {
    const spike = {
      kind: 'error-spike',
      target: 'orders',
      startMinute: 20,
      endMinute: 35,
      extraErrorRatePercent: 3,
    };

    expect(errorsAlarmStates(scenario({ faults: [spike] }))).toContain('ALARM');
  });
});
