import type { AlarmSpec, AlarmStateValue } from './alarm-spec.js';
import { AnomalyBand, type Band, TRAINING_WINDOW_MILLIS } from './anomaly-band.js';
import type { MetricIdentity, MetricStore } from './metric-store.js';
import { parseStatistic } from './statistics.js';

type Statistic = NonNullable<ReturnType<typeof parseStatistic>>;

/** A state change of one alarm. */
export interface AlarmTransition {
  readonly from: AlarmStateValue;
  readonly fromReason: string;
  readonly fromTimestampMillis: number;
  readonly to: AlarmStateValue;
  readonly reason: string;
  readonly reasonData: string;
  readonly atMillis: number;
}

interface Datapoint {
  readonly t: number;
  readonly value: number | null;
  readonly band: Band | null;
  readonly breaching: boolean | null;
}

/**
 * One CloudWatch alarm, evaluated every minute over its last N periods with the M-of-N rule and
 * `TreatMissingData` ("Evaluating an alarm" and "Configuring how CloudWatch alarms treat missing
 * data" — https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
 *
 * Simplifications: metric data is visible as soon as its period ends (no ingestion delay); with
 * `missing`/`ignore` and some datapoints missing, the alarm goes to ALARM when at least M present
 * datapoints breach, to OK when too few can breach, and otherwise keeps its state; when all are
 * missing, `missing` gives INSUFFICIENT_DATA and `ignore` keeps the state.
 */
export class SimulatedAlarm {
  readonly spec: AlarmSpec;
  readonly arn: string;
  #state: AlarmStateValue = 'INSUFFICIENT_DATA';
  #reason = 'Unchecked: Initial alarm creation';
  #stateTimestampMillis: number;
  readonly #store: MetricStore;
  readonly #metric: MetricIdentity;
  readonly #statistic: Statistic;
  readonly #denominator: { metric: MetricIdentity; statistic: Statistic; scale: number } | null;
  readonly #band: AnomalyBand | null;

  constructor(spec: AlarmSpec, arn: string, store: MetricStore, createdAtMillis: number) {
    this.spec = spec;
    this.arn = arn;
    this.#store = store;
    this.#stateTimestampMillis = createdAtMillis;
    this.#metric = {
      namespace: spec.metric.namespace,
      metricName: spec.metric.metricName,
      dimensions: spec.metric.dimensions,
    };
    const statistic = parseStatistic(spec.metric.stat);
    if (!statistic)
      throw new RangeError(`Alarm ${spec.alarmName}: statistic ${spec.metric.stat} is not supported`);
    this.#statistic = statistic;
    const ratio = spec.ratio;
    const denominatorStatistic = ratio ? parseStatistic(ratio.denominator.stat) : null;
    if (ratio && !denominatorStatistic) {
      throw new RangeError(`Alarm ${spec.alarmName}: statistic ${ratio.denominator.stat} is not supported`);
    }
    this.#denominator =
      ratio && denominatorStatistic
        ? {
            metric: {
              namespace: ratio.denominator.namespace,
              metricName: ratio.denominator.metricName,
              dimensions: ratio.denominator.dimensions,
            },
            statistic: denominatorStatistic,
            scale: ratio.scale,
          }
        : null;
    const counts = !ratio && (spec.metric.stat === 'Sum' || spec.metric.stat === 'SampleCount');
    this.#band =
      spec.threshold.kind === 'band'
        ? new AnomalyBand(spec.threshold.widthStdDevs, counts, ratio?.scale)
        : null;
    this.#train(createdAtMillis);
  }

  get state(): AlarmStateValue {
    return this.#state;
  }

  get reason(): string {
    return this.#reason;
  }

  get stateTimestampMillis(): number {
    return this.#stateTimestampMillis;
  }

  /** The anomaly band that applies to periods starting at `atMillis`, or null (static alarm, no history). */
  bandAt(atMillis: number): Band | null {
    return this.#band?.bandAt(atMillis) ?? null;
  }

  /** Evaluates at `nowMillis`; returns the transition when the state changed. */
  evaluate(nowMillis: number): AlarmTransition | null {
    const periodMillis = this.spec.metric.periodSeconds * 1000;
    const rangeEnd = Math.floor(nowMillis / periodMillis) * periodMillis;
    const rangeStart = rangeEnd - this.spec.evaluationPeriods * periodMillis;
    const band = this.#band?.bandAt(rangeStart) ?? null;
    const { values } = this.#series(rangeStart, rangeEnd, nowMillis);
    this.#train(nowMillis);

    const datapoints: Datapoint[] = [];
    for (let t = rangeStart; t < rangeEnd; t += periodMillis) {
      const value = values.get(t) ?? null;
      datapoints.push({ t, value, band, breaching: value === null ? null : this.#breaches(value, band) });
    }
    const next = this.#decide(datapoints);
    if (next === this.#state) return null;
    const transition: AlarmTransition = {
      from: this.#state,
      fromReason: this.#reason,
      fromTimestampMillis: this.#stateTimestampMillis,
      to: next,
      reason: this.#describe(next, datapoints),
      reasonData: JSON.stringify({
        version: '1.0',
        queryDate: formatTimestamp(nowMillis),
        startDate: formatTimestamp(rangeStart),
        period: this.spec.metric.periodSeconds,
        recentDatapoints: datapoints.filter((d) => d.value !== null).map((d) => d.value),
        // As CloudWatch reports the datapoints it judged (newest first), with their period starts.
        evaluatedDatapoints: datapoints
          .filter((d) => d.value !== null)
          .reverse()
          .map((d) => ({ timestamp: formatTimestamp(d.t), value: d.value })),
        ...(band ? { recentLowerThresholds: [band.lower], recentUpperThresholds: [band.upper] } : {}),
        ...(this.spec.threshold.kind === 'static' ? { threshold: this.spec.threshold.value } : {}),
      }),
      atMillis: nowMillis,
    };
    this.#state = next;
    this.#reason = transition.reason;
    this.#stateTimestampMillis = nowMillis;
    return transition;
  }

  #train(nowMillis: number): void {
    const band = this.#band;
    if (!band) return;
    const periodSeconds = this.spec.metric.periodSeconds;
    const periodMillis = periodSeconds * 1000;
    const from = Math.max(band.lastObservedMillis + periodMillis, nowMillis - TRAINING_WINDOW_MILLIS);
    const aligned = Math.ceil(from / periodMillis) * periodMillis;
    const series = this.#series(aligned, nowMillis, nowMillis);
    for (const [t, v] of series.values) band.observe(t, v, series.denominators.get(t));
  }

  /** The watched series over [from, to): the metric's statistic, or the ratio's value, per period. */
  #series(
    from: number,
    to: number,
    nowMillis: number,
  ): { values: Map<number, number>; denominators: Map<number, number> } {
    const periodSeconds = this.spec.metric.periodSeconds;
    const valuesOf = (metric: MetricIdentity, statistic: Statistic) =>
      new Map(
        this.#store
          .aggregate(metric, from, to, periodSeconds, nowMillis)
          .map((p) => [p.periodStartMillis, statistic(p.set)] as const)
          .filter(([, v]) => Number.isFinite(v)),
      );
    const numerator = valuesOf(this.#metric, this.#statistic);
    const ratio = this.#denominator;
    if (!ratio) return { values: numerator, denominators: new Map() };
    const denominators = valuesOf(ratio.metric, ratio.statistic);
    const values = new Map<number, number>();
    // Lambda emits no Errors datapoint in a period without errors: a missing numerator is 0.
    for (const [t, den] of denominators) {
      if (den > 0) values.set(t, (ratio.scale * (numerator.get(t) ?? 0)) / den);
    }
    return { values, denominators };
  }

  #breaches(value: number, band: Band | null): boolean | null {
    const threshold = this.spec.threshold;
    switch (this.spec.comparisonOperator) {
      case 'GreaterThanThreshold':
        return threshold.kind === 'static' ? value > threshold.value : null;
      case 'GreaterThanOrEqualToThreshold':
        return threshold.kind === 'static' ? value >= threshold.value : null;
      case 'LessThanThreshold':
        return threshold.kind === 'static' ? value < threshold.value : null;
      case 'LessThanOrEqualToThreshold':
        return threshold.kind === 'static' ? value <= threshold.value : null;
      case 'GreaterThanUpperThreshold':
        return band ? value > band.upper : null;
      case 'LessThanLowerThreshold':
        return band ? value < band.lower : null;
      case 'LessThanLowerOrGreaterThanUpperThreshold':
        return band ? value < band.lower || value > band.upper : null;
    }
  }

  #decide(datapoints: readonly Datapoint[]): AlarmStateValue {
    const n = this.spec.evaluationPeriods;
    const m = this.spec.datapointsToAlarm;
    const treat = this.spec.treatMissingData;
    let breaching = 0;
    let good = 0;
    for (const d of datapoints) {
      if (d.breaching === true) breaching += 1;
      else if (d.breaching === false) good += 1;
      else if (d.value === null && treat === 'breaching') breaching += 1;
      else if (d.value === null && treat === 'notBreaching') good += 1;
    }
    if (breaching >= m) return 'ALARM';
    if (good >= n - m + 1) return 'OK';
    if (breaching + good === 0) return treat === 'ignore' ? this.#state : 'INSUFFICIENT_DATA';
    return this.#state === 'INSUFFICIENT_DATA' && treat === 'missing' ? 'INSUFFICIENT_DATA' : this.#state;
  }

  #describe(state: AlarmStateValue, datapoints: readonly Datapoint[]): string {
    const present = datapoints.filter((d) => d.value !== null);
    if (state === 'INSUFFICIENT_DATA') {
      return `Insufficient Data: ${present.length} datapoints were unknown.`;
    }
    const shown = present
      .map((d) => `${round(d.value as number)} (${formatReasonDate(d.t)})`)
      .reverse()
      .join(', ');
    const crossed = present.filter((d) => d.breaching === true).length;
    const notCrossed = present.length - crossed;
    const band = datapoints[0]?.band ?? null;
    const m = this.spec.datapointsToAlarm;
    const relation = relationText(this.spec, state === 'ALARM');
    const thresholds =
      this.spec.threshold.kind === 'static'
        ? `the threshold (${this.spec.threshold.value})`
        : band
          ? `the ${upperOrLower(this.spec)} thresholds [${present.map(() => round(this.spec.comparisonOperator === 'LessThanLowerThreshold' ? band.lower : band.upper)).join(', ')}]`
          : 'the band';
    const count = state === 'ALARM' ? crossed : notCrossed;
    const transition =
      state === 'ALARM'
        ? `(minimum ${m} datapoints for OK -> ALARM transition)`
        : `(minimum ${this.spec.evaluationPeriods - m + 1} datapoint for ALARM -> OK transition)`;
    const prefix =
      state === 'ALARM'
        ? this.spec.threshold.kind === 'band'
          ? 'Thresholds Crossed'
          : 'Threshold Crossed'
        : 'Threshold Crossed';
    return `${prefix}: ${count} out of the last ${datapoints.length} datapoints [${shown}] were ${relation} ${thresholds} ${transition}.`;
  }
}

function relationText(spec: AlarmSpec, alarm: boolean): string {
  const op = spec.comparisonOperator;
  const greater = op.startsWith('Greater');
  if (op === 'LessThanLowerOrGreaterThanUpperThreshold') return alarm ? 'outside' : 'not outside';
  if (alarm) return greater ? 'greater than' : 'less than';
  return greater ? 'not greater than' : 'not less than';
}

function upperOrLower(spec: AlarmSpec): string {
  return spec.comparisonOperator === 'LessThanLowerThreshold' ? 'lower' : 'upper';
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** `dd/MM/yy HH:mm:ss` in UTC, as CloudWatch alarm reasons show datapoint times. */
function formatReasonDate(millis: number): string {
  const d = new Date(millis);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** `2026-11-23T08:45:00.000+0000`, the timestamp format of alarm state change events. */
export function formatTimestamp(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '+0000');
}
