/** Text and JSON renderings of a backtest. Pure. */
import type { CurrentValues } from '../../lambdas/core/guardrails.js';
import type { ActionPlan, DiagnosisKind, SignalName } from '../../lambdas/core/types.js';
import { type BacktestEvent, type BacktestResult, GUARDRAILS_NOT_REPLAYED } from './replay.js';

/** A replay and what it was run on. */
export interface BacktestReport {
  readonly result: BacktestResult;
  /** The metric export as given (`--metrics`). */
  readonly metrics: string;
  /** The policy file, or a description of the default policy. */
  readonly policySource: string;
  readonly policyVersion: string;
  readonly signals: readonly SignalName[];
  readonly absentSignals: readonly SignalName[];
  readonly initialState: CurrentValues;
}

/** Evidence worth a glance for each kind (the names carry their units); the JSON has all of it. */
const KEY_EVIDENCE: Readonly<Record<DiagnosisKind, readonly string[]>> = {
  'cold-start-pressure': [
    'p95RecentMillis',
    'p95BaselineMillis',
    'p99PeakMillis',
    'coldStartSharePercentPeak',
    'concurrencyPeak',
  ],
  'latency-drift': ['p95RecentMillis', 'p95BaselineMillis', 'sloP95Millis', 'coldStartSharePercentPeak'],
  'error-drift': ['errorRateRecentPercent', 'errorRateBaselinePercent', 'sloErrorRatePercent'],
  'retry-amplification': ['errorRateRecentPercent', 'errorRateBaselinePercent', 'invocationGrowth'],
  'canary-regression': ['p95RecentMillis', 'p95BaselineMillis', 'errorRateRecentPercent'],
  'over-provisioned': ['pcUtilizationPeak', 'concurrencyPeak'],
};

export function describePlan(plan: ActionPlan | null): string {
  if (!plan) return '-';
  const what = plan.actuator === 'feature-flag' ? `feature-flag ${plan.flagKey}` : plan.actuator;
  return `${what} ${plan.from} → ${plan.to}`;
}

/** One line per would-be action or run of holds. */
export function formatEvent(event: BacktestEvent): string {
  const evidence = KEY_EVIDENCE[event.kind]
    .filter((key) => event.evidence[key] !== undefined)
    .map((key) => `${key} ${event.evidence[key]}`);
  const why = [
    event.summary,
    `magnitude ${event.magnitude}, persistence ${event.persistence}`,
    ...(evidence.length > 0 ? [evidence.join(', ')] : []),
  ].join('; ');
  const repeat = event.evaluations > 1 ? ` ×${event.evaluations} until ${event.until.slice(11, 16)}` : '';
  const decided =
    event.verdict === 'act'
      ? `would ${describePlan(event.plan)}`
      : `held${repeat}: ${event.detail}${event.plan && event.rule !== 'dry-run' ? ` (planned ${describePlan(event.plan)})` : ''}`;
  return `${event.at}  ${event.verdict.padEnd(4)} ${event.rule.padEnd(14)} ${event.kind.padEnd(19)} confidence ${event.confidence}  ${decided} — why: ${why}`;
}

function describeState(state: CurrentValues): string {
  const flags = Object.entries(state.flags).map(([key, value]) => `${key}=${value}`);
  return [`provisioned concurrency ${state.provisionedConcurrency ?? 'unknown'}`, ...flags].join(', ');
}

/** The human-readable report: what was replayed, one line per event, a summary. */
export function formatBacktest(report: BacktestReport): string {
  const r = report.result;
  const holds = r.diagnosed - r.actions;
  const lines = [
    `Backtest of ${r.target} on ${report.metrics}: ${r.from} → ${r.to}, period ${r.periodSeconds} s`,
    `  signals: ${report.signals.join(', ')}${report.absentSignals.length > 0 ? `; absent: ${report.absentSignals.join(', ')}` : ''}`,
    `  policy: ${report.policySource}; version ${report.policyVersion}`,
    `  start: ${describeState(report.initialState)}`,
    `  evaluated every period from ${r.firstEvaluation}; not replayed (need live state): ${GUARDRAILS_NOT_REPLAYED.join(', ')}; would-be actions are assumed kept (no bake, verify or revert)`,
    '',
    ...(r.events.length > 0
      ? r.events.map(formatEvent)
      : ['(no diagnosis in any evaluation: nothing would have been done)']),
    '',
    `${r.evaluations} evaluations, ${r.diagnosed} with a diagnosis: ${plural(r.actions, 'would-be action')}, ${plural(holds, 'evaluation')} held. Nothing was actuated.`,
    `  end: ${describeState(r.finalState)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The machine-readable report (`--json`). */
export function backtestJson(report: BacktestReport): Record<string, unknown> {
  const r = report.result;
  return {
    target: r.target,
    metrics: report.metrics,
    policy: report.policySource,
    policyVersion: report.policyVersion,
    periodSeconds: r.periodSeconds,
    from: r.from,
    to: r.to,
    firstEvaluation: r.firstEvaluation,
    evaluations: r.evaluations,
    diagnosed: r.diagnosed,
    actions: r.actions,
    signals: report.signals,
    absentSignals: report.absentSignals,
    notReplayed: GUARDRAILS_NOT_REPLAYED,
    initialState: report.initialState,
    finalState: r.finalState,
    events: r.events,
  };
}
