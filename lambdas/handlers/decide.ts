import type { LoopDeps } from '../adapters/loop-deps.js';
import { actionHistoryStartMs, decide } from '../core/guardrails.js';
import type { Decision, FlagPolicy, GuardrailRule } from '../core/types.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

/** Rules that hold whatever the target's current settings are. */
const EARLY_RULES: ReadonlySet<GuardrailRule> = new Set([
  'global-kill-switch',
  'target-kill-switch',
  'low-confidence',
  'cooldown',
  'action-budget',
]);

/** "Check guardrails": gathers what the guardrails need, takes the target's lease, and decides. */
export function createDecideHandler(deps: LoopDeps) {
  return withMiddleware('Check guardrails', deps, async (event): Promise<Decision> => {
    const state = parseWorkflowState(event, ['detection']);
    const detection = state.detection as NonNullable<typeof state.detection>;
    const { policy } = await deps.policies.get(state.target);
    const nowMs = deps.clock.now();
    const holder = state.execution.name;
    const since = actionHistoryStartMs(policy, nowMs);
    const [controls, recentActionTimes] = await Promise.all([
      deps.ledger.getControls(policy.target),
      deps.ledger.recentActionTimes(policy.target, since),
    ]);
    const base = {
      policy,
      diagnosis: detection.diagnosis,
      nowMs,
      globalDryRun: deps.config.globalDryRun,
      globalPaused: controls.globalPaused,
      targetPaused: controls.targetPaused,
      recentActionTimes,
    };
    // Guardrails that need nothing from the target's services decide before anything is read.
    const early = decide({
      ...base,
      leaseAcquired: true,
      current: { provisionedConcurrency: null, flags: {} },
    });
    if (early.verdict === 'hold' && EARLY_RULES.has(early.rule)) return early;

    // Read only the settings the diagnosis could change.
    const kind = detection.diagnosis.kind;
    const usesPc =
      policy.provisionedConcurrency && (kind === 'cold-start-pressure' || kind === 'over-provisioned');
    const flags = policy.flags.filter((f) => kind !== 'none' && f.remedies.includes(kind));
    const [provisionedConcurrency, pcAutoscaled, flagValues, flagsDeploying] = await Promise.all([
      usesPc ? deps.provisionedConcurrency.get(policy.functionName, policy.aliasName) : Promise.resolve(null),
      usesPc
        ? deps.provisionedConcurrency.autoscaled(policy.functionName, policy.aliasName)
        : Promise.resolve(false),
      Promise.all(flags.map(async (f) => [f.key, await deps.flags.get(f)] as const)),
      flagsWithDeployments(deps, flags),
    ]);
    const context = {
      ...base,
      current: { provisionedConcurrency, flags: Object.fromEntries(flagValues) },
      flagsDeploying,
      pcAutoscaled,
    };
    // Decide as if the lease were ours first: only an execution that would act takes the lease,
    // so a held or dry-run execution never makes a concurrent one wait.
    const tentative = decide({ ...context, leaseAcquired: true });
    if (tentative.verdict !== 'act') return tentative;
    const leaseAcquired = await deps.ledger.acquireLease(
      policy.target,
      holder,
      nowMs,
      deps.config.leaseSeconds * 1000,
    );
    const decision = leaseAcquired ? tentative : decide({ ...context, leaseAcquired: false });
    return decision;
  });
}

async function flagsWithDeployments(deps: LoopDeps, flags: readonly FlagPolicy[]): Promise<string[]> {
  const busy = await Promise.all(
    flags.map(async (f) => ((await deps.flags.deploymentInProgress(f)) ? f.key : null)),
  );
  return busy.filter((key): key is string => key !== null);
}

export const handler = lambdaEntry(createDecideHandler);
