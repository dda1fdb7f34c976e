import { formatTextTable } from '../text-table.js';
import type { PublishedScores } from './published.js';
import { PROFILE_NAMES, type ProfileName } from './scorer.js';

/** One row of the comparison table. */
export interface TableRow {
  readonly detector: string;
  readonly scores: readonly [number, number, number];
  /** Marks this run's detector. */
  readonly ours: boolean;
}

/** Rows of this detector and the published ones, best standard score first (ties by name). */
export function rankRows(
  detector: string,
  scores: readonly [number, number, number],
  published: PublishedScores,
): TableRow[] {
  const rows: TableRow[] = [{ detector, scores, ours: true }];
  for (const [name, s] of published) rows.push({ detector: name, scores: s, ours: false });
  return rows.sort((a, b) => b.scores[0] - a.scores[0] || a.detector.localeCompare(b.detector));
}

/** Rank of each row per profile (1 = best; equal scores share a rank). */
function ranksOf(rows: readonly TableRow[], column: 0 | 1 | 2): number[] {
  return rows.map((r) => 1 + rows.filter((o) => o.scores[column] > r.scores[column]).length);
}

/** A plain-text table: rank, detector and the three profile scores with their per-profile rank. */
export function formatTable(rows: readonly TableRow[]): string {
  const ranks = ([0, 1, 2] as const).map((c) => ranksOf(rows, c));
  const header = ['#', 'detector', 'standard', 'low FP', 'low FN'];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.ours ? `${r.detector} *` : r.detector,
    ...([0, 1, 2] as const).map((c) => `${r.scores[c].toFixed(2)} (${ranks[c]?.[i]})`),
  ]);
  return formatTextTable(header, body, [1]);
}

/** Scores of one category of a corpus, at the corpus' thresholds. */
export interface CategoryResult {
  readonly files: number;
  readonly windows: number;
  /** Windows with an alarm, at the standard profile's threshold. */
  readonly detected: number;
  /** Rows alarming outside every window (NAB counts each), at the standard profile's threshold. */
  readonly falseAlarms: number;
  /** NaN for a category without windows (nothing to normalise against): `null` in `--json`. */
  readonly scores: Record<ProfileName, number>;
}

/** Per-category scores; a category without windows has no score, only its false alarms. */
export function formatCategories(categories: Readonly<Record<string, CategoryResult>>): string {
  const header = ['category', 'files', 'windows', 'detected', 'false alarms', 'standard', 'low FP', 'low FN'];
  const body = Object.entries(categories).map(([name, c]) => [
    name,
    String(c.files),
    String(c.windows),
    String(c.detected),
    String(c.falseAlarms),
    ...PROFILE_NAMES.map((p) => (Number.isFinite(c.scores[p]) ? c.scores[p].toFixed(2) : '—')),
  ]);
  return formatTextTable(header, body, [0]);
}
