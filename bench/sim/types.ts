/**
 * The result of `npm run bench`: every scenario run under every strategy. `--json` prints the
 * summary fields; `--report FILE.html` plots the series.
 */

/** The strategies compared; `micromotion` is the real loop, the others are peers modelled from their documentation. */
export const STRATEGY_NAMES = [
  'none',
  'target-tracking',
  'scheduled-warmer',
  'static-rollback',
  'micromotion',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** One minute of one function under one strategy. NaN latencies (no invocations) are null. */
export interface MinutePoint {
  readonly minute: number;
  readonly p95Millis: number | null;
  readonly p99Millis: number | null;
  readonly errorRatePercent: number;
  /** Provisioned concurrency configured (billed) at the end of the minute. */
  readonly provisionedConcurrency: number;
  /** Cost of this minute in USD (PC + duration + requests). */
  readonly costUsd: number;
  readonly sloBreached: boolean;
}

/** An actuation by a strategy: a PC change, a flag flip, a rollback, a warm-up ping round is not one. */
export interface ActionMark {
  /** Minutes from the scenario start (fractional). */
  readonly minute: number;
  readonly target: string;
  readonly kind: 'provisioned-concurrency' | 'feature-flag' | 'rollback';
  readonly detail: string;
  /** Undone later by the same strategy (micromotion's verification revert, a rollback). */
  readonly reverted: boolean;
  /** Outside every fault window of its target (with the grace period). */
  readonly falseAction: boolean;
}

export interface FunctionSeries {
  readonly target: string;
  readonly sloP95Millis: number;
  readonly sloP99Millis: number | null;
  readonly sloErrorRatePercent: number;
  readonly minutes: readonly MinutePoint[];
}

export interface StrategyRun {
  readonly name: StrategyName;
  /** Breached minutes as a share of the error budget (100 − objective)% of minutes, summed over functions. */
  readonly errorBudgetBurnedPercent: number;
  readonly sloMinutesBreached: number;
  /** Percentiles of every invocation of every function in the scenario. */
  readonly p95Millis: number;
  readonly p99Millis: number;
  readonly costUsd: number;
  readonly actions: number;
  readonly actionsReverted: number;
  readonly falseActions: number;
  /** Median over fault windows of onset → the strategy's first action on that target; null when none acted. */
  readonly onsetToActionSeconds: number | null;
  /** Median over fault windows of onset → SLO met again (5 good minutes in a row); 0 when never breached, null when never met again. */
  readonly recoverSeconds: number | null;
  readonly series: readonly FunctionSeries[];
  readonly actionMarks: readonly ActionMark[];
  /** Wall time of this run. */
  readonly seconds: number;
}

export interface FaultWindow {
  readonly target: string;
  readonly kind: string;
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface ScenarioBench {
  readonly name: string;
  readonly description: string;
  readonly durationMinutes: number;
  /** True when the scenario has at least one fault window. */
  readonly fault: boolean;
  readonly faults: readonly FaultWindow[];
  readonly strategies: readonly StrategyRun[];
}

export interface BenchResult {
  readonly scenarios: readonly ScenarioBench[];
  /** Wall time of the whole bench. */
  readonly seconds: number;
}
