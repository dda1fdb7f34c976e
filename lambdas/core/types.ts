/**
 * The data shapes that flow through the workflow and into the ledger.
 * Core, adapters, handlers, the CDK constructs and the simulated account all agree on these.
 */

/** Signals read for one target, one value per period. Units are in the names. */
export const SIGNAL_NAMES = [
  'p95DurationMillis',
  'p99DurationMillis',
  'errors',
  'invocations',
  'throttles',
  'concurrentExecutions',
  'pcUtilization',
  'pcSpilloverInvocations',
  'coldStarts',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** One aggregated data point: epoch milliseconds of the period start, and the value. */
export interface SeriesPoint {
  readonly t: number;
  readonly v: number;
}

/** The signals of one target over a window, each sorted by time, oldest first. Missing periods are absent. */
export type SignalWindow = Partial<Record<SignalName, readonly SeriesPoint[]>>;

export const DIAGNOSIS_KINDS = [
  'cold-start-pressure',
  'latency-drift',
  'error-drift',
  'retry-amplification',
  'canary-regression',
  'over-provisioned',
] as const;
export type DiagnosisKind = (typeof DIAGNOSIS_KINDS)[number];

export type ActuatorKind = 'provisioned-concurrency' | 'feature-flag';

/** A feature flag that a compensator may flip, in an AppConfig `AWS.AppConfig.FeatureFlags` profile. */
export interface FlagPolicy {
  /** Flag key inside the feature-flags document, e.g. `skipOptionalDependency`. */
  readonly key: string;
  /** Value the flag takes while compensating (`enabled`). */
  readonly compensatingValue: boolean;
  /** Diagnoses this flag remedies. */
  readonly remedies: readonly DiagnosisKind[];
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  readonly deploymentStrategyId: string;
}

/** The policy that a Compensator registers for one target (stored as JSON, read by the handlers). */
export interface TargetPolicy {
  readonly schemaVersion: 1;
  /** Short name of the target, [a-z0-9-], unique per control plane. */
  readonly target: string;
  readonly functionName: string;
  readonly aliasName: string;
  readonly slo: {
    readonly p95Millis: number;
    /** Optional tail objective; cold starts show here long before they move p95. */
    readonly p99Millis?: number;
    readonly errorRatePercent: number;
  };
  readonly provisionedConcurrency?: {
    readonly min: number;
    readonly max: number;
    readonly maxStep: number;
  };
  readonly flags: readonly FlagPolicy[];
  readonly guardrails: {
    /** Decide and record, never actuate. */
    readonly dryRun: boolean;
    readonly paused: boolean;
    readonly cooldownSeconds: number;
    readonly actionsPerHour: number;
    readonly bakeSeconds: number;
    /** Diagnoses below this confidence are recorded but not acted on. */
    readonly minConfidence: number;
  };
  readonly detection: {
    /** Minutes the diagnosis rules look at (baseline plus recent periods). */
    readonly windowMinutes: number;
    /**
     * Minutes of history Detect reads for the streaming detector, which judges each signal
     * against its own past (at least `windowMinutes`).
     */
    readonly historyMinutes: number;
    readonly periodSeconds: number;
  };
}

export interface Diagnosis {
  readonly kind: DiagnosisKind | 'none';
  /** Relative size of the deviation, e.g. 0.4 = 40 % above the expected level. */
  readonly magnitude: number;
  /** Fraction of the recent periods that deviate, 0..1. */
  readonly persistence: number;
  readonly confidence: number;
  /** The values the diagnosis rests on, named with their unit. */
  readonly evidence: Readonly<Record<string, number>>;
  readonly summary: string;
}

/** Output of "Detect micromotion". */
export interface Detection {
  readonly actionable: boolean;
  /** Why nothing is actionable, when it is not. */
  readonly reason: 'diagnosed' | 'no-deviation' | 'insufficient-data' | 'trigger-not-alarm';
  readonly diagnosis: Diagnosis;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly policyVersion: string;
}

export type GuardrailRule =
  | 'global-kill-switch'
  | 'target-kill-switch'
  | 'dry-run'
  | 'low-confidence'
  | 'lease-held'
  | 'cooldown'
  | 'action-budget'
  | 'at-bound'
  | 'no-actuator'
  | 'deployment-in-progress'
  | 'another-controller'
  | 'plan';

export interface ActionPlan {
  readonly actuator: ActuatorKind;
  readonly from: number | boolean;
  readonly to: number | boolean;
  /** For flags: which flag. */
  readonly flagKey?: string;
  readonly why: string;
}

/** Output of "Check guardrails". */
export interface Decision {
  readonly verdict: 'act' | 'hold';
  /** The rule that decided; `plan` when every guardrail passed and an action was planned. */
  readonly rule: GuardrailRule;
  readonly detail: string;
  readonly actuator: ActuatorKind | 'none';
  readonly plan: ActionPlan | null;
  readonly bakeSeconds: number;
  readonly leaseTaken: boolean;
}

/** Output of an actuator state. */
export interface Actuation {
  readonly actuator: ActuatorKind;
  readonly from: number | boolean;
  readonly to: number | boolean;
  readonly flagKey?: string;
  /** Identifier of the change at the service: a PC config status or an AppConfig deployment number. */
  readonly changeRef: string;
  readonly at: string;
}

/** Output of "Verify effect". */
export interface Verification {
  readonly verdict: 'improved' | 'no-effect' | 'worse' | 'insufficient-data';
  readonly keep: boolean;
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  readonly summary: string;
}

export interface RevertResult {
  readonly reverted: boolean;
  readonly restoredValue: number | boolean | null;
  readonly detail: string;
}

/** The trigger that started an execution. */
export interface Trigger {
  readonly source: 'alarm' | 'manual' | 'schedule';
  readonly alarmName?: string;
  readonly signal?: string;
  readonly state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  readonly reason?: string;
  readonly at: string;
  /**
   * For an alarm: the end of the newest period the alarm evaluated (its `reasonData`). That data
   * was in CloudWatch when the alarm fired, so Detect reads through it whatever its metric lag.
   */
  readonly dataUntil?: string;
}

export interface ExecutionRef {
  readonly id: string;
  readonly name: string;
  /** Informational: the service's start time (the local interpreter reports wall time here). */
  readonly startedAt?: string;
}

/** An error caught by the workflow's Catch (`{ Error, Cause }`). */
export interface CaughtError {
  readonly Error: string;
  readonly Cause?: string;
}

/** The state document that the workflow carries from state to state. */
export interface WorkflowState {
  readonly target: string;
  readonly trigger: Trigger;
  readonly execution: ExecutionRef;
  readonly detection?: Detection;
  readonly decision?: Decision;
  readonly actuation?: Actuation;
  readonly verification?: Verification;
  readonly revert?: RevertResult;
  readonly escalation?: { readonly messageId: string };
  readonly error?: CaughtError;
  readonly revertError?: CaughtError;
  readonly escalationError?: CaughtError;
}

export type Outcome =
  | 'no-op'
  | 'held'
  | 'kept'
  | 'reverted'
  | 'dry-run'
  | 'failed'
  | 'failed-reverted'
  | 'failed-unreverted';

/** One ledger item per execution. */
export interface LedgerRecord {
  readonly target: string;
  readonly executionId: string;
  readonly executionName: string;
  /** Stable id of the action: `<target>/<executionName>`. */
  readonly actionId: string;
  readonly outcome: Outcome;
  readonly trigger: Trigger;
  readonly diagnosis: Diagnosis | null;
  readonly decision: { readonly verdict: string; readonly rule: string; readonly detail: string } | null;
  readonly actuator: ActuatorKind | null;
  readonly before: number | boolean | null;
  readonly after: number | boolean | null;
  readonly verification: Verification | null;
  readonly reverted: boolean;
  readonly escalated: boolean;
  readonly error: CaughtError | null;
  readonly policyVersion: string | null;
  /** When the trigger fired (the alarm's transition time); orders the ledger. */
  readonly triggeredAt: string;
  readonly recordedAt: string;
}
