import type { LoopDeps } from '../adapters/loop-deps.js';
import { decide } from '../core/guardrails.js';
import type { Decision } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

const HOUR_MS = 3_600_000;
/** The lease outlives the bake by this much, so a crashed execution frees its target on its own. */
const LEASE_MARGIN_MS = 15 * 60_000;

/** "Check guardrails": gathers what the guardrails need, takes the target's lease, and decides. */
export function createDecideHandler(deps: LoopDeps) {
  return withMiddleware('Check guardrails', deps, async (event): Promise<Decision> => {
    const state = parseWorkflowState(event, ['detection']);
    const detection = state.detection as NonNullable<typeof state.detection>;
    const { policy } = await deps.policies.get(state.target);
    const nowMs = deps.clock.now();
    const holder = state.execution.name;
    const controls = await deps.ledger.getControls(policy.target);
    const since = nowMs - Math.max(HOUR_MS, policy.guardrails.cooldownSeconds * 1000);
    const [recentActionTimes, provisionedConcurrency, flagValues] = await Promise.all([
      deps.ledger.recentActionTimes(policy.target, since),
      policy.provisionedConcurrency
        ? deps.provisionedConcurrency.get(policy.functionName, policy.aliasName)
        : Promise.resolve(null),
      Promise.all(policy.flags.map(async (f) => [f.key, await deps.flags.get(f)] as const)),
    ]);
    const leaseAcquired = await deps.ledger.acquireLease(
      policy.target,
      holder,
      nowMs,
      policy.guardrails.bakeSeconds * 1000 + LEASE_MARGIN_MS,
    );
    const decision = decide({
      policy,
      diagnosis: detection.diagnosis,
      nowMs,
      globalDryRun: deps.config.globalDryRun,
      globalPaused: controls.globalPaused,
      targetPaused: controls.targetPaused,
      leaseAcquired,
      recentActionTimes,
      current: { provisionedConcurrency, flags: Object.fromEntries(flagValues) },
    });
    if (leaseAcquired && decision.verdict !== 'act') await deps.ledger.releaseLease(policy.target, holder);
    return decision;
  });
}

export const handler = lambdaEntry(createDecideHandler);
