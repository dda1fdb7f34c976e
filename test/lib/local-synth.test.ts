import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { HANDLER_CATALOG } from '../../lib/handler-catalog.js';
import { LOCAL_ESCALATION_TOPIC_ARN, localHandlerArn, localSynth } from '../../lib/local-synth.js';

const specs = [
  {
    target: 'orders',
    functionName: 'orders-fn',
    aliasName: 'live',
    slo: { p95Millis: 300, errorRatePercent: 1 },
    provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
  },
  {
    target: 'search',
    functionName: 'search-fn',
    aliasName: 'prod',
    slo: { p95Millis: 800, errorRatePercent: 2 },
    flags: [
      {
        key: 'disableRanking',
        compensatingValue: true,
        remedies: ['latency-drift' as const],
        applicationId: 'a1',
        environmentId: 'e1',
        configurationProfileId: 'p1',
        deploymentStrategyId: 's1',
      },
    ],
    guardrails: { dryRun: true },
  },
];

describe('localSynth', () => {
  const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('micromotion-local-synth-')));
  const result = localSynth(specs, { controlPlane: { dryRun: true } });

  it('returns a valid ASL whose Lambda resources are local handler ARNs', () => {
    expect(aslValidator(structuredClone(result.asl)).isValid).toBe(true);
    for (const spec of HANDLER_CATALOG) {
      if (spec.stateName) expect(result.asl.States[spec.stateName]?.Resource).toBe(localHandlerArn(spec.id));
    }
    expect(JSON.stringify(result.asl)).not.toMatch(/Fn::|"Ref"/);
    expect(result.asl.States.Escalate?.Parameters).toMatchObject({ TopicArn: LOCAL_ESCALATION_TOPIC_ARN });
    expect(result.escalationTopicArn).toBe(LOCAL_ESCALATION_TOPIC_ARN);
  });

  it('returns the registered policies in spec order', () => {
    expect(result.policies.map((p) => p.target)).toEqual(['orders', 'search']);
    expect(result.policies[1]?.guardrails.dryRun).toBe(true);
    expect(result.policies[1]?.flags[0]?.key).toBe('disableRanking');
    expect(result.policies[0]?.provisionedConcurrency).toEqual({ min: 1, max: 50, maxStep: 5 });
  });

  it('returns the alarms as plain template properties', () => {
    expect(result.alarms.map((a) => a.properties.AlarmName)).toEqual([
      'micromotion-orders-errors',
      'micromotion-orders-p95',
      'micromotion-orders-spillover',
      'micromotion-search-errors',
      'micromotion-search-p95',
    ]);
    expect(JSON.stringify(result.alarms)).toContain('"Value":"search-fn:prod"');
  });

  it('returns the handler environment with the local ledger table name', () => {
    expect(result.handlerEnvironment).toMatchObject({
      LEDGER_TABLE_NAME: 'micromotion-ledger',
      GLOBAL_DRY_RUN: 'true',
      POLICY_PARAMETER_PREFIX: '/micromotion/targets/',
    });
  });

  it('removes its cloud assembly directory', () => {
    const after = readdirSync(tmpdir()).filter(
      (f) => f.startsWith('micromotion-local-synth-') && !before.has(f),
    );
    expect(after).toEqual([]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(localSynth(specs, { controlPlane: { dryRun: true } }))).toBe(
      JSON.stringify(result),
    );
  });

  it('finds every handler entry file on disk', () => {
    for (const spec of HANDLER_CATALOG)
      expect(existsSync(new URL(`../../${spec.entry}`, import.meta.url)), spec.entry).toBe(true);
  });
});
