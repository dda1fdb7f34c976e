import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Compensator } from '../../lib/compensator.js';
import { ControlPlaneStack } from '../../lib/control-plane-stack.js';
import { HANDLER_CATALOG } from '../../lib/handler-catalog.js';
import { asArray, iamStatements, importedAlias, ORDERS_FLAG, testApp } from './helpers.js';

/**
 * Actions that AWS only grants on `*` and that the stack needs: X-Ray telemetry, and the log delivery
 * set Step Functions requires for logging to CloudWatch Logs. Everything else on `*` must be read-only.
 */
const ALLOWED_ON_STAR = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);
const READ_ONLY = /^[a-z0-9-]+:(Get|List|Describe|BatchGet)[A-Za-z]*$/;

function build() {
  const app = testApp();
  const stack = new ControlPlaneStack(app, 'Micromotion');
  new Compensator(stack, 'Orders', {
    controlPlane: stack,
    alias: importedAlias(stack, 'OrdersAlias', 'orders-fn'),
    slo: { p95Millis: 300, errorRatePercent: 1 },
    provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
    flags: [ORDERS_FLAG],
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('ControlPlaneStack', () => {
  const { stack, template } = build();

  it('keeps the ledger on demand, with PITR, encryption, TTL on expiresAt, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
    expect(
      template.findResources('AWS::DynamoDB::Table', { Properties: { TableName: Match.anyValue() } }),
    ).toEqual({});
  });

  it('runs a Standard state machine with execution-data logging, X-Ray and a 2 h timeout', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    const asl = stack.definitionAsl(() => 'arn:aws:lambda:us-east-1:123456789012:function:x');
    expect(asl.TimeoutSeconds).toBe(7200);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
  });

  it('routes micromotion-* alarms entering ALARM to start-execution, with a DLQ and retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: 'micromotion-' }], state: { value: ['ALARM'] } },
      },
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::GetAtt': [
              stack.getLogicalId(stack.handlers['start-execution'].node.defaultChild as never),
              'Arn',
            ],
          },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('encrypts the escalation topic with KMS and enforces TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('builds every catalog handler as an arm64 Node.js 24 function with tracing and its own log group', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
    });
    expect(Object.keys(functions)).toHaveLength(HANDLER_CATALOG.length);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
  });

  it('passes the loop configuration to the loop handlers', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LEDGER_TABLE_NAME: { Ref: stack.getLogicalId(stack.ledger.node.defaultChild as never) },
          POLICY_PARAMETER_PREFIX: '/micromotion/targets/',
          LEDGER_RETENTION_DAYS: '90',
          GLOBAL_DRY_RUN: 'false',
          POWERTOOLS_SERVICE_NAME: 'micromotion',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          STATE_MACHINE_ARN: Match.anyValue(),
          ALARM_NAME_PREFIX: 'micromotion-',
        }),
      },
    });
  });

  it('grants no mutating action on *', () => {
    const offenders = iamStatements(template).flatMap((s) =>
      s.Effect === 'Allow' && asArray(s.Resource as unknown).includes('*')
        ? asArray(s.Action).filter((a) => !ALLOWED_ON_STAR.has(a) && !READ_ONLY.test(a))
        : [],
    );
    expect(offenders).toEqual([]);
  });

  it('grants cloudwatch:GetMetricData on * only to detect and verify', () => {
    const onStar = iamStatements(template).filter((s) =>
      asArray(s.Action).includes('cloudwatch:GetMetricData'),
    );
    expect(onStar).toHaveLength(2);
  });

  it('scopes the provisioned-concurrency grants to the alias ARN', () => {
    const statements = iamStatements(template).filter((s) =>
      asArray(s.Action).includes('lambda:PutProvisionedConcurrencyConfig'),
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Resource).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders-fn:live');
    }
  });

  it('scopes the AppConfig write grants to the attached profile, environment and strategy', () => {
    const deploy = iamStatements(template).filter((s) =>
      asArray(s.Action).includes('appconfig:StartDeployment'),
    );
    expect(deploy).toHaveLength(3); // flip-feature-flag, revert and recover
    const resources = JSON.stringify(deploy[0]?.Resource);
    for (const part of [
      'application/app1',
      'application/app1/environment/env1',
      'configurationprofile/prof1',
      'deploymentstrategy/strat1',
    ]) {
      expect(resources).toContain(part);
    }
  });

  const spare = testApp();
  it('rejects a policy prefix without slashes with a message naming the prop', () => {
    expect(() => new ControlPlaneStack(spare, 'Bad', { policyParameterPrefix: 'micromotion' })).toThrow(
      /policyParameterPrefix must start and end with '\/'.*got 'micromotion'/,
    );
  });
});
