import type { LoopDeps } from '../adapters/loop-deps.js';
import { buildLedgerRecord } from '../core/outcome.js';
import type { Outcome } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
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
    const state = parseWorkflowState(event);
    const nowMs = deps.clock.now();
    const record = buildLedgerRecord(state, new Date(nowMs).toISOString(), null);
    const expiresAt = Math.floor(nowMs / 1000) + deps.config.ledgerRetentionDays * 86_400;
    const written = await deps.ledger.writeRecord(record, expiresAt);
    await deps.ledger.releaseLease(state.target, state.execution.name);
    return { actionId: record.actionId, outcome: record.outcome, written };
  });
}

export const handler = lambdaEntry(createRecordHandler);
