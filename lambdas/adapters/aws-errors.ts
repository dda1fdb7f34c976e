import { TransientAwsError } from '../core/errors.js';

/** SDK error names that mean "try again later", across the services the loop calls. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'ServiceException',
  'TimeoutError',
  // Lambda: another operation on the function is in progress.
  'ResourceConflictException',
  'ECONNRESET',
]);

interface SdkErrorShape {
  name?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** True when the error is one a retry can fix. */
export function isTransient(error: unknown): boolean {
  const e = error as SdkErrorShape;
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** Translates transient SDK errors to `TransientAwsError`; everything else is rethrown unchanged. */
export function rethrowTransient(error: unknown, what: string): never {
  if (isTransient(error)) {
    const e = error as SdkErrorShape;
    throw new TransientAwsError(`${what}: ${e.name ?? 'error'}: ${e.message ?? ''}`, { cause: error });
  }
  throw error;
}

export function errorName(error: unknown): string {
  return (error as SdkErrorShape)?.name ?? '';
}
