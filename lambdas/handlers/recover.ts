import type { LoopDeps } from '../adapters/loop-deps.js';
import { parseExecutionStatusEvent } from '../core/execution-event.js';
import { buildLedgerRecord } from '../core/outcome.js';
import type { CaughtError, Outcome, RevertResult, WorkflowState } from '../core/types.js';
import { salvageWorkflowState } from '../core/workflow-state.js';
import { actuationOf, ledgerKey, restorePrevious } from './actuate.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

export interface RecoverResult {
  readonly executionName: string;
  readonly outcome: Outcome | 'already-recorded';
}

/**
 * Target of the rule on executions that FAILED, TIMED_OUT or were ABORTED: no Catch runs for
 * those, so this handler finishes what the workflow could not. It restores the value the
 * ledger recorded before any action the execution took, writes the execution's one record,
 * and releases the target's lease. An execution that already recorded is left alone.
 */
export function createRecoverHandler(deps: LoopDeps) {
  return withMiddleware('Recover execution', deps, async (event): Promise<RecoverResult> => {
    const ended = parseExecutionStatusEvent(event);
    const nowMs = deps.clock.now();
    const nowIso = new Date(nowMs).toISOString();
    const failure: CaughtError = {
      Error: `Execution${pascal(ended.status)}`,
      Cause: ended.cause || ended.error,
    };
    const base = salvageWorkflowState(
      { ...(ended.input as object | null), execution: { id: ended.executionArn, name: ended.name } },
      failure,
      nowIso,
    );
    const key = ledgerKey(base);
    if (await deps.ledger.isRecorded(key)) {
      await deps.ledger.releaseLease(base.target, ended.name);
      return { executionName: ended.name, outcome: 'already-recorded' };
    }
    const pending = await deps.ledger.getAction(key);
    let revert: RevertResult | undefined;
    let revertError: CaughtError | undefined;
    if (pending) {
      try {
        revert = await restorePrevious(deps, base.target, pending);
      } catch (error) {
        const e = error as Error;
        revertError = { Error: e.name, Cause: e.message };
      }
    }
    const state: WorkflowState = {
      ...base,
      ...(pending
        ? { actuation: actuationOf(pending.actuator, pending, pending.changeRef ?? 'unknown') }
        : {}),
      ...(revert ? { revert } : {}),
      ...(revertError ? { revertError } : {}),
    };
    const record = buildLedgerRecord(state, nowIso, null);
    await deps.ledger.writeRecord(
      record,
      Math.floor(nowMs / 1000) + deps.config.ledgerRetentionDays * 86_400,
    );
    await deps.ledger.releaseLease(base.target, ended.name);
    return { executionName: ended.name, outcome: record.outcome };
  });
}

function pascal(status: string): string {
  return status
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export const handler = lambdaEntry(createRecoverHandler);
