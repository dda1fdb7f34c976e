import { Histogram } from '../histogram.js';
import { lognormalFromMedianP95, type Rng } from '../rng.js';
import type { FaultSpec, FlagEffect, FunctionSpec } from '../scenario-types.js';
import {
  ACCOUNT_CONCURRENCY_LIMIT,
  MEAN_ENVIRONMENT_LIFETIME_SECONDS,
  SDK_STANDARD_MAX_ATTEMPTS,
  STEP_SECONDS,
  WARMER_PING_MILLIS,
} from './aws-behaviour.js';
import { ClientRetries } from './client-retries.js';
import { EnvironmentPool } from './environment-pool.js';
import { faultEffectsAt } from './faults.js';
import { FlagRollout } from './flag-rollout.js';
import { expectedExcess, peakConcurrency } from './occupancy.js';
import { ProvisionedConcurrency } from './provisioned-concurrency.js';
import { RandomBursts } from './random-bursts.js';
import { arrivalRatePerSecond } from './traffic.js';

/** What one function did during one step. Durations are in milliseconds. */
export interface StepOutcome {
  readonly startMillis: number;
  readonly stepSeconds: number;
  /** Requests that arrived, including throttled ones. */
  readonly requests: number;
  readonly invocations: number;
  readonly throttles: number;
  readonly errors: number;
  readonly coldStarts: number;
  readonly concurrencyPeak: number;
  /** Provisioned environments routable during the step. */
  readonly provisionedAllocated: number;
  /** Provisioned concurrency configured (billed), whether allocated yet or not. */
  readonly provisionedRequested: number;
  readonly provisionedInvocations: number;
  readonly spilloverInvocations: number;
  readonly provisionedExecutionsPeak: number;
  /** 0..1; NaN when no provisioned concurrency is allocated. */
  readonly provisionedUtilizationPeak: number;
  readonly provisionedUtilizationMean: number;
  /** The step's latencies. Reused by the next step: merge what you need to keep. */
  readonly durations: Histogram;
  readonly durationSumMillis: number;
  readonly durationMaxMillis: number;
  readonly durationMinMillis: number;
  readonly provisionedDurationSumMillis: number;
  /** Requests in `requests` that were callers' retries of earlier failures. */
  readonly retriedRequests: number;
  /** Warm-up pings served (not user requests: they count in cost only). */
  readonly pings: number;
  readonly pingColdStarts: number;
  /** Billed duration of the pings, including the init time of those that started cold. */
  readonly pingDurationMillis: number;
}

/** Most invocations sampled per step and kind (warm, cold); the rest are represented by weights. */
const SAMPLE_CAP = 120;

/**
 * The execution environments of one function alias, stepped every `STEP_SECONDS`: Poisson
 * arrivals, provisioned concurrency first, on-demand spillover with a warm pool and cold starts,
 * throttles above reserved concurrency, log-normal latency plus dependencies, faults and flags.
 *
 * Per-step approximation: concurrency follows Little's law (rate × mean duration) with a peak two
 * standard deviations above it (Poisson occupancy); the share of invocations that spill over is
 * E[(X − PC)+] / E[X]. New environments are needed when the spillover peak exceeds the warm pool;
 * each is busy for init + duration, so a shortage of k warm-duration slots costs
 * k × (init + duration) / duration cold starts. Latency samples include the cold-start init
 * time for cold invocations: the model's Duration is the latency a caller sees. (Lambda's own
 * Duration metric excludes the Init phase, which it reports separately as Init Duration.)
 */
export class FunctionFleet {
  readonly spec: FunctionSpec;
  readonly provisionedConcurrency: ProvisionedConcurrency;
  readonly #faults: readonly FaultSpec[];
  readonly #rng: Rng;
  readonly #pool = new EnvironmentPool();
  readonly #flags = new Map<string, { effect: FlagEffect; rollout: FlagRollout }>();
  readonly #init: { mu: number; sigma: number };
  readonly #retries: ClientRetries;
  readonly #randomBursts: RandomBursts | null;
  #pendingPings = 0;
  /** The latency histogram of the current step (reset, not reallocated, every step). */
  readonly #durations = new Histogram();

  constructor(spec: FunctionSpec, faults: readonly FaultSpec[], rng: Rng, startMillis: number) {
    this.spec = spec;
    this.#faults = faults;
    this.#rng = rng;
    this.#init = lognormalFromMedianP95(spec.coldStartMillis.median, spec.coldStartMillis.p95);
    this.provisionedConcurrency = new ProvisionedConcurrency(rng.fork('pc'));
    this.#retries = new ClientRetries(spec.clientRetry?.maxAttempts ?? 1);
    const random = spec.traffic.randomBursts;
    this.#randomBursts = random ? new RandomBursts(random, rng.fork('random-bursts')) : null;
    if (spec.initialProvisionedConcurrency > 0) {
      this.provisionedConcurrency.putReady(spec.initialProvisionedConcurrency, startMillis);
    }
    for (const flag of spec.flags ?? []) {
      this.#flags.set(flag.key, { effect: flag.effect, rollout: new FlagRollout(flag.initial) });
    }
  }

  /** The rollout of flag `key`, or undefined when the function has no such flag. */
  flag(key: string): FlagRollout | undefined {
    return this.#flags.get(key)?.rollout;
  }

  /**
   * Queues `count` concurrent warm-up pings for the next step (a scheduled warmer). Lambda routes
   * them to provisioned environments first; the rest keep on-demand environments warm or start
   * new ones.
   */
  ping(count: number): void {
    this.#pendingPings += Math.max(0, Math.floor(count));
  }

  /** Warm on-demand environments now. */
  get warmOnDemandEnvironments(): number {
    return this.#pool.size;
  }

  /** Simulates the step starting at `startMillis`, `minute` minutes after the scenario start. */
  step(startMillis: number, minute: number): StepOutcome {
    const spec = this.spec;
    const rng = this.#rng;
    const dt = STEP_SECONDS;
    const pc = this.provisionedConcurrency;
    pc.advance(startMillis);

    const effects = faultEffectsAt(this.#faults, spec.target, minute);
    const rate =
      arrivalRatePerSecond(spec.traffic, minute, startMillis) *
      effects.trafficMultiplier *
      (this.#randomBursts?.multiplierAt(startMillis) ?? 1);
    const retriedRequests = this.#retries.due();
    const requests = rng.poisson(rate * dt) + retriedRequests;
    const skipShare = this.#effectShare('skip-optional-dependency', startMillis);
    const tightShare = this.#effectShare('tighten-retry-budget', startMillis);
    // Hanging dependency calls: each attempt waits out the timeout; a tightened budget makes one.
    const attempts = spec.dependency?.maxAttempts ?? SDK_STANDARD_MAX_ATTEMPTS;
    const hangShare = effects.hangingShare;
    const hangMillis = (tight: boolean): number => effects.dependencyTimeoutMillis * (tight ? 1 : attempts);
    const meanHangMillis = hangShare * (tightShare * hangMillis(true) + (1 - tightShare) * hangMillis(false));

    const dependency = spec.dependency;
    const fixedMillis =
      effects.handlerExtraMillis + (dependency?.latencyMillis ?? 0) + effects.requiredDependencyExtraMillis;
    const optionalMillis = (dependency?.optionalLatencyMillis ?? 0) + effects.optionalDependencyExtraMillis;
    const sigma = spec.latencySigma;
    const meanWarmMillis =
      spec.baseLatencyMillis * Math.exp((sigma * sigma) / 2) +
      fixedMillis +
      (1 - skipShare) * optionalMillis +
      meanHangMillis;
    const meanInitMillis = Math.exp(this.#init.mu + (this.#init.sigma * this.#init.sigma) / 2);

    // Concurrency (Little's law) and its peak within the step.
    let meanConcurrency = (requests / dt) * (meanWarmMillis / 1000);
    let peak = peakConcurrency(meanConcurrency);

    // Throttles above reserved concurrency (or the account quota).
    const limit = spec.reservedConcurrency ?? ACCOUNT_CONCURRENCY_LIMIT;
    let throttles = 0;
    if (peak > limit) {
      throttles = Math.round((requests * (peak - limit)) / peak);
      meanConcurrency *= (requests - throttles) / Math.max(1, requests);
      peak = limit;
    }
    const invocations = requests - throttles;

    // Provisioned concurrency first, then on-demand spillover.
    const allocated = pc.allocated;
    const excess = expectedExcess(meanConcurrency, allocated);
    const spillShare = meanConcurrency > 0 ? (allocated > 0 ? excess / meanConcurrency : 1) : 0;
    const spilloverInvocations = Math.round(invocations * spillShare);
    const provisionedInvocations = invocations - spilloverInvocations;
    let spillPeak = Math.max(0, peak - allocated);
    if (spilloverInvocations > 0) spillPeak = Math.max(spillPeak, 1);

    // Warm pool, cold starts, recycling.
    this.#pool.reclaimIdle(startMillis);
    const recycled = rng.poisson((this.#pool.size * dt) / MEAN_ENVIRONMENT_LIFETIME_SECONDS);
    this.#pool.remove(recycled);
    const shortage = Math.max(0, spillPeak - this.#pool.size);
    const coldStarts =
      shortage > 0
        ? Math.min(
            spilloverInvocations,
            Math.ceil((shortage * (meanInitMillis + meanWarmMillis)) / meanWarmMillis),
          )
        : 0;
    this.#pool.use(Math.min(this.#pool.size, spillPeak), coldStarts, startMillis);

    // Errors: the function's own, a config change's (weighted by the share of environments that
    // see it), and the invocations whose dependency calls hung.
    let extraErrors = effects.extraErrorRatePercent;
    for (const change of effects.configChanges) {
      const enabled = this.#flags.get(change.flagKey)?.rollout.enabledShare(startMillis) ?? 0;
      extraErrors += change.extraErrorRatePercent * (change.value ? enabled : 1 - enabled);
    }
    const errorRate = Math.min(100, spec.errorRatePercent + extraErrors) / 100;
    const hung = rng.binomial(invocations, hangShare);
    const hungTight = rng.binomial(hung, tightShare);
    const errors = hung + rng.binomial(invocations - hung, errorRate);
    // Callers retry throttles and retryable errors (a tightened budget answers non-retryable).
    this.#retries.record(requests, retriedRequests, throttles + errors - hungTight);

    // Warm-up pings: provisioned environments first, then the warm pool, then new environments.
    const pings = this.#pendingPings;
    this.#pendingPings = 0;
    const onDemandPings = Math.max(0, pings - allocated);
    const pingColdStarts = Math.max(0, onDemandPings - this.#pool.size);
    if (onDemandPings > 0) this.#pool.use(onDemandPings - pingColdStarts, pingColdStarts, startMillis);
    const pingDurationMillis = pings * WARMER_PING_MILLIS + pingColdStarts * meanInitMillis;

    // Durations.
    const durations = this.#durations;
    durations.reset();
    let sum = 0;
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    const hangRate = invocations > 0 ? hung / invocations : 0;
    const tightRate = hung > 0 ? hungTight / hung : 0;
    const sample = (count: number, cold: boolean): void => {
      if (count <= 0) return;
      const samples = Math.min(count, SAMPLE_CAP);
      const weight = count / samples;
      for (let i = 0; i < samples; i += 1) {
        let millis = spec.baseLatencyMillis * Math.exp(sigma * rng.normal()) + fixedMillis;
        if (optionalMillis > 0 && rng.next() >= skipShare) millis += optionalMillis;
        if (hangRate > 0 && rng.next() < hangRate) millis += hangMillis(rng.next() < tightRate);
        if (cold) millis += rng.lognormal(this.#init.mu, this.#init.sigma);
        durations.add(millis, weight);
        sum += millis * weight;
        if (millis > max) max = millis;
        if (millis < min) min = millis;
      }
    };
    sample(invocations - coldStarts, false);
    sample(coldStarts, true);

    const provisionedExecutionsPeak = Math.min(peak, allocated);
    return {
      startMillis,
      stepSeconds: dt,
      requests,
      invocations,
      throttles,
      errors,
      coldStarts,
      concurrencyPeak: invocations > 0 ? peak : 0,
      provisionedAllocated: allocated,
      provisionedRequested: pc.requested,
      provisionedInvocations,
      spilloverInvocations,
      provisionedExecutionsPeak,
      provisionedUtilizationPeak: allocated > 0 ? provisionedExecutionsPeak / allocated : Number.NaN,
      provisionedUtilizationMean: allocated > 0 ? (meanConcurrency - excess) / allocated : Number.NaN,
      durations,
      durationSumMillis: sum,
      durationMaxMillis: invocations > 0 ? max : 0,
      durationMinMillis: invocations > 0 ? min : 0,
      provisionedDurationSumMillis: invocations > 0 ? (sum * provisionedInvocations) / invocations : 0,
      retriedRequests,
      pings,
      pingColdStarts,
      pingDurationMillis,
    };
  }

  #effectShare(effect: FlagEffect, atMillis: number): number {
    let share = 0;
    for (const flag of this.#flags.values()) {
      if (flag.effect === effect) share = Math.max(share, flag.rollout.enabledShare(atMillis));
    }
    return share;
  }
}
