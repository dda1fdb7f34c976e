import { InvalidEventError } from './errors.js';
import { isRecord, requireOneOf, requireRecord, requireString } from './validate.js';

/** An execution that ended without running to its end state. */
export interface EndedExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** The execution's input, parsed; `null` when EventBridge left it out (too large) or it was not JSON. */
  readonly input: unknown;
  readonly error: string;
  readonly cause: string;
}

/**
 * Reads an EventBridge "Step Functions Execution Status Change" event.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export function parseExecutionStatusEvent(event: unknown): EndedExecution {
  const e = requireRecord(event, 'event');
  if (e.source !== 'aws.states' || e['detail-type'] !== 'Step Functions Execution Status Change') {
    throw new InvalidEventError(
      `event is not a Step Functions execution status change (source ${String(e.source)}, detail-type ${String(e['detail-type'])})`,
    );
  }
  const detail = requireRecord(e.detail, 'event.detail');
  let input: unknown = null;
  if (typeof detail.input === 'string') {
    try {
      input = JSON.parse(detail.input);
    } catch {
      input = null;
    }
  }
  return {
    executionArn: requireString(detail.executionArn, 'event.detail.executionArn'),
    name: requireString(detail.name, 'event.detail.name'),
    status: requireOneOf(detail.status, ['FAILED', 'TIMED_OUT', 'ABORTED'], 'event.detail.status'),
    input: isRecord(input) ? input : null,
    error: typeof detail.error === 'string' ? detail.error : '',
    cause: typeof detail.cause === 'string' ? detail.cause.slice(0, 1000) : '',
  };
}
