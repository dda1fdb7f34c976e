import '../polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '../../lambdas/core/ports.js';
import type { SimScheduler } from './scheduler.js';

/** JSON values and execution events, as the interpreter types them (it does not export these names). */
export type JSONValue = Parameters<StateMachine['run']>[0];
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** A local stand-in for one Task state's resource: gets the state's effective input, returns its result. */
export type TaskHandler = (input: JSONValue) => Promise<JSONValue>;

export interface ExecutionEvent {
  readonly execution: string;
  readonly at: number;
  readonly event: EventLog;
}

export interface ExecutionResult {
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output: JSONValue | null;
  readonly error: string | null;
  readonly transitions: number;
  readonly states: readonly string[];
}

interface WaitDefinition {
  Type: 'Wait';
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

/**
 * Runs executions of a synthesized state machine with aws-local-stepfunctions on simulated
 * time. Task states call local handlers (the real handler modules); Wait states take no wall
 * time, and the task after a Wait sleeps on the scheduler until the simulated clock has
 * reached the Wait's end, so the world keeps moving while the workflow bakes.
 */
export class LocalWorkflow {
  private readonly machine: StateMachine;
  private readonly definition: StateMachineDefinition;

  constructor(
    definition: object,
    private readonly stateMachineArn: string,
    private readonly handlers: Readonly<Record<string, TaskHandler>>,
    private readonly scheduler: SimScheduler,
    private readonly clock: Clock,
    private readonly onEvent: (event: ExecutionEvent) => void = () => {},
  ) {
    this.definition = definition as StateMachineDefinition;
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: false } });
    const states = this.definition.States as Record<string, { Type: string }>;
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task' && !handlers[name])
        throw new Error(`no local handler for Task state "${name}"`);
    }
  }

  /** Starts an execution now (simulated time); resolves when it ends. */
  async start(name: string, input: JSONValue): Promise<ExecutionResult> {
    this.scheduler.begin();
    let wakeAt = this.clock.now();
    const states = this.definition.States as Record<string, { Type: string }>;
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        Object.entries(this.handlers).map(([state, handler]) => [
          state,
          async (taskInput: JSONValue) => {
            // Let the event log catch up (it may carry a Wait that has not been slept yet).
            await new Promise((resolve) => setImmediate(resolve));
            if (wakeAt > this.clock.now()) await this.scheduler.sleepUntil(wakeAt);
            return handler(taskInput);
          },
        ]),
      ),
      waitTimeOverrides: Object.fromEntries(
        Object.entries(states)
          .filter(([, s]) => s.Type === 'Wait')
          .map(([n]) => [n, 0]),
      ),
      retryIntervalOverrides: Object.fromEntries(
        Object.entries(states)
          .filter(([, s]) => s.Type === 'Task')
          .map(([n]) => [n, 0]),
      ),
    };
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const run = this.machine.run(input, {
      overrides,
      context: { Execution: { Id: executionArn, Name: name }, StateMachine: { Id: this.stateMachineArn } },
    });
    const visited: string[] = [];
    const consume = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') {
          visited.push(event.state.name);
          if (event.state.type === 'Wait') {
            wakeAt = waitEnd(states[event.state.name] as WaitDefinition, event.state.input, this.clock.now());
          }
        }
        this.onEvent({ execution: name, at: this.clock.now(), event });
      }
    })();
    try {
      const output = await run.result;
      await consume;
      return { name, status: 'SUCCEEDED', output, error: null, transitions: visited.length, states: visited };
    } catch (error) {
      await consume.catch(() => {});
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        name,
        status: 'FAILED',
        output: null,
        error: message,
        transitions: visited.length,
        states: visited,
      };
    } finally {
      this.scheduler.done();
    }
  }
}

/** When a Wait state entered at `now` with `input` ends, per its Seconds/Timestamp fields. */
export function waitEnd(state: WaitDefinition, input: JSONValue, now: number): number {
  if (state.Seconds !== undefined) return now + state.Seconds * 1000;
  if (state.SecondsPath !== undefined) return now + Number(readPath(input, state.SecondsPath)) * 1000;
  if (state.Timestamp !== undefined) return Math.max(now, Date.parse(state.Timestamp));
  if (state.TimestampPath !== undefined)
    return Math.max(now, Date.parse(String(readPath(input, state.TimestampPath))));
  return now;
}

/** Reads a plain dotted reference path (`$.a.b`), the only form the workflow's Wait uses. */
function readPath(input: JSONValue, path: string): JSONValue | undefined {
  if (!/^\$(\.[A-Za-z0-9_]+)*$/.test(path)) throw new Error(`unsupported path in a Wait state: ${path}`);
  let value: JSONValue | undefined = input;
  for (const part of path.split('.').slice(1)) {
    value =
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, JSONValue>)[part]
        : undefined;
  }
  return value;
}
