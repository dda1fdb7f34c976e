/**
 * The simulated AWS account: a fleet model, CloudWatch (metrics and alarms), Lambda provisioned
 * concurrency, AppConfig feature flags, SSM parameters, SNS and Step Functions, on a simulated
 * clock. The loop's real SDK clients reach it through `sim/sdk-boundary.ts`.
 */
import type { GetMetricDataInput } from '@aws-sdk/client-cloudwatch';
import {
  type AccountSummary,
  MinuteAccumulator,
  type MinuteRecord,
  summarizeFunction,
  type TimelineEvent,
} from './accounting.js';
import { SimClock } from './clock.js';
import { SimulatedAlarm } from './cloudwatch/alarm-evaluator.js';
import { alarmStateChangeEvent } from './cloudwatch/alarm-events.js';
import type { AlarmSpec, AlarmStateChangeEvent, AlarmStateValue } from './cloudwatch/alarm-spec.js';
import { getMetricData } from './cloudwatch/get-metric-data.js';
import { LambdaMetricPublisher } from './cloudwatch/lambda-metrics.js';
import { MetricStore } from './cloudwatch/metric-store.js';
import { SimError, UnsupportedCommandError } from './errors.js';
import { STEP_SECONDS } from './fleet/aws-behaviour.js';
import { FunctionFleet } from './fleet/function-fleet.js';
import { Histogram } from './histogram.js';
import { Rng } from './rng.js';
import { scenarioStartMillis } from './scenario.js';
import type { Scenario } from './scenario-types.js';
import { AppConfigService } from './services/appconfig-service.js';
import { ApplicationAutoScaling } from './services/application-auto-scaling.js';
import { LambdaService } from './services/lambda-service.js';
import { Notifications, type PublishedMessage } from './services/notifications.js';
import { ParameterStore } from './services/parameter-store.js';
import {
  type StartExecutionHandler,
  type StartedExecution,
  StepFunctions,
} from './services/step-functions.js';

export type { AlarmSpec, AlarmStateChangeEvent } from './cloudwatch/alarm-spec.js';
export type { StartedExecution } from './services/step-functions.js';

/** Options of `new SimulatedAccount(scenario, options)`. */
export interface SimulatedAccountOptions {
  /**
   * The clock the account moves (share it with the handlers). It must not be past the scenario
   * start; the account sets it to the start. @default - a new SimClock
   */
  readonly clock?: SimClock;
  /** Alarms to create at the scenario start (e.g. `parseAlarmSpecs(template)`). @default - none; see `addAlarms` */
  readonly alarms?: readonly AlarmSpec[];
  /**
   * Publish CloudWatch metrics. Off for a run that only needs the per-minute accounting (no
   * alarms, nothing reads metrics), such as the uncompensated comparison. @default true
   */
  readonly metrics?: boolean;
  /** SSM parameters to register (name → value), e.g. the target policies. @default - none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
}

/** One call the account answered (or refused), for tests and the run's story. */
export interface AccountCall {
  readonly atMillis: number;
  readonly clientName: string;
  readonly commandName: string;
  readonly input: unknown;
  readonly error?: string;
}

/**
 * Receives alarm state change events, synchronously during `advanceTo`. A returned promise is
 * not awaited; if it rejects, the next `advanceTo` throws its error.
 */
export type AlarmEventListener = (event: AlarmStateChangeEvent) => void | Promise<void>;

/** Receives timeline events when simulated time reaches them. */
export type TimelineListener = (atMillis: number, text: string, event: TimelineEvent) => void;

const MINUTE = 60_000;
const STEP = STEP_SECONDS * 1000;

/** Normalizes `LambdaClient` → `Lambda` and `GetMetricDataCommand` → `GetMetricData`. */
function serviceOf(clientName: string): string {
  return clientName.replace(/Client$/, '');
}
function operationOf(commandName: string): string {
  return commandName.replace(/Command$/, '');
}

/**
 * A simulated AWS account built from a scenario. Time moves only through `advanceTo`
 * (synchronous); every 10 s step runs the fleet and publishes metrics, and at each minute boundary
 * the account closes the accounting minute and evaluates the alarms, calling the `onEvent`
 * listeners on every state change. Before minute 0 it simulates `warmupMinutes` of undisturbed
 * history (metrics exist and anomaly bands are trained), without moving the clock.
 */
export class SimulatedAccount {
  readonly scenario: Scenario;
  readonly clock: SimClock;
  readonly region: string;
  readonly accountId: string;
  /** Epoch ms of scenario minute 0, and of its end. */
  readonly startMillis: number;
  readonly endMillis: number;
  readonly metrics = new MetricStore();

  readonly #rng: Rng;
  readonly #eventRng: Rng;
  readonly #fleets: FunctionFleet[];
  readonly #accumulators = new Map<string, MinuteAccumulator>();
  readonly #publishers = new Map<string, LambdaMetricPublisher>();
  readonly #minutes = new Map<string, MinuteRecord[]>();
  /** Every scenario-minute invocation's latency, per target. */
  readonly #latencies = new Map<string, Histogram>();
  readonly #alarms = new Map<string, SimulatedAlarm>();
  readonly #listeners: AlarmEventListener[] = [];
  readonly #timelineListeners: TimelineListener[] = [];
  #timelineDelivered = 0;
  #listenerError: { error: unknown } | null = null;
  readonly #failures = new Map<string, unknown[]>();
  readonly #timeline: TimelineEvent[] = [];
  readonly #calls: AccountCall[] = [];
  readonly #lambda: LambdaService;
  readonly #appConfig: AppConfigService;
  readonly #parameters: ParameterStore;
  readonly #notifications: Notifications;
  readonly #stepFunctions: StepFunctions;
  /** Application Auto Scaling: tests and scenarios register other controllers here. */
  readonly autoScaling: ApplicationAutoScaling;
  readonly #operations: Record<string, (input: never) => unknown>;
  #steppedUntil: number;
  readonly #publishMetrics: boolean;
  /** Indices of the scenario's config-change faults already deployed. */
  readonly #configChangesDone = new Set<number>();
  #advancing = false;

  constructor(scenario: Scenario, options: SimulatedAccountOptions = {}) {
    this.scenario = scenario;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.startMillis = scenarioStartMillis(scenario);
    this.endMillis = this.startMillis + scenario.durationMinutes * MINUTE;
    const warmupStart = this.startMillis - (scenario.warmupMinutes ?? 180) * MINUTE;
    this.clock = options.clock ?? new SimClock(this.startMillis);
    if (this.clock.now() > this.startMillis) {
      throw new SimError(`The clock (${this.clock.nowIso()}) is past the scenario start (${scenario.start})`);
    }
    this.#publishMetrics = options.metrics ?? true;
    this.#rng = new Rng(scenario.seed);
    this.#eventRng = this.#rng.fork('events');
    this.#fleets = scenario.functions.map(
      (fn) => new FunctionFleet(fn, scenario.faults ?? [], this.#rng.fork(`fleet/${fn.target}`), warmupStart),
    );
    for (const fleet of this.#fleets) {
      this.#accumulators.set(fleet.spec.target, new MinuteAccumulator());
      this.#minutes.set(fleet.spec.target, []);
      this.#publishers.set(
        fleet.spec.target,
        new LambdaMetricPublisher(this.metrics, fleet.spec.functionName, fleet.spec.aliasName),
      );
    }
    const now = (): number => this.clock.now();
    this.#lambda = new LambdaService(this.#fleets, {
      region: this.region,
      accountId: this.accountId,
      now,
      onProvisionedConcurrencyChange: (fleet, requested, readyAt) =>
        this.#record(
          now(),
          fleet.spec.target,
          'pc-change-requested',
          `requested ${requested}, ready at ${new Date(readyAt).toISOString()}`,
        ),
    });
    this.#appConfig = new AppConfigService(
      this.#fleets,
      {
        now,
        onFlagChange: (fleet, key, value, effectiveAt) => {
          this.#record(now(), fleet.spec.target, 'flag-deployed', `${key}=${value}`);
          this.#record(
            effectiveAt,
            fleet.spec.target,
            'flag-effective',
            `${key}=${value} seen by every environment`,
          );
        },
      },
      warmupStart,
    );
    this.#parameters = new ParameterStore({ region: this.region, accountId: this.accountId, now });
    this.#notifications = new Notifications({ rng: this.#rng.fork('sns'), now });
    this.#stepFunctions = new StepFunctions({ rng: this.#rng.fork('sfn'), now });
    this.autoScaling = new ApplicationAutoScaling(now);
    this.#operations = {
      'CloudWatch.GetMetricData': (input: GetMetricDataInput) => getMetricData(this.metrics, input, now()),
      'Lambda.GetProvisionedConcurrencyConfig': (i) => this.#lambda.getProvisionedConcurrencyConfig(i),
      'Lambda.PutProvisionedConcurrencyConfig': (i) => this.#lambda.putProvisionedConcurrencyConfig(i),
      'Lambda.DeleteProvisionedConcurrencyConfig': (i) => this.#lambda.deleteProvisionedConcurrencyConfig(i),
      'AppConfig.ListHostedConfigurationVersions': (i) => this.#appConfig.listHostedConfigurationVersions(i),
      'AppConfig.GetHostedConfigurationVersion': (i) => this.#appConfig.getHostedConfigurationVersion(i),
      'AppConfig.CreateHostedConfigurationVersion': (i) =>
        this.#appConfig.createHostedConfigurationVersion(i),
      'AppConfig.DeleteHostedConfigurationVersion': (i) =>
        this.#appConfig.deleteHostedConfigurationVersion(i),
      'AppConfig.StartDeployment': (i) => this.#appConfig.startDeployment(i),
      'AppConfig.GetDeployment': (i) => this.#appConfig.getDeployment(i),
      'AppConfig.ListDeployments': (i) => this.#appConfig.listDeployments(i),
      'AppConfig.StopDeployment': (i) => this.#appConfig.stopDeployment(i),
      'SSM.GetParameter': (i) => this.#parameters.getParameter(i),
      'SSM.PutParameter': (i) => this.#parameters.putParameter(i),
      'SSM.GetParametersByPath': (i) => this.#parameters.getParametersByPath(i),
      'SNS.Publish': (i) => this.#notifications.publish(i),
      'SFN.StartExecution': (i) => this.#stepFunctions.startExecution(i),
      'ApplicationAutoScaling.DescribeScalableTargets': (i) => this.autoScaling.describeScalableTargets(i),
    };
    for (const [name, value] of Object.entries(options.parameters ?? {})) this.#parameters.put(name, value);
    this.#recordScenarioEvents();

    // Warm-up: undisturbed history before minute 0, so bands are trained and metrics exist.
    this.#steppedUntil = warmupStart;
    while (this.#steppedUntil < this.startMillis) this.#step();
    this.clock.advanceTo(this.startMillis);
    if (options.alarms) this.addAlarms(options.alarms);
  }

  /** The operations `handle` answers, as `Service.Operation`. */
  get supportedOperations(): readonly string[] {
    return Object.keys(this.#operations);
  }

  /** The fleet of a target (for inspection in tests and reports). */
  fleet(target: string): FunctionFleet {
    const fleet = this.#fleets.find((f) => f.spec.target === target);
    if (!fleet)
      throw new SimError(
        `No function with target ${JSON.stringify(target)} in scenario ${this.scenario.name}`,
      );
    return fleet;
  }

  /**
   * Creates alarms now. Each one's band is trained on the metric's stored history, and its
   * first evaluation happens silently (no event), as if the alarm had existed before.
   */
  addAlarms(specs: readonly AlarmSpec[]): void {
    if (!this.#publishMetrics && specs.length > 0) {
      throw new SimError('This account publishes no metrics (metrics: false), so it cannot evaluate alarms');
    }
    for (const spec of specs) {
      if (this.#alarms.has(spec.alarmName)) throw new SimError(`Alarm ${spec.alarmName} already exists`);
      const arn = `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${spec.alarmName}`;
      const alarm = new SimulatedAlarm(spec, arn, this.metrics, this.clock.now());
      alarm.evaluate(this.clock.now());
      this.#alarms.set(spec.alarmName, alarm);
    }
  }

  /** Current state of an alarm. */
  alarm(name: string): {
    readonly state: AlarmStateValue;
    readonly reason: string;
    readonly arn: string;
    readonly spec: AlarmSpec;
  } {
    const alarm = this.#alarms.get(name);
    if (!alarm)
      throw new SimError(`No alarm named ${name}; known: ${[...this.#alarms.keys()].join(', ') || 'none'}`);
    return { state: alarm.state, reason: alarm.reason, arn: alarm.arn, spec: alarm.spec };
  }

  /** Subscribes to alarm state change events (EventBridge shape); returns an unsubscribe function. */
  onEvent(listener: AlarmEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Subscribes to fleet timeline events (faults, bursts, PC allocation, flags, alarms) as time reaches them. */
  onTimeline(listener: TimelineListener): () => void {
    this.#timelineListeners.push(listener);
    return () => {
      const i = this.#timelineListeners.indexOf(listener);
      if (i >= 0) this.#timelineListeners.splice(i, 1);
    };
  }

  /** Sets what `StartExecution` does (e.g. run the state machine); the account still names and records executions. */
  onStartExecution(handler: StartExecutionHandler): void {
    this.#stepFunctions.handler = handler;
  }

  /** Registers an SSM String parameter (e.g. a target policy). */
  putParameter(name: string, value: string): void {
    this.#parameters.put(name, value);
  }

  /** Makes the next call of `commandName` (`PutProvisionedConcurrencyConfig[Command]`) throw `error`. */
  failNext(commandName: string, error: unknown): void {
    const key = operationOf(commandName);
    const queue = this.#failures.get(key) ?? [];
    queue.push(error);
    this.#failures.set(key, queue);
  }

  /** Messages published to SNS. */
  get publishedMessages(): readonly PublishedMessage[] {
    return this.#notifications.messages;
  }

  /** Executions started through Step Functions. */
  get executions(): readonly StartedExecution[] {
    return this.#stepFunctions.executions;
  }

  /** Every call answered, in order. */
  get calls(): readonly AccountCall[] {
    return this.#calls;
  }

  /**
   * Answers one SDK command. `clientName`/`commandName` as the SDK sets them in the handler
   * context (`LambdaClient`, `PutProvisionedConcurrencyConfigCommand`) or without the suffixes.
   */
  async handle(clientName: string, commandName: string, input: unknown): Promise<unknown> {
    const service = serviceOf(clientName);
    const operation = operationOf(commandName);
    const call = { atMillis: this.clock.now(), clientName: service, commandName: operation, input };
    const failure = this.#failures.get(operation)?.shift();
    if (failure !== undefined) {
      this.#calls.push({ ...call, error: (failure as Error)?.name ?? String(failure) });
      throw failure;
    }
    const answer = this.#operations[`${service}.${operation}`];
    if (!answer) {
      const error = new UnsupportedCommandError(clientName, commandName);
      this.#calls.push({ ...call, error: error.name });
      throw error;
    }
    try {
      const output = await answer(input as never);
      this.#calls.push(call);
      return output;
    } catch (error) {
      this.#calls.push({ ...call, error: (error as Error)?.name ?? String(error) });
      throw error;
    }
  }

  /**
   * Moves simulated time to `millis`, stepping the fleet every 10 s, and at each minute boundary
   * closing the accounting minute and evaluating alarms (listeners are called synchronously).
   * Do not call it from inside a listener.
   */
  advanceTo(millis: number): void {
    if (this.#advancing)
      throw new SimError('advanceTo was called while the account was already advancing (from a listener?)');
    if (this.#listenerError) {
      const { error } = this.#listenerError;
      this.#listenerError = null;
      throw error;
    }
    if (millis < this.clock.now()) {
      throw new SimError(
        `advanceTo(${new Date(millis).toISOString()}) is before now (${this.clock.nowIso()})`,
      );
    }
    this.#advancing = true;
    try {
      while (this.#steppedUntil + STEP <= millis) {
        this.#step();
        this.clock.advanceTo(this.#steppedUntil);
        if (this.#steppedUntil % MINUTE === 0) this.#evaluateAlarms();
        this.#deliverTimeline();
      }
      this.clock.advanceTo(millis);
      this.#deliverTimeline();
    } finally {
      this.#advancing = false;
    }
  }

  /** Advances by `minutes` of simulated time. */
  advanceMinutes(minutes: number): void {
    this.advanceTo(this.clock.now() + minutes * MINUTE);
  }

  /** Per-minute records of a target over the scenario minutes simulated so far. */
  minutes(target: string): readonly MinuteRecord[] {
    const records = this.#minutes.get(target);
    if (!records) throw new SimError(`No function with target ${JSON.stringify(target)}`);
    return records;
  }

  /** The latency distribution of a target's invocations over the scenario minutes simulated so far. */
  latencyHistogram(target: string): Histogram {
    this.fleet(target);
    return this.#latencies.get(target) ?? new Histogram();
  }

  /** Notable events up to now, oldest first. */
  timeline(): readonly TimelineEvent[] {
    const now = this.clock.now();
    return this.#timeline.filter((e) => e.atMillis <= now).sort((a, b) => a.atMillis - b.atMillis);
  }

  /** SLO minutes breached, cost inputs and totals per function, and the timeline so far. */
  summary(): AccountSummary {
    const perFunction: Record<string, ReturnType<typeof summarizeFunction>> = {};
    for (const fleet of this.#fleets) {
      perFunction[fleet.spec.target] = summarizeFunction(
        fleet.spec.target,
        fleet.spec.functionName,
        this.minutes(fleet.spec.target),
      );
    }
    return {
      scenario: this.scenario.name,
      minutesSimulated: Math.max(
        0,
        Math.floor((Math.min(this.#steppedUntil, this.endMillis) - this.startMillis) / MINUTE),
      ),
      sloMinutesBreached: Object.values(perFunction).reduce((sum, f) => sum + f.sloMinutesBreached, 0),
      perFunction,
      timeline: this.timeline(),
    };
  }

  #step(): void {
    const t = this.#steppedUntil;
    const minute = (t - this.startMillis) / MINUTE;
    this.#applyConfigChanges(t);
    for (const fleet of this.#fleets) {
      const pending = fleet.provisionedConcurrency.snapshot();
      if (fleet.provisionedConcurrency.advance(t) && pending?.readyAtMillis != null) {
        this.#record(
          pending.readyAtMillis,
          fleet.spec.target,
          'pc-allocation-complete',
          `${pending.requested} environments ready`,
        );
      }
      const outcome = fleet.step(t, Math.floor(minute));
      if (this.#publishMetrics)
        (this.#publishers.get(fleet.spec.target) as LambdaMetricPublisher).publish(outcome);
      if (t >= this.startMillis && t < this.endMillis) {
        const accumulator = this.#accumulators.get(fleet.spec.target) as MinuteAccumulator;
        accumulator.add(outcome);
        let latencies = this.#latencies.get(fleet.spec.target);
        if (!latencies) {
          latencies = new Histogram();
          this.#latencies.set(fleet.spec.target, latencies);
        }
        latencies.merge(outcome.durations);
        if ((t + STEP) % MINUTE === 0) {
          const minuteStart = t + STEP - MINUTE;
          const spec = fleet.spec;
          (this.#minutes.get(spec.target) as MinuteRecord[]).push(
            accumulator.close(
              (minuteStart - this.startMillis) / MINUTE,
              minuteStart,
              spec.slo ?? spec.compensator?.slo,
              spec.memoryMb,
            ),
          );
        }
      }
    }
    this.#steppedUntil = t + STEP;
  }

  #evaluateAlarms(): void {
    const now = this.clock.now();
    for (const alarm of this.#alarms.values()) {
      const transition = alarm.evaluate(now);
      if (!transition) continue;
      const event = alarmStateChangeEvent(alarm.spec, alarm.arn, transition, {
        account: this.accountId,
        region: this.region,
        rng: this.#eventRng,
      });
      for (const listener of [...this.#listeners]) {
        const result = listener(event);
        if (result instanceof Promise) {
          result.catch((error: unknown) => {
            this.#listenerError ??= { error };
          });
        }
      }
    }
  }

  #deliverTimeline(): void {
    const now = this.clock.now();
    const due = this.#timeline
      .slice(this.#timelineDelivered)
      .filter((e) => e.atMillis <= now)
      .sort((a, b) => a.atMillis - b.atMillis);
    if (due.length === 0) return;
    // Keep undelivered (future) events after the delivered ones.
    const future = this.#timeline.slice(this.#timelineDelivered).filter((e) => e.atMillis > now);
    this.#timeline.splice(
      this.#timelineDelivered,
      this.#timeline.length - this.#timelineDelivered,
      ...due,
      ...future,
    );
    this.#timelineDelivered += due.length;
    for (const event of due) {
      if (event.atMillis < this.startMillis) continue;
      const text = event.target
        ? `${event.target}: ${event.kind} — ${event.detail}`
        : `${event.kind} — ${event.detail}`;
      for (const listener of [...this.#timelineListeners]) listener(event.atMillis, text, event);
    }
  }

  #record(atMillis: number, target: string | null, kind: TimelineEvent['kind'], detail: string): void {
    this.#timeline.push({
      atMillis,
      at: new Date(atMillis).toISOString(),
      minute: (atMillis - this.startMillis) / MINUTE,
      target,
      kind,
      detail,
    });
  }

  /** Operators' flag deployments (`config-change` faults) whose minute has come. */
  /**
   * Operators' flag deployments (`config-change` faults) whose minute has come. An operator
   * whose deployment meets another one still running (AppConfig answers ConflictException)
   * tries again at the next step.
   */
  #applyConfigChanges(t: number): void {
    (this.scenario.faults ?? []).forEach((fault, i) => {
      if (fault.kind !== 'config-change' || this.#configChangesDone.has(i)) return;
      if (this.startMillis + fault.startMinute * MINUTE > t) return;
      try {
        this.#appConfig.deployFlag(
          fault.target,
          fault.flagKey,
          fault.value,
          fault.deploymentStrategyId ?? 'AppConfig.AllAtOnce',
          `operator change: ${fault.flagKey}=${fault.value}`,
        );
        this.#configChangesDone.add(i);
      } catch (error) {
        if ((error as Error)?.name !== 'ConflictException') throw error;
      }
    });
  }

  #recordScenarioEvents(): void {
    const at = (minute: number): number => this.startMillis + minute * MINUTE;
    for (const fault of this.scenario.faults ?? []) {
      this.#record(at(fault.startMinute), fault.target, 'fault-start', describeFault(fault));
      this.#record(at(fault.endMinute), fault.target, 'fault-end', fault.kind);
    }
    for (const fn of this.scenario.functions) {
      for (const burst of fn.traffic.bursts ?? []) {
        this.#record(at(burst.startMinute), fn.target, 'burst-start', `traffic x${burst.multiplier}`);
        this.#record(at(burst.endMinute), fn.target, 'burst-end', `traffic back to x1`);
      }
    }
  }
}

function describeFault(fault: NonNullable<Scenario['faults']>[number]): string {
  switch (fault.kind) {
    case 'dependency-slowdown':
      return `${fault.dependency ?? 'required'} dependency +${fault.extraLatencyMillis} ms`;
    case 'error-spike':
      return `errors +${fault.extraErrorRatePercent} %`;
    case 'latency-drift':
      return `handler latency drifting up to +${fault.maxExtraLatencyMillis} ms`;
    case 'dependency-timeouts':
      return `${fault.affectedPercent} % of dependency calls hang for ${fault.timeoutMillis} ms`;
    case 'config-change':
      return `operator deploys ${fault.flagKey}=${fault.value}: errors up to +${fault.extraErrorRatePercent} %`;
    case 'traffic-burst':
      return `unplanned traffic x${fault.multiplier}`;
    case 'excess-capacity':
      return 'provisioned concurrency left above what the traffic needs';
  }
}
