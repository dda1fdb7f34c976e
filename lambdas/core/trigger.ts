import { createHash } from 'node:crypto';
import { InvalidEventError } from './errors.js';
import type { Trigger } from './types.js';
import { isRecord, requireIsoTime, requireOneOf, requireRecord, requireString } from './validate.js';

export interface AlarmTrigger {
  readonly target: string;
  readonly trigger: Trigger;
  readonly executionName: string;
}

/**
 * Reads an EventBridge "CloudWatch Alarm State Change" event for a compensator alarm
 * (`<prefix><target>-<signal>`). A foreign or malformed event is an `InvalidEventError`.
 */
export function parseAlarmEvent(event: unknown, alarmPrefix: string): AlarmTrigger {
  const e = requireRecord(event, 'event');
  if (e.source !== 'aws.cloudwatch' || e['detail-type'] !== 'CloudWatch Alarm State Change') {
    throw new InvalidEventError(
      `event is not a CloudWatch alarm state change (source ${String(e.source)}, detail-type ${String(e['detail-type'])})`,
    );
  }
  const detail = requireRecord(e.detail, 'event.detail');
  const alarmName = requireString(detail.alarmName, 'event.detail.alarmName');
  if (!alarmName.startsWith(alarmPrefix)) {
    throw new InvalidEventError(`alarm ${alarmName} is not a compensator alarm (prefix ${alarmPrefix})`);
  }
  const rest = alarmName.slice(alarmPrefix.length);
  const cut = rest.lastIndexOf('-');
  if (cut <= 0 || cut === rest.length - 1) {
    throw new InvalidEventError(`alarm ${alarmName} does not follow ${alarmPrefix}<target>-<signal>`);
  }
  const target = rest.slice(0, cut);
  const signal = rest.slice(cut + 1);
  const state = requireRecord(detail.state, 'event.detail.state');
  const value = requireOneOf(state.value, ['ALARM', 'OK', 'INSUFFICIENT_DATA'], 'event.detail.state.value');
  const at = requireIsoTime(state.timestamp ?? e.time, 'event.detail.state.timestamp');
  const id = typeof e.id === 'string' ? e.id : `${alarmName}/${at}`;
  const dataUntil = evaluatedDataUntil(state.reasonData);
  return {
    target,
    trigger: {
      source: 'alarm',
      alarmName,
      signal,
      state: value,
      reason: typeof state.reason === 'string' ? state.reason.slice(0, 500) : '',
      at: new Date(at).toISOString(),
      ...(dataUntil === null ? {} : { dataUntil: new Date(dataUntil).toISOString() }),
    },
    executionName: executionName(target, signal, at, id),
  };
}

/**
 * The end of the newest period an alarm evaluated, from its `reasonData` (a JSON string with
 * `period` and `evaluatedDatapoints[].timestamp`, as CloudWatch writes it), or null when the
 * event does not say. Only informative: a missing or malformed `reasonData` is not an error.
 */
function evaluatedDataUntil(reasonData: unknown): number | null {
  if (typeof reasonData !== 'string') return null;
  let data: unknown;
  try {
    data = JSON.parse(reasonData);
  } catch {
    return null;
  }
  if (!isRecord(data) || typeof data.period !== 'number' || !(data.period > 0)) return null;
  const points = Array.isArray(data.evaluatedDatapoints) ? data.evaluatedDatapoints : [];
  const starts = points
    .map((p) => (isRecord(p) && typeof p.timestamp === 'string' ? Date.parse(p.timestamp) : Number.NaN))
    .filter((t) => Number.isFinite(t));
  return starts.length === 0 ? null : Math.max(...starts) + data.period * 1000;
}

/** True for an EventBridge "Scheduled Event" (the review schedule). */
export function isScheduledEvent(event: unknown): boolean {
  return isRecord(event) && event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event';
}

/** The review triggers of one scheduled event: one per registered target, each with its own name. */
export function reviewTriggers(event: unknown, targets: readonly string[]): AlarmTrigger[] {
  const e = requireRecord(event, 'event');
  const at = new Date(requireIsoTime(e.time, 'event.time')).toISOString();
  const id = typeof e.id === 'string' ? e.id : at;
  return targets.map((target) => ({
    target,
    trigger: { source: 'schedule', signal: 'review', at },
    executionName: executionName(target, 'review', at, `${id}/${target}`),
  }));
}

/**
 * `<target>-<signal>-<yyyymmddThhmmss>-<hash>`: readable in the console, unique per
 * trigger event, and the same for a redelivered event (so a retry never starts twice).
 * Step Functions names are at most 80 characters of [A-Za-z0-9-_].
 */
export function executionName(target: string, signal: string, atIso: string, uniqueKey: string): string {
  const stamp = new Date(atIso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  const hash = createHash('sha256').update(uniqueKey).digest('hex').slice(0, 6);
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-_]/g, '-');
  const head = `${clean(target)}-${clean(signal)}`.slice(0, 80 - stamp.length - hash.length - 2);
  return `${head}-${stamp}-${hash}`;
}
