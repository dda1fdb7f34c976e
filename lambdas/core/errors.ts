/**
 * Named errors of the loop. Step Functions Retry/Catch match on `error.name`, so every
 * name here is part of the workflow's contract: rename one and the workflow changes.
 */
export class MicromotionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event a handler received does not have the shape it needs. Not retried. */
export class InvalidEventError extends MicromotionError {}
/** The event names a target that no compensator registered. Not retried. */
export class UnknownTargetError extends MicromotionError {}
/** The target is known but its policy document is missing or unreadable. Not retried. */
export class PolicyInvalidError extends MicromotionError {}
/** An AWS call failed in a way that is worth retrying (throttling, 5xx, timeouts). */
export class TransientAwsError extends MicromotionError {}
/** An actuator call was rejected by the service (bad value, missing resource, permissions). */
export class ActuationError extends MicromotionError {}
/** A revert was requested but no previous value was recorded for the execution. */
export class PreviousValueMissingError extends MicromotionError {}
/** The setting was changed by someone else since the loop acted: the loop backs off instead of fighting. */
export class ConcurrentChangeError extends MicromotionError {}
/** A conditional ledger write lost to a concurrent writer in a way that is not idempotent. */
export class LedgerConflictError extends MicromotionError {}
