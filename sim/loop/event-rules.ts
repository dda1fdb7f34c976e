import type { HandlerId } from '../../lib/handler-catalog.js';
import type { LocalEventRule } from '../../lib/local-synth.js';

/**
 * EventBridge delivery for the local run: which events the synthesized rules let through,
 * and when the schedule rules fire. Supports the pattern forms the control plane uses:
 * arrays of literal values, `{ prefix }`, and nested objects.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) return false;
  const value = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern as Record<string, unknown>).every(([field, expected]) => {
    const actual = value[field];
    if (Array.isArray(expected)) return expected.some((option) => matchesValue(option, actual));
    return matchesPattern(expected, actual);
  });
}

function matchesValue(option: unknown, actual: unknown): boolean {
  if (option && typeof option === 'object') {
    const prefix = (option as { prefix?: unknown }).prefix;
    if (typeof prefix === 'string') return typeof actual === 'string' && actual.startsWith(prefix);
    throw new Error(`event pattern operator not supported locally: ${JSON.stringify(option)}`);
  }
  return Array.isArray(actual) ? actual.includes(option) : actual === option;
}

/** The handlers of every pattern rule that matches this event. */
export function matchingTargets(rules: readonly LocalEventRule[], event: unknown): HandlerId[] {
  return rules
    .filter((r) => r.eventPattern !== undefined && matchesPattern(r.eventPattern, event))
    .map((r) => r.targetHandler);
}

/** Period (ms) and target of each `rate(N minute|minutes|hour|hours|day|days)` schedule rule. */
export function schedulePeriodsMs(
  rules: readonly LocalEventRule[],
): { periodMs: number; target: HandlerId }[] {
  return rules.flatMap((r) => {
    if (!r.scheduleExpression) return [];
    const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(r.scheduleExpression);
    if (!m) throw new Error(`schedule expression not supported locally: ${r.scheduleExpression}`);
    const unit = m[2]?.startsWith('minute') ? 60_000 : m[2]?.startsWith('hour') ? 3_600_000 : 86_400_000;
    return [{ periodMs: Number(m[1]) * unit, target: r.targetHandler }];
  });
}

/** The "Step Functions Execution Status Change" event of an execution that ended FAILED. */
export function executionStatusEvent(
  stateMachineArn: string,
  name: string,
  input: unknown,
  error: string | null,
  startMs: number,
  stopMs: number,
): Record<string, unknown> {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    version: '0',
    id: `status-${name}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: new Date(stopMs).toISOString(),
    region: 'us-east-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name,
      status: 'FAILED',
      startDate: startMs,
      stopDate: stopMs,
      input: JSON.stringify(input),
      error: error?.split(':')[0] ?? '',
      cause: error ?? '',
    },
  };
}

/** The "Scheduled Event" EventBridge sends a rule target. */
export function scheduledEvent(atMs: number, ruleArn: string): Record<string, unknown> {
  const time = new Date(atMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: `schedule-${atMs}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: [ruleArn],
    detail: {},
  };
}
