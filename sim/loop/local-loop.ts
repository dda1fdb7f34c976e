import '../polyfills.js';
import { PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLoopDeps, type LoopDeps } from '../../lambdas/adapters/loop-deps.js';
import type { LedgerRecord } from '../../lambdas/core/types.js';
import { configFromEnv } from '../../lambdas/handlers/runtime.js';
import { HANDLER_CATALOG, type HandlerId, STATE_NAMES } from '../../lib/handler-catalog.js';
import { LOCAL_REGION, type LocalSynthResult, localSynth } from '../../lib/local-synth.js';
import { SimulatedAccount } from '../account.js';
import { SimClock } from '../clock.js';
import { parseAlarmSpecs } from '../cloudwatch/alarms-from-template.js';
import { compensatorSpecs } from '../compensator-specs.js';
import { type Scenario, scenarioStartMillis } from '../scenario.js';
import { createSimulatedClients } from '../sdk-boundary.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynalite-ledger.js';
import { executionStatusEvent, matchingTargets, scheduledEvent, schedulePeriodsMs } from './event-rules.js';
import { HANDLER_FACTORIES } from './handler-factories.js';
import {
  type ExecutionEvent,
  type ExecutionResult,
  type JSONValue,
  LocalWorkflow,
} from './local-workflow.js';
import { SimScheduler } from './scheduler.js';

/** Step of the simulated world; CloudWatch aggregates to 1-minute periods on top of it. */
const STEP_MS = 10_000;
/** After the scenario ends, running executions get this long (simulated) to finish. */
const DRAIN_MS = 60 * 60_000;
const LEDGER_TABLE = 'micromotion-ledger';
const MINUTE = 60_000;

export interface LocalLoopOptions {
  /** Alarm transitions, as the account emits them. */
  readonly onAlarm?: (at: number, event: AlarmEventLike) => void;
  /** Notable fleet events (faults, PC allocation, flag rollouts). */
  readonly onFleet?: (at: number, text: string) => void;
  /** Every execution event of every execution. */
  readonly onExecutionEvent?: (event: ExecutionEvent) => void;
  /** Called after each simulated minute closes, with the minute's start (epoch ms). */
  readonly onMinute?: (minuteStartMs: number) => void;
  /** Structured log lines of the handlers; dropped by default. */
  readonly onHandlerLog?: (entry: Record<string, unknown>) => void;
  /**
   * The control plane's metric lag. The simulated CloudWatch has no ingestion delay, so the
   * local default is 0; set the deployed value (120) to see how the loop copes with it.
   * @default 0
   */
  readonly metricLagSeconds?: number;
}

export interface AlarmEventLike {
  readonly detail: { alarmName: string; state: { value: string }; previousState: { value: string } };
}

/**
 * The whole control loop, wired locally: the state machine the CDK app synthesizes for the
 * scenario's compensators, executed by aws-local-stepfunctions; the handler modules bundled
 * for Lambda; dynalite as the ledger; the simulated account answering every other SDK call
 * at the client boundary; the synthesized EventBridge rules deciding what starts an
 * execution; and one simulated clock for all of it.
 */
export class LocalLoop {
  private readonly runs: Promise<ExecutionResult>[] = [];
  /** Events matched by a rule, waiting to be delivered to the rule's target handler. */
  private readonly delivered: { event: unknown; target: HandlerId }[] = [];
  /** Deliveries whose handler failed (EventBridge would retry, then dead-letter them). */
  readonly deadLetters: { event: unknown; target: HandlerId; error: string }[] = [];
  private readonly schedules: { periodMs: number; target: HandlerId }[];
  private readonly targets: Readonly<Record<HandlerId, (event: unknown) => Promise<unknown>>>;
  private now: number;

  private constructor(
    readonly scenario: Scenario,
    readonly account: SimulatedAccount,
    readonly clock: SimClock,
    readonly synth: LocalSynthResult,
    readonly deps: LoopDeps,
    readonly db: LocalDynamoDb,
    private readonly workflow: LocalWorkflow,
    private readonly scheduler: SimScheduler,
    private readonly onMinute: (minuteStartMs: number) => void,
  ) {
    this.now = clock.now();
    this.schedules = schedulePeriodsMs(synth.eventRules);
    this.targets = Object.fromEntries(
      Object.entries(HANDLER_FACTORIES).map(([id, factory]) => [id, factory(deps)]),
    ) as Record<HandlerId, (event: unknown) => Promise<unknown>>;
  }

  /** Queues an event for every rule whose pattern it matches (EventBridge's fan-out). */
  private publish(event: unknown): void {
    for (const target of matchingTargets(this.synth.eventRules, event))
      this.delivered.push({ event, target });
  }

  /** Starts an execution and, if it fails, publishes its status change as Step Functions does. */
  private run(name: string, input: JSONValue): Promise<ExecutionResult> {
    const startedAt = this.clock.now();
    const run = this.workflow.start(name, input).then((result) => {
      if (result.status === 'FAILED') {
        this.publish(
          executionStatusEvent(
            this.synth.stateMachineArn,
            name,
            input,
            result.error,
            startedAt,
            this.clock.now(),
          ),
        );
      }
      return result;
    });
    this.runs.push(run);
    return run;
  }

  static async create(scenario: Scenario, options: LocalLoopOptions = {}): Promise<LocalLoop> {
    const synth = localSynth(compensatorSpecs(scenario), {
      ledgerTableName: LEDGER_TABLE,
      ...(options.metricLagSeconds === undefined
        ? {}
        : { controlPlane: { metricLagSeconds: options.metricLagSeconds } }),
    });
    const clock = new SimClock(scenarioStartMillis(scenario));
    const account = new SimulatedAccount(scenario, { clock, alarms: parseAlarmSpecs(synth.alarms) });
    // Registered as the Compensators' SSM parameters would be.
    const prefix = synth.handlerEnvironment.POLICY_PARAMETER_PREFIX;
    for (const policy of synth.policies)
      account.putParameter(`${prefix}${policy.target}`, JSON.stringify(policy));

    const db = await startLocalDynamoDb();
    try {
      await db.createTable(synth.ledgerTable);
      const simulated = createSimulatedClients(account, LOCAL_REGION);
      // The handlers read the environment the stack gives their functions, as in Lambda.
      const config = configFromEnv({
        ...synth.handlerEnvironment,
        LEDGER_TABLE_NAME: LEDGER_TABLE,
        STATE_MACHINE_ARN: synth.stateMachineArn,
      });
      const deps = createLoopDeps(
        { ...simulated, dynamodb: db.client },
        config,
        clock,
        options.onHandlerLog ?? (() => {}),
      );
      const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
      for (const spec of HANDLER_CATALOG) {
        if (!spec.stateName) continue;
        const handler = HANDLER_FACTORIES[spec.id](deps);
        handlers[spec.stateName] = async (input) => (await handler(input)) as JSONValue;
      }
      // The Escalate task is an SNS integration: the interpreter hands it the rendered Parameters.
      handlers[STATE_NAMES.escalate] = async (input) => {
        const out = await simulated.sns.send(
          new PublishCommand(input as { TopicArn: string; Message: string }),
        );
        return { MessageId: out.MessageId ?? '' };
      };
      // The last-resort record is a DynamoDB integration: it writes the rendered Parameters itself.
      handlers[STATE_NAMES.recordDirectly] = async (input) => {
        await db.client.send(new PutItemCommand(input as unknown as PutItemCommandInput));
        return {};
      };
      const scheduler = new SimScheduler();
      const workflow = new LocalWorkflow(
        synth.asl,
        synth.stateMachineArn,
        handlers,
        scheduler,
        clock,
        options.onExecutionEvent,
      );
      const loop = new LocalLoop(
        scenario,
        account,
        clock,
        synth,
        deps,
        db,
        workflow,
        scheduler,
        options.onMinute ?? (() => {}),
      );
      account.onStartExecution((execution) => {
        loop.run(execution.name, JSON.parse(execution.input) as JSONValue);
      });
      account.onEvent((event) => {
        options.onAlarm?.(clock.now(), event as unknown as AlarmEventLike);
        loop.publish(event);
      });
      account.onTimeline((at, text) => options.onFleet?.(at, text));
      return loop;
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /** Moves the world to `untilMs`: steps it, delivers events, and runs executions until they sleep. */
  async advanceTo(untilMs: number, options: { deliver?: boolean } = {}): Promise<void> {
    // `deliver: false` holds back new triggers (alarms, reviews); recovery is always delivered.
    const deliver = options.deliver ?? true;
    while (this.now < untilMs) {
      const wake = this.scheduler.nextWake();
      const next = Math.min(this.now + STEP_MS, untilMs, wake ?? Number.POSITIVE_INFINITY);
      this.account.advanceTo(next);
      for (const { periodMs, target } of this.schedules) {
        // A rate schedule fires at each multiple of its period that this step crossed.
        const tick = Math.floor(next / periodMs) * periodMs;
        if (tick > this.now && tick <= next)
          this.delivered.push({ event: scheduledEvent(tick, 'review-schedule'), target });
      }
      const previous = this.now;
      this.now = next;
      for (let m = Math.floor(previous / MINUTE) + 1; m <= Math.floor(next / MINUTE); m++) {
        this.onMinute((m - 1) * MINUTE);
      }
      for (const { event, target } of this.delivered.splice(0)) {
        if (!deliver && target === 'start-execution') continue;
        try {
          await this.targets[target](event);
        } catch (error) {
          this.deadLetters.push({
            event,
            target,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
      }
      this.scheduler.wake(next);
      await this.scheduler.idle();
    }
  }

  /** Lets running executions finish (no new triggers are delivered meanwhile). */
  async drain(): Promise<ExecutionResult[]> {
    const limit = this.now + DRAIN_MS;
    while (this.scheduler.active > 0 && this.now < limit) {
      await this.advanceTo(Math.min(this.now + STEP_MS, limit), { deliver: false });
    }
    return Promise.all(this.runs);
  }

  /** Starts an execution directly, as `StartExecution` would (tests, manual triggers). */
  startExecution(
    name: string,
    input: { target: string; trigger: Record<string, unknown> },
  ): Promise<ExecutionResult> {
    return this.run(name, input as unknown as JSONValue);
  }

  /** Delivers an event straight to the start-execution handler (bypassing the rules' patterns). */
  deliver(event: unknown): Promise<unknown> {
    return this.targets['start-execution'](event);
  }

  /** Every ledger record of the scenario's targets. */
  async records(): Promise<LedgerRecord[]> {
    const targets = this.synth.policies.map((p) => p.target);
    const lists = await Promise.all(
      targets.map((target) => this.deps.ledger.listRecords({ target, limit: 1000 })),
    );
    return lists.flat().sort((a, b) => a.triggeredAt.localeCompare(b.triggeredAt));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
