/** Errors raised by the simulated account itself (not the AWS service errors it answers with). */
export class SimError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem in a scenario file: where (a field path such as `functions[0].traffic.baselineRps`) and why. */
export interface ScenarioIssue {
  readonly path: string;
  readonly reason: string;
}

/** A scenario file is unreadable or invalid; `issues` lists every field path and the reason. */
export class ScenarioError extends SimError {
  readonly issues: readonly ScenarioIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ScenarioIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid scenario ${source}:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.reason}`).join('\n')}`,
      options,
    );
    this.source = source;
    this.issues = issues;
  }
}

/** The simulated account was sent a client or command it does not model. */
export class UnsupportedCommandError extends SimError {
  constructor(
    readonly clientName: string,
    readonly commandName: string,
  ) {
    super(
      `The simulated account does not model ${clientName}.${commandName}; ` +
        'add it to sim/account.ts (or call a command it supports).',
    );
  }
}

/** A CloudFormation template holds an alarm the simulator cannot model (e.g. an unresolved token). */
export class AlarmSpecError extends SimError {}
