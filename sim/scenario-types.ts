/**
 * The shape of a scenario file (see `scenario.schema.json`, which is the published contract).
 * Times in a scenario are minutes from `start`; units are in the field names.
 */

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
}

/** Downstream calls made by every invocation. */
export interface DependencySpec {
  /** A call every invocation makes. */
  readonly latencyMillis: number;
  /** A call that a feature flag can skip (`skip-optional-dependency`). @default 0 */
  readonly optionalLatencyMillis?: number;
}

/** What a feature flag does to the function while it is enabled. */
export type FlagEffect = 'skip-optional-dependency';

export interface FlagSpec {
  readonly key: string;
  readonly initial: boolean;
  readonly effect: FlagEffect;
}

export interface SloSpec {
  readonly p95Millis: number;
  /** Optional p99 objective. @default none */
  readonly p99Millis?: number;
  readonly errorRatePercent: number;
}

/** Mirrors the CDK `Compensator` props; the AppConfig ids of flags are filled in by the simulator. */
export interface CompensatorScenarioSpec {
  readonly slo: SloSpec;
  readonly provisionedConcurrency?: { readonly min: number; readonly max: number; readonly maxStep: number };
  readonly flags?: readonly {
    readonly key: string;
    readonly compensatingValue: boolean;
    readonly remedies: readonly string[];
  }[];
  readonly guardrails?: {
    readonly dryRun?: boolean;
    readonly paused?: boolean;
    readonly cooldownSeconds?: number;
    readonly actionsPerHour?: number;
    readonly bakeSeconds?: number;
    readonly minConfidence?: number;
  };
  readonly detection?: {
    readonly windowMinutes?: number;
    readonly historyMinutes?: number;
    readonly periodSeconds?: number;
  };
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

export type FaultSpec = DependencySlowdownFault | ErrorSpikeFault | LatencyDriftFault;

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
