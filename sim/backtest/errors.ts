/**
 * Named errors of `micromotion backtest`. Every message names the file, the line or field,
 * and the reason, so a bad export can be fixed without reading the code.
 */
export class BacktestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A metric export is unreadable: not JSON, a malformed CSV row, a bad timestamp or value. */
export class MetricExportFormatError extends BacktestError {}

/** A metric export (or one signal's file) holds no data points. */
export class EmptyMetricExportError extends BacktestError {}

/** Timestamps of one signal are not strictly increasing (CSV) or repeat with another value (JSON). */
export class NonMonotonicSeriesError extends BacktestError {}

/** An export names series that are not signals (GetMetricData ids, CSV file names). */
export class UnknownSignalError extends BacktestError {}

/** A signal the diagnosis needs is absent from the export. */
export class MissingSignalError extends BacktestError {}

/** The export's period does not fit the policy, or the export is too short to evaluate once. */
export class ExportMismatchError extends BacktestError {}

/** A `--metrics` or `--target` argument that cannot be used: unreadable, mixed formats, a signal given twice. */
export class MetricArgumentError extends BacktestError {}
