import { Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { TargetPolicy } from '../../lambdas/core/types.js';
import { COLD_START_NAMESPACE } from '../../lambdas/middleware/cold-start-metric.js';
import {
  COLD_STARTS_NAMESPACE,
  Compensator,
  type CompensatorProps,
  toKebabCase,
} from '../../lib/compensator.js';
import { ControlPlaneStack } from '../../lib/control-plane-stack.js';
import { importedAlias, ORDERS_FLAG, testApps } from './helpers.js';

const newApp = testApps();

/** A fresh App with a control plane and a service stack per call (one synth per App). */
function setup() {
  const app = newApp();
  const controlPlane = new ControlPlaneStack(app, 'ControlPlane');
  const service = new Stack(app, 'Service');
  const alias = importedAlias(service, 'Alias', 'orders-fn');
  return { controlPlane, service, alias };
}

const flag = ORDERS_FLAG;

function attach(overrides: Partial<CompensatorProps> = {}, id = 'Orders') {
  const { controlPlane, service, alias } = setup();
  const compensator = new Compensator(service, id, {
    controlPlane,
    alias,
    slo: { p95Millis: 300, errorRatePercent: 1 },
    provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
    ...overrides,
  });
  return { compensator, controlPlane, service, template: Template.fromStack(service) };
}

describe('Compensator: alarms', () => {
  it('alarms on the first anomalous minute of the middleware cold-start metric when the tail has an objective', () => {
    const { template } = attach({ slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 1 } });
    expect(COLD_STARTS_NAMESPACE).toBe(COLD_START_NAMESPACE);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'micromotion-orders-coldStarts',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'm1',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'Micromotion', MetricName: 'ColdStarts' }),
            Stat: 'Sum',
          }),
        }),
      ]),
    });
  });

  it('creates p95, errors and spillover anomaly-detection alarms when PC bounds are given', () => {
    const { template } = attach();
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const names = Object.values(alarms).map((a) => a.Properties.AlarmName);
    expect(names.sort()).toEqual([
      'micromotion-orders-errors',
      'micromotion-orders-p95',
      'micromotion-orders-spillover',
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'micromotion-orders-p95',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: 'band',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Id: 'm1',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'Duration',
              Dimensions: [
                { Name: 'FunctionName', Value: 'orders-fn' },
                { Name: 'Resource', Value: 'orders-fn:live' },
              ],
            },
            Period: 60,
            Stat: 'p95',
          },
        },
        Match.objectLike({ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'micromotion-orders-spillover',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ProvisionedConcurrencySpilloverInvocations' }),
            Stat: 'Sum',
          }),
        }),
      ]),
    });
  });

  it('creates no spillover alarm without PC bounds, and uses the given band width', () => {
    const { template, compensator } = attach({
      provisionedConcurrency: undefined,
      flags: [flag],
      anomalyBandWidth: 3,
    });
    expect(Object.keys(compensator.alarms).sort()).toEqual(['errors', 'p95']);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'micromotion-orders-errors',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m1, 3)' })]),
    });
  });
});

describe('Compensator: policy registration', () => {
  it('registers the TargetPolicy JSON under the control plane prefix, with defaults filled in', () => {
    const { template } = attach({ flags: [flag], guardrails: { bakeSeconds: 300 } });
    const params = Object.values(template.findResources('AWS::SSM::Parameter'));
    expect(params).toHaveLength(1);
    expect(params[0]?.Properties.Name).toBe('/micromotion/targets/orders');
    const policy = JSON.parse(params[0]?.Properties.Value) as TargetPolicy;
    expect(policy).toEqual({
      schemaVersion: 1,
      target: 'orders',
      functionName: 'orders-fn',
      aliasName: 'live',
      slo: { p95Millis: 300, errorRatePercent: 1 },
      provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
      flags: [flag],
      guardrails: {
        dryRun: false,
        paused: false,
        cooldownSeconds: 600,
        actionsPerHour: 4,
        bakeSeconds: 300,
        minConfidence: 0.6,
      },
      detection: { windowMinutes: 30, historyMinutes: 360, periodSeconds: 60 },
    } satisfies TargetPolicy);
  });

  it('derives the target from the construct id in lower kebab case', () => {
    const { compensator } = attach({}, 'OrderService');
    expect(compensator.target).toBe('order-service');
    expect(toKebabCase('APIGateway2Orders')).toBe('api-gateway2-orders');
  });
});

describe('Compensator: grants', () => {
  it('grants provisioned-concurrency writes on the alias ARN only, from the service stack', () => {
    const { template, controlPlane } = attach();
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const writes = statements.filter((s) =>
      [s.Action].flat().includes('lambda:PutProvisionedConcurrencyConfig'),
    );
    expect(writes).toHaveLength(3); // adjust-provisioned-concurrency, revert and recover
    for (const s of writes)
      expect(s.Resource).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders-fn:live');
    const reads = statements.filter(
      (s) => [s.Action].flat().join() === 'lambda:GetProvisionedConcurrencyConfig',
    );
    expect(reads).toHaveLength(1); // decide
    // The control plane's own policies carry no target-specific grant.
    const own = JSON.stringify(Template.fromStack(controlPlane).findResources('AWS::IAM::Policy'));
    expect(own).not.toContain('ProvisionedConcurrencyConfig');
  });
});

describe('Compensator: the errors alarm', () => {
  it('watches the error rate, not the error count, so traffic alone does not fire it', () => {
    const { template } = attach();
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const errors = Object.values(alarms).find((a) => String(a.Properties.AlarmName).endsWith('-errors'));
    const metrics = errors?.Properties.Metrics as Record<string, unknown>[];

    expect(metrics.find((m) => m.Id === 'm1')).toMatchObject({ Expression: '100 * errors / invocations' });
    expect(metrics.find((m) => m.Id === 'errors')).toMatchObject({
      ReturnData: false,
      MetricStat: { Metric: { MetricName: 'Errors' }, Stat: 'Sum' },
    });
    expect(metrics.find((m) => m.Id === 'invocations')).toMatchObject({
      ReturnData: false,
      MetricStat: { Metric: { MetricName: 'Invocations' }, Stat: 'Sum' },
    });
    expect(metrics.find((m) => m.Id === 'band')).toMatchObject({
      Expression: 'ANOMALY_DETECTION_BAND(m1, 2)',
    });
  });
});

describe('Compensator: props validation', () => {
  it('rejects maxStep 0 with a message naming the prop', () => {
    expect(() => attach({ provisionedConcurrency: { min: 1, max: 50, maxStep: 0 } })).toThrow(
      "Compensator 'Orders': provisionedConcurrency.maxStep must be between 1 and max (50); got 0. Set maxStep to how many units one action may add or remove.",
    );
  });

  it('rejects min above max', () => {
    expect(() => attach({ provisionedConcurrency: { min: 10, max: 5, maxStep: 1 } })).toThrow(
      /provisionedConcurrency\.min must not exceed max \(5\); got 10/,
    );
  });

  it('rejects a non-positive p95 objective', () => {
    expect(() => attach({ slo: { p95Millis: 0, errorRatePercent: 1 } })).toThrow(
      /slo\.p95Millis must be a number greater than 0.*got 0/,
    );
  });

  it('rejects an unknown remedy', () => {
    expect(() => attach({ flags: [{ ...flag, remedies: ['gremlins' as never] }] })).toThrow(
      /flags\[0\]\.remedies must contain diagnosis kinds only; got "gremlins"/,
    );
  });

  it('rejects a compensator without any actuator', () => {
    expect(() => attach({ provisionedConcurrency: undefined, flags: [] })).toThrow(/no actuator/);
  });

  it('rejects a target name that is not lower kebab case', () => {
    expect(() => attach({ target: 'Orders_V2' })).toThrow(
      /target must be 1-64 characters of \[a-z0-9-\].*got "Orders_V2"/,
    );
  });

  it('rejects a minConfidence above 1', () => {
    expect(() => attach({ guardrails: { minConfidence: 1.5 } })).toThrow(
      /guardrails\.minConfidence .* got 1\.5/,
    );
  });

  it('rejects a second compensator for the same target on one control plane', () => {
    const { controlPlane, service, alias } = setup();
    const props = {
      controlPlane,
      alias,
      target: 'orders',
      slo: { p95Millis: 300, errorRatePercent: 1 },
      flags: [flag],
    };
    new Compensator(service, 'A', props);
    expect(() => new Compensator(service, 'B', props)).toThrow(/target 'orders' is already registered/);
  });

  it('skips checks on unresolved tokens', () => {
    const maxStep = Lazy.number({ produce: () => 0 });
    expect(() => attach({ provisionedConcurrency: { min: 1, max: 50, maxStep } })).not.toThrow();
  });
});
