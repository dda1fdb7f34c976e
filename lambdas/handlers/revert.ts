import type { LoopDeps } from '../adapters/loop-deps.js';
import { PreviousValueMissingError } from '../core/errors.js';
import type { RevertResult } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { ledgerKey, restorePrevious } from './actuate.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

/**
 * "Revert": restores the value the ledger recorded before the action. It reads the ledger,
 * not the workflow state, so it also recovers an execution that crashed mid-actuation.
 */
export function createRevertHandler(deps: LoopDeps) {
  return withMiddleware('Revert', deps, async (event): Promise<RevertResult> => {
    const state = parseWorkflowState(event);
    const pending = await deps.ledger.getAction(ledgerKey(state));
    if (!pending) {
      if (state.actuation) {
        throw new PreviousValueMissingError(`no previous value was recorded for ${state.execution.name}`);
      }
      return { reverted: false, restoredValue: null, detail: 'nothing was changed, so nothing to revert' };
    }
    return restorePrevious(deps, state.target, pending);
  });
}

export const handler = lambdaEntry(createRevertHandler);
