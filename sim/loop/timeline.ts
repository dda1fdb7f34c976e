import type { MinuteRecord } from '../accounting.js';
import type { EventLog } from './local-workflow.js';

/** One line of signals for a target's minute, as on-call would read them off a dashboard. */
export function describeMinute(target: string, m: MinuteRecord): string {
  const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '-');
  const breach = m.sloBreached ? `  SLO breached: ${m.breaches.join(', ')}` : '';
  return (
    `${target}: ${m.invocations} calls, p95 ${ms(m.p95Millis)}, p99 ${ms(m.p99Millis)}, ` +
    `errors ${m.errorRatePercent.toFixed(2)} %, cold starts ${m.coldStarts}, ` +
    `PC ${m.provisionedAllocated} (spillover ${m.spilloverInvocations})${breach}`
  );
}

/**
 * One line for an execution event worth reading: entering a Task or Wait, what a task
 * decided (its result in brief), retries and caught errors. Choice and Pass states are left out.
 */
export function describeEvent(event: EventLog): string | null {
  switch (event.type) {
    case 'ExecutionStarted':
      return 'started';
    case 'ExecutionSucceeded':
      return 'ended';
    case 'ExecutionFailed':
      return `FAILED ${event.Error ?? ''} ${event.Cause ?? ''}`.trim();
    case 'StateRetried':
      return `${event.state.name}: retry ${event.retry.attempt}`;
    case 'StateCaught':
      return `${event.state.name}: caught → ${event.catch.catcher.Next}`;
    case 'StateEntered':
      return event.state.type === 'Wait'
        ? `${event.state.name}: waiting ${bakeSeconds(event.state.input)} s`
        : null;
    case 'StateExited':
      return event.state.type === 'Task'
        ? `${event.state.name}: ${brief(event.state.name, event.state.output)}`
        : null;
    default:
      return null;
  }
}

function bakeSeconds(input: unknown): string {
  const decision = (input as { decision?: { bakeSeconds?: unknown } } | null)?.decision;
  return String(decision?.bakeSeconds ?? '?');
}

function brief(stateName: string, output: unknown): string {
  const o = (output ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (stateName) {
    case 'Detect micromotion': {
      const d = o.detection;
      const diagnosis = d?.diagnosis as Record<string, unknown> | undefined;
      return d?.actionable
        ? `${diagnosis?.kind} (confidence ${diagnosis?.confidence}, magnitude ${diagnosis?.magnitude}): ${diagnosis?.summary}`
        : `nothing to correct (${d?.reason})`;
    }
    case 'Check guardrails':
      return `${o.decision?.verdict} by rule ${o.decision?.rule}: ${o.decision?.detail}`;
    case 'Adjust provisioned concurrency':
    case 'Flip feature flag':
      return `${o.actuation?.actuator}${o.actuation?.flagKey ? ` ${o.actuation.flagKey}` : ''} ${o.actuation?.from} → ${o.actuation?.to} (${o.actuation?.changeRef})`;
    case 'Verify effect':
      return `${o.verification?.verdict}, keep=${o.verification?.keep}: ${o.verification?.summary}`;
    case 'Revert':
      return String(o.revert?.detail ?? '');
    case 'Escalate':
      return `escalated (message ${o.escalation?.messageId})`;
    case 'Record outcome':
      return `recorded ${o.record?.outcome} (${o.record?.written})`;
    default:
      return '';
  }
}
