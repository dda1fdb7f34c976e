import { LAMBDA_PRICES_USD } from './fleet/aws-behaviour.js';
import type { StepOutcome } from './fleet/function-fleet.js';
import { Histogram } from './histogram.js';
import type { SloSpec } from './scenario-types.js';

/** Cost inputs of a period, in GB-seconds and requests, and their price at list prices. */
export interface CostInputs {
  readonly provisionedGbSeconds: number;
  readonly onDemandDurationGbSeconds: number;
  readonly provisionedDurationGbSeconds: number;
  readonly invocations: number;
  readonly usd: number;
}

/** What one function did in one scenario minute, and whether it met its SLO. */
export interface MinuteRecord {
  readonly minute: number;
  readonly startMillis: number;
  readonly requests: number;
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly coldStarts: number;
  readonly spilloverInvocations: number;
  readonly provisionedInvocations: number;
  /** NaN when there were no invocations. */
  readonly p50Millis: number;
  readonly p95Millis: number;
  readonly p99Millis: number;
  readonly errorRatePercent: number;
  /** (errors + throttles) / requests: what callers see fail. */
  readonly failureRatePercent: number;
  /** Warm-up pings (cost only). */
  readonly pings: number;
  readonly maxConcurrency: number;
  readonly provisionedAllocated: number;
  readonly provisionedRequested: number;
  /** p95 (or p99, when the SLO has one) or error rate above the SLO. */
  readonly sloBreached: boolean;
  readonly breaches: readonly ('p95' | 'p99' | 'error-rate')[];
  readonly cost: CostInputs;
}

/** Collects the steps of one minute of one function. */
export class MinuteAccumulator {
  #steps: StepOutcome[] = [];
  /** The minute's latencies, merged as steps arrive (a step's own histogram is reused by the next step). */
  readonly #durations = new Histogram();

  add(step: StepOutcome): void {
    this.#steps.push(step);
    this.#durations.merge(step.durations);
  }

  /** Closes the minute; returns its record and starts a new one. */
  close(minute: number, startMillis: number, slo: SloSpec | undefined, memoryMb: number): MinuteRecord {
    const steps = this.#steps;
    this.#steps = [];
    const durations = this.#durations;
    const sum = (f: (s: StepOutcome) => number): number => steps.reduce((acc, s) => acc + f(s), 0);
    const invocations = sum((s) => s.invocations);
    const errors = sum((s) => s.errors);
    const p50 = durations.percentile(50);
    const p95 = durations.percentile(95);
    const p99 = durations.percentile(99);
    durations.reset();
    const errorRatePercent = invocations > 0 ? (errors / invocations) * 100 : 0;
    const requests = sum((s) => s.requests);
    const throttles = sum((s) => s.throttles);
    const failureRatePercent = requests > 0 ? ((errors + throttles) / requests) * 100 : 0;
    const breaches: ('p95' | 'p99' | 'error-rate')[] = [];
    if (slo && invocations > 0 && p95 > slo.p95Millis) breaches.push('p95');
    if (slo?.p99Millis !== undefined && invocations > 0 && p99 > slo.p99Millis) {
      breaches.push('p99');
    }
    if (slo && requests > 0 && failureRatePercent > slo.errorRatePercent) breaches.push('error-rate');
    const gb = memoryMb / 1024;
    const durationSeconds = sum((s) => s.durationSumMillis) / 1000;
    const pings = sum((s) => s.pings);
    const pingGbSeconds = (sum((s) => s.pingDurationMillis) / 1000) * gb;
    const provisionedDurationSeconds = sum((s) => s.provisionedDurationSumMillis) / 1000;
    const provisionedGbSeconds = sum((s) => s.provisionedRequested * s.stepSeconds) * gb;
    const onDemandDurationGbSeconds = (durationSeconds - provisionedDurationSeconds) * gb + pingGbSeconds;
    const provisionedDurationGbSeconds = provisionedDurationSeconds * gb;
    return {
      minute,
      startMillis,
      requests,
      invocations,
      errors,
      throttles,
      coldStarts: sum((s) => s.coldStarts),
      spilloverInvocations: sum((s) => s.spilloverInvocations),
      provisionedInvocations: sum((s) => s.provisionedInvocations),
      p50Millis: p50,
      p95Millis: p95,
      p99Millis: p99,
      errorRatePercent,
      failureRatePercent,
      pings,
      maxConcurrency: Math.max(0, ...steps.map((s) => s.concurrencyPeak)),
      provisionedAllocated: Math.max(0, ...steps.map((s) => s.provisionedAllocated)),
      provisionedRequested: Math.max(0, ...steps.map((s) => s.provisionedRequested)),
      sloBreached: breaches.length > 0,
      breaches,
      cost: {
        provisionedGbSeconds,
        onDemandDurationGbSeconds,
        provisionedDurationGbSeconds,
        invocations: invocations + pings,
        usd:
          ((invocations + pings) / 1e6) * LAMBDA_PRICES_USD.perMillionRequests +
          provisionedGbSeconds * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency +
          onDemandDurationGbSeconds * LAMBDA_PRICES_USD.perGbSecondOnDemandDuration +
          provisionedDurationGbSeconds * LAMBDA_PRICES_USD.perGbSecondProvisionedDuration,
      },
    };
  }
}

/** A notable fleet-level event, for the run's story. */
export interface TimelineEvent {
  readonly atMillis: number;
  readonly at: string;
  /** Minutes from the scenario start (fractional). */
  readonly minute: number;
  readonly target: string | null;
  readonly kind:
    | 'fault-start'
    | 'fault-end'
    | 'burst-start'
    | 'burst-end'
    | 'pc-change-requested'
    | 'pc-allocation-complete'
    | 'flag-deployed'
    | 'flag-effective';
  readonly detail: string;
}

/** Totals of one function over the scenario minutes simulated so far. */
export interface FunctionSummary {
  readonly target: string;
  readonly functionName: string;
  readonly minutes: number;
  readonly sloMinutesBreached: number;
  readonly breachedMinutes: readonly number[];
  readonly requests: number;
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly coldStarts: number;
  readonly spilloverInvocations: number;
  readonly worstMinuteP95Millis: number;
  readonly cost: CostInputs;
}

/** `SimulatedAccount.summary()`. */
export interface AccountSummary {
  readonly scenario: string;
  readonly minutesSimulated: number;
  readonly sloMinutesBreached: number;
  readonly perFunction: Readonly<Record<string, FunctionSummary>>;
  readonly timeline: readonly TimelineEvent[];
}

/** Sums minute records into a function summary. */
export function summarizeFunction(
  target: string,
  functionName: string,
  minutes: readonly MinuteRecord[],
): FunctionSummary {
  const sum = (f: (m: MinuteRecord) => number): number => minutes.reduce((acc, m) => acc + f(m), 0);
  const breached = minutes.filter((m) => m.sloBreached).map((m) => m.minute);
  const provisionedGbSeconds = sum((m) => m.cost.provisionedGbSeconds);
  const onDemandDurationGbSeconds = sum((m) => m.cost.onDemandDurationGbSeconds);
  const provisionedDurationGbSeconds = sum((m) => m.cost.provisionedDurationGbSeconds);
  return {
    target,
    functionName,
    minutes: minutes.length,
    sloMinutesBreached: breached.length,
    breachedMinutes: breached,
    requests: sum((m) => m.requests),
    invocations: sum((m) => m.invocations),
    errors: sum((m) => m.errors),
    throttles: sum((m) => m.throttles),
    coldStarts: sum((m) => m.coldStarts),
    spilloverInvocations: sum((m) => m.spilloverInvocations),
    worstMinuteP95Millis: Math.max(
      0,
      ...minutes.map((m) => (Number.isFinite(m.p95Millis) ? m.p95Millis : 0)),
    ),
    cost: {
      provisionedGbSeconds,
      onDemandDurationGbSeconds,
      provisionedDurationGbSeconds,
      invocations: sum((m) => m.invocations),
      usd: sum((m) => m.cost.usd),
    },
  };
}
