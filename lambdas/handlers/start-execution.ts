import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { errorName, rethrowTransient } from '../adapters/aws-errors.js';
import type { LoopDeps } from '../adapters/loop-deps.js';
import { type AlarmTrigger, isScheduledEvent, parseAlarmEvent, reviewTriggers } from '../core/trigger.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

export interface StartResult {
  readonly executionNames: readonly string[];
  /** How many were new (a redelivered event starts nothing). */
  readonly started: number;
}

/**
 * EventBridge target for compensator alarms and the review schedule. An alarm starts one
 * execution named for its target and signal; the schedule starts one review per registered
 * target. A redelivered event maps to the same names, so Step Functions refuses the
 * duplicates and nothing runs twice.
 */
export function createStartExecutionHandler(deps: LoopDeps) {
  return withMiddleware('Start execution', deps, async (event): Promise<StartResult> => {
    const triggers = isScheduledEvent(event)
      ? reviewTriggers(event, await deps.policies.listTargets())
      : [parseAlarmEvent(event, deps.config.alarmNamePrefix)];
    let started = 0;
    for (const t of triggers) if (await start(deps, t)) started++;
    return { executionNames: triggers.map((t) => t.executionName), started };
  });
}

async function start(deps: LoopDeps, { target, trigger, executionName }: AlarmTrigger): Promise<boolean> {
  try {
    await deps.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.config.stateMachineArn,
        name: executionName,
        input: JSON.stringify({ target, trigger }),
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === 'ExecutionAlreadyExists') return false;
    rethrowTransient(error, 'Step Functions StartExecution');
  }
}

export const handler = lambdaEntry(createStartExecutionHandler);
