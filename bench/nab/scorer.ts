/**
 * A NAB-compatible scorer, written from the rules in `shared/data/nab/SOURCE.md`: windows with
 * inclusive ends, a probationary period that is never scored, the scaled sigmoid, only the earliest
 * alarm per window counts, false positives weighted by their distance past the previous window,
 * one threshold per profile for the whole corpus, and normalisation so that the null detector
 * scores 0 and a perfect one 100. Pure: no I/O.
 */

export type ProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

export const PROFILE_NAMES: readonly ProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

/** The weights of one scoring profile (NAB's cost matrix; the true-negative weight scores nothing). */
export interface CostProfile {
  readonly tpWeight: number;
  readonly fnWeight: number;
  readonly fpWeight: number;
}

/** NAB's three profiles, as in `config/profiles.json`. */
export const NAB_PROFILES: Readonly<Record<ProfileName, CostProfile>> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

/** A ground-truth window as row indices of its file, both ends inclusive. */
export interface RowWindow {
  readonly startRow: number;
  readonly endRow: number;
}

/** One data file's detector output and its windows. */
export interface FileToScore {
  readonly name: string;
  /** One anomaly score per row, in row order. */
  readonly scores: readonly number[];
  /** Ordered, disjoint windows. */
  readonly windows: readonly RowWindow[];
}

/**
 * The threshold NAB reports when no alarm at all scores best: above every score in [0, 1], so it
 * never fires.
 */
export const NO_ALARM_THRESHOLD = 1.1;

/** Fraction of a file's rows that are probationary, and the cap on them (NAB: 15 % of at most 5000 rows). */
const PROBATION_FRACTION = 0.15;
const PROBATION_MAX_ROWS = 750;

/**
 * σ(x) = 2/(1+e^{5x}) − 1, taken as −1 from three window lengths past a window on. (NAB's sweeper
 * clamps at x ≥ 3, where SOURCE.md says x > 3; at exactly 3 the two differ by 6e-7.)
 */
export function scaledSigmoid(x: number): number {
  if (x >= 3) return -1;
  return 2 / (1 + Math.exp(5 * x)) - 1;
}

/** Rows at the start of a file that are never scored: min(floor(0.15·N), 750). */
export function probationaryRows(rowCount: number): number {
  return Math.min(Math.floor(PROBATION_FRACTION * rowCount), PROBATION_MAX_ROWS);
}

/** A scored row: its anomaly score, what an alarm on it is worth, and its window. */
export interface SweepPoint {
  readonly row: number;
  readonly score: number;
  /** The row's contribution if it is the counted alarm: positive in a window, ≤ 0 outside. */
  readonly weight: number;
  /** Index of the window holding the row in `FileToScore.windows`, or −1 outside every window. */
  readonly window: number;
}

const MAX_TP = scaledSigmoid(-1);

/** −fnWeight per missed window (a plain 0, not −0, when none is missed). */
function missCost(profile: CostProfile, missed: number): number {
  return missed === 0 ? 0 : -profile.fnWeight * missed;
}

/** Checks that windows are ordered, disjoint and inside the file; throws a `RangeError` naming the file. */
function checkWindows(file: FileToScore): void {
  let previousEnd = -1;
  for (const [n, w] of file.windows.entries()) {
    const ok =
      Number.isInteger(w.startRow) &&
      Number.isInteger(w.endRow) &&
      w.startRow > previousEnd &&
      w.endRow >= w.startRow &&
      w.endRow < file.scores.length;
    if (!ok) {
      throw new RangeError(
        `${file.name}: window ${n + 1} [${w.startRow}, ${w.endRow}] is out of order or outside rows 0..${file.scores.length - 1}`,
      );
    }
    previousEnd = w.endRow;
  }
}

/** The scored rows of a file (after the probationary period) with their NAB weights under `profile`. */
export function sweepPoints(file: FileToScore, profile: CostProfile): SweepPoint[] {
  checkWindows(file);
  const probation = probationaryRows(file.scores.length);
  const points: SweepPoint[] = [];
  let next = 0; // next window not yet reached
  let current = -1; // window holding the row, or −1
  let previousEnd = -1; // last row of the most recent window that ended, or −1
  let previousWidth = 0;
  for (let i = 0; i < file.scores.length; i++) {
    const upcoming = file.windows[next];
    if (current < 0 && upcoming !== undefined && i === upcoming.startRow) {
      current = next;
      next++;
    }
    let weight: number;
    const w = current >= 0 ? (file.windows[current] as RowWindow) : undefined;
    if (w !== undefined) {
      const width = w.endRow - w.startRow + 1;
      weight = (profile.tpWeight * scaledSigmoid(-(w.endRow - i + 1) / width)) / MAX_TP;
    } else if (previousEnd < 0) {
      weight = -profile.fpWeight;
    } else {
      // A one-row window has no length to measure by; anything after it is far after it.
      const distance = previousWidth > 1 ? (i - previousEnd) / (previousWidth - 1) : Number.POSITIVE_INFINITY;
      weight = profile.fpWeight * scaledSigmoid(distance);
    }
    if (i >= probation) {
      const score = file.scores[i] as number;
      points.push({ row: i, score: Number.isNaN(score) ? 0 : score, weight, window: current });
    }
    if (w !== undefined && i === w.endRow) {
      previousEnd = i;
      previousWidth = w.endRow - w.startRow + 1;
      current = -1;
    }
  }
  return points;
}

/** Windows with at least one scored row: the ones a detector can hit or miss. */
export function scoredWindowCount(file: FileToScore): number {
  const probation = probationaryRows(file.scores.length);
  return file.windows.filter((w) => w.endRow >= probation).length;
}

/** The outcome of one file (or a corpus) at one threshold. */
export interface ScoreTally {
  /** Sum of all terms. */
  readonly raw: number;
  readonly tpCount: number;
  readonly fpCount: number;
  readonly fnCount: number;
  readonly tpScore: number;
  readonly fpScore: number;
  readonly fnScore: number;
  /** Windows scored (hit or missed). */
  readonly windows: number;
}

/** NAB raw score of a file at `threshold`: a row alarms when its score is ≥ the threshold. */
export function scoreFile(file: FileToScore, profile: CostProfile, threshold: number): ScoreTally {
  const points = sweepPoints(file, profile);
  const hit = new Set<number>();
  let tpScore = 0;
  let fpScore = 0;
  let fpCount = 0;
  for (const p of points) {
    if (p.score < threshold) continue;
    if (p.window < 0) {
      fpScore += p.weight;
      fpCount++;
    } else if (!hit.has(p.window)) {
      hit.add(p.window); // the earliest alarm; later ones in the window count for nothing
      tpScore += p.weight;
    }
  }
  const windows = scoredWindowCount(file);
  const fnCount = windows - hit.size;
  const fnScore = missCost(profile, fnCount);
  return {
    raw: tpScore + fpScore + fnScore,
    tpCount: hit.size,
    fpCount,
    fnCount,
    tpScore,
    fpScore,
    fnScore,
    windows,
  };
}

/** Adds tallies of several files. */
export function sumTallies(tallies: readonly ScoreTally[]): ScoreTally {
  const sum = (key: keyof ScoreTally) => tallies.reduce((acc, t) => acc + t[key], 0);
  return {
    raw: sum('raw'),
    tpCount: sum('tpCount'),
    fpCount: sum('fpCount'),
    fnCount: sum('fnCount'),
    tpScore: sum('tpScore'),
    fpScore: sum('fpScore'),
    fnScore: sum('fnScore'),
    windows: sum('windows'),
  };
}

/** The best corpus-wide threshold of a profile and the raw score it reaches. */
export interface OptimizedThreshold {
  readonly threshold: number;
  readonly raw: number;
}

/**
 * NAB's "optimize" step: one threshold for every file, chosen among the score values to maximise
 * the summed raw score. Sweeps the scored rows from the highest score down, adding each row's term
 * (for a window, only its best = earliest alarm so far), so the whole sweep is O(n log n). Ties go
 * to the higher threshold; {@link NO_ALARM_THRESHOLD} when never alarming is best.
 */
export function optimizeThreshold(files: readonly FileToScore[], profile: CostProfile): OptimizedThreshold {
  const points: { score: number; weight: number; window: number }[] = [];
  let windowCount = 0;
  for (const file of files) {
    const base = windowCount; // window ids unique across the corpus
    for (const p of sweepPoints(file, profile)) {
      points.push({ score: p.score, weight: p.weight, window: p.window < 0 ? -1 : base + p.window });
    }
    windowCount += file.windows.length;
  }
  const scored = new Set(points.filter((p) => p.window >= 0).map((p) => p.window)).size;
  points.sort((a, b) => b.score - a.score);
  const best = new Map<number, number>();
  let tpScore = 0;
  let fpScore = 0;
  let result: OptimizedThreshold = { threshold: NO_ALARM_THRESHOLD, raw: missCost(profile, scored) };
  for (let i = 0; i < points.length; ) {
    const threshold = (points[i] as { score: number }).score;
    for (; i < points.length && (points[i] as { score: number }).score === threshold; i++) {
      const p = points[i] as { score: number; weight: number; window: number };
      if (p.window < 0) {
        fpScore += p.weight;
        continue;
      }
      const old = best.get(p.window);
      if (old === undefined || p.weight > old) {
        tpScore += p.weight - (old ?? 0);
        best.set(p.window, p.weight);
      }
    }
    const raw = tpScore + fpScore + missCost(profile, scored - best.size);
    if (raw > result.raw) result = { threshold, raw };
  }
  return result;
}

/**
 * 100·(S − S_null)/(S_perfect − S_null) over the files scored: S_null = −fnWeight·windows (never
 * alarm), S_perfect = tpWeight·windows (an alarm on the first row of each window, nothing else).
 * A corpus without windows has no scale (S_null = S_perfect = 0): the result is then `NaN`.
 */
export function normalizeScore(raw: number, windows: number, profile: CostProfile): number {
  const nullScore = -profile.fnWeight * windows;
  const perfect = profile.tpWeight * windows;
  if (perfect === nullScore) return Number.NaN;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** A profile's threshold (optimised or fixed), the tally at that threshold and the normalised score. */
export interface ProfileResult {
  readonly profile: ProfileName;
  readonly threshold: number;
  readonly tally: ScoreTally;
  readonly score: number;
}

/** Scores one profile at a given threshold over some files. */
export function scoreAt(
  files: readonly FileToScore[],
  profileName: ProfileName,
  threshold: number,
): ProfileResult {
  const profile = NAB_PROFILES[profileName];
  const tally = sumTallies(files.map((f) => scoreFile(f, profile, threshold)));
  return { profile: profileName, threshold, tally, score: normalizeScore(tally.raw, tally.windows, profile) };
}

/**
 * Scores every profile on a corpus: at the threshold NAB's optimisation finds for it, or at
 * `fixedThreshold` for every profile (how a deployed detector alarms: at one level chosen beforehand).
 */
export function scoreCorpus(files: readonly FileToScore[], fixedThreshold?: number): ProfileResult[] {
  return PROFILE_NAMES.map((profileName) =>
    scoreAt(
      files,
      profileName,
      fixedThreshold ?? optimizeThreshold(files, NAB_PROFILES[profileName]).threshold,
    ),
  );
}
