import type {
  DescribeScalableTargetsRequest,
  DescribeScalableTargetsResponse,
  ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';

/**
 * Application Auto Scaling, as far as the loop looks at it: which Lambda aliases have a
 * scalable target on provisioned concurrency (another controller the loop must not fight).
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html
 */
export class ApplicationAutoScaling {
  readonly #targets: ScalableTarget[] = [];

  constructor(private readonly now: () => number) {}

  /** Registers PC autoscaling on `<function>:<alias>`, as `RegisterScalableTarget` would. */
  register(functionName: string, aliasName: string, min: number, max: number): void {
    this.#targets.push({
      ServiceNamespace: 'lambda',
      ResourceId: `function:${functionName}:${aliasName}`,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      MinCapacity: min,
      MaxCapacity: max,
      RoleARN:
        'arn:aws:iam::123456789012:role/aws-service-role/lambda.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency',
      CreationTime: new Date(this.now()),
    });
  }

  describeScalableTargets(input: DescribeScalableTargetsRequest): DescribeScalableTargetsResponse {
    const ids = input.ResourceIds ?? [];
    return {
      ScalableTargets: this.#targets.filter(
        (t) =>
          t.ServiceNamespace === input.ServiceNamespace &&
          (ids.length === 0 || ids.includes(t.ResourceId ?? '')) &&
          (input.ScalableDimension === undefined || t.ScalableDimension === input.ScalableDimension),
      ),
    };
  }
}
