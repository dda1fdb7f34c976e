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

/** True when any pattern rule delivers this event. */
export function deliveredByRules(rules: readonly LocalEventRule[], event: unknown): boolean {
  return rules.some((r) => r.eventPattern !== undefined && matchesPattern(r.eventPattern, event));
}

/** Period of each `rate(N minute|minutes|hour|hours)` schedule rule, in milliseconds. */
export function schedulePeriodsMs(rules: readonly LocalEventRule[]): number[] {
  return rules.flatMap((r) => {
    if (!r.scheduleExpression) return [];
    const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(r.scheduleExpression);
    if (!m) throw new Error(`schedule expression not supported locally: ${r.scheduleExpression}`);
    const unit = m[2]?.startsWith('minute') ? 60_000 : m[2]?.startsWith('hour') ? 3_600_000 : 86_400_000;
    return [Number(m[1]) * unit];
  });
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
