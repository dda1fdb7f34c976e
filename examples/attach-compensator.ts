import { Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { Compensator } from '../lib/compensator.js';
import type { IControlPlane } from '../lib/control-plane-stack.js';

export interface CheckoutServiceProps extends StackProps {
  readonly controlPlane: IControlPlane;
}

/** A service team's stack: its function, a `live` alias, and a compensator next to it. */
export class CheckoutService extends Stack {
  constructor(scope: Construct, id: string, props: CheckoutServiceProps) {
    super(scope, id, props);
    const fn = new lambda.Function(this, 'Checkout', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
    });
    const alias = new lambda.Alias(this, 'Live', { aliasName: 'live', version: fn.currentVersion });

    new Compensator(this, 'CheckoutCompensator', {
      controlPlane: props.controlPlane,
      alias,
      target: 'checkout',
      slo: { p95Millis: 300, p99Millis: 1000, errorRatePercent: 1 },
      provisionedConcurrency: { min: 1, max: 50, maxStep: 5 },
      guardrails: { cooldownSeconds: 600, actionsPerHour: 4, bakeSeconds: 300 },
    });
  }
}
