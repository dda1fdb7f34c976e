/** Errors of the loop benchmark. Each message says what was being measured and how it failed. */
export class LoopBenchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command-line option that is unknown or has a bad value. */
export class LoopBenchUsageError extends LoopBenchError {}

/** A child process (npm start, esbuild, a cold import) that failed or printed something unexpected. */
export class LoopBenchChildError extends LoopBenchError {}
