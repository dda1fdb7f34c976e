import type { LoopDeps } from '../adapters/loop-deps.js';
import { ActuationError, ConcurrentChangeError, InvalidEventError } from '../core/errors.js';
import type { LedgerKey, PendingAction } from '../core/ports.js';
import type {
  ActionPlan,
  Actuation,
  ActuatorKind,
  RevertResult,
  TargetPolicy,
  WorkflowState,
} from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';

/** One actuator's view of its setting: read it, write it. */
export interface Setting {
  read(): Promise<number | boolean>;
  write(value: number | boolean): Promise<string>;
}

export function ledgerKey(state: WorkflowState): LedgerKey {
  return { target: state.target, triggeredAt: state.trigger.at, executionName: state.execution.name };
}

/**
 * The actuation protocol shared by every actuator:
 * 1. read the live value; if it differs from what was planned against, another controller
 *    moved it: back off rather than fight;
 * 2. record it in the ledger as the value to revert to, before changing anything (a retry
 *    gets the value recorded the first time);
 * 3. change the setting, then mark the ledger item applied.
 */
export async function actuate(
  deps: LoopDeps,
  event: unknown,
  kind: ActuatorKind,
  setting: (policy: TargetPolicy, plan: ActionPlan) => Setting,
  check: (policy: TargetPolicy, plan: ActionPlan) => void,
): Promise<Actuation> {
  const state = parseWorkflowState(event, ['decision']);
  const plan = state.decision?.plan;
  if (state.decision?.verdict !== 'act' || !plan || plan.actuator !== kind) {
    throw new InvalidEventError(`event.decision does not plan a ${kind} action`);
  }
  const { policy } = await deps.policies.get(state.target);
  check(policy, plan);
  const target = setting(policy, plan);
  const key = ledgerKey(state);
  const existing = await deps.ledger.getAction(key);
  if (existing?.applied) return actuationOf(kind, existing, existing.changeRef ?? 'applied earlier');
  const live = await target.read();
  if (existing && live === existing.planned) {
    // A retry after the change went through but before it was marked: mark it, change nothing.
    const changeRef = `already ${live}`;
    await deps.ledger.markApplied(key, changeRef);
    return actuationOf(kind, existing, changeRef);
  }
  if (!existing && live !== plan.from) {
    throw new ConcurrentChangeError(
      `${kind} of ${policy.target} is ${live}, not the ${plan.from} the decision planned from: changed by someone else`,
    );
  }
  const recorded =
    existing ??
    (await deps.ledger.beginAction({
      key,
      executionId: state.execution.id,
      actuator: kind,
      ...(plan.flagKey ? { flagKey: plan.flagKey } : {}),
      previous: live,
      planned: plan.to,
      actuatedAtMs: deps.clock.now(),
    }));
  const changeRef = await target.write(plan.to);
  await deps.ledger.markApplied(key, changeRef);
  return actuationOf(kind, recorded, changeRef);
}

/** The actuation an action recorded in the ledger stands for. */
export function actuationOf(kind: ActuatorKind, action: PendingAction, changeRef: string): Actuation {
  return {
    actuator: kind,
    from: action.previous,
    to: action.planned,
    ...(action.flagKey ? { flagKey: action.flagKey } : {}),
    changeRef,
    at: new Date(action.actuatedAtMs).toISOString(),
  };
}

/** The Setting for provisioned concurrency on the target's alias. */
export function pcSetting(deps: LoopDeps, policy: TargetPolicy): Setting {
  return {
    read: () => deps.provisionedConcurrency.get(policy.functionName, policy.aliasName),
    write: (value) => deps.provisionedConcurrency.set(policy.functionName, policy.aliasName, Number(value)),
  };
}

/** The Setting for one feature flag of the target. */
export function flagSetting(deps: LoopDeps, policy: TargetPolicy, flagKey: string | undefined): Setting {
  const flag = policy.flags.find((f) => f.key === flagKey);
  if (!flag) throw new ActuationError(`${policy.target} has no flag ${flagKey} in its policy`);
  return {
    read: () => deps.flags.get(flag),
    write: (value) => deps.flags.set(flag, Boolean(value)),
  };
}

/**
 * Restores the value recorded before an action. Backs off (ConcurrentChangeError) when the
 * live value is neither the recorded one nor the one the action set: someone else moved it.
 */
export async function restorePrevious(
  deps: LoopDeps,
  target: string,
  pending: PendingAction,
): Promise<RevertResult> {
  const { policy } = await deps.policies.get(target);
  const stopped = await stopOwnDeployment(deps, policy, pending);
  if (stopped) return stopped;
  const setting =
    pending.actuator === 'provisioned-concurrency'
      ? pcSetting(deps, policy)
      : flagSetting(deps, policy, pending.flagKey);
  const live = await setting.read();
  if (live !== pending.previous && live !== pending.planned) {
    throw new ConcurrentChangeError(
      `${pending.actuator} of ${policy.target} is ${live}, neither the ${pending.previous} recorded before the action nor the ${pending.planned} it set: not reverting over someone else's change`,
    );
  }
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
}

/**
 * A flag change whose deployment is still rolling out or baking cannot be undone with a new
 * deployment (AppConfig runs one at a time), and the deployed value still reads as the old one.
 * The in-progress deployment is this action's own (Decide holds while another one runs), so
 * it is stopped with revert: AppConfig's own rollback to the previous version.
 */
async function stopOwnDeployment(
  deps: LoopDeps,
  policy: TargetPolicy,
  pending: PendingAction,
): Promise<RevertResult | null> {
  if (pending.actuator !== 'feature-flag' || !pending.applied) return null;
  const flag = policy.flags.find((f) => f.key === pending.flagKey);
  const deployment = /deployment (\d+)/.exec(pending.changeRef ?? '')?.[1];
  if (!flag || deployment === undefined || !(await deps.flags.deploymentInProgress(flag))) return null;
  await deps.flags.stopDeployment(flag, Number(deployment));
  return {
    reverted: true,
    restoredValue: pending.previous,
    detail: `stopped deployment ${deployment} of ${flag.key} before it completed; AppConfig rolled back to ${pending.previous}`,
  };
}
