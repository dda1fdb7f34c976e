/**
 * Compensator: what a service team attaches to a Lambda alias to put it under micromotion control.
 * It registers the target's policy, creates the anomaly-detection alarms that trigger the loop, and
 * grants the control plane the mutating permissions for this alias and these flags only.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { DiagnosisKind, FlagPolicy, TargetPolicy } from '../lambdas/core/types.js';
import { ALARM_NAME_PREFIX, type IControlPlane } from './control-plane-stack.js';

/** The SLO the compensator holds the alias to. */
export interface CompensatorSlo {
  /** 95th-percentile duration objective, in milliseconds. */
  readonly p95Millis: number;
  /**
   * 99th-percentile duration objective, in milliseconds. Cold starts are a small share of
   * invocations, so they show in p99 long before p95; set this to correct cold-start pressure.
   * @default - no p99 objective and no p99 alarm
   */
  readonly p99Millis?: number;
  /** Error-rate objective, in percent of invocations (0 < x ≤ 100). */
  readonly errorRatePercent: number;
}

/** Bounds of the provisioned-concurrency actuator. */
export interface ProvisionedConcurrencyBounds {
  /** Fewest provisioned units the controller may leave configured. */
  readonly min: number;
  /** Most provisioned units the controller may configure. */
  readonly max: number;
  /** Most units one action may add or remove. */
  readonly maxStep: number;
}

/** A feature flag the compensator may flip, in an AppConfig `AWS.AppConfig.FeatureFlags` profile. */
export type CompensatingFlag = FlagPolicy;

export interface CompensatorGuardrails {
  /**
   * Decide and record, never actuate (for this target).
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Start with the target paused (the kill switch of this target).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Seconds after an action during which no other action is taken on the target.
   * @default 600
   */
  readonly cooldownSeconds?: number;
  /**
   * Action budget per hour for this target (token bucket).
   * @default 4
   */
  readonly actionsPerHour?: number;
  /**
   * Seconds to wait after an action before verifying its effect.
   * @default 300
   */
  readonly bakeSeconds?: number;
  /**
   * Diagnoses below this confidence (0..1) are recorded but not acted on.
   * @default 0.6
   */
  readonly minConfidence?: number;
}

export interface CompensatorDetection {
  /**
   * Minutes the diagnosis rules look at: a baseline and the recent periods.
   * @default 30
   */
  readonly windowMinutes?: number;
  /**
   * Minutes of history Detect reads for the streaming detector, which judges each signal
   * against its own past; at least `windowMinutes`.
   * @default 360
   */
  readonly historyMinutes?: number;
  /**
   * Period of one data point, in seconds (a multiple of 60).
   * @default 60
   */
  readonly periodSeconds?: number;
}

export interface CompensatorProps {
  /** The control plane that runs the loop (a `ControlPlaneStack`). */
  readonly controlPlane: IControlPlane;
  /** The alias under control; actions change this alias only. */
  readonly alias: lambda.IAlias;
  /**
   * Short name of the target, `[a-z0-9-]`, unique per control plane. Names the alarms and the policy parameter.
   * @default - the construct id in lower kebab case (`OrderService` → `order-service`)
   */
  readonly target?: string;
  /** The SLO the alias is held to. */
  readonly slo: CompensatorSlo;
  /**
   * Provisioned-concurrency actuator bounds. Also enables the PC spillover alarm.
   * @default - the provisioned-concurrency actuator is not used
   */
  readonly provisionedConcurrency?: ProvisionedConcurrencyBounds;
  /**
   * Feature flags that compensate for specific diagnoses.
   * @default - the feature-flag actuator is not used
   */
  readonly flags?: readonly CompensatingFlag[];
  /**
   * Guardrails of this target.
   * @default - { dryRun: false, paused: false, cooldownSeconds: 600, actionsPerHour: 4, bakeSeconds: 300, minConfidence: 0.6 }
   */
  readonly guardrails?: CompensatorGuardrails;
  /**
   * How Detect and Verify read the signals.
   * @default - { windowMinutes: 30, periodSeconds: 60 }
   */
  readonly detection?: CompensatorDetection;
  /**
   * Width of the anomaly-detection band of the alarms, in standard deviations.
   * @default 2
   */
  readonly anomalyBandWidth?: number;
}

/** Signals that get an anomaly-detection alarm named `micromotion-<target>-<signal>`. */
export type AlarmSignal = 'p95' | 'p99' | 'errors' | 'spillover' | 'coldStarts';

export const DEFAULT_GUARDRAILS = {
  dryRun: false,
  paused: false,
  cooldownSeconds: 600,
  actionsPerHour: 4,
  bakeSeconds: 300,
  minConfidence: 0.6,
} as const satisfies TargetPolicy['guardrails'];

export const DEFAULT_DETECTION = {
  windowMinutes: 30,
  historyMinutes: 360,
  periodSeconds: 60,
} as const satisfies TargetPolicy['detection'];

export const DEFAULT_ANOMALY_BAND_WIDTH = 2;

/** Every diagnosis kind; a Record so that the compiler notices a kind added to core. */
const DIAGNOSIS_KIND_SET: Readonly<Record<DiagnosisKind, true>> = {
  'cold-start-pressure': true,
  'latency-drift': true,
  'error-drift': true,
  'retry-amplification': true,
  'canary-regression': true,
  'over-provisioned': true,
};

/** Namespace of the cold-start metric the middleware publishes (lib imports only types from lambdas; a test keeps them equal). */
export const COLD_STARTS_NAMESPACE = 'Micromotion';

/**
 * What each alarm watches, and how many of its last datapoints must breach. Lambda's metrics
 * are 2 of 3: one odd minute is not a drift. The cold-start count comes from the function's
 * own high-resolution metric (`coldStartMetric()` middleware, `Micromotion/ColdStarts`) and
 * alarms on its first anomalous minute: a burst's cold starts are over in a minute or two, and
 * the diagnosis, not the alarm, decides whether they are worth provisioned concurrency.
 */
const ALARM_METRICS: Readonly<
  Record<AlarmSignal, { namespace: string; metricName: string; stat: string; datapoints: [number, number] }>
> = {
  p95: { namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p95', datapoints: [2, 3] },
  p99: { namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p99', datapoints: [2, 3] },
  errors: { namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', datapoints: [2, 3] },
  spillover: {
    namespace: 'AWS/Lambda',
    metricName: 'ProvisionedConcurrencySpilloverInvocations',
    stat: 'Sum',
    datapoints: [2, 3],
  },
  coldStarts: { namespace: COLD_STARTS_NAMESPACE, metricName: 'ColdStarts', stat: 'Sum', datapoints: [1, 1] },
};

/** Most characters of an SSM standard-tier parameter value. */
const SSM_STANDARD_VALUE_LIMIT = 4096;

/** Targets registered per control plane, to reject duplicates at synth time. */
const registeredTargets = new WeakMap<IControlPlane, Map<string, string>>();

export class Compensator extends Construct {
  /** The target name (`[a-z0-9-]`). */
  public readonly target: string;
  /** The policy exactly as registered. */
  public readonly policy: TargetPolicy;
  /** The SSM parameter that holds the policy JSON. */
  public readonly policyParameter: ssm.StringParameter;
  /** Anomaly-detection alarms by signal (`spillover` only with provisioned-concurrency bounds, `coldStarts` with them and a p99 objective). */
  public readonly alarms: Readonly<Partial<Record<AlarmSignal, cloudwatch.CfnAlarm>>>;

  constructor(scope: Construct, id: string, props: CompensatorProps) {
    super(scope, id);
    const target = props.target ?? toKebabCase(id);
    const functionName = props.alias.version.lambda.functionName;
    const aliasName = props.alias.aliasName;
    const guardrails = { ...DEFAULT_GUARDRAILS, ...definedOnly(props.guardrails ?? {}) };
    const detection = { ...DEFAULT_DETECTION, ...definedOnly(props.detection ?? {}) };
    const bandWidth = props.anomalyBandWidth ?? DEFAULT_ANOMALY_BAND_WIDTH;
    const flags = props.flags ?? [];

    checkCompensatorProps(id, props, props.controlPlane.metricLagSeconds);
    this.registerTarget(props.controlPlane, id, target);
    this.target = target;

    this.policy = {
      schemaVersion: 1,
      target,
      functionName,
      aliasName,
      slo: {
        p95Millis: props.slo.p95Millis,
        ...(props.slo.p99Millis === undefined ? {} : { p99Millis: props.slo.p99Millis }),
        errorRatePercent: props.slo.errorRatePercent,
      },
      ...(props.provisionedConcurrency
        ? {
            provisionedConcurrency: {
              min: props.provisionedConcurrency.min,
              max: props.provisionedConcurrency.max,
              maxStep: props.provisionedConcurrency.maxStep,
            },
          }
        : {}),
      flags: flags.map((f) => ({
        key: f.key,
        compensatingValue: f.compensatingValue,
        remedies: [...f.remedies],
        applicationId: f.applicationId,
        environmentId: f.environmentId,
        configurationProfileId: f.configurationProfileId,
        deploymentStrategyId: f.deploymentStrategyId,
      })),
      guardrails,
      detection,
    };
    const value = this.policyJson();
    if (!Token.isUnresolved(value) && value.length > SSM_STANDARD_VALUE_LIMIT) {
      throw new Error(
        `Compensator '${id}': the policy of target '${target}' is ${value.length} characters; SSM standard parameters hold at most ${SSM_STANDARD_VALUE_LIMIT}. Attach fewer flags, or split the alias into several targets.`,
      );
    }
    this.policyParameter = new ssm.StringParameter(this, 'Policy', {
      parameterName: `${props.controlPlane.policyParameterPrefix}${target}`,
      description: `micromotion policy of target ${target}`,
      stringValue: value,
      tier: ssm.ParameterTier.STANDARD,
    });

    const alarms: Partial<Record<AlarmSignal, cloudwatch.CfnAlarm>> = {};
    const signals: AlarmSignal[] = [
      'p95',
      ...(props.slo.p99Millis === undefined ? [] : (['p99'] as const)),
      'errors',
      ...(props.provisionedConcurrency ? (['spillover'] as const) : []),
      // A burst's cold starts break the tail long before p95: worth a fast alarm only where
      // the tail has an objective and provisioned concurrency can answer it.
      ...(props.provisionedConcurrency && props.slo.p99Millis !== undefined ? (['coldStarts'] as const) : []),
    ];
    for (const signal of signals) {
      alarms[signal] = this.anomalyAlarm(signal, { target, functionName, aliasName, bandWidth });
    }
    this.alarms = alarms;

    if (props.provisionedConcurrency) props.controlPlane.grantProvisionedConcurrency(props.alias, this);
    const granted = new Set<string>();
    for (const flag of flags) {
      const profile = `${flag.applicationId}/${flag.environmentId}/${flag.configurationProfileId}/${flag.deploymentStrategyId}`;
      if (granted.has(profile)) continue;
      granted.add(profile);
      props.controlPlane.grantFeatureFlag(flag, this);
    }
  }

  /** The policy document as registered (JSON; may contain tokens, e.g. the function name). */
  public policyJson(): string {
    return Stack.of(this).toJsonString(this.policy);
  }

  private anomalyAlarm(
    signal: AlarmSignal,
    o: { target: string; functionName: string; aliasName: string; bandWidth: number },
  ): cloudwatch.CfnAlarm {
    const metric = ALARM_METRICS[signal];
    const stat = (id: string, metricName: string, statistic: string, returnData: boolean) => ({
      id,
      returnData,
      metricStat: {
        metric: {
          namespace: metric.namespace,
          metricName,
          dimensions: [
            { name: 'FunctionName', value: o.functionName },
            { name: 'Resource', value: `${o.functionName}:${o.aliasName}` },
          ],
        },
        period: 60,
        stat: statistic,
      },
    });
    // Errors are watched as a rate: a traffic burst at the same error rate is not an anomaly.
    const watched =
      signal === 'errors'
        ? [
            stat('errors', 'Errors', 'Sum', false),
            stat('invocations', 'Invocations', 'Sum', false),
            { id: 'm1', expression: '100 * errors / invocations', label: 'Error rate (%)', returnData: true },
          ]
        : [stat('m1', metric.metricName, metric.stat, true)];
    return new cloudwatch.CfnAlarm(this, `Alarm-${signal}`, {
      alarmName: `${ALARM_NAME_PREFIX}${o.target}-${signal}`,
      alarmDescription: `micromotion: ${signal === 'errors' ? 'error rate' : `${metric.metricName} (${metric.stat})`} of ${o.target} above its anomaly band; starts the control loop.`,
      metrics: [
        ...watched,
        {
          id: 'band',
          expression: `ANOMALY_DETECTION_BAND(m1, ${o.bandWidth})`,
          label: `${metric.metricName} (expected)`,
          returnData: true,
        },
      ],
      thresholdMetricId: 'band',
      comparisonOperator: 'GreaterThanUpperThreshold',
      evaluationPeriods: metric.datapoints[1],
      datapointsToAlarm: metric.datapoints[0],
      treatMissingData: 'notBreaching',
    });
  }

  private registerTarget(controlPlane: IControlPlane, id: string, target: string): void {
    let targets = registeredTargets.get(controlPlane);
    if (!targets) {
      targets = new Map();
      registeredTargets.set(controlPlane, targets);
    }
    const other = targets.get(target);
    if (other !== undefined) {
      throw new Error(
        `Compensator '${id}': target '${target}' is already registered by '${other}' on this control plane. Give one of them another target name.`,
      );
    }
    targets.set(target, this.node.path);
  }
}

/** `OrderService` → `order-service`, `orders_v2` → `orders-v2`. */
export function toKebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A Compensator prop that breaks its rule: which prop, the rule, the value and the fix. */
export class CompensatorPropsError extends Error {
  override name = 'CompensatorPropsError';
  constructor(
    readonly id: string,
    readonly prop: string,
    readonly rule: string,
    readonly got: unknown,
    readonly fix: string,
  ) {
    super(`Compensator '${id}': ${prop} ${rule}; got ${JSON.stringify(got)}. ${fix}`);
  }
}

/** The props a Compensator checks, as plain data (no alias or control plane needed). */
export type CheckedCompensatorProps = Omit<CompensatorProps, 'alias' | 'controlPlane'>;

/**
 * Every check the Compensator makes on its props, with the control plane's metric lag; throws
 * `CompensatorPropsError` naming the prop, the bad value and the fix. Callable without CDK
 * constructs (the simulator validates a scenario's compensators with it before running).
 */
export function checkCompensatorProps(
  id: string,
  props: CheckedCompensatorProps,
  metricLagSeconds: number,
): void {
  const target = props.target ?? toKebabCase(id);
  const guardrails = { ...DEFAULT_GUARDRAILS, ...definedOnly(props.guardrails ?? {}) };
  const detection = { ...DEFAULT_DETECTION, ...definedOnly(props.detection ?? {}) };
  const flags = props.flags ?? [];
  const check = new PropsChecker(id);
  check.target(target, props.target !== undefined);
  check.slo(props.slo);
  if (props.provisionedConcurrency) check.provisionedConcurrency(props.provisionedConcurrency);
  check.flags(flags);
  check.guardrails(guardrails);
  check.detection(detection, guardrails.bakeSeconds, metricLagSeconds);
  check.number(
    'anomalyBandWidth',
    props.anomalyBandWidth ?? DEFAULT_ANOMALY_BAND_WIDTH,
    { min: 0.5, max: 10 },
    'Use 2 for a band of ±2 standard deviations.',
  );
  if (!props.provisionedConcurrency && flags.length === 0) {
    check.fail(
      'provisionedConcurrency',
      'or flags must give an actuator (no actuator)',
      null,
      'Give provisionedConcurrency bounds, at least one flag, or both.',
    );
  }
}

/** Props checks; every message names the prop, the bad value and the fix. Unresolved tokens are skipped. */
class PropsChecker {
  constructor(private readonly id: string) {}

  fail(prop: string, rule: string, got: unknown, fix: string): never {
    throw new CompensatorPropsError(this.id, prop, rule, got, fix);
  }

  number(
    prop: string,
    value: number,
    o: { min: number; max: number; integer?: boolean; minExclusive?: boolean },
    fix: string,
  ): void {
    if (Token.isUnresolved(value)) return;
    const lowOk = o.minExclusive ? value > o.min : value >= o.min;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      lowOk &&
      value <= o.max &&
      (!o.integer || Number.isInteger(value));
    if (!ok) {
      const kind = o.integer ? 'a whole number' : 'a number';
      const low = o.minExclusive ? `greater than ${o.min}` : `at least ${o.min}`;
      this.fail(prop, `must be ${kind} ${low} and at most ${o.max}`, value, fix);
    }
  }

  target(target: string, given: boolean): void {
    if (Token.isUnresolved(target)) return;
    if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(target)) {
      this.fail(
        'target',
        'must be 1-64 characters of [a-z0-9-], starting and ending with a letter or digit',
        target,
        given
          ? "Use a short lower-kebab name such as 'orders'."
          : "Pass target explicitly, e.g. target: 'orders'.",
      );
    }
  }

  slo(slo: CompensatorSlo): void {
    this.number(
      'slo.p95Millis',
      slo.p95Millis,
      { min: 0, max: 900_000, minExclusive: true },
      'Set the p95 latency objective in milliseconds, e.g. 300.',
    );
    if (slo.p99Millis !== undefined) {
      this.number(
        'slo.p99Millis',
        slo.p99Millis,
        { min: slo.p95Millis, max: 900_000 },
        `Set the p99 objective in milliseconds, at least slo.p95Millis (${slo.p95Millis}), e.g. 1000.`,
      );
    }
    this.number(
      'slo.errorRatePercent',
      slo.errorRatePercent,
      { min: 0, max: 100, minExclusive: true },
      'Set the error-rate objective in percent of invocations, e.g. 1.',
    );
  }

  provisionedConcurrency(pc: ProvisionedConcurrencyBounds): void {
    this.number(
      'provisionedConcurrency.min',
      pc.min,
      { min: 0, max: 10_000, integer: true },
      'Set the fewest provisioned units to keep, e.g. 1.',
    );
    this.number(
      'provisionedConcurrency.max',
      pc.max,
      { min: 1, max: 10_000, integer: true },
      'Set the most provisioned units allowed, e.g. 50.',
    );
    if (!Token.isUnresolved(pc.min) && !Token.isUnresolved(pc.max) && pc.min > pc.max) {
      this.fail(
        'provisionedConcurrency.min',
        `must not exceed max (${pc.max})`,
        pc.min,
        'Lower min or raise max.',
      );
    }
    const maxLabel = Token.isUnresolved(pc.max) ? 'max' : `max (${pc.max})`;
    if (Token.isUnresolved(pc.maxStep)) return;
    const upper = Token.isUnresolved(pc.max) ? Number.POSITIVE_INFINITY : pc.max;
    if (!Number.isInteger(pc.maxStep) || pc.maxStep < 1 || pc.maxStep > upper) {
      this.fail(
        'provisionedConcurrency.maxStep',
        `must be between 1 and ${maxLabel}`,
        pc.maxStep,
        'Set maxStep to how many units one action may add or remove.',
      );
    }
  }

  flags(flags: readonly CompensatingFlag[]): void {
    const keys = new Set<string>();
    flags.forEach((flag, i) => {
      const p = `flags[${i}]`;
      if (!Token.isUnresolved(flag.key)) {
        if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(flag.key)) {
          this.fail(
            `${p}.key`,
            'must be an AppConfig flag key (a letter, then up to 63 letters, digits, _ or -)',
            flag.key,
            'Use the key of the flag in the feature-flags document.',
          );
        }
        if (keys.has(flag.key))
          this.fail(`${p}.key`, 'must be unique among flags', flag.key, 'List each flag once.');
        keys.add(flag.key);
      }
      if (typeof flag.compensatingValue !== 'boolean') {
        this.fail(
          `${p}.compensatingValue`,
          'must be a boolean',
          flag.compensatingValue,
          'Set the value the flag takes while compensating.',
        );
      }
      if (flag.remedies.length === 0) {
        this.fail(
          `${p}.remedies`,
          'must name at least one diagnosis',
          flag.remedies,
          `Use some of: ${Object.keys(DIAGNOSIS_KIND_SET).join(', ')}.`,
        );
      }
      for (const remedy of flag.remedies) {
        if (!(remedy in DIAGNOSIS_KIND_SET)) {
          this.fail(
            `${p}.remedies`,
            'must contain diagnosis kinds only',
            remedy,
            `Use some of: ${Object.keys(DIAGNOSIS_KIND_SET).join(', ')}.`,
          );
        }
      }
      for (const field of [
        'applicationId',
        'environmentId',
        'configurationProfileId',
        'deploymentStrategyId',
      ] as const) {
        const v = flag[field];
        if (!Token.isUnresolved(v) && (typeof v !== 'string' || v.length === 0)) {
          this.fail(
            `${p}.${field}`,
            'must be a non-empty AppConfig id',
            v,
            `Pass the ${field} of the flag's AppConfig resources (e.g. app.ref).`,
          );
        }
      }
    });
  }

  guardrails(g: TargetPolicy['guardrails']): void {
    this.number(
      'guardrails.cooldownSeconds',
      g.cooldownSeconds,
      { min: 0, max: 86_400, integer: true },
      'Set the quiet time after an action in seconds, e.g. 600.',
    );
    this.number(
      'guardrails.actionsPerHour',
      g.actionsPerHour,
      { min: 1, max: 60, integer: true },
      'Set how many actions per hour this target may take, e.g. 4.',
    );
    this.number(
      'guardrails.bakeSeconds',
      g.bakeSeconds,
      { min: 30, max: 3600, integer: true },
      'Set how long to wait before verifying, e.g. 300 (the workflow times out after 2 hours).',
    );
    this.number(
      'guardrails.minConfidence',
      g.minConfidence,
      { min: 0, max: 1 },
      'Set a confidence between 0 and 1, e.g. 0.6.',
    );
  }

  detection(d: TargetPolicy['detection'], bakeSeconds: number, metricLagSeconds: number): void {
    this.number(
      'detection.periodSeconds',
      d.periodSeconds,
      { min: 60, max: 3600, integer: true },
      'Use 60 (Lambda metrics have one-minute resolution) or a multiple of it.',
    );
    if (!Token.isUnresolved(d.periodSeconds) && d.periodSeconds % 60 !== 0) {
      this.fail(
        'detection.periodSeconds',
        'must be a multiple of 60',
        d.periodSeconds,
        'Use 60, 120, 300, ...',
      );
    }
    this.number(
      'detection.windowMinutes',
      d.windowMinutes,
      { min: 5, max: 1440, integer: true },
      'Set minutes of history to read, e.g. 30.',
    );
    if (
      !Token.isUnresolved(d.windowMinutes) &&
      !Token.isUnresolved(d.periodSeconds) &&
      (d.windowMinutes * 60) / d.periodSeconds < 5
    ) {
      this.fail(
        'detection.windowMinutes',
        `must span at least 5 periods of ${d.periodSeconds}s`,
        d.windowMinutes,
        'Lengthen the window or shorten periodSeconds.',
      );
    }
    this.number(
      'detection.historyMinutes',
      d.historyMinutes,
      { min: d.windowMinutes, max: 20_160, integer: true },
      `Set minutes of history for the detector, at least detection.windowMinutes (${d.windowMinutes}), e.g. 360.`,
    );
    if (
      !Token.isUnresolved(bakeSeconds) &&
      !Token.isUnresolved(d.periodSeconds) &&
      bakeSeconds < 3 * d.periodSeconds + metricLagSeconds
    ) {
      // Verify skips the period the change landed in and the metrics still arriving.
      this.fail(
        'guardrails.bakeSeconds',
        `must cover the period of the change, 2 detection periods after it and the control plane's metric lag (${3 * d.periodSeconds + metricLagSeconds}s)`,
        bakeSeconds,
        'Raise bakeSeconds, shorten detection.periodSeconds, or lower the control plane metricLagSeconds.',
      );
    }
  }
}
