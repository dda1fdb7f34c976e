/**
 * Replays recorded signals through the loop's own Detect and Decide logic (`diagnose`,
 * `decide`, `planAction` from `lambdas/core`) and lists what the loop would have done.
 * Pure: no I/O, no clock; nothing is actuated.
 */
import { type DiagnosisOptions, diagnose } from '../../lambdas/core/diagnosis.js';
import { actionHistoryStartMs, type CurrentValues, decide } from '../../lambdas/core/guardrails.js';
import type {
  ActionPlan,
  DiagnosisKind,
  GuardrailRule,
  SeriesPoint,
  SignalName,
  SignalWindow,
  TargetPolicy,
} from '../../lambdas/core/types.js';
import { ExportMismatchError } from './errors.js';
import { exportLastMs, exportStartMs } from './metric-export.js';

/**
 * Guardrails of the real Decide that need live state a recording does not have; the replay
 * decides as if each of them passed.
 */
export const GUARDRAILS_NOT_REPLAYED = [
  'global-kill-switch (the ledger control item)',
  'lease-held (one execution per target)',
  'deployment-in-progress (AppConfig)',
  'another-controller (Application Auto Scaling)',
] as const;

export interface ReplayOptions {
  /** Provisioned concurrency configured on the alias when the export starts. */
  readonly initialProvisionedConcurrency: number;
  /** Flag values when the export starts, by key; a flag not named starts at its non-compensating value. */
  readonly initialFlags?: Readonly<Record<string, boolean>>;
  /** @default - the diagnosis defaults the Detect handler uses */
  readonly diagnosisOptions?: DiagnosisOptions;
  /** Called after each evaluation with the evaluations done and their total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One would-be action, or one run of consecutive evaluations held by the same rule for the same kind. */
export interface BacktestEvent {
  /** Evaluation time (ISO): the end of the newest period the diagnosis saw. */
  readonly at: string;
  /** Last evaluation of the run (ISO); `at` for an action. */
  readonly until: string;
  /** Consecutive evaluations this event stands for (1 for an action). */
  readonly evaluations: number;
  readonly kind: DiagnosisKind;
  readonly confidence: number;
  readonly magnitude: number;
  readonly persistence: number;
  readonly verdict: 'act' | 'hold';
  readonly rule: GuardrailRule;
  readonly detail: string;
  /** The change that would have been made (`act`), or that was planned and then held. */
  readonly plan: ActionPlan | null;
  readonly summary: string;
  readonly evidence: Readonly<Record<string, number>>;
}

export interface BacktestResult {
  readonly target: string;
  readonly periodSeconds: number;
  /** Start of the export's first period (ISO). */
  readonly from: string;
  /** End of the export's last period (ISO). */
  readonly to: string;
  /** First evaluation (ISO): once the export covers the policy's diagnosis window. */
  readonly firstEvaluation: string;
  readonly evaluations: number;
  /** Evaluations whose diagnosis was not `none`. */
  readonly diagnosed: number;
  readonly actions: number;
  readonly events: readonly BacktestEvent[];
  /** Would-be settings after the last action. */
  readonly finalState: CurrentValues;
}

/**
 * Steps through the export one period at a time. At each period end `T` (from the first one
 * whose data covers `detection.windowMinutes`), `diagnose` gets the last
 * `detection.historyMinutes` of data before `T` and the last would-be action as the evidence
 * cut-off, exactly as Detect reads them; a diagnosis goes through the core `decide` (kill
 * switch of the target, low confidence, cooldown, actions per hour, plan with bounds and
 * maximum step, dry run) with the would-be settings. An action changes the would-be settings
 * and starts the cooldown; it is assumed kept (the recording cannot show its effect).
 */
export function replay(window: SignalWindow, policy: TargetPolicy, options: ReplayOptions): BacktestResult {
  const periodMs = policy.detection.periodSeconds * 1000;
  const historyMs = policy.detection.historyMinutes * 60_000;
  const startMs = exportStartMs(window);
  const endMs = exportLastMs(window) + periodMs;
  const firstMs = startMs + policy.detection.windowMinutes * 60_000;
  if (!Number.isFinite(startMs) || firstMs > endMs) {
    throw new ExportMismatchError(
      `the export covers ${Math.max(0, (endMs - startMs) / 60_000)} min; the policy's diagnosis window (detection.windowMinutes) needs ${policy.detection.windowMinutes} min before the first evaluation`,
    );
  }

  let current: CurrentValues = {
    provisionedConcurrency: options.initialProvisionedConcurrency,
    flags: Object.fromEntries(
      policy.flags.map((f) => [f.key, options.initialFlags?.[f.key] ?? !f.compensatingValue]),
    ),
  };
  const actionTimes: number[] = [];
  const events: BacktestEvent[] = [];
  /** The event of the previous evaluation while it is a hold that may continue. */
  let openHold: OpenHold | null = null;
  let evaluations = 0;
  let diagnosed = 0;

  const total = Math.floor((endMs - firstMs) / periodMs) + 1;
  for (let nowMs = firstMs; nowMs <= endMs; nowMs += periodMs) {
    evaluations++;
    options.onProgress?.(evaluations, total);
    const historyStartMs = nowMs - historyMs;
    const lastAction = actionTimes.at(-1);
    const diagnosis = diagnose(
      sliceWindow(window, historyStartMs, nowMs),
      policy,
      options.diagnosisOptions,
      lastAction !== undefined && lastAction >= historyStartMs ? lastAction : undefined,
    );
    if (diagnosis.kind === 'none') {
      openHold = null;
      continue;
    }
    diagnosed++;
    const decision = decide({
      policy,
      diagnosis,
      nowMs,
      globalDryRun: false,
      globalPaused: false,
      targetPaused: false,
      leaseAcquired: true,
      recentActionTimes: actionTimes.filter((t) => t >= actionHistoryStartMs(policy, nowMs)),
      current,
      flagsDeploying: [],
      pcAutoscaled: false,
    });
    const at = new Date(nowMs).toISOString();
    const open = openHold as OpenHold | null;
    if (decision.verdict === 'hold' && open?.kind === diagnosis.kind && open.rule === decision.rule) {
      const run = events[open.index] as BacktestEvent;
      events[open.index] = { ...run, until: at, evaluations: run.evaluations + 1 };
      continue;
    }
    events.push({
      at,
      until: at,
      evaluations: 1,
      kind: diagnosis.kind,
      confidence: diagnosis.confidence,
      magnitude: diagnosis.magnitude,
      persistence: diagnosis.persistence,
      verdict: decision.verdict,
      rule: decision.rule,
      detail: decision.detail,
      plan: decision.plan,
      summary: diagnosis.summary,
      evidence: diagnosis.evidence,
    });
    openHold =
      decision.verdict === 'hold'
        ? { index: events.length - 1, kind: diagnosis.kind, rule: decision.rule }
        : null;
    if (decision.verdict === 'act' && decision.plan) {
      current = applyPlan(current, decision.plan);
      actionTimes.push(nowMs);
    }
  }

  return {
    target: policy.target,
    periodSeconds: policy.detection.periodSeconds,
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    firstEvaluation: new Date(firstMs).toISOString(),
    evaluations,
    diagnosed,
    actions: actionTimes.length,
    events,
    finalState: current,
  };
}

interface OpenHold {
  readonly index: number;
  readonly kind: DiagnosisKind;
  readonly rule: GuardrailRule;
}

/** The would-be settings after a planned change. */
function applyPlan(current: CurrentValues, plan: ActionPlan): CurrentValues {
  if (plan.actuator === 'provisioned-concurrency' && typeof plan.to === 'number') {
    return { ...current, provisionedConcurrency: plan.to };
  }
  if (plan.flagKey !== undefined && typeof plan.to === 'boolean') {
    return { ...current, flags: { ...current.flags, [plan.flagKey]: plan.to } };
  }
  return current;
}

/** The points with `fromMs <= t < toMs` of each signal (each sorted oldest first). */
export function sliceWindow(window: SignalWindow, fromMs: number, toMs: number): SignalWindow {
  const sliced: Partial<Record<SignalName, readonly SeriesPoint[]>> = {};
  for (const [name, points] of Object.entries(window) as [SignalName, readonly SeriesPoint[]][]) {
    const part = points.slice(firstAtOrAfter(points, fromMs), firstAtOrAfter(points, toMs));
    if (part.length > 0) sliced[name] = part;
  }
  return sliced;
}

function firstAtOrAfter(points: readonly SeriesPoint[], t: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((points[mid] as SeriesPoint).t < t) low = mid + 1;
    else high = mid;
  }
  return low;
}
