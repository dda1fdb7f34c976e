/**
 * Errors of the NAB benchmark readers. Every message names the file and, where there is one,
 * the 1-based line, so a malformed input can be found and fixed without a debugger.
 */
export class NabBenchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A data, windows or profiles file that cannot be read as NAB's format. */
export class NabInputError extends NabBenchError {
  readonly file: string;
  /** 1-based line of the problem, or `undefined` when it concerns the whole file. */
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, problem: string, options?: { cause?: unknown }) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, options);
    this.file = file;
    this.line = line;
  }
}

/** A command-line option that is unknown or lacks its value. */
export class NabUsageError extends NabBenchError {}
