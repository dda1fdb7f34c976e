/**
 * An example service team stack: one function with a `live` alias, provisioned concurrency, an
 * AppConfig feature-flags profile, and a Compensator attached. `cdk synth` shows the whole picture.
 */
import * as path from 'node:path';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Compensator } from './compensator.js';
import { type IControlPlane, REPO_ROOT } from './control-plane-stack.js';

export interface ExampleServiceStackProps extends StackProps {
  /** The control plane the example compensator attaches to. */
  readonly controlPlane: IControlPlane;
}

/** Key of the compensating flag in the example feature-flags document. */
export const EXAMPLE_FLAG_KEY = 'skipOptionalDependency';

export class ExampleServiceStack extends Stack {
  public readonly alias: lambda.Alias;
  public readonly compensator: Compensator;

  constructor(scope: Construct, id: string, props: ExampleServiceStackProps) {
    super(scope, id, props);

    const logGroup = new logs.LogGroup(this, 'OrdersLogs', { retention: logs.RetentionDays.ONE_WEEK });
    const role = new iam.Role(this, 'OrdersRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    const fn = new nodejs.NodejsFunction(this, 'Orders', {
      entry: path.join(REPO_ROOT, 'lib/example/handler.ts'),
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      logGroup,
      role,
      bundling: { format: nodejs.OutputFormat.ESM, target: 'node24', minify: true },
    });
    // No provisionedConcurrentExecutions here: the compensator owns provisioned concurrency on
    // this alias, and a value in the template would reset the controller's on every deploy.
    this.alias = new lambda.Alias(this, 'Live', { aliasName: 'live', version: fn.currentVersion });

    const application = new appconfig.CfnApplication(this, 'FlagsApp', { name: 'orders' });
    const environment = new appconfig.CfnEnvironment(this, 'FlagsEnv', {
      applicationId: application.ref,
      name: 'prod',
    });
    const profile = new appconfig.CfnConfigurationProfile(this, 'FlagsProfile', {
      applicationId: application.ref,
      name: 'flags',
      locationUri: 'hosted',
      type: 'AWS.AppConfig.FeatureFlags',
    });
    const strategy = new appconfig.CfnDeploymentStrategy(this, 'FlagsStrategy', {
      name: 'orders-flags-all-at-once',
      deploymentDurationInMinutes: 0,
      growthFactor: 100,
      finalBakeTimeInMinutes: 0,
      replicateTo: 'NONE',
    });
    const initial = new appconfig.CfnHostedConfigurationVersion(this, 'FlagsInitial', {
      applicationId: application.ref,
      configurationProfileId: profile.ref,
      contentType: 'application/json',
      content: JSON.stringify({
        version: '1',
        flags: { [EXAMPLE_FLAG_KEY]: { name: EXAMPLE_FLAG_KEY } },
        values: { [EXAMPLE_FLAG_KEY]: { enabled: false } },
      }),
    });
    new appconfig.CfnDeployment(this, 'FlagsDeployment', {
      applicationId: application.ref,
      environmentId: environment.ref,
      configurationProfileId: profile.ref,
      configurationVersion: initial.ref,
      deploymentStrategyId: strategy.ref,
    });

    this.compensator = new Compensator(this, 'OrdersCompensator', {
      controlPlane: props.controlPlane,
      alias: this.alias,
      target: 'orders',
      slo: { p95Millis: 300, errorRatePercent: 1 },
      provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
      flags: [
        {
          key: EXAMPLE_FLAG_KEY,
          compensatingValue: true,
          remedies: ['latency-drift'],
          applicationId: application.ref,
          environmentId: environment.ref,
          configurationProfileId: profile.ref,
          deploymentStrategyId: strategy.ref,
        },
      ],
    });
  }
}
