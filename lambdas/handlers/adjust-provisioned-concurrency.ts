import type { LoopDeps } from '../adapters/loop-deps.js';
import { ActuationError } from '../core/errors.js';
import type { Actuation } from '../core/types.js';
import { actuate, pcSetting } from './actuate.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

/** "Adjust provisioned concurrency": sets the planned PC on the alias, within the policy's bounds. */
export function createAdjustProvisionedConcurrencyHandler(deps: LoopDeps) {
  return withMiddleware(
    'Adjust provisioned concurrency',
    deps,
    (event): Promise<Actuation> =>
      actuate(
        deps,
        event,
        'provisioned-concurrency',
        (policy) => pcSetting(deps, policy),
        (policy, plan) => {
          const bounds = policy.provisionedConcurrency;
          const to = Number(plan.to);
          const from = Number(plan.from);
          if (!bounds) throw new ActuationError(`${policy.target} allows no provisioned-concurrency changes`);
          const inBounds = to >= bounds.min && to <= bounds.max;
          // A value someone left outside the bounds may be brought back one step at a time.
          const towardBounds = (from < bounds.min && to > from) || (from > bounds.max && to < from);
          if (!Number.isInteger(to) || !(inBounds || towardBounds) || Math.abs(to - from) > bounds.maxStep) {
            throw new ActuationError(
              `planned provisioned concurrency ${from} → ${to} breaks bounds [${bounds.min}, ${bounds.max}] step ${bounds.maxStep}`,
            );
          }
        },
      ),
  );
}

export const handler = lambdaEntry(createAdjustProvisionedConcurrencyHandler);
