import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { errorName, rethrowTransient } from '../adapters/aws-errors.js';
import type { LoopDeps } from '../adapters/loop-deps.js';
import { parseAlarmEvent } from '../core/trigger.js';
import { lambdaEntry, withMiddleware } from './runtime.js';

export interface StartResult {
  readonly executionName: string;
  readonly started: boolean;
}

/**
 * EventBridge target for compensator alarms: starts the workflow with a name that says
 * which target and signal triggered it. A redelivered event maps to the same name, so
 * Step Functions refuses the duplicate and nothing runs twice.
 */
export function createStartExecutionHandler(deps: LoopDeps) {
  return withMiddleware('Start execution', deps, async (event): Promise<StartResult> => {
    const { target, trigger, executionName } = parseAlarmEvent(event, deps.config.alarmNamePrefix);
    try {
      await deps.clients.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.config.stateMachineArn,
          name: executionName,
          input: JSON.stringify({ target, trigger }),
        }),
      );
      return { executionName, started: true };
    } catch (error) {
      if (errorName(error) === 'ExecutionAlreadyExists') return { executionName, started: false };
      rethrowTransient(error, 'Step Functions StartExecution');
    }
  });
}

export const handler = lambdaEntry(createStartExecutionHandler);
