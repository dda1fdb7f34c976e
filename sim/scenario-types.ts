/**
 * The shape of a scenario file (see `scenario.schema.json`, which is the published contract).
 * Times in a scenario are minutes from `start`; units are in the field names.
 */
import type {
  CompensatorDetection,
  CompensatorGuardrails,
  CompensatorSlo,
  ProvisionedConcurrencyBounds,
} from '../lib/compensator.js';

/** A period of extra traffic: the rate is multiplied by `multiplier` between the two minutes. */
export interface TrafficBurst {
  readonly startMinute: number;
  readonly endMinute: number;
  readonly multiplier: number;
  /** Minutes to ramp linearly from 1× to `multiplier` (and back down at the end). @default 0 */
  readonly rampMinutes?: number;
}

export interface TrafficSpec {
  /** Mean requests per second before diurnal shape and bursts. */
  readonly baselineRps: number;
  /** Relative amplitude of a 24-hour sine, 0..1 (0 = flat). @default 0 */
  readonly diurnalAmplitude?: number;
  /** Hour of day (UTC) of the diurnal peak. @default 14 */
  readonly diurnalPeakHourUtc?: number;
  readonly bursts?: readonly TrafficBurst[];
  /**
   * Short unplanned bursts at random times (seeded): noise a controller must not chase.
   * @default none
   */
  readonly randomBursts?: {
    readonly perHour: number;
    readonly multiplier: number;
    readonly durationMinutes: number;
  };
}

/** Downstream calls made by every invocation. */
export interface DependencySpec {
  /** A call every invocation makes. */
  readonly latencyMillis: number;
  /** A call that a feature flag can skip (`skip-optional-dependency`). @default 0 */
  readonly optionalLatencyMillis?: number;
  /** Attempts the function's SDK client makes on a failed dependency call. @default 3 (SDK standard retry mode) */
  readonly maxAttempts?: number;
}

/** How the function's callers retry a failed or throttled request. */
export interface ClientRetrySpec {
  /** Attempts per request, first included (AWS SDK standard retry mode: 3). */
  readonly maxAttempts: number;
}

/**
 * What a feature flag does to the function while it is enabled: skip the optional dependency;
 * tighten the retry budget (one dependency attempt, failures returned as non-retryable); or
 * nothing by itself (`none`: a `config-change` fault says what the change does).
 */
export type FlagEffect = 'skip-optional-dependency' | 'tighten-retry-budget' | 'none';

export interface FlagSpec {
  readonly key: string;
  readonly initial: boolean;
  readonly effect: FlagEffect;
}

/** The Compensator's SLO, plus the objective the benchmark accounts against. */
export interface SloSpec extends CompensatorSlo {
  /**
   * Share of minutes that must meet the objectives (window-based SLO); the rest is the error
   * budget the benchmark reports against. @default 99
   */
  readonly objectivePercent?: number;
}

/**
 * The CDK `Compensator` props a scenario can set. Flags carry no AppConfig ids (the simulator fills
 * them in), and their remedies are names as written, checked as the construct checks them.
 */
export interface CompensatorScenarioSpec {
  readonly slo: SloSpec;
  readonly provisionedConcurrency?: ProvisionedConcurrencyBounds;
  readonly flags?: readonly {
    readonly key: string;
    readonly compensatingValue: boolean;
    readonly remedies: readonly string[];
  }[];
  readonly guardrails?: CompensatorGuardrails;
  readonly detection?: CompensatorDetection;
}

export interface FunctionSpec {
  /** Short target name, [a-z0-9-]. */
  readonly target: string;
  readonly functionName: string;
  readonly aliasName: string;
  readonly memoryMb: number;
  /** Median handler time without dependencies. */
  readonly baseLatencyMillis: number;
  /** Sigma of the log-normal multiplier on the base latency. */
  readonly latencySigma: number;
  readonly coldStartMillis: { readonly median: number; readonly p95: number };
  readonly errorRatePercent: number;
  /** Reserved concurrency, or null for the unreserved account pool. */
  readonly reservedConcurrency: number | null;
  readonly initialProvisionedConcurrency: number;
  readonly traffic: TrafficSpec;
  readonly dependency?: DependencySpec;
  /** Callers retry failures and throttles. @default no client retries */
  readonly clientRetry?: ClientRetrySpec;
  readonly flags?: readonly FlagSpec[];
  /** SLO for accounting when the function has no compensator. @default compensator.slo */
  readonly slo?: SloSpec;
  readonly compensator?: CompensatorScenarioSpec;
}

/** Extra latency on a dependency call. */
export interface DependencySlowdownFault {
  readonly kind: 'dependency-slowdown';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly extraLatencyMillis: number;
  /** Which call slows down; a slowdown of the optional call disappears when it is skipped. @default 'required' */
  readonly dependency?: 'required' | 'optional';
  /** Minutes over which the slowdown grows linearly from 0 (a slow drift). @default 0 (a step) */
  readonly rampMinutes?: number;
}

/** Extra errors. */
export interface ErrorSpikeFault {
  readonly kind: 'error-spike';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly extraErrorRatePercent: number;
}

/** Handler latency grows linearly from 0 to `maxExtraLatencyMillis` over the fault window. */
export interface LatencyDriftFault {
  readonly kind: 'latency-drift';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly maxExtraLatencyMillis: number;
}

/**
 * A share of dependency calls hang until the call's timeout: the function's client retries them
 * (`dependency.maxAttempts`) and the invocation fails when every attempt timed out.
 */
export interface DependencyTimeoutsFault {
  readonly kind: 'dependency-timeouts';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  /** Share of invocations whose dependency calls all hang. */
  readonly affectedPercent: number;
  readonly timeoutMillis: number;
}

/**
 * Someone deploys flag `flagKey` = `value` through AppConfig at `startMinute` (strategy
 * `deploymentStrategyId`, default AppConfig.AllAtOnce). While environments see the new value,
 * the error rate rises by up to `extraErrorRatePercent`, growing linearly over `rampMinutes`
 * from the deployment. Rolling the flag back removes the effect. `endMinute` closes the fault
 * window (the change's effect stops there even if nobody rolls it back).
 */
export interface ConfigChangeFault {
  readonly kind: 'config-change';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly flagKey: string;
  readonly value: boolean;
  readonly extraErrorRatePercent: number;
  /** @default 0 */
  readonly rampMinutes?: number;
  /** @default 'AppConfig.AllAtOnce' */
  readonly deploymentStrategyId?: string;
}

/** Unplanned traffic: the arrival rate is multiplied by `multiplier` during the window. */
export interface TrafficBurstFault {
  readonly kind: 'traffic-burst';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly multiplier: number;
}

/**
 * Capacity left too high: no effect on the fleet; it marks the window in which reducing
 * provisioned concurrency is the expected correction (set `initialProvisionedConcurrency` high).
 */
export interface ExcessCapacityFault {
  readonly kind: 'excess-capacity';
  readonly target: string;
  readonly startMinute: number;
  readonly endMinute: number;
}

export type FaultSpec =
  | DependencySlowdownFault
  | ErrorSpikeFault
  | LatencyDriftFault
  | DependencyTimeoutsFault
  | ConfigChangeFault
  | TrafficBurstFault
  | ExcessCapacityFault;

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  /** ISO-8601 start of minute 0. */
  readonly start: string;
  readonly durationMinutes: number;
  /** Minutes of undisturbed history simulated before `start` (trains the anomaly bands). @default 180 */
  readonly warmupMinutes?: number;
  readonly functions: readonly FunctionSpec[];
  readonly faults?: readonly FaultSpec[];
}
