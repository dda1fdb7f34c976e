import type { LoopDeps } from '../adapters/loop-deps.js';
import { InvalidEventError } from '../core/errors.js';
import { buildLedgerRecord } from '../core/outcome.js';
import type { Outcome, WorkflowState } from '../core/types.js';
import { parseWorkflowState, salvageWorkflowState } from '../core/workflow-state.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

export interface RecordResult {
  readonly actionId: string;
  readonly outcome: Outcome;
  readonly written: 'written' | 'already-recorded';
}

/**
 * "Record outcome": writes the execution's one ledger record (idempotent under retries)
 * and releases the target's lease if this execution holds it.
 */
export function createRecordHandler(deps: LoopDeps) {
  return withMiddleware('Record outcome', deps, async (event): Promise<RecordResult> => {
    const nowMs = deps.clock.now();
    const state = readState(event, new Date(nowMs).toISOString());
    const record = buildLedgerRecord(state, new Date(nowMs).toISOString(), null);
    const expiresAt = Math.floor(nowMs / 1000) + deps.config.ledgerRetentionDays * 86_400;
    const written = await deps.ledger.writeRecord(record, expiresAt);
    await deps.ledger.releaseLease(state.target, state.execution.name);
    return { actionId: record.actionId, outcome: record.outcome, written };
  });
}

/** A valid state as is; a malformed one salvaged into a failed execution's state (never dropped). */
function readState(event: unknown, nowIso: string): WorkflowState {
  try {
    return parseWorkflowState(event);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return salvageWorkflowState(event, { Error: error.name, Cause: error.message }, nowIso);
  }
}

export const handler = lambdaEntry(createRecordHandler);
