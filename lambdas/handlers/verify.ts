import type { LoopDeps } from '../adapters/loop-deps.js';
import type { Verification } from '../core/types.js';
import { verifyEffect } from '../core/verify.js';
import { parseWorkflowState } from '../core/workflow-state.js';
import { lambdaEntry, metricWindowEndMs, withMiddleware } from './runtime.js';

/** "Verify effect": reads the signals since the action and compares them with the evidence before it. */
export function createVerifyHandler(deps: LoopDeps) {
  return withMiddleware('Verify effect', deps, async (event): Promise<Verification> => {
    const state = parseWorkflowState(event, ['detection', 'decision', 'actuation']);
    const detection = state.detection as NonNullable<typeof state.detection>;
    const actuation = state.actuation as NonNullable<typeof state.actuation>;
    const { policy } = await deps.policies.get(state.target);
    const periodMs = policy.detection.periodSeconds * 1000;
    const end = metricWindowEndMs(deps, policy.detection.periodSeconds);
    // The period the change landed in is mixed; skip it when the bake leaves anything after it.
    const firstFull = Math.ceil(Date.parse(actuation.at) / periodMs) * periodMs;
    const start = firstFull + periodMs < end ? firstFull + periodMs : firstFull;
    const after = start < end ? await deps.metrics.readSignals(policy, start, end) : {};
    return verifyEffect(detection.diagnosis, after, policy);
  });
}

export const handler = lambdaEntry(createVerifyHandler);
