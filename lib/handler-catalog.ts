/**
 * The single list of the control plane's Lambda handlers: which file implements which
 * workflow state. The CDK stack builds one `NodejsFunction` per entry, and the local runner
 * uses the same list to map a state name to the handler module it runs.
 *
 * Data only: no CDK imports, so runtime tooling can import this module cheaply.
 */

/** Identifier of a control-plane handler (also the construct id of its function). */
export type HandlerId =
  | 'start-execution'
  | 'detect'
  | 'decide'
  | 'adjust-provisioned-concurrency'
  | 'flip-feature-flag'
  | 'verify'
  | 'revert'
  | 'record'
  | 'recover';

/** Names of the workflow states that invoke a Lambda handler. */
export type HandlerStateName =
  | 'Detect micromotion'
  | 'Check guardrails'
  | 'Adjust provisioned concurrency'
  | 'Flip feature flag'
  | 'Verify effect'
  | 'Revert'
  | 'Record outcome';

export interface HandlerSpec {
  readonly id: HandlerId;
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** The workflow state that invokes it, or `null` when it is not invoked by the workflow. */
  readonly stateName: HandlerStateName | null;
  /** One line on what it does (used as the function description). */
  readonly description: string;
}

export const HANDLER_CATALOG: readonly HandlerSpec[] = [
  {
    id: 'start-execution',
    entry: 'lambdas/handlers/start-execution.ts',
    stateName: null,
    description: 'Starts a micromotion execution with a readable name for an alarm state change',
  },
  {
    id: 'detect',
    entry: 'lambdas/handlers/detect.ts',
    stateName: 'Detect micromotion',
    description: 'Reads the target signals and diagnoses the deviation',
  },
  {
    id: 'decide',
    entry: 'lambdas/handlers/decide.ts',
    stateName: 'Check guardrails',
    description: 'Applies policy and guardrails, takes the per-target lease, plans an action',
  },
  {
    id: 'adjust-provisioned-concurrency',
    entry: 'lambdas/handlers/adjust-provisioned-concurrency.ts',
    stateName: 'Adjust provisioned concurrency',
    description: 'Changes provisioned concurrency on the target alias by one bounded step',
  },
  {
    id: 'flip-feature-flag',
    entry: 'lambdas/handlers/flip-feature-flag.ts',
    stateName: 'Flip feature flag',
    description: 'Sets a compensating AppConfig feature flag and deploys it',
  },
  {
    id: 'verify',
    entry: 'lambdas/handlers/verify.ts',
    stateName: 'Verify effect',
    description: 'Compares the signals after the bake with the signals before the action',
  },
  {
    id: 'revert',
    entry: 'lambdas/handlers/revert.ts',
    stateName: 'Revert',
    description: 'Restores the value recorded before the action',
  },
  {
    id: 'record',
    entry: 'lambdas/handlers/record.ts',
    stateName: 'Record outcome',
    description: 'Writes the ledger record of the execution and releases the lease',
  },
  {
    id: 'recover',
    entry: 'lambdas/handlers/recover.ts',
    stateName: null,
    description: 'Restores, records and unlocks after an execution failed, timed out or was aborted',
  },
];

/** The catalog entry of a handler id. Throws for an unknown id. */
export function handlerSpec(id: HandlerId): HandlerSpec {
  const spec = HANDLER_CATALOG.find((h) => h.id === id);
  if (!spec) throw new Error(`No handler '${id}' in HANDLER_CATALOG.`);
  return spec;
}

/** Workflow state names, exactly as they appear in the state machine definition. */
export const STATE_NAMES = {
  checkInput: 'Check input',
  describeInvalid: 'Describe invalid input',
  describe: 'Describe execution',
  detect: 'Detect micromotion',
  anythingToCorrect: 'Anything to correct?',
  decide: 'Check guardrails',
  actOrHold: 'Act or hold?',
  adjustPc: 'Adjust provisioned concurrency',
  flipFlag: 'Flip feature flag',
  bake: 'Bake',
  verify: 'Verify effect',
  keepOrRevert: 'Keep or revert?',
  revert: 'Revert',
  escalate: 'Escalate',
  record: 'Record outcome',
  recordDirectly: 'Record failure directly',
  ledgerWriteFailed: 'Ledger write failed',
} as const;
