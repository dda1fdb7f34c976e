/**
 * The micromotion workflow: one Standard state machine, JSONPath only (the local interpreter,
 * aws-local-stepfunctions, runs neither JSONata nor Variables).
 *
 * observe → diagnose → decide under guardrails → act → bake → verify → keep or revert → record.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type HandlerId, STATE_NAMES } from './handler-catalog.js';

/** Handlers invoked by the workflow (every catalog entry except the two EventBridge targets). */
export type WorkflowHandlerId = Exclude<HandlerId, 'start-execution' | 'recover'>;

export interface WorkflowDefinitionProps {
  /** The function that backs each workflow state. */
  readonly handlers: Readonly<Record<WorkflowHandlerId, lambda.IFunction>>;
  /** Where `Escalate` publishes. */
  readonly escalationTopic: sns.ITopic;
  /** The ledger: the last-resort record is written to it directly when `Record outcome` fails. */
  readonly ledger: dynamodb.ITable;
}

/** Error name the workflow ends with when the ledger record cannot be written. */
export const LEDGER_WRITE_FAILED_ERROR = 'LedgerWriteFailed';

const CATCH_ALL = [sfn.Errors.ALL];

/** Retries of `errors` after 2, 4, 8… seconds. */
function backoff(errors: string[], maxAttempts: number): sfn.RetryProps {
  return { errors, interval: Duration.seconds(2), backoffRate: 2, maxAttempts };
}

/**
 * Builds the state graph inside `scope` and returns its start state.
 * State names are a contract with the local runner and the handlers: see `STATE_NAMES`.
 */
export function buildWorkflowDefinition(scope: Construct, props: WorkflowDefinitionProps): sfn.IChainable {
  /** A handler's task: transient failures retried, any other error caught into `onError` at `errorPath`. */
  const invoke = (
    id: WorkflowHandlerId,
    stateName: string,
    resultPath: string,
    onError: sfn.IChainable,
    errorPath = '$.error',
  ): tasks.LambdaInvoke => {
    const task = new tasks.LambdaInvoke(scope, stateName, {
      stateName,
      lambdaFunction: props.handlers[id],
      // No `payload`: with payloadResponseOnly the whole state is the payload. (`TaskInput.fromJsonPathAt('$')`
      // would render `"Parameters": "$"`, which is not a valid payload template.)
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath,
    });
    task.addRetry(backoff(['TransientAwsError', 'Lambda.TooManyRequestsException'], 3));
    task.addCatch(onError, { errors: CATCH_ALL, resultPath: errorPath });
    return task;
  };

  const ledgerWriteFailed = new sfn.Fail(scope, STATE_NAMES.ledgerWriteFailed, {
    stateName: STATE_NAMES.ledgerWriteFailed,
    error: LEDGER_WRITE_FAILED_ERROR,
    cause: 'Record outcome failed after its retries; the last error is in the execution history.',
  });

  // Last resort when Record outcome cannot write: the state machine writes a minimal item to the
  // ledger itself (no Lambda in the way), so even this failure leaves a trace on-call can list.
  const recordDirectly = new tasks.DynamoPutItem(scope, STATE_NAMES.recordDirectly, {
    stateName: STATE_NAMES.recordDirectly,
    table: props.ledger,
    item: {
      pk: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format('target#{}', sfn.JsonPath.stringAt('$.target')),
      ),
      sk: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format('unrecorded#{}', sfn.JsonPath.stringAt('$$.Execution.Name')),
      ),
      status: tasks.DynamoAttributeValue.fromString('unrecorded'),
      executionId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      recordError: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.recordError')),
      ),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  recordDirectly.addRetry(backoff([sfn.Errors.ALL], 3));
  recordDirectly.addCatch(ledgerWriteFailed, { errors: CATCH_ALL, resultPath: '$.directRecordError' });
  recordDirectly.next(ledgerWriteFailed);

  // Record outcome: the one state every path ends in. Transient failures are retried hard (a lost
  // record is a lost audit); errors a retry cannot fix go straight to the last resort.
  const record = new tasks.LambdaInvoke(scope, STATE_NAMES.record, {
    stateName: STATE_NAMES.record,
    lambdaFunction: props.handlers.record,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    resultPath: '$.record',
  });
  record.addRetry({ errors: ['InvalidEventError', 'LedgerConflictError'], maxAttempts: 0 });
  record.addRetry(backoff([sfn.Errors.ALL], 6));
  record.addCatch(recordDirectly, { errors: CATCH_ALL, resultPath: '$.recordError' });

  const escalate = new tasks.SnsPublish(scope, STATE_NAMES.escalate, {
    stateName: STATE_NAMES.escalate,
    topic: props.escalationTopic,
    subject: 'micromotion: action reverted, needs a human',
    message: sfn.TaskInput.fromJsonPathAt('$'),
    resultSelector: { 'messageId.$': '$.MessageId' },
    resultPath: '$.escalation',
  });
  escalate.addRetry(backoff([sfn.Errors.TASKS_FAILED], 3));
  escalate.addCatch(record, { errors: CATCH_ALL, resultPath: '$.escalationError' });
  escalate.next(record);

  const revert = invoke('revert', STATE_NAMES.revert, '$.revert', escalate, '$.revertError');
  revert.next(escalate);

  const verify = invoke('verify', STATE_NAMES.verify, '$.verification', revert);
  verify.next(
    new sfn.Choice(scope, STATE_NAMES.keepOrRevert, { stateName: STATE_NAMES.keepOrRevert })
      .when(sfn.Condition.booleanEquals('$.verification.keep', true), record)
      .otherwise(revert),
  );

  const bake = new sfn.Wait(scope, STATE_NAMES.bake, {
    stateName: STATE_NAMES.bake,
    time: sfn.WaitTime.secondsPath('$.decision.bakeSeconds'),
  });
  bake.next(verify);

  const adjustPc = invoke('adjust-provisioned-concurrency', STATE_NAMES.adjustPc, '$.actuation', revert);
  adjustPc.next(bake);

  const flipFlag = invoke('flip-feature-flag', STATE_NAMES.flipFlag, '$.actuation', revert);
  flipFlag.next(bake);

  const decide = invoke('decide', STATE_NAMES.decide, '$.decision', record);
  decide.next(
    new sfn.Choice(scope, STATE_NAMES.actOrHold, { stateName: STATE_NAMES.actOrHold })
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.decision.verdict', 'act'),
          sfn.Condition.stringEquals('$.decision.actuator', 'provisioned-concurrency'),
        ),
        adjustPc,
      )
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.decision.verdict', 'act'),
          sfn.Condition.stringEquals('$.decision.actuator', 'feature-flag'),
        ),
        flipFlag,
      )
      .otherwise(record),
  );

  const detect = invoke('detect', STATE_NAMES.detect, '$.detection', record);
  detect.next(
    new sfn.Choice(scope, STATE_NAMES.anythingToCorrect, { stateName: STATE_NAMES.anythingToCorrect })
      .when(sfn.Condition.booleanEquals('$.detection.actionable', true), decide)
      .otherwise(record),
  );

  const describe = new sfn.Pass(scope, STATE_NAMES.describe, {
    stateName: STATE_NAMES.describe,
    parameters: {
      'target.$': '$.target',
      'trigger.$': '$.trigger',
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
      },
    },
  });
  describe.next(detect);

  // Input that cannot be described still gets its record (as a failed execution).
  const describeInvalid = new sfn.Pass(scope, STATE_NAMES.describeInvalid, {
    stateName: STATE_NAMES.describeInvalid,
    parameters: {
      target: INVALID_INPUT_TARGET,
      trigger: { source: 'manual', 'at.$': '$$.Execution.StartTime' },
      execution: { 'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name' },
      error: {
        Error: 'InvalidEventError',
        Cause: 'the execution input needs a target (string) and a trigger (object)',
      },
    },
  });
  describeInvalid.next(record);

  return new sfn.Choice(scope, STATE_NAMES.checkInput, { stateName: STATE_NAMES.checkInput })
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent('$.target'),
        sfn.Condition.isString('$.target'),
        sfn.Condition.isPresent('$.trigger'),
      ),
      describe,
    )
    .otherwise(describeInvalid);
}

/** Ledger target of executions whose input named no valid target. */
export const INVALID_INPUT_TARGET = 'invalid-input';

/** A state machine definition as a plain object (Amazon States Language). */
export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Record<string, AslState>;
  readonly [key: string]: unknown;
}

/** One state of an ASL definition; only the fields the tools here read are typed. */
export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next: string; readonly [key: string]: unknown }[];
  readonly Catch?: readonly {
    readonly ErrorEquals: readonly string[];
    readonly Next: string;
    readonly ResultPath?: string;
  }[];
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[]; readonly MaxAttempts?: number }[];
  readonly Resource?: string;
  readonly [key: string]: unknown;
}

/** Turns one CloudFormation intrinsic (`Ref`, `Fn::GetAtt`, ...) found in the definition into a string. */
export type TokenResolver = (intrinsic: Record<string, unknown>) => string;

/**
 * The definition of `stateMachine` as a plain ASL object, without a synth.
 * The definition string resolves to an `Fn::Join` of literals and intrinsics; each intrinsic is replaced
 * by `resolveToken` (for local runs: fake ARNs) before the parts are joined and parsed.
 */
export function workflowAsl(stateMachine: sfn.StateMachine, resolveToken: TokenResolver): AslDefinition {
  const cfn = stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const resolved: unknown = Stack.of(stateMachine).resolve(cfn.definitionString);
  return JSON.parse(String(renderIntrinsics(resolved, resolveToken))) as AslDefinition;
}

/** Replaces CloudFormation intrinsics in a template fragment (`Fn::Join` joined, the rest via `resolveToken`). */
export function renderIntrinsics(
  value: unknown,
  resolveToken: (intrinsic: Record<string, unknown>) => string,
): unknown {
  if (Array.isArray(value)) return value.map((v) => renderIntrinsics(v, resolveToken));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))) {
      if (keys[0] === 'Fn::Join') {
        const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
        return parts.map((p) => String(renderIntrinsics(p, resolveToken))).join(sep);
      }
      return resolveToken(o);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, renderIntrinsics(v, resolveToken)]));
  }
  return value;
}
