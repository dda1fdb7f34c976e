import { NabInputError } from './errors.js';
import { parseNabTimestamp } from './timestamps.js';

/** One NAB data file: rows in file order. */
export interface NabSeries {
  /** The timestamp text of each row, exactly as written (NAB's results files repeat it). */
  readonly timestamps: readonly string[];
  /** Each row's timestamp in milliseconds (naive wall-clock time read as UTC). */
  readonly timesMs: readonly number[];
  /** Each row's value; `NaN` where the value is empty, `NaN` or not a number (a missing point). */
  readonly values: readonly number[];
  /** Each row's value text as written (NAB's results files repeat it). */
  readonly valueTexts: readonly string[];
  /** How many rows have a missing value. */
  readonly missingValues: number;
}

/**
 * Reads a NAB data CSV: a header with `timestamp` and `value` columns (others are ignored), then one
 * row per point. A value that is not a finite number is kept as a missing point (`NaN`), because
 * metric series do have holes; a row with the wrong number of fields, or a timestamp that cannot be
 * read, is a malformed file and fails with the file name and line.
 */
export function parseNabCsv(text: string, file: string): NabSeries {
  const lines = text.split(/\r?\n/);
  // A final newline leaves one empty string at the end; blank lines elsewhere are malformed.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const headerLine = lines[0];
  if (headerLine === undefined)
    throw new NabInputError(file, 1, 'empty file: expected a "timestamp,value" header');
  const header = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => h.trim());
  const timeCol = header.indexOf('timestamp');
  const valueCol = header.indexOf('value');
  if (timeCol < 0 || valueCol < 0) {
    throw new NabInputError(file, 1, `header "${headerLine}" lacks a "timestamp" or "value" column`);
  }
  const timestamps: string[] = [];
  const timesMs: number[] = [];
  const values: number[] = [];
  const valueTexts: string[] = [];
  let missingValues = 0;
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const fields = (lines[i] as string).split(',');
    if (fields.length !== header.length) {
      throw new NabInputError(file, lineNo, `expected ${header.length} fields, found ${fields.length}`);
    }
    const stamp = (fields[timeCol] as string).trim();
    const ms = parseNabTimestamp(stamp);
    if (ms === undefined) {
      throw new NabInputError(file, lineNo, `timestamp "${stamp}" is not "YYYY-MM-DD HH:MM:SS"`);
    }
    const raw = (fields[valueCol] as string).trim();
    const value = raw === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) missingValues++;
    timestamps.push(stamp);
    timesMs.push(ms);
    values.push(Number.isFinite(value) ? value : Number.NaN);
    valueTexts.push(raw);
  }
  return { timestamps, timesMs, values, valueTexts, missingValues };
}
