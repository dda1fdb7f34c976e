import { describe, expect, it } from 'vitest';
import { AnomalyBand, type Band, TRAINING_WINDOW_MILLIS } from '../../sim/cloudwatch/anomaly-band.js';
import { Rng } from '../../sim/rng.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-01T00:00:00Z');

interface Observation {
  readonly t: number;
  readonly value: number;
  readonly denominator: number;
}

/** Integer counts around `mean` (many duplicates, as Sum of a count metric has) with a denominator. */
function series(rng: Rng, from: number, to: number, periodMillis: number, mean: number): Observation[] {
  const out: Observation[] = [];
  for (let t = from; t < to; t += periodMillis) {
    out.push({ t, value: rng.poisson(mean), denominator: 1000 + rng.poisson(100) });
  }
  return out;
}

type Kind = 'plain' | 'counts' | 'ratio';
const make = (kind: Kind): AnomalyBand =>
  kind === 'plain'
    ? new AnomalyBand(2)
    : kind === 'counts'
      ? new AnomalyBand(2, true)
      : new AnomalyBand(2, false, 100);

/**
 * Queries one band moving forward (observing as an alarm does: everything up to the query's
 * period end, then `bandAt`) and, for each query, a fresh band that has observed the same values
 * and is asked once. Returns the queries whose answers differ.
 */
function compareForwardWithFresh(
  kind: Kind,
  observations: readonly Observation[],
  queries: readonly number[],
  periodMillis: number,
): { at: number; forward: Band | null; fresh: Band | null }[] {
  const forward = make(kind);
  let seen = 0;
  const differences: { at: number; forward: Band | null; fresh: Band | null }[] = [];
  for (const at of queries) {
    while (seen < observations.length && (observations[seen] as Observation).t < at + periodMillis) {
      const o = observations[seen] as Observation;
      forward.observe(o.t, o.value, o.denominator);
      seen += 1;
    }
    const fresh = make(kind);
    for (const o of observations.slice(0, seen)) fresh.observe(o.t, o.value, o.denominator);
    const a = forward.bandAt(at);
    const b = fresh.bandAt(at);
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ at, forward: a, fresh: b });
  }
  return differences;
}

/** The band computed independently: median, 1.4826 × MAD, the 5 % floor and the Poisson floor of counts. */
function referenceBand(values: readonly number[], width: number, counts: boolean): Band {
  const sorted = [...values].sort((a, b) => a - b);
  const median = (xs: readonly number[]): number => {
    const position = (xs.length - 1) / 2;
    return ((xs[Math.floor(position)] as number) + (xs[Math.ceil(position)] as number)) / 2;
  };
  const expected = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - expected)).sort((a, b) => a - b));
  const spread = Math.max(
    1.4826 * mad,
    0.05 * Math.abs(expected),
    counts ? Math.sqrt(Math.max(expected, 1)) : 0,
  );
  return { expected, spread, lower: expected - width * spread, upper: expected + width * spread };
}

describe('AnomalyBand: the moving training set equals the from-scratch band', () => {
  const rng = new Rng(21);
  // 36 hours of 1-minute counts with a level shift halfway (under 2 days: not seasonal).
  const observations = [
    ...series(rng, T0, T0 + 18 * HOUR, MINUTE, 40),
    ...series(rng, T0 + 18 * HOUR, T0 + 36 * HOUR, MINUTE, 90),
  ];
  const everyMinute = Array.from({ length: 36 * 60 }, (_, i) => T0 + (i + 1) * MINUTE);

  for (const kind of ['plain', 'counts', 'ratio'] as const) {
    it(`answers every minute like a fresh band (${kind})`, () => {
      expect(compareForwardWithFresh(kind, observations, everyMinute, MINUTE)).toEqual([]);
    });
  }

  it('matches an independent median / MAD computation', () => {
    const band = new AnomalyBand(3, true);
    for (const at of everyMinute) {
      for (const o of observations) if (o.t < at && o.t >= at - MINUTE) band.observe(o.t, o.value);
      if ((at - T0) % (6 * HOUR) !== 0) continue;
      const training = observations.filter((o) => o.t < at).map((o) => o.value);
      const reference = referenceBand(training, 3, true);
      const actual = band.bandAt(at) as Band;
      expect(actual.expected).toBeCloseTo(reference.expected, 9);
      expect(actual.spread).toBeCloseTo(reference.spread, 9);
      expect(actual.upper).toBeCloseTo(reference.upper, 9);
    }
  });

  it('still answers like a fresh band when queried backwards in time', () => {
    const band = new AnomalyBand(2, true);
    for (const o of observations) band.observe(o.t, o.value);
    const at = [T0 + 30 * HOUR, T0 + 20 * HOUR, T0 + 10 * HOUR];
    const answers = at.map((t) => band.bandAt(t));
    const fresh = at.map((t) => {
      const b = new AnomalyBand(2, true);
      for (const o of observations) b.observe(o.t, o.value);
      return b.bandAt(t);
    });

    expect(answers).toEqual(fresh);
    expect(answers[0]?.expected).toBeGreaterThan(answers[2]?.expected ?? Number.POSITIVE_INFINITY);
  });

  it('returns null without history before the moment asked about', () => {
    const band = new AnomalyBand(2);
    expect(band.bandAt(T0)).toBeNull();
    band.observe(T0, 5);
    expect(band.bandAt(T0)).toBeNull();
    expect(band.bandAt(T0 + MINUTE)?.expected).toBe(5);
  });

  for (const kind of ['counts', 'ratio'] as const) {
    it(`agrees across the 14-day window edge after a gap in the data (${kind})`, () => {
      // Three hours of data, twelve quiet days, then data again: once the old hours leave the
      // window the recent ones span less than two days, so the moving training set is used.
      const period = 5 * MINUTE;
      const r = new Rng(5);
      const gapped = [
        ...series(r, T0, T0 + 3 * HOUR, period, 50),
        ...series(r, T0 + 14 * DAY - HOUR, T0 + 14 * DAY + 6 * HOUR, period, 80),
      ];
      const queries = Array.from(
        { length: (14 * DAY + 6 * HOUR) / period - 1 },
        (_, i) => T0 + (i + 1) * period,
      );

      expect(TRAINING_WINDOW_MILLIS).toBe(14 * DAY);
      expect(compareForwardWithFresh(kind, gapped, queries, period)).toEqual([]);
    });
  }
});

describe('AnomalyBand: seasonal training with at least two days of data', () => {
  /** 5-minute values: 100 from 09:30 to 12:30 UTC, 10 otherwise, with a little noise. */
  function daily(days: number): Observation[] {
    const r = new Rng(9);
    const out: Observation[] = [];
    for (let t = T0; t < T0 + days * DAY; t += 5 * MINUTE) {
      const hour = (t - T0) / HOUR - 24 * Math.floor((t - T0) / DAY);
      const base = hour >= 9.5 && hour < 12.5 ? 100 : 10;
      out.push({ t, value: base + r.uniform(-1, 1), denominator: 0 });
    }
    return out;
  }

  it('expects the values of the same time of day', () => {
    const band = new AnomalyBand(2);
    for (const o of daily(3)) band.observe(o.t, o.value);

    const late = band.bandAt(T0 + 3 * DAY + 11 * HOUR) as Band;
    const night = band.bandAt(T0 + 3 * DAY + 3 * HOUR) as Band;
    expect(late.expected).toBeGreaterThan(99);
    expect(late.expected).toBeLessThan(101);
    expect(night.expected).toBeGreaterThan(9);
    expect(night.expected).toBeLessThan(11);
  });

  it('uses every value before two days of history (the daily pattern is not yet learnt)', () => {
    const band = new AnomalyBand(2);
    for (const o of daily(1)) band.observe(o.t, o.value);

    const late = band.bandAt(T0 + DAY + 11 * HOUR) as Band;
    expect(late.expected).toBeGreaterThan(9);
    expect(late.expected).toBeLessThan(11);
  });
});
