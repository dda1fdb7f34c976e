import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type FileToScore,
  NAB_PROFILES,
  NO_ALARM_THRESHOLD,
  normalizeScore,
  optimizeThreshold,
  probationaryRows,
  scaledSigmoid,
  scoreCorpus,
  scoredWindowCount,
  scoreFile,
} from '../../../bench/nab/scorer.js';

const standard = NAB_PROFILES.standard;

/** A file of `rows` rows scoring 1 on `alarms` and 0 elsewhere. */
function file(rows: number, windows: [number, number][], alarms: number[] = []): FileToScore {
  const scores = Array.from({ length: rows }, (_, i) => (alarms.includes(i) ? 1 : 0));
  return { name: 'f.csv', scores, windows: windows.map(([startRow, endRow]) => ({ startRow, endRow })) };
}

// Hand-computed: σ(x) = 2/(1+e^{5x}) − 1; σ(−1) = 0.98661430.
const SIGMA_MINUS_1 = 0.9866142981514305;

describe('NAB scorer: sigmoid and probation', () => {
  it('follows the scaled sigmoid, clamped to −1 beyond three window lengths', () => {
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(-1)).toBeCloseTo(SIGMA_MINUS_1, 12);
    expect(scaledSigmoid(2.9)).toBeCloseTo(2 / (1 + Math.exp(14.5)) - 1, 12);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  it('keeps min(floor(15 % of rows), 750) rows out of scoring', () => {
    expect(probationaryRows(20)).toBe(3);
    expect(probationaryRows(4033)).toBe(604);
    expect(probationaryRows(10_000)).toBe(750);
    expect(probationaryRows(5)).toBe(0);
  });
});

describe('NAB scorer: windows', () => {
  // 20 rows: rows 0–2 probationary; one window of 5 rows, [10, 14].
  const window: [number, number][] = [[10, 14]];

  it('gives the full tpWeight to an alarm on the first row of a window', () => {
    const tally = scoreFile(file(20, window, [10]), standard, 0.5);
    expect(tally.raw).toBeCloseTo(1, 12);
    expect(tally.tpCount).toBe(1);
  });

  it('gives a late alarm σ(−1/5)/σ(−1) = 0.468387', () => {
    expect(scoreFile(file(20, window, [14]), standard, 0.5).raw).toBeCloseTo(0.46838684, 7);
  });

  it('counts only the earliest of several alarms in one window (row 12: σ(−0.6)/σ(−1) = 0.917429)', () => {
    const tally = scoreFile(file(20, window, [12, 13, 14]), standard, 0.5);
    expect(tally.raw).toBeCloseTo(0.91742868, 7);
    expect(tally.tpCount).toBe(1);
    expect(tally.fpCount).toBe(0);
  });

  it('charges an FP just after a window by its distance: 0.11·σ(1/4) = −0.061006, plus the missed window', () => {
    const tally = scoreFile(file(20, window, [15]), standard, 0.5);
    expect(tally.fpScore).toBeCloseTo(-0.06100597, 7);
    expect(tally.raw).toBeCloseTo(-1.06100597, 7);
  });

  it('charges an FP far after a window the full fpWeight', () => {
    // Row 35 is (35 − 14)/(5 − 1) = 5.25 window lengths past: σ = −1.
    expect(scoreFile(file(40, window, [35]), standard, 0.5).fpScore).toBeCloseTo(-0.11, 12);
    // Row 19 is 1.25 past: 0.11·σ(1.25) = −0.109576.
    expect(scoreFile(file(20, window, [19]), standard, 0.5).fpScore).toBeCloseTo(-0.10957612, 7);
  });

  it('charges an FP before any window the full fpWeight, and doubles it under low-FP', () => {
    expect(scoreFile(file(20, window, [5]), standard, 0.5).fpScore).toBeCloseTo(-0.11, 12);
    expect(scoreFile(file(20, window, [5]), NAB_PROFILES.reward_low_FP_rate, 0.5).fpScore).toBeCloseTo(
      -0.22,
      12,
    );
  });

  it('ignores an alarm in the probationary period', () => {
    const tally = scoreFile(file(20, window, [2]), standard, 0.5);
    expect(tally.fpCount).toBe(0);
    expect(tally.raw).toBe(-1);
  });

  it('does not count a window that ends inside the probationary period', () => {
    // 100 rows: probation 15; window [5, 9] is never scored, window [50, 54] is.
    const f = file(100, [
      [5, 9],
      [50, 54],
    ]);
    expect(scoredWindowCount(f)).toBe(1);
    expect(scoreFile(f, standard, 0.5).fnCount).toBe(1);
  });

  it('scores a file without windows by its false positives only', () => {
    const tally = scoreFile(file(20, [], [5, 6, 19]), NAB_PROFILES.reward_low_FN_rate, 0.5);
    expect(tally.windows).toBe(0);
    expect(tally.fnCount).toBe(0);
    expect(tally.raw).toBeCloseTo(-0.33, 12);
  });

  it('costs −fnWeight for a missed window (−2 under low-FN)', () => {
    expect(scoreFile(file(20, window, []), NAB_PROFILES.reward_low_FN_rate, 0.5).raw).toBe(-2);
  });

  it('alarms on scores equal to the threshold', () => {
    const f: FileToScore = {
      name: 'f',
      scores: Array(20).fill(0.3),
      windows: [{ startRow: 10, endRow: 14 }],
    };
    expect(scoreFile(f, standard, 0.3).tpCount).toBe(1);
    expect(scoreFile(f, standard, 0.31).tpCount).toBe(0);
  });

  it('rejects overlapping or out-of-range windows naming the file', () => {
    expect(() => scoreFile(file(20, [[15, 25]], []), standard, 0.5)).toThrow(/f\.csv: window 1/);
    expect(() =>
      scoreFile(
        file(20, [
          [5, 10],
          [10, 12],
        ]),
        standard,
        0.5,
      ),
    ).toThrow(/window 2/);
  });
});

describe('NAB scorer: threshold optimisation', () => {
  it('picks the single corpus threshold with the best summed raw score', () => {
    // File a: window [10, 14]; score 0.9 on row 10 (TP), 0.8 on row 5 (FP).
    // File b: window [10, 14]; score 0.7 on row 11 (TP, σ(−0.8)/σ(−1)), 0.95 on row 3 (FP).
    const a: FileToScore = { name: 'a', scores: Array(20).fill(0), windows: [{ startRow: 10, endRow: 14 }] };
    const b: FileToScore = { name: 'b', scores: Array(20).fill(0), windows: [{ startRow: 10, endRow: 14 }] };
    (a.scores as number[])[10] = 0.9;
    (a.scores as number[])[5] = 0.8;
    (b.scores as number[])[11] = 0.7;
    (b.scores as number[])[3] = 0.95;
    const tp11 = scaledSigmoid(-0.8) / SIGMA_MINUS_1;
    // Candidates: 0.95 → −0.11 − 2; 0.9 → −0.11 + 1 − 1; 0.8 → −0.22 + 1 − 1; 0.7 → −0.22 + 1 + tp11.
    const best = optimizeThreshold([a, b], standard);
    expect(best.threshold).toBe(0.7);
    expect(best.raw).toBeCloseTo(-0.22 + 1 + tp11, 12);
    const rescored = scoreFile(a, standard, best.threshold).raw + scoreFile(b, standard, best.threshold).raw;
    expect(rescored).toBeCloseTo(best.raw, 12);
  });

  it('keeps the higher threshold on a tie and never alarms when every alarm costs', () => {
    const f: FileToScore = { name: 'f', scores: Array(20).fill(0), windows: [] };
    (f.scores as number[])[5] = 0.9;
    expect(optimizeThreshold([f], standard)).toEqual({ threshold: NO_ALARM_THRESHOLD, raw: 0 });
  });

  it('matches a brute-force sweep over every score value', () => {
    // Deterministic pseudo-random scores on three files.
    let seed = 7;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const files: FileToScore[] = [0, 1, 2].map((k) => ({
      name: `f${k}`,
      scores: Array.from({ length: 300 }, () => Math.round(next() * 50) / 50),
      windows: [
        { startRow: 100 + k * 10, endRow: 130 + k * 10 },
        { startRow: 200, endRow: 220 },
      ],
    }));
    for (const profile of Object.values(NAB_PROFILES)) {
      const best = optimizeThreshold(files, profile);
      const candidates = [...new Set(files.flatMap((f) => f.scores))];
      const brute = Math.max(
        ...candidates.map((t) => files.reduce((sum, f) => sum + scoreFile(f, profile, t).raw, 0)),
        -profile.fnWeight * 6,
      );
      expect(best.raw).toBeCloseTo(brute, 9);
    }
  });
});

describe('NAB scorer: normalisation', () => {
  it('maps the null detector to 0 and a perfect one to 100 over the windows scored', () => {
    expect(normalizeScore(-30, 30, standard)).toBe(0);
    expect(normalizeScore(30, 30, standard)).toBe(100);
    expect(normalizeScore(-60, 30, NAB_PROFILES.reward_low_FN_rate)).toBe(0);
    expect(normalizeScore(0, 30, NAB_PROFILES.reward_low_FN_rate)).toBeCloseTo(66.6667, 3);
  });

  it('scores a corpus per profile: a first-row alarm in every window is 100', () => {
    const f = file(40, [[20, 24]], [20]);
    const results = scoreCorpus([f]);
    expect(results.map((r) => r.profile)).toEqual(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
    for (const r of results) expect(r.score).toBeCloseTo(100, 9);
  });

  const profilesFile = resolve(import.meta.dirname, '../../../../shared/data/nab/config/profiles.json');
  it.skipIf(!existsSync(profilesFile))("uses the weights of NAB's config/profiles.json", () => {
    const doc = JSON.parse(readFileSync(profilesFile, 'utf8')) as Record<
      string,
      { CostMatrix: { tpWeight: number; fnWeight: number; fpWeight: number } }
    >;
    for (const [name, profile] of Object.entries(NAB_PROFILES)) {
      const { tpWeight, fnWeight, fpWeight } = doc[name]?.CostMatrix ?? {};
      expect({ tpWeight, fnWeight, fpWeight }).toEqual(profile);
    }
  });
});
