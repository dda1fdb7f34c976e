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

/** Per-category scores: files, windows and the three profiles. */
export function formatCategories(
  categories: Readonly<
    Record<string, { files: number; windows: number; scores: Record<ProfileName, number> }>
  >,
): string {
  const header = ['category', 'files', 'windows', 'standard', 'low FP', 'low FN'];
  const body = Object.entries(categories).map(([name, c]) => [
    name,
    String(c.files),
    String(c.windows),
    ...PROFILE_NAMES.map((p) => c.scores[p].toFixed(2)),
  ]);
  return formatTextTable(header, body, [0]);
}
