import type { LedgerRecord, Outcome } from '../../lambdas/core/types.js';
import type { SimulatedAccount } from '../account.js';
import { DEFAULT_SCENARIO_PATH, loadScenario, type Scenario, scenarioStartMillis } from '../scenario.js';
import { LocalLoop } from './local-loop.js';
import type { ExecutionEvent, ExecutionResult } from './local-workflow.js';
import { describeEvent, describeMinute } from './timeline.js';
import { startUncompensated } from './uncompensated.js';
import { validateCompensators } from './validate-compensators.js';

export const DEFAULT_SCENARIO = DEFAULT_SCENARIO_PATH.pathname;

export interface TimelineEntry {
  readonly at: number;
  readonly offsetMs: number;
  readonly source: 'signal' | 'alarm' | 'workflow' | 'fleet' | 'action';
  readonly text: string;
}

/** The machine-readable result of `micromotion simulate --json`. */
export interface SimulationResult {
  readonly scenario: string;
  readonly simulatedMinutes: number;
  readonly executions: number;
  readonly ledgerRecords: number;
  readonly actions: readonly {
    readonly actuator: string;
    readonly target: string;
    readonly from: unknown;
    readonly to: unknown;
    readonly verified: boolean;
    readonly reverted: boolean;
    readonly decidedBy: string;
  }[];
  readonly sloMinutesBreached: number;
}

export interface ScenarioRun {
  readonly result: SimulationResult;
  readonly records: readonly LedgerRecord[];
  readonly executions: readonly ExecutionResult[];
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  /** Most state transitions of any execution that acted and kept its action. */
  readonly maxKeptTransitions: number | null;
  readonly account: SimulatedAccount;
  /** SLO minutes breached by the same scenario with nothing compensating (same seed); null when not asked. */
  readonly uncompensatedSloMinutesBreached: number | null;
}

export interface RunOptions {
  readonly onTimeline?: ((entry: TimelineEntry) => void) | undefined;
  /** Log lines of the handlers (structured); dropped by default. */
  readonly onHandlerLog?: (entry: Record<string, unknown>) => void;
  /** Every event of every execution (after the timeline has seen it). */
  readonly onExecutionEvent?: (event: ExecutionEvent) => void;
  /** Called at each closed scenario minute with the minutes done and the total. */
  readonly onProgress?: (minutesDone: number, minutesTotal: number) => void;
  /** Also run the scenario with nothing compensating, for comparison. @default true */
  readonly compareUncompensated?: boolean;
}

/**
 * Runs a scenario through the real loop (see `LocalLoop`) from its start to its end, lets
 * the executions still running finish, and summarizes the ledger and the account.
 */
export async function runScenario(source: string | Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const scenario = typeof source === 'string' ? await loadScenario(source) : source;
  validateCompensators(scenario, typeof source === 'string' ? source : scenario.name);
  const startMs = scenarioStartMillis(scenario);
  const emit = (at: number, source: TimelineEntry['source'], text: string) =>
    options.onTimeline?.({ at, offsetMs: at - startMs, source, text });
  const loopRef: { account?: SimulatedAccount } = {};
  const heldAlarms: [number, string][] = [];
  const flushAlarms = () => {
    for (const [at, text] of heldAlarms.splice(0)) emit(at, 'alarm', text);
  };
  const loop = await LocalLoop.create(scenario, {
    // An alarm is evaluated as a minute closes, before that minute's signal line is printed:
    // hold it until then, so the timeline reads in time order.
    onAlarm: (at, e) =>
      heldAlarms.push([
        at,
        `${e.detail.alarmName} ${e.detail.previousState.value} → ${e.detail.state.value}`,
      ]),
    onFleet: (at, text) => emit(at, 'fleet', text),
    onExecutionEvent: (e) => {
      flushAlarms();
      const text = describeEvent(e.event);
      if (text) emit(e.at, 'workflow', `${e.execution}: ${text}`);
      options.onExecutionEvent?.(e);
    },
    onMinute: (minuteStart) => {
      options.onProgress?.((minuteStart - startMs) / 60_000 + 1, scenario.durationMinutes);
      for (const fn of scenario.functions) {
        const record = loopRef.account?.minutes(fn.target).at(-1);
        if (!record || record.startMillis !== minuteStart) continue;
        const offset = minuteStart - startMs;
        if (record.sloBreached || offset % (5 * 60_000) === 0) {
          emit(minuteStart, 'signal', describeMinute(fn.target, record));
        }
      }
      flushAlarms();
    },
    ...(options.onHandlerLog ? { onHandlerLog: options.onHandlerLog } : {}),
  });
  loopRef.account = loop.account;
  // The comparison needs nothing from the loop: start it now, beside it when it is large.
  const uncompensated = options.compareUncompensated === false ? null : startUncompensated(scenario);
  try {
    await loop.advanceTo(startMs + scenario.durationMinutes * 60_000);
    const executions = await loop.drain();
    flushAlarms();
    const run = summarize(scenario, loop.account, executions, await loop.records());
    return {
      ...run,
      uncompensatedSloMinutesBreached: uncompensated === null ? null : (await uncompensated()).sloMinutes,
    };
  } finally {
    await loop.close();
  }
}

function summarize(
  scenario: Scenario,
  account: SimulatedAccount,
  executions: ExecutionResult[],
  records: LedgerRecord[],
): Omit<ScenarioRun, 'uncompensatedSloMinutesBreached'> {
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const acted = records
    .filter((r) => r.actuator !== null && r.decision?.verdict === 'act')
    .sort((a, b) => a.triggeredAt.localeCompare(b.triggeredAt));
  const keptNames = new Set(records.filter((r) => r.outcome === 'kept').map((r) => r.executionName));
  const kept = executions.filter((e) => keptNames.has(e.name)).map((e) => e.transitions);
  return {
    result: {
      scenario: scenario.name,
      simulatedMinutes: scenario.durationMinutes,
      executions: executions.length,
      ledgerRecords: records.length,
      actions: acted.map((r) => ({
        actuator: r.actuator as string,
        target: r.target,
        from: r.before,
        to: r.after,
        verified: r.verification?.keep === true,
        reverted: r.reverted,
        decidedBy: r.decision?.rule ?? 'unknown',
      })),
      sloMinutesBreached: account.summary().sloMinutesBreached,
    },
    records,
    executions,
    outcomes,
    maxKeptTransitions: kept.length > 0 ? Math.max(...kept) : null,
    account,
  };
}
