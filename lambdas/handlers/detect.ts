import type { LoopDeps } from '../adapters/loop-deps.js';
import { countDataPoints, diagnose, diagnoseRules, NO_DIAGNOSIS } from '../core/diagnosis.js';
import type { Detection } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { lambdaEntry, metricWindowEndMs, withMiddleware } from './runtime.js';

/** "Detect micromotion": reads the target's signals over the policy window and diagnoses them. */
export function createDetectHandler(deps: LoopDeps) {
  return withMiddleware('Detect micromotion', deps, async (event): Promise<Detection> => {
    const state = parseWorkflowState(event);
    const { policy, version } = await deps.policies.get(state.target);
    const end = metricWindowEndMs(deps, policy.detection.periodSeconds, state.trigger.dataUntil);
    const start = end - policy.detection.historyMinutes * 60_000;
    const frame = {
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(end).toISOString(),
      policyVersion: version,
    };
    if (state.trigger.source === 'alarm' && state.trigger.state !== 'ALARM') {
      return { actionable: false, reason: 'trigger-not-alarm', diagnosis: NO_DIAGNOSIS, ...frame };
    }
    // The rules read only the recent window; the long history (for the detector's confidence
    // and evidence) is read only when they find a deviation — most reviews find none.
    const windowStart = end - policy.detection.windowMinutes * 60_000;
    const recent = await deps.metrics.readSignals(policy, windowStart, end);
    // A record names the window it read: the short one when that was all.
    const short = { ...frame, windowStart: new Date(windowStart).toISOString() };
    if (countDataPoints(recent) === 0) {
      return { actionable: false, reason: 'insufficient-data', diagnosis: NO_DIAGNOSIS, ...short };
    }
    // Without a cut-off the rules see the most evidence: nothing there, nothing at all.
    const unbounded = diagnoseRules(recent, policy);
    if (unbounded.kind === 'none')
      return { actionable: false, reason: 'no-deviation', diagnosis: unbounded, ...short };
    const actions = await deps.ledger.recentActionTimes(policy.target, start);
    const since = actions.at(-1);
    const rules = since === undefined ? unbounded : diagnoseRules(recent, policy, undefined, since);
    if (rules.kind === 'none')
      return { actionable: false, reason: 'no-deviation', diagnosis: rules, ...short };
    const history = await deps.metrics.readSignals(policy, start, end);
    const diagnosis = diagnose(history, policy, undefined, since);
    const actionable = diagnosis.kind !== 'none';
    return { actionable, reason: actionable ? 'diagnosed' : 'no-deviation', diagnosis, ...frame };
  });
}

export const handler = lambdaEntry(createDetectHandler);
