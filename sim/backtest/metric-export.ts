/**
 * Reads recorded metrics for a backtest: a CloudWatch `GetMetricData` response (JSON, one
 * response or an array of pages) or one `timestamp,value` CSV per signal. Pure: text in,
 * a `SignalWindow` out, or a named error that says where and why.
 */
import { SIGNAL_QUERIES } from '../../lambdas/adapters/cloudwatch-metrics.js';
import type { SeriesPoint, SignalName, SignalWindow } from '../../lambdas/core/types.js';
import { SIGNAL_NAMES } from '../../lambdas/core/types.js';
import {
  EmptyMetricExportError,
  ExportMismatchError,
  MetricExportFormatError,
  MissingSignalError,
  NonMonotonicSeriesError,
  UnknownSignalError,
} from './errors.js';

/**
 * Signals every diagnosis reads: latency, and errors per invocation. The others (p99, cold
 * starts, concurrency, provisioned-concurrency utilization and spillover, throttles) are used
 * when present; without them the diagnoses that need them cannot be made.
 */
export const REQUIRED_SIGNALS: readonly SignalName[] = ['p95DurationMillis', 'invocations', 'errors'];

/** Recorded signals, each oldest first, and where each came from. */
export interface MetricExport {
  /** The signals that hold data points. */
  readonly window: SignalWindow;
  /** Every signal named by the export (with or without data), and its origin (`file` or `file#Id`). */
  readonly sources: Readonly<Partial<Record<SignalName, string>>>;
}

/** The signal a GetMetricData query id or a CSV name stands for, or null. */
export function signalNamed(name: string): SignalName | null {
  return (SIGNAL_NAMES as readonly string[]).includes(name) ? (name as SignalName) : null;
}

/** Every signal name with its CloudWatch metric, for error messages and help. */
export function describeSignals(): string {
  return SIGNAL_NAMES.map((n) => `${n} (${SIGNAL_QUERIES[n].metricName} ${SIGNAL_QUERIES[n].stat})`).join(
    ', ',
  );
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a `GetMetricData` response as the SDK or `aws cloudwatch get-metric-data` prints it.
 * Query ids must be signal names, as the CloudWatch adapter names its queries. Each result
 * may be oldest first or newest first (CloudWatch's default `TimestampDescending`); pages of
 * the same id are merged.
 */
export function parseGetMetricDataJson(text: string, source: string): MetricExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new MetricExportFormatError(`${source}: not JSON: ${(error as Error).message}`);
  }
  const paged = Array.isArray(raw);
  const pages: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (pages.length === 0) throw new EmptyMetricExportError(`${source}: an empty array; no response pages`);

  const byId = new Map<string, { where: string; values: Map<number, number> }>();
  const unknown: string[] = [];
  for (const [p, page] of pages.entries()) {
    const at = paged ? `[${p}].` : '';
    if (!isRecord(page) || !Array.isArray(page.MetricDataResults)) {
      throw new MetricExportFormatError(
        `${source}: ${at}MetricDataResults: expected an array (a GetMetricData response, or an array of them)`,
      );
    }
    for (const [r, result] of page.MetricDataResults.entries()) {
      const where = `${at}MetricDataResults[${r}]`;
      const read = readResult(result, `${source} (${where}`);
      if (!signalNamed(read.id)) {
        if (!unknown.includes(read.id)) unknown.push(read.id);
        continue;
      }
      const entry = byId.get(read.id) ?? { where: `${source}#${read.id}`, values: new Map() };
      for (const point of read.points) {
        const previous = entry.values.get(point.t);
        if (previous !== undefined && previous !== point.v) {
          throw new NonMonotonicSeriesError(
            `${source} (${where}.Timestamps): id ${read.id} has ${new Date(point.t).toISOString()} twice, with values ${previous} and ${point.v}`,
          );
        }
        entry.values.set(point.t, point.v);
      }
      byId.set(read.id, entry);
    }
  }
  requireSignals(
    source,
    [...byId.keys()].map((id) => id as SignalName),
    unknown,
    'GetMetricData ids',
    'Ids must be the signal names the CloudWatch adapter gives its queries',
  );

  const window: Partial<Record<SignalName, SeriesPoint[]>> = {};
  const sources: Partial<Record<SignalName, string>> = {};
  for (const [id, entry] of byId) {
    const name = id as SignalName;
    sources[name] = entry.where;
    const points = [...entry.values].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t);
    if (points.length > 0) window[name] = points;
  }
  requireData({ window, sources });
  return { window, sources };
}

interface ReadResult {
  readonly id: string;
  readonly points: SeriesPoint[];
}

/** One `MetricDataResult`: `where` is `file (path` and each message closes the parenthesis. */
function readResult(result: unknown, where: string): ReadResult {
  if (!isRecord(result)) throw new MetricExportFormatError(`${where}): expected an object`);
  const id = result.Id;
  if (typeof id !== 'string' || id === '') {
    throw new MetricExportFormatError(`${where}.Id): expected the query id (a string)`);
  }
  const status = result.StatusCode;
  if (status !== undefined && status !== 'Complete' && status !== 'PartialData') {
    throw new MetricExportFormatError(
      `${where}.StatusCode): id ${id} has status ${String(status)}; CloudWatch did not return its data, export it again`,
    );
  }
  const stamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  if (!Array.isArray(stamps) || !Array.isArray(values)) {
    throw new MetricExportFormatError(`${where}): id ${id}: Timestamps and Values must be arrays`);
  }
  if (stamps.length !== values.length) {
    throw new MetricExportFormatError(
      `${where}): id ${id} has ${stamps.length} Timestamps but ${values.length} Values`,
    );
  }
  const points: SeriesPoint[] = stamps.map((stamp, k) => {
    const t = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
    if (!Number.isFinite(t)) {
      throw new MetricExportFormatError(
        `${where}.Timestamps[${k}]): ${JSON.stringify(stamp)} is not an ISO 8601 timestamp`,
      );
    }
    const v = values[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MetricExportFormatError(`${where}.Values[${k}]): ${JSON.stringify(v)} is not a number`);
    }
    return { t, v };
  });
  // Either order is a CloudWatch order (ScanBy); anything else is not one response.
  const [first, second] = points;
  const direction = first && second && second.t < first.t ? -1 : 1;
  const k = points.findIndex(
    (p, i) => i > 0 && Math.sign(p.t - (points[i - 1] as SeriesPoint).t) !== direction,
  );
  if (k > 0) {
    throw new NonMonotonicSeriesError(
      `${where}.Timestamps[${k}]): id ${id}: timestamps must be strictly ascending or strictly descending; ${stamps[k]} follows ${stamps[k - 1]}`,
    );
  }
  return { id, points };
}

/** A strict ISO 8601 time with a zone: a time without one would be read in the machine's zone. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses one signal's CSV: a header `timestamp,value`, then one row per period, strictly
 * increasing in time. Timestamps are ISO 8601 with a zone (`2026-11-23T08:00:00Z`). Blank lines
 * carry nothing and are skipped; a period without data is a missing row, not an empty value.
 */
export function parseSignalCsv(text: string, source: string): SeriesPoint[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = lines.map((line, i) => ({ line: i + 1, text: line.trim() })).filter((r) => r.text !== '');
  const [header, ...data] = rows;
  if (!header) {
    throw new EmptyMetricExportError(
      `${source}: the file is empty; expected a header "timestamp,value" and one row per period`,
    );
  }
  const columns = header.text.split(',').map((c) => c.trim().toLowerCase());
  if (columns.length !== 2 || columns[0] !== 'timestamp' || columns[1] !== 'value') {
    throw new MetricExportFormatError(
      `${source}:${header.line}: the header must be "timestamp,value"; got "${header.text}"`,
    );
  }
  if (data.length === 0) throw new EmptyMetricExportError(`${source}: no data rows after the header`);
  const points: SeriesPoint[] = [];
  let previousLine = 0;
  for (const row of data) {
    const cells = row.text.split(',').map((c) => c.trim());
    if (cells.length !== 2) {
      throw new MetricExportFormatError(
        `${source}:${row.line}: expected 2 fields "timestamp,value"; got ${cells.length}`,
      );
    }
    const [stamp, value] = cells as [string, string];
    const t = ISO_WITH_ZONE.test(stamp) ? Date.parse(stamp) : Number.NaN;
    if (!Number.isFinite(t)) {
      throw new MetricExportFormatError(
        `${source}:${row.line}: timestamp "${stamp}" is not an ISO 8601 time with a zone (e.g. 2026-11-23T08:00:00Z)`,
      );
    }
    const v = value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(v)) {
      throw new MetricExportFormatError(
        `${source}:${row.line}: value "${value}" is not a number (leave the row out for a period without data)`,
      );
    }
    const last = points.at(-1);
    if (last && t <= last.t) {
      throw new NonMonotonicSeriesError(
        `${source}:${row.line}: timestamp ${stamp} is not after ${new Date(last.t).toISOString()} (line ${previousLine}); rows must be strictly increasing in time`,
      );
    }
    points.push({ t, v });
    previousLine = row.line;
  }
  return points;
}

/** Fails unless every CSV is named after a signal and the required signals are all there. */
export function checkCsvSignals(
  files: readonly { readonly name: string; readonly file: string }[],
  source: string,
): void {
  requireSignals(
    source,
    files.map((f) => signalNamed(f.name)).filter((n): n is SignalName => n !== null),
    files.filter((f) => !signalNamed(f.name)).map((f) => `${f.name} (${f.file})`),
    'CSV signal names',
    'Name each CSV after a signal',
  );
}

/** Combines per-signal CSV series (each parsed by {@link parseSignalCsv}) into one export. */
export function csvExport(
  series: readonly {
    readonly name: string;
    readonly file: string;
    readonly points: readonly SeriesPoint[];
  }[],
  source: string,
): MetricExport {
  checkCsvSignals(series, source);
  const window: Partial<Record<SignalName, readonly SeriesPoint[]>> = {};
  const sources: Partial<Record<SignalName, string>> = {};
  for (const s of series) {
    const name = s.name as SignalName;
    window[name] = s.points;
    sources[name] = s.file;
  }
  return { window, sources };
}

/** Fails when names are not signals or a required signal is absent, naming both lists. */
function requireSignals(
  source: string,
  found: readonly SignalName[],
  unknown: readonly string[],
  what: string,
  fix: string,
): void {
  const missing = REQUIRED_SIGNALS.filter((s) => !found.includes(s));
  if (unknown.length === 0 && missing.length === 0) return;
  const parts = [
    ...(unknown.length > 0 ? [`${what} not known as signals: ${unknown.join(', ')}`] : []),
    ...(missing.length > 0 ? [`required signals missing: ${missing.join(', ')}`] : []),
  ];
  const message = `${source}: ${parts.join('; ')}. ${fix}: ${describeSignals()}`;
  throw unknown.length > 0 ? new UnknownSignalError(message) : new MissingSignalError(message);
}

/** Fails when the export holds no points at all, or a required signal has none. */
function requireData(exp: MetricExport): void {
  const total = Object.values(exp.window).reduce((n, points) => n + (points?.length ?? 0), 0);
  const named = Object.values(exp.sources).map((s) => s?.split('#')[0]);
  if (total === 0) {
    throw new EmptyMetricExportError(
      `${named[0] ?? 'the export'}: no data points in any of its ${named.length} series`,
    );
  }
  for (const name of REQUIRED_SIGNALS) {
    if ((exp.window[name]?.length ?? 0) === 0) {
      throw new EmptyMetricExportError(`${exp.sources[name]}: required signal ${name} has no data points`);
    }
  }
}

/** Period of an export in seconds (the smallest gap between two points of a signal); null for single points. */
export function exportPeriodSeconds(window: SignalWindow): number | null {
  let smallest = Number.POSITIVE_INFINITY;
  for (const points of Object.values(window) as (readonly SeriesPoint[])[]) {
    for (let i = 1; i < points.length; i++) {
      smallest = Math.min(smallest, (points[i] as SeriesPoint).t - (points[i - 1] as SeriesPoint).t);
    }
  }
  return Number.isFinite(smallest) ? smallest / 1000 : null;
}

/**
 * Checks that the export's points sit on the policy's period grid (each a whole number of
 * periods after the first point) and that its period is the policy's.
 */
export function checkPeriod(exp: MetricExport, periodSeconds: number): void {
  const found = exportPeriodSeconds(exp.window);
  if (found !== null && found !== periodSeconds) {
    throw new ExportMismatchError(
      `the export's period is ${found} s but the policy's detection.periodSeconds is ${periodSeconds}; export with Period ${periodSeconds} or give a policy with periodSeconds ${found}`,
    );
  }
  const start = exportStartMs(exp.window);
  const periodMs = periodSeconds * 1000;
  for (const [name, points] of Object.entries(exp.window) as [SignalName, readonly SeriesPoint[]][]) {
    const off = points.find((p) => (p.t - start) % periodMs !== 0);
    if (off) {
      throw new ExportMismatchError(
        `${exp.sources[name]}: ${name} at ${new Date(off.t).toISOString()} is not on the ${periodSeconds} s period grid that starts at ${new Date(start).toISOString()}`,
      );
    }
  }
}

/** Earliest point of any signal (epoch ms). */
export function exportStartMs(window: SignalWindow): number {
  return Math.min(...Object.values(window).map((points) => points?.[0]?.t ?? Number.POSITIVE_INFINITY));
}

/** Start of the newest period of any signal (epoch ms). */
export function exportLastMs(window: SignalWindow): number {
  return Math.max(...Object.values(window).map((points) => points?.at(-1)?.t ?? Number.NEGATIVE_INFINITY));
}
