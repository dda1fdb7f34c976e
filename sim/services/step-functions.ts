import type { StartExecutionInput, StartExecutionOutput } from '@aws-sdk/client-sfn';
import { ExecutionAlreadyExists, InvalidName, ValidationException } from '@aws-sdk/client-sfn';
import { seededUuid } from '../cloudwatch/alarm-events.js';
import type { Rng } from '../rng.js';
import { sdkError } from './sdk-errors.js';

/** An execution started through `StartExecution`. */
export interface StartedExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
}

/** What the runner does when an execution is started (e.g. runs the state machine locally). */
export type StartExecutionHandler = (execution: StartedExecution) => void | Promise<void>;

/** Step Functions `StartExecution`: names executions, rejects duplicates, delegates the run. */
export class StepFunctions {
  readonly executions: StartedExecution[] = [];
  handler: StartExecutionHandler | null = null;

  constructor(private readonly context: { readonly rng: Rng; now(): number }) {}

  async startExecution(input: StartExecutionInput): Promise<StartExecutionOutput> {
    const stateMachineArn = input.stateMachineArn ?? '';
    if (!/^arn:aws[a-z-]*:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw sdkError(ValidationException, `Invalid Arn: '${stateMachineArn}'`);
    }
    const name = input.name ?? seededUuid(this.context.rng);
    if (name.length < 1 || name.length > 80 || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name)) {
      throw sdkError(InvalidName, `Invalid Name: '${name}'`);
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.some((e) => e.executionArn === executionArn)) {
      throw sdkError(ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
    }
    const execution: StartedExecution = {
      executionArn,
      stateMachineArn,
      name,
      input: input.input ?? '{}',
      startDate: new Date(this.context.now()),
    };
    this.executions.push(execution);
    await this.handler?.(execution);
    return { executionArn, startDate: execution.startDate };
  }
}
