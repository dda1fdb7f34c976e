import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  type LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { ActuationError } from '../core/errors.js';
import type { ProvisionedConcurrencyPort } from '../core/ports.js';
import { errorName, isTransient, rethrowTransient } from './aws-errors.js';

/** Errors that mean the request itself is wrong: the actuator cannot succeed by retrying. */
const REJECTIONS = new Set([
  'InvalidParameterValueException',
  'ResourceNotFoundException',
  'AccessDeniedException',
]);

/** Provisioned concurrency on a function alias, through the Lambda API. */
export class LambdaProvisionedConcurrency implements ProvisionedConcurrencyPort {
  constructor(
    private readonly client: LambdaClient,
    private readonly autoscaling: ApplicationAutoScalingClient,
  ) {}

  async autoscaled(functionName: string, aliasName: string): Promise<boolean> {
    try {
      const out = await this.autoscaling.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'lambda',
          ResourceIds: [`function:${functionName}:${aliasName}`],
          ScalableDimension: 'lambda:function:ProvisionedConcurrency',
        }),
      );
      return (out.ScalableTargets ?? []).length > 0;
    } catch (error) {
      rethrowTransient(error, 'Application Auto Scaling DescribeScalableTargets');
    }
  }

  async get(functionName: string, aliasName: string): Promise<number> {
    try {
      const out = await this.client.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: aliasName }),
      );
      return out.RequestedProvisionedConcurrentExecutions ?? 0;
    } catch (error) {
      if (errorName(error) === 'ProvisionedConcurrencyConfigNotFoundException') return 0;
      rethrowTransient(error, 'Lambda GetProvisionedConcurrencyConfig');
    }
  }

  async set(functionName: string, aliasName: string, value: number): Promise<string> {
    try {
      if (value === 0) {
        await this.client.send(
          new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: aliasName }),
        );
        return 'DELETED';
      }
      const out = await this.client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: functionName,
          Qualifier: aliasName,
          ProvisionedConcurrentExecutions: value,
        }),
      );
      return out.Status ?? 'UNKNOWN';
    } catch (error) {
      if (!isTransient(error) && REJECTIONS.has(errorName(error))) {
        throw new ActuationError(
          `Lambda rejected provisioned concurrency ${value} on ${functionName}:${aliasName}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      rethrowTransient(error, 'Lambda PutProvisionedConcurrencyConfig');
    }
  }
}
