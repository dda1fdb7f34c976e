import type { LoopDeps } from '../adapters/loop-deps.js';
import { PreviousValueMissingError } from '../core/errors.js';
import type { RevertResult } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { flagSetting, ledgerKey, pcSetting } from './actuate.js';
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
    const { policy } = await deps.policies.get(state.target);
    const setting =
      pending.actuator === 'provisioned-concurrency'
        ? pcSetting(deps, policy)
        : flagSetting(deps, policy, pending.flagKey);
    const live = await setting.read();
    if (live === pending.previous) {
      return {
        reverted: pending.applied === true,
        restoredValue: pending.previous,
        detail: `already at the recorded previous value ${pending.previous}`,
      };
    }
    const changeRef = await setting.write(pending.previous);
    return {
      reverted: true,
      restoredValue: pending.previous,
      detail: `restored ${pending.actuator} ${live} → ${pending.previous} (${changeRef})`,
    };
  });
}

export const handler = lambdaEntry(createRevertHandler);
