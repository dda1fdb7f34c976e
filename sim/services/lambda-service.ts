import type {
  DeleteProvisionedConcurrencyConfigRequest,
  GetProvisionedConcurrencyConfigRequest,
  GetProvisionedConcurrencyConfigResponse,
  PutProvisionedConcurrencyConfigRequest,
  PutProvisionedConcurrencyConfigResponse,
} from '@aws-sdk/client-lambda';
import {
  InvalidParameterValueException,
  ProvisionedConcurrencyConfigNotFoundException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { ACCOUNT_CONCURRENCY_LIMIT, MIN_UNRESERVED_CONCURRENCY } from '../fleet/aws-behaviour.js';
import type { FunctionFleet } from '../fleet/function-fleet.js';
import { sdkError } from './sdk-errors.js';

/** Where the service is and what it tells the account about. */
export interface LambdaServiceContext {
  readonly region: string;
  readonly accountId: string;
  now(): number;
  /** Called after a provisioned concurrency change was accepted. */
  onProvisionedConcurrencyChange?(fleet: FunctionFleet, requested: number, readyAtMillis: number): void;
}

/** `2026-11-23T08:45:00.000+0000`, Lambda's LastModified format. */
function lambdaTimestamp(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '+0000');
}

/**
 * The Lambda API surface the loop uses: provisioned concurrency configuration of an alias
 * ("PutProvisionedConcurrencyConfig", "GetProvisionedConcurrencyConfig" —
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html).
 */
export class LambdaService {
  readonly #fleets: ReadonlyMap<string, FunctionFleet>;
  readonly #context: LambdaServiceContext;

  constructor(fleets: readonly FunctionFleet[], context: LambdaServiceContext) {
    this.#fleets = new Map(fleets.map((f) => [f.spec.functionName, f]));
    this.#context = context;
  }

  getProvisionedConcurrencyConfig(
    input: GetProvisionedConcurrencyConfigRequest,
  ): GetProvisionedConcurrencyConfigResponse {
    const { fleet } = this.#resolve(input.FunctionName, input.Qualifier);
    const snapshot = fleet.provisionedConcurrency.snapshot();
    if (!snapshot) {
      throw sdkError(
        ProvisionedConcurrencyConfigNotFoundException,
        'No Provisioned Concurrency Config found for this function',
        404,
        {
          Type: 'User',
        },
      );
    }
    return {
      RequestedProvisionedConcurrentExecutions: snapshot.requested,
      AvailableProvisionedConcurrentExecutions: snapshot.allocated,
      AllocatedProvisionedConcurrentExecutions: snapshot.allocated,
      Status: snapshot.status,
      LastModified: lambdaTimestamp(snapshot.lastModifiedMillis),
    };
  }

  putProvisionedConcurrencyConfig(
    input: PutProvisionedConcurrencyConfigRequest,
  ): PutProvisionedConcurrencyConfigResponse {
    const { fleet } = this.#resolve(input.FunctionName, input.Qualifier);
    const requested = input.ProvisionedConcurrentExecutions;
    if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1) {
      throw sdkError(
        InvalidParameterValueException,
        `1 validation error detected: Value '${String(requested)}' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1`,
        400,
        { Type: 'User' },
      );
    }
    const reserved = fleet.spec.reservedConcurrency;
    if (reserved !== null && requested > reserved) {
      throw sdkError(
        InvalidParameterValueException,
        `Requested Provisioned Concurrency (${requested}) should not be greater than the reservedConcurrentExecution (${reserved}) for function`,
        400,
        { Type: 'User' },
      );
    }
    const committedElsewhere = [...this.#fleets.values()]
      .filter((f) => f !== fleet)
      .reduce(
        (sum, f) => sum + Math.max(f.spec.reservedConcurrency ?? 0, f.provisionedConcurrency.requested),
        0,
      );
    const committedHere = Math.max(reserved ?? 0, requested);
    if (ACCOUNT_CONCURRENCY_LIMIT - committedElsewhere - committedHere < MIN_UNRESERVED_CONCURRENCY) {
      throw sdkError(
        InvalidParameterValueException,
        `Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED_CONCURRENCY}].`,
        400,
        { Type: 'User' },
      );
    }
    const now = this.#context.now();
    const readyAt = fleet.provisionedConcurrency.put(requested, now);
    this.#context.onProvisionedConcurrencyChange?.(fleet, requested, readyAt);
    const snapshot = fleet.provisionedConcurrency.snapshot();
    return {
      RequestedProvisionedConcurrentExecutions: requested,
      AvailableProvisionedConcurrentExecutions: snapshot?.allocated ?? 0,
      AllocatedProvisionedConcurrentExecutions: snapshot?.allocated ?? 0,
      Status: snapshot?.status ?? 'IN_PROGRESS',
      LastModified: lambdaTimestamp(now),
    };
  }

  deleteProvisionedConcurrencyConfig(
    input: DeleteProvisionedConcurrencyConfigRequest,
  ): Record<string, never> {
    const { fleet } = this.#resolve(input.FunctionName, input.Qualifier);
    if (!fleet.provisionedConcurrency.snapshot()) {
      throw sdkError(
        ProvisionedConcurrencyConfigNotFoundException,
        'No Provisioned Concurrency Config found for this function',
        404,
        {
          Type: 'User',
        },
      );
    }
    fleet.provisionedConcurrency.delete();
    return {};
  }

  #resolve(
    functionName: string | undefined,
    qualifier: string | undefined,
  ): { fleet: FunctionFleet; qualifier: string } {
    if (!functionName) {
      throw sdkError(InvalidParameterValueException, 'FunctionName is required', 400, { Type: 'User' });
    }
    // Name, full ARN (arn:aws:lambda:region:account:function:name[:qualifier]) or partial ARN (account:function:name).
    const parts = functionName.split(':');
    let name = functionName;
    let arnQualifier: string | undefined;
    if (parts[0] === 'arn') {
      name = parts[6] ?? '';
      arnQualifier = parts[7];
    } else if (parts.length >= 3 && parts[1] === 'function') {
      name = parts[2] ?? '';
      arnQualifier = parts[3];
    } else if (parts.length === 2) {
      name = parts[0] ?? '';
      arnQualifier = parts[1];
    }
    const fleet = this.#fleets.get(name);
    const functionArn = `arn:aws:lambda:${this.#context.region}:${this.#context.accountId}:function:${name}`;
    if (!fleet) {
      throw sdkError(ResourceNotFoundException, `Function not found: ${functionArn}`, 404, { Type: 'User' });
    }
    const q = qualifier ?? arnQualifier;
    if (!q) {
      throw sdkError(
        InvalidParameterValueException,
        'Provisioned Concurrency Configs require a Qualifier (an alias or a published version).',
        400,
        {
          Type: 'User',
        },
      );
    }
    if (q === '$LATEST') {
      throw sdkError(
        InvalidParameterValueException,
        'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
        400,
        { Type: 'User' },
      );
    }
    if (q !== fleet.spec.aliasName) {
      throw sdkError(ResourceNotFoundException, `Cannot find alias arn: ${functionArn}:${q}`, 404, {
        Type: 'User',
      });
    }
    return { fleet, qualifier: q };
  }
}
