import type { LoopDeps } from '../adapters/loop-deps.js';
import { ActuationError } from '../core/errors.js';
import type { Actuation } from '../core/types.js';
import { actuate, flagSetting } from './actuate.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

/** "Flip feature flag": deploys the flag's compensating value through AppConfig. */
export function createFlipFeatureFlagHandler(deps: LoopDeps) {
  return withMiddleware(
    'Flip feature flag',
    deps,
    (event): Promise<Actuation> =>
      actuate(
        deps,
        event,
        'feature-flag',
        (policy, plan) => flagSetting(deps, policy, plan.flagKey),
        (policy, plan) => {
          const flag = policy.flags.find((f) => f.key === plan.flagKey);
          if (!flag || plan.to !== flag.compensatingValue) {
            throw new ActuationError(
              `flag ${plan.flagKey} may only be set to its compensating value by the loop`,
            );
          }
        },
      ),
  );
}

export const handler = lambdaEntry(createFlipFeatureFlagHandler);
