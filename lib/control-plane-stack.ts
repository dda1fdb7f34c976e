/**
 * The micromotion control plane: one per account and region. Environment-agnostic, so
 * `cdk synth` works offline.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { HANDLER_BUNDLING } from './handler-bundling.js';
import { HANDLER_CATALOG, type HandlerId, handlerSpec } from './handler-catalog.js';
import { acknowledgeWildcardResource } from './nag.js';
import { type AslDefinition, buildWorkflowDefinition, type TokenResolver, workflowAsl } from './workflow.js';

/** Repository root: entry paths in the handler catalog are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Alarm names the EventBridge rule reacts to start with this. */
export const ALARM_NAME_PREFIX = 'micromotion-';

/** @default value of `ControlPlaneStackProps.policyParameterPrefix`. */
export const DEFAULT_POLICY_PARAMETER_PREFIX = '/micromotion/targets/';

/** A feature flag's AppConfig coordinates, as the control plane needs them to grant access. */
export interface FeatureFlagRef {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  readonly deploymentStrategyId: string;
}

/** What a Compensator needs from the control plane. `ControlPlaneStack` implements it. */
export interface IControlPlane {
  /** SSM parameter name prefix under which each target's policy is registered (starts and ends with `/`). */
  readonly policyParameterPrefix: string;
  /** Seconds by which Detect and Verify end their windows before now (late-arriving metrics). */
  readonly metricLagSeconds: number;
  /**
   * Lets the actuator handlers read and change provisioned concurrency on `alias` (and only there).
   * @param scope where the grant policies are created (e.g. the Compensator, in the service team's stack)
   */
  grantProvisionedConcurrency(alias: lambda.IAlias, scope?: Construct): void;
  /**
   * Lets the actuator handlers read and deploy the hosted configuration of one feature-flags profile.
   * @param scope where the grant policies are created (e.g. the Compensator, in the service team's stack)
   */
  grantFeatureFlag(flag: FeatureFlagRef, scope?: Construct): void;
}

export interface ControlPlaneStackProps extends StackProps {
  /**
   * Global dry run: every handler decides and records but never actuates (`GLOBAL_DRY_RUN`).
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * SSM parameter name prefix of the target policies. Must start and end with `/`.
   * @default '/micromotion/targets/'
   */
  readonly policyParameterPrefix?: string;
  /**
   * Days a ledger record is kept before DynamoDB TTL removes it (`LEDGER_RETENTION_DAYS`).
   * @default 90
   */
  readonly ledgerRetentionDays?: number;
  /**
   * Key that encrypts the ledger, the escalation topic and the log groups.
   * @default - a new customer-managed key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Retention of the handlers' and the state machine's log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Longest an execution may run, bake included.
   * @default Duration.hours(2)
   */
  readonly executionTimeout?: Duration;
  /**
   * Reserved concurrency of each handler, so the control plane keeps running when the account is saturated.
   * @default - none (unreserved account concurrency)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Step Functions log level (execution data is always included).
   * @default sfn.LogLevel.ALL
   */
  readonly stateMachineLogLevel?: sfn.LogLevel;
  /**
   * Minutes between scheduled reviews of every registered target. A review runs the same
   * workflow without an alarm: it catches what no alarm fires on (over-provisioning) and
   * re-checks a deviation whose alarm stays in ALARM after a held decision. 0 disables reviews.
   * @default 15
   */
  readonly reviewIntervalMinutes?: number;
  /**
   * Lambda's metrics reach CloudWatch a few minutes late; Detect and Verify end their windows
   * this many seconds before now so the last periods are complete.
   * @default 120
   */
  readonly metricLagSeconds?: number;
}

/** Handlers that the workflow invokes (everything except `start-execution`). */
type LoopHandlerId = Exclude<HandlerId, 'start-execution'>;
/** Handlers that read or write the ledger. */
const LEDGER_WRITERS: readonly LoopHandlerId[] = [
  'decide',
  'adjust-provisioned-concurrency',
  'flip-feature-flag',
  'revert',
  'recover',
  'record',
];
const LEDGER_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];

/** Key actions for reading and writing the encrypted ledger (explicit: no `kms:*Crypt*` wildcards). */
const LEDGER_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

export class ControlPlaneStack extends Stack implements IControlPlane {
  /** The action ledger: one item per execution, plus per-target lease/cooldown/budget items. */
  public readonly ledger: dynamodb.Table;
  /** The micromotion workflow. */
  public readonly stateMachine: sfn.StateMachine;
  /** Escalations (reverted actions, failed reverts) are published here; subscribe your on-call. */
  public readonly escalationTopic: sns.Topic;
  /** Undeliverable alarm events and failed asynchronous start-execution invocations. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The EventBridge rule that turns micromotion alarms into executions. */
  public readonly alarmRule: events.Rule;
  /** The schedule that starts a review of every target, when enabled. */
  public readonly reviewRule?: events.Rule;
  /** Executions that failed, timed out or were aborted (no Catch runs for those) go to `recover`. */
  public readonly recoveryRule: events.Rule;
  /** Key that encrypts the ledger, the topic and the log groups. */
  public readonly encryptionKey: kms.IKey;
  public readonly policyParameterPrefix: string;
  public readonly metricLagSeconds: number;
  /** The handler functions by catalog id. */
  public readonly handlers: Readonly<Record<HandlerId, nodejs.NodejsFunction>>;

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps = {}) {
    super(scope, id, props);
    this.metricLagSeconds = props.metricLagSeconds ?? 120;
    const prefix = props.policyParameterPrefix ?? DEFAULT_POLICY_PARAMETER_PREFIX;
    const retentionDays = props.ledgerRetentionDays ?? 90;
    validateProps(id, prefix, retentionDays, props.reservedConcurrentExecutions);
    this.policyParameterPrefix = prefix;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.encryptionKey = props.encryptionKey ?? this.createKey();

    this.ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.escalationTopic = new sns.Topic(this, 'Escalations', {
      displayName: 'micromotion escalations',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'AlarmEventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue itself (of the alarm rule target and of start-execution).',
    );

    const loopEnvironment: Record<string, string> = {
      LEDGER_TABLE_NAME: this.ledger.tableName,
      POLICY_PARAMETER_PREFIX: prefix,
      LEDGER_RETENTION_DAYS: String(retentionDays),
      GLOBAL_DRY_RUN: props.dryRun ? 'true' : 'false',
      // A target's lease lasts as long as an execution may run: no two can act at once.
      LEASE_SECONDS: String((props.executionTimeout ?? Duration.hours(2)).toSeconds()),
      METRIC_LAG_SECONDS: String(this.metricLagSeconds),
    };
    const handlers = {} as Record<HandlerId, nodejs.NodejsFunction>;
    for (const spec of HANDLER_CATALOG) {
      handlers[spec.id] = this.createHandler(spec.id, {
        environment: spec.id === 'start-execution' ? {} : loopEnvironment,
        logRetention,
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      });
    }
    this.handlers = handlers;

    // Ledger and policy access.
    for (const id of LEDGER_WRITERS) {
      this.ledger.grant(handlers[id], ...LEDGER_ACTIONS);
      this.encryptionKey.grant(handlers[id], ...LEDGER_KEY_ACTIONS);
    }
    // Detect reads when the target last acted, so evidence already acted on is not counted twice.
    this.ledger.grant(handlers.detect, 'dynamodb:Query');
    this.encryptionKey.grant(handlers.detect, 'kms:Decrypt', 'kms:DescribeKey');
    const policyParameters = this.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${prefix.slice(1)}*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    for (const spec of HANDLER_CATALOG) {
      if (spec.id === 'start-execution') continue;
      const fn = handlers[spec.id];
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter', 'ssm:GetParameters'],
          resources: [policyParameters],
        }),
      );
      acknowledgeWildcardResource(
        roleOf(fn),
        policyParameters,
        `Reads the target policies: one SSM parameter per target under ${prefix}, registered by Compensators.`,
      );
    }
    // Decide backs off when Application Auto Scaling manages an alias's provisioned concurrency.
    handlers.decide.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['application-autoscaling:DescribeScalableTargets'],
        resources: ['*'],
      }),
    );
    for (const id of ['detect', 'verify'] as const) {
      handlers[id].addToRolePolicy(
        new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
      );
      acknowledgeWildcardResource(
        roleOf(handlers[id]),
        '*',
        'cloudwatch:GetMetricData (read-only) has no resource-level permissions; X-Ray PutTraceSegments/PutTelemetryRecords neither.',
      );
    }

    // The workflow.
    const stateMachineLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      retention: logRetention,
      encryptionKey: this.encryptionKey,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Workflow', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'micromotion: detect, decide under guardrails, act, bake, verify, keep or revert, record',
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildWorkflowDefinition(this, {
          handlers: {
            detect: handlers.detect,
            decide: handlers.decide,
            'adjust-provisioned-concurrency': handlers['adjust-provisioned-concurrency'],
            'flip-feature-flag': handlers['flip-feature-flag'],
            verify: handlers.verify,
            revert: handlers.revert,
            record: handlers.record,
          },
          escalationTopic: this.escalationTopic,
          ledger: this.ledger,
        }),
      ),
      timeout: props.executionTimeout ?? Duration.hours(2),
      tracingEnabled: true,
      logs: {
        destination: stateMachineLogs,
        level: props.stateMachineLogLevel ?? sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // Publishing to the encrypted topic.
    this.encryptionKey.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    const stateMachinePolicy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (stateMachinePolicy) {
      for (const spec of HANDLER_CATALOG) {
        if (spec.stateName === null) continue;
        acknowledgeWildcardResource(
          stateMachinePolicy,
          `${handlers[spec.id].functionArn}:*`,
          `Invokes the ${spec.id} handler; the ':*' suffix covers its versions and aliases only (LambdaInvoke grant).`,
        );
      }
      acknowledgeWildcardResource(
        stateMachinePolicy,
        '*',
        'Step Functions log delivery (logs:CreateLogDelivery, ...) and X-Ray tracing have no resource-level permissions.',
      );
    }

    // Alarm → start-execution.
    const start = handlers['start-execution'];
    this.stateMachine.grantStartExecution(start);
    start.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    start.addEnvironment('ALARM_NAME_PREFIX', ALARM_NAME_PREFIX);
    start.addEnvironment('POLICY_PARAMETER_PREFIX', prefix);
    this.alarmRule = new events.Rule(this, 'AlarmRule', {
      description: 'micromotion: a micromotion-* alarm went to ALARM; start an execution',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: {
          alarmName: events.Match.prefix(ALARM_NAME_PREFIX),
          state: { value: ['ALARM'] },
        },
      },
      targets: [
        new targets.LambdaFunction(start, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });

    this.recoveryRule = new events.Rule(this, 'RecoveryRule', {
      description: 'micromotion: an execution failed, timed out or was aborted; restore, record, unlock',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [this.stateMachine.stateMachineArn],
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        },
      },
      targets: [
        new targets.LambdaFunction(handlers.recover, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    new CfnOutput(this, 'LedgerTableName', {
      value: this.ledger.tableName,
      description: 'The action ledger (micromotion actions/pause/resume --table)',
    });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EscalationTopicArn', {
      value: this.escalationTopic.topicArn,
      description: 'Subscribe on-call here: reverted actions and failed reverts',
    });

    const reviewMinutes = props.reviewIntervalMinutes ?? 15;
    if (!Number.isInteger(reviewMinutes) || reviewMinutes < 0) {
      throw new Error(
        `ControlPlaneStack: reviewIntervalMinutes must be a whole number of minutes >= 0; got ${reviewMinutes}. Use 0 to disable reviews.`,
      );
    }
    if (reviewMinutes > 0) {
      // GetParametersByPath is authorized on the path itself.
      start.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ssm:GetParametersByPath'],
          resources: [
            this.formatArn({
              service: 'ssm',
              resource: 'parameter',
              resourceName: prefix.slice(1).replace(/\/$/, ''),
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
      );
      this.reviewRule = new events.Rule(this, 'ReviewSchedule', {
        description: 'micromotion: review every registered target on a schedule',
        schedule: events.Schedule.rate(Duration.minutes(reviewMinutes)),
        targets: [
          new targets.LambdaFunction(start, {
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: 2,
            maxEventAge: Duration.minutes(reviewMinutes),
          }),
        ],
      });
    }
  }

  /** Grants the actuator handlers provisioned-concurrency access to `alias` only. */
  public grantProvisionedConcurrency(alias: lambda.IAlias, scope: Construct = this): void {
    const resources = [alias.functionArn];
    const read = 'lambda:GetProvisionedConcurrencyConfig';
    const write = 'lambda:PutProvisionedConcurrencyConfig';
    this.grantToHandler(scope, 'decide', [new iam.PolicyStatement({ actions: [read], resources })]);
    // Lowering to 0 removes the configuration (DeleteProvisionedConcurrencyConfig).
    this.grantToHandler(scope, 'adjust-provisioned-concurrency', [
      new iam.PolicyStatement({
        actions: [read, write, 'lambda:DeleteProvisionedConcurrencyConfig'],
        resources,
      }),
    ]);
    for (const restorer of ['revert', 'recover'] as const) {
      this.grantToHandler(scope, restorer, [
        new iam.PolicyStatement({
          actions: [read, write, 'lambda:DeleteProvisionedConcurrencyConfig'],
          resources,
        }),
      ]);
    }
  }

  /**
   * Grants exactly the AppConfig calls of `AppConfigFeatureFlags`, on the resource types the
   * service authorization reference lists for each action
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsappconfig.html):
   * - `decide` reads (`get`, `deploymentInProgress`): ListDeployments (application, environment),
   *   GetHostedConfigurationVersion (application, profile, hosted version);
   * - `flip-feature-flag` and `revert` also write (`set`): ListHostedConfigurationVersions and
   *   CreateHostedConfigurationVersion (application, profile), DeleteHostedConfigurationVersion
   *   (application, profile, hosted version), StartDeployment (application, environment, profile,
   *   strategy).
   * - `revert` and `recover` may also StopDeployment (application, environment, deployment) of
   *   the action's own deployment while it still rolls out or bakes.
   */
  public grantFeatureFlag(flag: FeatureFlagRef, scope: Construct = this): void {
    const arn = (resourceName: string) =>
      Stack.of(scope).formatArn({
        service: 'appconfig',
        resource: 'application',
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const application = arn(flag.applicationId);
    const environment = arn(`${flag.applicationId}/environment/${flag.environmentId}`);
    const profile = arn(`${flag.applicationId}/configurationprofile/${flag.configurationProfileId}`);
    // The reference gives the `hostedconfigurationversion` resource type the profile's ARN;
    // the per-version form below is granted too, in case a request is authorized against it.
    const versions = `${profile}/hostedconfigurationversion/*`;
    const strategy = Stack.of(scope).formatArn({
      service: 'appconfig',
      resource: 'deploymentstrategy',
      resourceName: flag.deploymentStrategyId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const readStatements = () => [
      new iam.PolicyStatement({
        actions: ['appconfig:ListDeployments'],
        resources: [application, environment],
      }),
      new iam.PolicyStatement({
        actions: ['appconfig:GetHostedConfigurationVersion'],
        resources: [application, profile, versions],
      }),
    ];
    const writeStatements = () => [
      ...readStatements(),
      new iam.PolicyStatement({
        actions: [
          'appconfig:ListHostedConfigurationVersions',
          'appconfig:CreateHostedConfigurationVersion',
          'appconfig:DeleteHostedConfigurationVersion',
        ],
        resources: [application, profile, versions],
      }),
      new iam.PolicyStatement({
        actions: ['appconfig:StartDeployment'],
        resources: [application, environment, profile, strategy],
      }),
    ];
    const reason =
      'Hosted configuration version numbers of this one feature-flags profile are assigned at run time, so the versions are granted as <profile>/hostedconfigurationversion/*.';
    acknowledgeWildcardResource(this.grantToHandler(scope, 'decide', readStatements()), versions, reason);
    acknowledgeWildcardResource(
      this.grantToHandler(scope, 'flip-feature-flag', writeStatements()),
      versions,
      reason,
    );
    // Restorers may stop this action's own deployment while it still rolls out or bakes.
    const deployments = `${environment}/deployment/*`;
    const stopStatement = new iam.PolicyStatement({
      actions: ['appconfig:StopDeployment'],
      resources: [application, environment, deployments],
    });
    for (const restorer of ['revert', 'recover'] as const) {
      const policy = this.grantToHandler(scope, restorer, [...writeStatements(), stopStatement]);
      acknowledgeWildcardResource(policy, versions, reason);
      acknowledgeWildcardResource(
        policy,
        deployments,
        'Deployment numbers of this one environment are assigned at run time; only StopDeployment is granted on them.',
      );
    }
  }

  /**
   * The workflow definition as plain ASL, with CloudFormation intrinsics replaced by `resolveToken`
   * (for local runs: fake ARNs). No synth needed.
   */
  public definitionAsl(resolveToken: TokenResolver): AslDefinition {
    return workflowAsl(this.stateMachine, resolveToken);
  }

  /**
   * Adds `statements` to the role of handler `id` through one `iam.Policy` per (scope, handler), created
   * in `scope` so that a Compensator in another stack keeps its grants in its own stack.
   */
  private grantToHandler(scope: Construct, id: LoopHandlerId, statements: iam.PolicyStatement[]): iam.Policy {
    const policyId = `MicromotionGrants-${id}`;
    const existing = scope.node.tryFindChild(policyId);
    const policy =
      existing instanceof iam.Policy
        ? existing
        : new iam.Policy(scope, policyId, { roles: [roleOf(this.handlers[id])] });
    for (const statement of statements) policy.addStatements(statement);
    return policy;
  }

  private createKey(): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: 'micromotion: ledger, escalation topic and log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return key;
  }

  private createHandler(
    id: HandlerId,
    options: {
      environment: Record<string, string>;
      logRetention: logs.RetentionDays;
      reservedConcurrentExecutions: number | undefined;
    },
  ): nodejs.NodejsFunction {
    const spec = handlerSpec(id);
    const logGroup = new logs.LogGroup(this, `${id}-logs`, {
      retention: options.logRetention,
      encryptionKey: this.encryptionKey,
    });
    // An explicit role: only this log group, no AWSLambdaBasicExecutionRole (it allows every log group).
    const role = new iam.Role(this, `${id}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `micromotion ${id} handler`,
    });
    logGroup.grantWrite(role);
    const fn = new nodejs.NodejsFunction(this, id, {
      entry: path.join(REPO_ROOT, spec.entry),
      handler: 'handler',
      description: `micromotion: ${spec.description}`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: id === 'detect' || id === 'verify' ? Duration.seconds(60) : Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      ...(id === 'start-execution' || id === 'recover'
        ? { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 }
        : {}),
      environment: {
        ...options.environment,
        POWERTOOLS_SERVICE_NAME: 'micromotion',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        ...HANDLER_BUNDLING,
        format: nodejs.OutputFormat.ESM,
        mainFields: [...HANDLER_BUNDLING.mainFields],
      },
    });
    if (id !== 'detect' && id !== 'verify') {
      acknowledgeWildcardResource(
        role.node.findChild('DefaultPolicy'),
        '*',
        id === 'decide'
          ? 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and application-autoscaling:DescribeScalableTargets (read-only: is another controller scaling this alias?) have no resource-level permissions.'
          : 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions.',
      );
    }
    return fn;
  }
}

function roleOf(fn: lambda.IFunction): iam.IRole {
  if (!fn.role) throw new Error(`Function ${fn.node.path} has no role.`);
  return fn.role;
}

function acknowledge(scope: Construct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function validateProps(
  id: string,
  prefix: string,
  retentionDays: number,
  reservedConcurrentExecutions: number | undefined,
): void {
  if (!Token.isUnresolved(prefix) && !/^\/(?:[A-Za-z0-9_.-]+\/)+$/.test(prefix)) {
    throw new Error(
      `ControlPlaneStack '${id}': policyParameterPrefix must start and end with '/' and contain only letters, digits, '_', '.', '-'; got '${prefix}'. Use e.g. '/micromotion/targets/'.`,
    );
  }
  if (
    !Token.isUnresolved(retentionDays) &&
    (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650)
  ) {
    throw new Error(
      `ControlPlaneStack '${id}': ledgerRetentionDays must be a whole number of days between 1 and 3650; got ${retentionDays}. Set how long ledger records are kept.`,
    );
  }
  if (
    reservedConcurrentExecutions !== undefined &&
    !Token.isUnresolved(reservedConcurrentExecutions) &&
    (!Number.isInteger(reservedConcurrentExecutions) || reservedConcurrentExecutions < 1)
  ) {
    throw new Error(
      `ControlPlaneStack '${id}': reservedConcurrentExecutions must be a whole number ≥ 1; got ${reservedConcurrentExecutions}. Omit it to use unreserved concurrency.`,
    );
  }
}
