import type { LedgerRecord, Outcome, WorkflowState } from './types.js';

/** Derives how an execution ended from the state document "Record outcome" receives. */
export function outcomeOf(state: WorkflowState): Outcome {
  const reverted = state.revert?.reverted === true;
  if (state.error) {
    if (reverted) return 'failed-reverted';
    return state.actuation || state.revertError ? 'failed-unreverted' : 'failed';
  }
  if (!state.detection?.actionable) return 'no-op';
  if (state.decision?.verdict !== 'act') return state.decision?.rule === 'dry-run' ? 'dry-run' : 'held';
  if (state.verification?.keep) return 'kept';
  return reverted ? 'reverted' : 'failed-unreverted';
}

/** One ledger item per execution: what happened, why, and the evidence behind it. */
export function buildLedgerRecord(
  state: WorkflowState,
  recordedAt: string,
  policyVersion: string | null,
): LedgerRecord {
  const outcome = outcomeOf(state);
  const actuation = state.actuation;
  const reverted = state.revert?.reverted === true;
  const error = state.error ?? state.revertError ?? null;
  return {
    target: state.target,
    executionId: state.execution.id,
    executionName: state.execution.name,
    actionId: `${state.target}/${state.execution.name}`,
    outcome,
    trigger: state.trigger,
    diagnosis: state.detection?.diagnosis ?? null,
    decision: state.decision
      ? { verdict: state.decision.verdict, rule: state.decision.rule, detail: state.decision.detail }
      : null,
    actuator:
      actuation?.actuator ??
      (state.decision?.actuator === 'none' ? null : (state.decision?.actuator ?? null)),
    before: actuation?.from ?? state.decision?.plan?.from ?? null,
    // The action's before/after; `reverted` says whether `after` was undone.
    after: actuation?.to ?? state.decision?.plan?.to ?? null,
    verification: state.verification ?? null,
    reverted,
    escalated: state.escalation !== undefined,
    error,
    policyVersion: state.detection?.policyVersion ?? policyVersion,
    triggeredAt: state.trigger.at,
    recordedAt,
  };
}
