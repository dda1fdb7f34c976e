import { NabInputError } from './errors.js';
import { jsonErrorLine } from './json-error-line.js';

/** Published scores of NAB detectors on a subset: detector → [standard, low FP, low FN]. */
export type PublishedScores = ReadonlyMap<string, readonly [number, number, number]>;

/** Reads the `scores` object of `published-scores.json`; fails naming the file and entry line. */
export function parsePublishedScores(text: string, file: string): PublishedScores {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new NabInputError(file, jsonErrorLine(text), `invalid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const scores = (doc as { scores?: unknown } | null)?.scores;
  if (scores === null || typeof scores !== 'object' || Array.isArray(scores)) {
    throw new NabInputError(
      file,
      undefined,
      'expected a "scores" object from detector to [standard, lowFP, lowFN]',
    );
  }
  const result = new Map<string, readonly [number, number, number]>();
  for (const [name, entry] of Object.entries(scores as Record<string, unknown>)) {
    if (!Array.isArray(entry) || entry.length !== 3 || !entry.every((v) => typeof v === 'number')) {
      const at = text.indexOf(JSON.stringify(name));
      const line = at < 0 ? undefined : text.slice(0, at).split('\n').length;
      throw new NabInputError(file, line, `"${name}": expected three numbers`);
    }
    result.set(name, entry as [number, number, number]);
  }
  return result;
}
