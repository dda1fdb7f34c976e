import type { LoopDeps } from '../../lambdas/adapters/loop-deps.js';
import { createAdjustProvisionedConcurrencyHandler } from '../../lambdas/handlers/adjust-provisioned-concurrency.js';
import { createDecideHandler } from '../../lambdas/handlers/decide.js';
import { createDetectHandler } from '../../lambdas/handlers/detect.js';
import { createFlipFeatureFlagHandler } from '../../lambdas/handlers/flip-feature-flag.js';
import { createRecordHandler } from '../../lambdas/handlers/record.js';
import { createRecoverHandler } from '../../lambdas/handlers/recover.js';
import { createRevertHandler } from '../../lambdas/handlers/revert.js';
import type { Handler } from '../../lambdas/handlers/runtime.js';
import { createStartExecutionHandler } from '../../lambdas/handlers/start-execution.js';
import { createVerifyHandler } from '../../lambdas/handlers/verify.js';
import type { HandlerId } from '../../lib/handler-catalog.js';

/**
 * The handler modules of the catalog, by id: the same modules `NodejsFunction` bundles, built
 * with the deps the local run gives them. Typed by `HandlerId`, so a handler added to the
 * catalog without a factory here fails to compile.
 */
export const HANDLER_FACTORIES: Readonly<Record<HandlerId, (deps: LoopDeps) => Handler<unknown>>> = {
  'start-execution': createStartExecutionHandler,
  detect: createDetectHandler,
  decide: createDecideHandler,
  'adjust-provisioned-concurrency': createAdjustProvisionedConcurrencyHandler,
  'flip-feature-flag': createFlipFeatureFlagHandler,
  verify: createVerifyHandler,
  revert: createRevertHandler,
  record: createRecordHandler,
  recover: createRecoverHandler,
};
