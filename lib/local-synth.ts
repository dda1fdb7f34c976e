/**
 * Synthesizes the control plane with a set of compensators, the way `cdk synth` would, for the local
 * runner: the state machine definition (with fake local ARNs), the registered target policies and the
 * alarms. No bundling, no AWS, no credentials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { App, type CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { TargetPolicy } from '../lambdas/core/types.js';
import { Compensator, type CompensatorProps } from './compensator.js';
import { ControlPlaneStack, type ControlPlaneStackProps } from './control-plane-stack.js';
import type { HandlerId } from './handler-catalog.js';
import { type AslDefinition, renderIntrinsics } from './workflow.js';

/** Account id of the simulated account. */
export const LOCAL_ACCOUNT = '123456789012';
/** Region of the simulated account. */
export const LOCAL_REGION = 'us-east-1';
/** Name of the escalation topic in the simulated account. */
export const LOCAL_ESCALATION_TOPIC_NAME = 'micromotion-escalations';

/** Local ARN of a control-plane handler, as it appears in the local ASL (`function:micromotion-<id>`). */
export function localHandlerArn(id: HandlerId): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:micromotion-${id}`;
}

/** Local ARN of the state machine. */
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:micromotion`;

/** Local ARN of the escalation topic. */
export const LOCAL_ESCALATION_TOPIC_ARN = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_ESCALATION_TOPIC_NAME}`;

/** Compensator props with the alias described by names instead of a construct. */
export interface LocalCompensatorSpec extends Omit<CompensatorProps, 'controlPlane' | 'alias' | 'target'> {
  /** Target name (`[a-z0-9-]`). */
  readonly target: string;
  /** Name of the function in the simulated account. */
  readonly functionName: string;
  /** Alias under control, e.g. `live`. */
  readonly aliasName: string;
  /**
   * Version the alias points to.
   * @default '1'
   */
  readonly aliasVersion?: string;
}

/** One alarm as synthesized: the `AWS::CloudWatch::Alarm` properties (PascalCase, as in the template). */
export interface LocalAlarm {
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>> & { readonly AlarmName: string };
}

/** An EventBridge rule as synthesized: an event pattern or a schedule expression. */
export interface LocalEventRule {
  readonly logicalId: string;
  /** The handler the rule invokes. */
  readonly targetHandler: HandlerId;
  readonly eventPattern?: Readonly<Record<string, unknown>>;
  readonly scheduleExpression?: string;
}

export interface LocalSynthResult {
  /** The state machine definition; every CloudFormation intrinsic replaced by a local value. */
  readonly asl: AslDefinition;
  /** The target policies, parsed from the synthesized SSM parameters (in spec order). */
  readonly policies: TargetPolicy[];
  /** The anomaly-detection alarms of all compensators. */
  readonly alarms: LocalAlarm[];
  readonly escalationTopicArn: string;
  /** Fake ARN of each handler, as used in `asl`. */
  readonly handlerArns: Readonly<Record<HandlerId, string>>;
  /** Environment the handlers get (ledger table name replaced by `ledgerTableName`). */
  readonly handlerEnvironment: Readonly<Record<string, string>>;
  /** The EventBridge rules of the control plane, each with the handler it invokes. */
  readonly eventRules: LocalEventRule[];
  /** Local ARN of the state machine. */
  readonly stateMachineArn: string;
  /** The ledger table's key schema as synthesized, ready for a local `CreateTable`. */
  readonly ledgerTable: CreateTableCommandInput;
}

export interface LocalSynthOptions {
  /**
   * Control-plane props (e.g. `dryRun`, `policyParameterPrefix`).
   * @default {}
   */
  readonly controlPlane?: ControlPlaneStackProps;
  /**
   * Name the ledger table gets locally (substituted for the CDK-generated name).
   * @default 'micromotion-ledger'
   */
  readonly ledgerTableName?: string;
}

interface Template {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

/** Builds the control plane and the compensators in memory, synthesizes, and returns what the local runner needs. */
export function localSynth(
  specs: readonly LocalCompensatorSpec[],
  options: LocalSynthOptions = {},
): LocalSynthResult {
  const outdir = mkdtempSync(path.join(tmpdir(), 'micromotion-local-synth-'));
  try {
    // No bundling (the runner imports the handler modules) and no CloudFormation schema validation (~3 s).
    const app = new App({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: false,
    });
    // The simulated CloudWatch publishes each period as it closes (no ingestion delay), so the
    // handlers need no metric lag locally; its alarms see the same data at the same moment.
    const stack = new ControlPlaneStack(app, 'Micromotion', { metricLagSeconds: 0, ...options.controlPlane });
    for (const spec of specs) {
      const { target, functionName, aliasName, aliasVersion, ...props } = spec;
      const fn = lambda.Function.fromFunctionAttributes(stack, `${target}-function`, {
        functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
        sameEnvironment: true,
      });
      const version = lambda.Version.fromVersionAttributes(stack, `${target}-version`, {
        lambda: fn,
        version: aliasVersion ?? '1',
      });
      const alias = lambda.Alias.fromAliasAttributes(stack, `${target}-alias`, {
        aliasName,
        aliasVersion: version,
      });
      new Compensator(stack, `Compensator-${target}`, { ...props, controlPlane: stack, alias, target });
    }

    const ledgerTableName = options.ledgerTableName ?? 'micromotion-ledger';
    const logicalIds = new Map<string, string>();
    const handlerArns = {} as Record<HandlerId, string>;
    for (const [id, fn] of Object.entries(stack.handlers) as [HandlerId, lambda.Function][]) {
      handlerArns[id] = localHandlerArn(id);
      logicalIds.set(stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), handlerArns[id]);
    }
    const topicLogicalId = stack.getLogicalId(stack.escalationTopic.node.defaultChild as CfnResource);
    const tableLogicalId = stack.getLogicalId(stack.ledger.node.defaultChild as CfnResource);
    const stateMachineLogicalId = stack.getLogicalId(stack.stateMachine.node.defaultChild as CfnResource);
    const resolveToken = (intrinsic: Record<string, unknown>): string => {
      const ref = intrinsic.Ref;
      const getAtt = intrinsic['Fn::GetAtt'];
      if (typeof ref === 'string') {
        if (ref === 'AWS::Partition') return 'aws';
        if (ref === 'AWS::Region') return LOCAL_REGION;
        if (ref === 'AWS::AccountId') return LOCAL_ACCOUNT;
        if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
        if (ref === topicLogicalId) return LOCAL_ESCALATION_TOPIC_ARN;
        if (ref === tableLogicalId) return ledgerTableName;
        if (ref === stateMachineLogicalId) return LOCAL_STATE_MACHINE_ARN;
        const arn = logicalIds.get(ref);
        if (arn) return arn;
      }
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn') {
        const arn = logicalIds.get(String(getAtt[0]));
        if (arn) return arn;
        if (getAtt[0] === topicLogicalId) return LOCAL_ESCALATION_TOPIC_ARN;
      }
      throw new Error(`localSynth: no local value for ${JSON.stringify(intrinsic)}.`);
    };

    const asl = stack.definitionAsl(resolveToken);
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as Template;

    const policies: TargetPolicy[] = [];
    const alarms: LocalAlarm[] = [];
    const eventRules: LocalEventRule[] = [];
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type === 'AWS::SSM::Parameter') {
        const value = renderIntrinsics(resource.Properties?.Value, resolveToken);
        policies.push(JSON.parse(String(value)) as TargetPolicy);
      } else if (resource.Type === 'AWS::Events::Rule') {
        const props = resource.Properties ?? {};
        const targetArn = renderIntrinsics(
          (props.Targets as { Arn?: unknown }[] | undefined)?.[0]?.Arn,
          resolveToken,
        );
        const target = (Object.entries(handlerArns) as [HandlerId, string][]).find(
          ([, arn]) => arn === targetArn,
        );
        if (!target)
          throw new Error(`localSynth: rule ${logicalId} targets ${String(targetArn)}, not a handler.`);
        eventRules.push({
          logicalId,
          targetHandler: target[0],
          ...(props.EventPattern
            ? { eventPattern: renderIntrinsics(props.EventPattern, resolveToken) as Record<string, unknown> }
            : {}),
          ...(typeof props.ScheduleExpression === 'string'
            ? { scheduleExpression: props.ScheduleExpression }
            : {}),
        });
      } else if (resource.Type === 'AWS::CloudWatch::Alarm') {
        alarms.push({
          logicalId,
          properties: renderIntrinsics(resource.Properties, resolveToken) as LocalAlarm['properties'],
        });
      }
    }
    const order = new Map(specs.map((s, i) => [s.target, i]));
    policies.sort((a, b) => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));
    alarms.sort((a, b) => a.properties.AlarmName.localeCompare(b.properties.AlarmName));

    const detectFn =
      template.Resources[stack.getLogicalId(stack.handlers.detect.node.defaultChild as lambda.CfnFunction)];
    const env =
      (detectFn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
      {};
    const handlerEnvironment = renderIntrinsics(env, resolveToken) as Record<string, string>;

    const tableProps = template.Resources[tableLogicalId]?.Properties ?? ({} as Record<string, unknown>);
    const ledgerTable: CreateTableCommandInput = {
      TableName: ledgerTableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: tableProps.KeySchema as CreateTableCommandInput['KeySchema'],
      AttributeDefinitions:
        tableProps.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    };

    return {
      asl,
      policies,
      alarms,
      eventRules,
      stateMachineArn: LOCAL_STATE_MACHINE_ARN,
      ledgerTable,
      escalationTopicArn: LOCAL_ESCALATION_TOPIC_ARN,
      handlerArns,
      handlerEnvironment,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
