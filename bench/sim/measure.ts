import { median, round } from '../../lambdas/core/stats.js';
import type { SimulatedAccount } from '../../sim/account.js';
import type { MinuteRecord } from '../../sim/accounting.js';
import { billedProvisionedUsd } from '../../sim/billing.js';
import { LAMBDA_PRICES_USD } from '../../sim/fleet/aws-behaviour.js';
import { Histogram } from '../../sim/histogram.js';
import type { Scenario } from '../../sim/scenario-types.js';
import type { ActionMark, FaultWindow, FunctionSeries, StrategyName, StrategyRun } from './types.js';

/** An action counts against a fault window until this long after the window ends (reactions, scale-back). */
export const FAULT_GRACE_MINUTES = 15;
/** The SLO is met again after this many good minutes in a row. */
export const RECOVERED_AFTER_GOOD_MINUTES = 5;
/** Window-based SLO objective when a scenario does not state one. */
export const DEFAULT_OBJECTIVE_PERCENT = 99;

/** An action of any strategy, before it is judged against the fault windows. */
export interface RawAction {
  readonly atMillis: number;
  readonly target: string;
  readonly kind: ActionMark['kind'];
  readonly detail: string;
  readonly reverted: boolean;
}

export function faultWindows(scenario: Scenario): FaultWindow[] {
  return (scenario.faults ?? []).map((f) => ({
    target: f.target,
    kind: f.kind,
    startMinute: f.startMinute,
    endMinute: f.endMinute,
  }));
}

/** The median, or null when there is none or it is infinite (a window never recovered). */
function medianOrNull(values: readonly number[]): number | null {
  const m = median(values);
  return Number.isFinite(m) ? m : null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? round(x, 1) : null);

/** Seconds from a window's onset to the SLO being met again: 0 if never breached, Infinity if never met again. */
function recoverySeconds(minutes: readonly MinuteRecord[], window: FaultWindow): number {
  const last = window.endMinute + FAULT_GRACE_MINUTES;
  const firstBreach = minutes.find((m) => m.minute >= window.startMinute && m.minute < last && m.sloBreached);
  if (!firstBreach) return 0;
  for (let i = firstBreach.minute + 1; i + RECOVERED_AFTER_GOOD_MINUTES <= minutes.length; i += 1) {
    const run = minutes.slice(i, i + RECOVERED_AFTER_GOOD_MINUTES);
    if (run.every((m) => !m.sloBreached)) return (i - window.startMinute) * 60;
  }
  return Number.POSITIVE_INFINITY;
}

/** Judges the actions and sums one strategy's run of one scenario. */
export function measureRun(
  name: StrategyName,
  account: SimulatedAccount,
  rawActions: readonly RawAction[],
  extraCostUsd: number,
  seconds: number,
): StrategyRun {
  const scenario = account.scenario;
  const windows = faultWindows(scenario);
  const minuteOf = (atMillis: number) => (atMillis - account.startMillis) / 60_000;
  const inWindow = (target: string, minute: number, w: FaultWindow) =>
    w.target === target && minute >= w.startMinute && minute <= w.endMinute + FAULT_GRACE_MINUTES;
  const actionMarks: ActionMark[] = rawActions
    .map((a) => {
      const minute = minuteOf(a.atMillis);
      return {
        minute: round(minute, 3),
        target: a.target,
        kind: a.kind,
        detail: a.detail,
        reverted: a.reverted,
        falseAction: !windows.some((w) => inWindow(a.target, minute, w)),
      };
    })
    .sort((a, b) => a.minute - b.minute);

  const series: FunctionSeries[] = [];
  const all = new Histogram();
  let cost = extraCostUsd;
  let breached = 0;
  let budgetMinutes = 0;
  const recoveries: number[] = [];
  for (const fn of scenario.functions) {
    const slo = fn.slo ?? fn.compensator?.slo;
    const minutes = account.minutes(fn.target);
    all.merge(account.latencyHistogram(fn.target));
    // Minute costs carry provisioned concurrency by the second; bill it in 5-minute increments instead.
    const exactPc = minutes.reduce(
      (s, m) => s + m.cost.provisionedGbSeconds * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency,
      0,
    );
    const billedPc = billedProvisionedUsd(
      minutes.map((m) => m.provisionedRequested),
      fn.memoryMb,
    );
    cost += minutes.reduce((s, m) => s + m.cost.usd, 0) - exactPc + billedPc;
    breached += minutes.filter((m) => m.sloBreached).length;
    budgetMinutes += ((100 - (slo?.objectivePercent ?? DEFAULT_OBJECTIVE_PERCENT)) / 100) * minutes.length;
    for (const w of windows.filter((w) => w.target === fn.target)) {
      recoveries.push(recoverySeconds(minutes, w));
    }
    series.push({
      target: fn.target,
      sloP95Millis: slo?.p95Millis ?? Number.NaN,
      sloP99Millis: slo?.p99Millis ?? null,
      sloErrorRatePercent: slo?.errorRatePercent ?? Number.NaN,
      minutes: minutes.map((m) => ({
        minute: m.minute,
        p95Millis: finiteOrNull(m.p95Millis),
        p99Millis: finiteOrNull(m.p99Millis),
        errorRatePercent: round(m.failureRatePercent, 3),
        provisionedConcurrency: m.provisionedRequested,
        costUsd: m.cost.usd,
        sloBreached: m.sloBreached,
      })),
    });
  }
  // Judged on the exact minute, as the false actions are: a mark's minute is rounded for display.
  const exact = rawActions.map((a) => ({ target: a.target, minute: minuteOf(a.atMillis) }));
  const onsets: number[] = [];
  for (const w of windows) {
    const inside = exact.filter((a) => inWindow(a.target, a.minute, w)).map((a) => a.minute);
    if (inside.length > 0) onsets.push((Math.min(...inside) - w.startMinute) * 60);
  }
  return {
    name,
    errorBudgetBurnedPercent: budgetMinutes > 0 ? round((100 * breached) / budgetMinutes, 1) : 0,
    sloMinutesBreached: breached,
    p95Millis: round(all.percentile(95), 0),
    p99Millis: round(all.percentile(99), 0),
    costUsd: round(cost, 4),
    actions: actionMarks.length,
    actionsReverted: actionMarks.filter((a) => a.reverted).length,
    falseActions: actionMarks.filter((a) => a.falseAction).length,
    onsetToActionSeconds: onsets.length > 0 ? round(medianOrNull(onsets) as number, 0) : null,
    recoverSeconds: medianOrNull(recoveries),
    series,
    actionMarks,
    seconds: round(seconds, 2),
  };
}
