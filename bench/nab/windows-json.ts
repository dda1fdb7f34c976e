import { NabInputError } from './errors.js';
import { jsonErrorLine, lineAt } from './json-error-line.js';
import { parseNabTimestamp } from './timestamps.js';

/** A labelled anomaly window; both ends inclusive, as written in `combined_windows.json`. */
export interface LabelWindow {
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly endMs: number;
  /** 1-based line of the window's start in the windows file, for error messages. */
  readonly line: number;
}

/** Windows per data file, keyed `<category>/<file>.csv` as in NAB. */
export type WindowsByFile = ReadonlyMap<string, readonly LabelWindow[]>;

/** Line of the first occurrence of `needle` at or after `from`, or `undefined`. */
function lineOf(text: string, needle: string, from = 0): number | undefined {
  const at = text.indexOf(needle, from);
  return at < 0 ? undefined : lineAt(text, at);
}

/**
 * Reads NAB's `labels/combined_windows.json`: an object from data-file key to a list of
 * `[start, end]` timestamp pairs, ordered and not overlapping. Any other shape fails with the
 * file name and the line of the offending entry.
 */
export function parseWindowsJson(text: string, file: string): WindowsByFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new NabInputError(file, jsonErrorLine(text), `invalid JSON: ${message}`, { cause: error });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new NabInputError(file, 1, 'expected an object from data file to a list of [start, end] windows');
  }
  const result = new Map<string, LabelWindow[]>();
  for (const [key, entry] of Object.entries(doc as Record<string, unknown>)) {
    const keyOffset = Math.max(0, text.indexOf(JSON.stringify(key)));
    const keyLine = lineAt(text, keyOffset);
    if (!Array.isArray(entry)) {
      throw new NabInputError(file, keyLine, `"${key}": expected a list of [start, end] windows`);
    }
    const windows: LabelWindow[] = [];
    for (const [n, pair] of entry.entries()) {
      const where = (needle: unknown) =>
        (typeof needle === 'string' ? lineOf(text, JSON.stringify(needle), keyOffset) : undefined) ?? keyLine;
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[0] !== 'string' ||
        typeof pair[1] !== 'string'
      ) {
        const first = Array.isArray(pair) ? pair[0] : undefined;
        throw new NabInputError(
          file,
          where(first),
          `"${key}" window ${n + 1}: expected ["start", "end"] strings`,
        );
      }
      const [start, end] = pair as [string, string];
      const startMs = parseNabTimestamp(start);
      const endMs = parseNabTimestamp(end);
      if (startMs === undefined || endMs === undefined) {
        const bad = startMs === undefined ? start : end;
        throw new NabInputError(file, where(bad), `"${key}" window ${n + 1}: "${bad}" is not a timestamp`);
      }
      if (endMs < startMs) {
        throw new NabInputError(file, where(start), `"${key}" window ${n + 1}: ends before it starts`);
      }
      const previous = windows[windows.length - 1];
      if (previous !== undefined && startMs <= previous.endMs) {
        throw new NabInputError(
          file,
          where(start),
          `"${key}" window ${n + 1}: starts before the previous window ends (windows must be ordered and disjoint)`,
        );
      }
      windows.push({ start, end, startMs, endMs, line: where(start) });
    }
    result.set(key, windows);
  }
  return result;
}
