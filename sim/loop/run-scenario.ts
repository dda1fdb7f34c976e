import '../polyfills.js';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLoopDeps, type LoopConfig } from '../../lambdas/adapters/loop-deps.js';
import type { LedgerRecord, Outcome } from '../../lambdas/core/types.js';
import { createStartExecutionHandler } from '../../lambdas/handlers/start-execution.js';
import { HANDLER_CATALOG, STATE_NAMES } from '../../lib/handler-catalog.js';
import { LOCAL_REGION, localSynth } from '../../lib/local-synth.js';
import { SimulatedAccount } from '../account.js';
import { SimClock } from '../clock.js';
import { parseAlarmSpecs } from '../cloudwatch/alarms-from-template.js';
import { compensatorSpecs } from '../compensator-specs.js';
import { DEFAULT_SCENARIO_PATH, loadScenario, type Scenario, scenarioStartMillis } from '../scenario.js';
import { createSimulatedClients } from '../sdk-boundary.js';
import { startLocalDynamoDb } from './dynalite-ledger.js';
import { deliveredByRules, scheduledEvent, schedulePeriodsMs } from './event-rules.js';
import { HANDLER_FACTORIES } from './handler-factories.js';
import { type ExecutionResult, type JSONValue, LocalWorkflow, type TaskHandler } from './local-workflow.js';
import { SimScheduler } from './scheduler.js';
import { describeEvent } from './timeline.js';

export const DEFAULT_SCENARIO = DEFAULT_SCENARIO_PATH.pathname;

/** Step of the simulated world; CloudWatch aggregates to 1-minute periods on top of it. */
const STEP_MS = 10_000;
/** After the scenario ends, running executions get this long to finish (simulated). */
const DRAIN_MS = 60 * 60_000;
const LEDGER_TABLE = 'micromotion-ledger';

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
}

export interface RunOptions {
  readonly onTimeline?: ((entry: TimelineEntry) => void) | undefined;
  /** Log lines of the handlers (structured); dropped by default. */
  readonly onHandlerLog?: (entry: Record<string, unknown>) => void;
}

/**
 * Runs a scenario through the real loop: the state machine the CDK app synthesizes,
 * executed by aws-local-stepfunctions; the handler modules bundled for Lambda; dynalite as
 * the ledger; and the simulated account answering every other SDK call, on simulated time.
 */
export async function runScenario(source: string | Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const scenario = typeof source === 'string' ? await loadScenario(source) : source;
  const startMs = scenarioStartMillis(scenario);
  const endMs = startMs + scenario.durationMinutes * 60_000;
  const emit = (at: number, source: TimelineEntry['source'], text: string) =>
    options.onTimeline?.({ at, offsetMs: at - startMs, source, text });

  const specs = compensatorSpecs(scenario);
  const synth = localSynth(specs, { ledgerTableName: LEDGER_TABLE });
  const clock = new SimClock(startMs);
  const account = new SimulatedAccount(scenario, { clock, alarms: parseAlarmSpecs(synth.alarms) });
  for (const policy of synth.policies) {
    account.putParameter(
      `${synth.handlerEnvironment.POLICY_PARAMETER_PREFIX}${policy.target}`,
      JSON.stringify(policy),
    );
  }

  const db = await startLocalDynamoDb();
  try {
    await db.createTable(synth.ledgerTable);
    const simulated = createSimulatedClients(account, LOCAL_REGION);
    const config: LoopConfig = {
      ledgerTableName: LEDGER_TABLE,
      policyParameterPrefix: synth.handlerEnvironment.POLICY_PARAMETER_PREFIX ?? '/micromotion/targets/',
      ledgerRetentionDays: Number(synth.handlerEnvironment.LEDGER_RETENTION_DAYS ?? '90'),
      globalDryRun: synth.handlerEnvironment.GLOBAL_DRY_RUN === 'true',
      stateMachineArn: synth.stateMachineArn,
      alarmNamePrefix: 'micromotion-',
    };
    const deps = createLoopDeps(
      { ...simulated, dynamodb: db.client },
      config,
      clock,
      options.onHandlerLog ?? (() => {}),
    );

    const handlers: Record<string, TaskHandler> = {};
    for (const spec of HANDLER_CATALOG) {
      if (!spec.stateName) continue;
      const handler = HANDLER_FACTORIES[spec.id](deps);
      handlers[spec.stateName] = async (input) => (await handler(input)) as JSONValue;
    }
    handlers[STATE_NAMES.escalate] = async (input) => {
      const params = input as { TopicArn: string; Message: string; Subject?: string };
      const out = await simulated.sns.send(new PublishCommand(params));
      return { MessageId: out.MessageId ?? '' };
    };

    const scheduler = new SimScheduler();
    const workflow = new LocalWorkflow(synth.asl, synth.stateMachineArn, handlers, scheduler, clock, (e) => {
      const text = describeEvent(e.event);
      if (text) emit(e.at, 'workflow', `${e.execution}: ${text}`);
    });
    const runs: Promise<ExecutionResult>[] = [];
    account.onStartExecution((execution) => {
      runs.push(workflow.start(execution.name, JSON.parse(execution.input) as JSONValue));
    });
    const startExecution = createStartExecutionHandler(deps);
    const delivered: unknown[] = [];
    account.onEvent((event) => {
      if (deliveredByRules(synth.eventRules, event)) delivered.push(event);
      const detail = (
        event as { detail: { alarmName: string; state: { value: string }; previousState: { value: string } } }
      ).detail;
      emit(clock.now(), 'alarm', `${detail.alarmName} ${detail.previousState.value} → ${detail.state.value}`);
    });
    account.onTimeline((at, text) => emit(at, 'fleet', text));

    // Drive the world: step it, deliver alarm events (EventBridge → start-execution), let
    // every execution run until it sleeps or ends, then move the clock on.
    const schedules = schedulePeriodsMs(synth.eventRules);
    let now = startMs;
    while (now < endMs || (scheduler.active > 0 && now < endMs + DRAIN_MS)) {
      const wake = scheduler.nextWake();
      const next = Math.min(now + STEP_MS, wake ?? Number.POSITIVE_INFINITY);
      account.advanceTo(next);
      for (const period of schedules) {
        // A rate schedule fires at each multiple of its period that this step crossed.
        const tick = Math.floor(next / period) * period;
        if (tick > now && tick <= next && tick > startMs)
          delivered.push(scheduledEvent(tick, 'review-schedule'));
      }
      now = next;
      for (const event of delivered.splice(0)) {
        if (now <= endMs) await startExecution(event);
      }
      scheduler.wake(now);
      await scheduler.idle();
    }
    const executions = await Promise.all(runs);
    const records = (
      await Promise.all(specs.map((s) => deps.ledger.listRecords({ target: s.target, limit: 1000 })))
    ).flat();
    return summarize(scenario, account, executions, records);
  } finally {
    await db.close();
  }
}

function summarize(
  scenario: Scenario,
  account: SimulatedAccount,
  executions: ExecutionResult[],
  records: LedgerRecord[],
): ScenarioRun {
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
