import { describe, expect, it } from 'vitest';
import {
  createDetector,
  DEFAULT_DETECTOR_CONFIG,
  DetectorConfigError,
  resolveDetectorConfig,
  scoreSeries,
} from '../../../lambdas/core/detector/index.js';
import { noise, points, START_MS } from './series.js';

const ALARM = DEFAULT_DETECTOR_CONFIG.alarmScore;
const DAY_5MIN = 288;

/** Index of the first score ≥ the alarm score at or after `from`, or −1. */
function firstAlarm(scores: readonly number[], from = 0): number {
  return scores.findIndex((s, i) => i >= from && s >= ALARM);
}

describe('Detector: output', () => {
  it('scores every point in [0, 1], deterministically', () => {
    const series = points(noise(2000, 1).map((v, i) => (i === 1500 ? v * 10 : v)));
    const a = scoreSeries(series);
    const b = scoreSeries(series);
    expect(a).toHaveLength(2000);
    expect(a.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(a).toEqual(b);
  });

  it('is causal: a score never depends on later points', () => {
    const values = noise(1200, 2);
    const full = scoreSeries(points(values.map((v, i) => (i >= 900 ? v + 40 : v))));
    const prefix = scoreSeries(points(values.slice(0, 900)));
    expect(full.slice(0, 900)).toEqual(prefix);
  });

  it('measures the sampling interval from the warm-up points', () => {
    const detector = createDetector();
    for (const p of points(noise(DEFAULT_DETECTOR_CONFIG.warmupPoints - 1, 3), 5)) detector.update(p.t, p.v);
    expect(detector.intervalMinutes).toBeUndefined();
    detector.update(START_MS + 10 * 86_400_000, 100);
    expect(detector.intervalMinutes).toBe(5);
  });

  it('measures the interval on irregular spacing by the median of the warm-up steps', () => {
    // A sparse start (every other point missing for the first hour and a half), then 5-minute
    // points with one skipped in three: the series is sampled every 5 minutes.
    const detector = createDetector();
    let t = START_MS;
    for (let i = 0; i < 60; i++) {
      detector.update(t, 100 + (i % 7));
      t += (i < 10 || i % 3 === 2 ? 10 : 5) * 60_000;
    }
    expect(detector.intervalMinutes).toBe(5);
  });

  it('does not test a mean that spans one point (hourly data) beside the value itself', () => {
    const hourly = points(noise(400, 31), 60);
    const detector = createDetector();
    const signals = new Set<string | null>();
    for (const p of hourly) {
      detector.update(p.t, p.v);
      signals.add(detector.last.signal);
    }
    expect(detector.intervalMinutes).toBe(60);
    expect(signals.has('short-mean')).toBe(false);
    expect(signals.has('long-mean')).toBe(true);
    // The same spike is a little more surprising when four statistics share the correction than
    // five (value, short and long mean, roughness, stillness).
    const spike = (shortMeanMinutes: number) => {
      const d = createDetector({ shortMeanMinutes });
      for (const p of hourly) d.update(p.t, p.v);
      d.update(START_MS + 400 * 3_600_000, 160);
      return d.last.pValue;
    };
    expect(spike(30)).toBeLessThan(spike(120));
  });

  it('explains its last score: statistic, direction and p-value', () => {
    const detector = createDetector();
    const series = points(noise(1000, 4));
    for (const p of series) detector.update(p.t, p.v);
    detector.update(START_MS + 1000 * 300_000, 1000);
    expect(detector.last).toMatchObject({
      signal: 'value',
      direction: 'up',
      refractory: false,
      skipped: null,
    });
    expect(detector.last.score).toBe(1);
    expect(detector.last.pValue).toBeLessThan(1e-10);
  });
});

describe('Detector: deviations', () => {
  it('flags a level shift of 2 standard deviations within half an hour (5-minute points)', () => {
    const values = noise(1500, 5).map((v, i) => (i >= 1000 ? v + 10 : v));
    const scores = scoreSeries(points(values));
    expect(firstAlarm(scores, 600)).toBeGreaterThanOrEqual(1000);
    expect(firstAlarm(scores, 600)).toBeLessThanOrEqual(1006);
  });

  it('flags a level shift on 1-minute Lambda metrics within half an hour', () => {
    const values = noise(3000, 6, 250, 10).map((v, i) => (i >= 2500 ? v + 20 : v));
    const scores = scoreSeries(points(values, 1));
    const at = firstAlarm(scores, 200);
    expect(at).toBeGreaterThanOrEqual(2500);
    expect(at).toBeLessThanOrEqual(2530);
  });

  it('flags a slow drift of 1 % of the level per hour within a few hours', () => {
    const values = noise(2000, 7, 100, 1).map((v, i) => (i >= 1200 ? v + ((i - 1200) / 12) * 1 : v));
    const at = firstAlarm(scoreSeries(points(values)), 600);
    expect(at).toBeGreaterThan(1200);
    expect(at).toBeLessThan(1200 + 12 * 6);
  });

  it('flags a spike at once', () => {
    const values = noise(1200, 8).map((v, i) => (i === 1000 ? v + 60 : v));
    expect(firstAlarm(scoreSeries(points(values)), 600)).toBe(1000);
  });

  it('flags a doubling of the noise within a few hours', () => {
    const values = noise(2000, 9).map((v, i) => (i >= 1200 ? 100 + (v - 100) * 2.5 : v));
    const at = firstAlarm(scoreSeries(points(values)), 600);
    expect(at).toBeGreaterThanOrEqual(1200);
    expect(at).toBeLessThan(1200 + 36);
  });

  it('raises one alarm per episode: scores are damped for six hours after an alarm', () => {
    const values = noise(1500, 10).map((v, i) => (i === 1000 || i === 1010 ? v + 80 : v));
    const detector = createDetector();
    const scores = points(values).map((p) => detector.update(p.t, p.v));
    expect(scores[1000]).toBeGreaterThanOrEqual(ALARM);
    expect(scores[1010]).toBeLessThan(ALARM);
    expect(firstAlarm(scores, 1001)).toBe(-1);
  });
});

describe('Detector: stuck metrics', () => {
  /** A disk that idles at 0 for five hours between 100-minute bursts, then stays idle from `stuckAt` on. */
  function idleDisk(stuckAt = Number.POSITIVE_INFINITY): number[] {
    return noise(6 * DAY_5MIN, 18, 50, 10).map((v, i) => (i >= stuckAt || i % 80 < 60 ? 0 : v));
  }
  /** The start of an idle spell on day 5. */
  const STUCK_AT = 15 * 80;

  it('flags a value stuck for a few times longer than any run of the last two days, as stillness', () => {
    const detector = createDetector();
    const readings = points(idleDisk(STUCK_AT)).map((p) => {
      const score = detector.update(p.t, p.v);
      return { score, signal: detector.last.signal };
    });
    const at = firstAlarm(
      readings.map((r) => r.score),
      STUCK_AT,
    );
    // Runs are compared by ratio: twice the usual 60-point idle spell is not yet an alarm.
    expect(at).toBeGreaterThan(STUCK_AT + 2 * 60);
    expect(at).toBeLessThan(STUCK_AT + 4 * 60);
    expect(readings[at]?.signal).toBe('stillness');
  });

  it('stays quiet while runs are no longer than those it has seen', () => {
    const scores = scoreSeries(points(idleDisk()));
    expect(firstAlarm(scores, 2 * DAY_5MIN)).toBe(-1);
  });

  it('ignores stillness when watchStillness is off', () => {
    const scores = scoreSeries(points(idleDisk(STUCK_AT)), { watchStillness: false });
    expect(firstAlarm(scores, STUCK_AT)).toBe(-1);
  });
});

describe('Detector: quiet on normal behaviour', () => {
  it('raises at most one chance alarm in ten days of stationary noise', () => {
    const scores = scoreSeries(points(noise(10 * DAY_5MIN, 11)));
    const alarms = scores.filter((s, i) => i > DAY_5MIN && s >= ALARM).length;
    expect(alarms).toBeLessThanOrEqual(1);
  });

  it('keeps at least 200 points of baseline on hourly data, where two days are only 48', () => {
    // 100 days of hourly stationary noise, three seeds, after the first ten days: a 48-point
    // baseline fits its tail to 3 values and alarms by chance about once a fortnight.
    const chanceAlarms = (config: { minHistoryPoints?: number }) =>
      [11, 13, 41]
        .map((seed) => scoreSeries(points(noise(24 * 100, seed), 60), config))
        .map((scores) => scores.filter((s, i) => i >= 240 && s >= ALARM).length)
        .reduce((a, b) => a + b, 0);
    expect(chanceAlarms({})).toBeLessThanOrEqual(6); // 4 today
    expect(chanceAlarms({ minHistoryPoints: 48 })).toBeGreaterThanOrEqual(12);
  });

  it('learns a daily cycle: no alarm after the first two days', () => {
    const values = noise(7 * DAY_5MIN, 12, 100, 3).map(
      (v, i) => v + 40 * Math.sin((2 * Math.PI * i) / DAY_5MIN),
    );
    const scores = scoreSeries(points(values));
    expect(firstAlarm(scores, 2 * DAY_5MIN)).toBe(-1);
  });

  it('learns a daily batch job: a spike that recurs every day stops alarming', () => {
    const values = noise(6 * DAY_5MIN, 13, 10, 0.5).map((v, i) => (i % DAY_5MIN === 100 ? 80 + (i % 7) : v));
    const scores = scoreSeries(points(values));
    expect(firstAlarm(scores, 2 * DAY_5MIN)).toBe(-1);
  });

  it('treats isolated outliers in the baseline as normal once they recur', () => {
    const values = noise(8 * DAY_5MIN, 14).map((v, i) => (i % 97 === 0 ? v + 40 : v));
    const scores = scoreSeries(points(values));
    expect(scores.filter((s, i) => i > 2 * DAY_5MIN && s >= ALARM).length).toBeLessThanOrEqual(1);
  });
});

describe('Detector: bad input', () => {
  it('scores a missing value (NaN, ±Infinity) 0 and leaves the state as if it were absent', () => {
    const values = noise(900, 15);
    const withGaps = [...values.slice(0, 700), Number.NaN, Number.POSITIVE_INFINITY, ...values.slice(700)];
    const a = scoreSeries(points(values));
    const b = scoreSeries(points(withGaps));
    expect(b[700]).toBe(0);
    expect(b[701]).toBe(0);
    expect(b.slice(702)).toEqual(a.slice(700));
  });

  it('treats a value that is not a number as a missing point', () => {
    const detector = createDetector();
    expect(detector.update(START_MS, 'abc' as unknown as number)).toBe(0);
    expect(detector.last.skipped).toBe('missing');
  });

  it('handles repeated timestamps (a DST change) and gaps in time', () => {
    const series = points(noise(1000, 16));
    const repeated = series.map((p, i) =>
      i >= 500 && i < 512 ? { t: START_MS + 500 * 300_000, v: p.v } : p,
    );
    const gapped = series.map((p, i) => (i >= 600 ? { t: p.t + 86_400_000, v: p.v } : p));
    for (const s of [repeated, gapped]) {
      const scores = scoreSeries(s);
      expect(scores.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)).toBe(true);
    }
    // All first stamps equal: the interval falls back to the configured default.
    const detector = createDetector();
    for (let i = 0; i < 60; i++) detector.update(START_MS, i);
    expect(detector.intervalMinutes).toBe(DEFAULT_DETECTOR_CONFIG.fallbackIntervalMinutes);
  });

  it('scores a constant series 0, and a change after it 1', () => {
    const flat = Array<number>(600).fill(42);
    const scores = scoreSeries(points([...flat, 43]));
    expect(scores.slice(0, 600).every((s) => s === 0)).toBe(true);
    expect(scores[600]).toBe(1);
  });

  it('scores a series shorter than the warm-up 0 throughout', () => {
    const scores = scoreSeries(points(noise(40, 17)));
    expect(scores).toEqual(Array(40).fill(0));
    expect(scoreSeries([])).toEqual([]);
  });
});

describe('Detector: configuration', () => {
  it('fills unset fields from the defaults', () => {
    expect(resolveDetectorConfig({ alarmScore: 0.5 })).toEqual({
      ...DEFAULT_DETECTOR_CONFIG,
      alarmScore: 0.5,
    });
  });

  it('rejects out-of-range values, naming the field, the value and the fix', () => {
    expect(() => createDetector({ historyMinutes: -1 })).toThrow(DetectorConfigError);
    expect(() => createDetector({ historyMinutes: -1 })).toThrow(
      'DetectorConfig.historyMinutes is -1: use a finite number above 0',
    );
    expect(() => resolveDetectorConfig({ tailFraction: 0.7 })).toThrow(/tailFraction is 0\.7/);
    expect(() => resolveDetectorConfig({ warmupPoints: 1.5 })).toThrow(/warmupPoints/);
    expect(() => resolveDetectorConfig({ refractoryMinutes: -5 })).toThrow(/refractoryMinutes/);
    expect(() => resolveDetectorConfig({ minHistoryPoints: 10 })).toThrow(
      'DetectorConfig.minHistoryPoints is 10: use an integer from warmupPoints (48) to maxSpanPoints (20000)',
    );
    expect(() => resolveDetectorConfig({ maxSpanPoints: 100 })).toThrow(/minHistoryPoints is 200/);
    // A warm-up longer than the default floor raises the floor instead of failing on it.
    expect(resolveDetectorConfig({ warmupPoints: 300 }).minHistoryPoints).toBe(300);
    expect(() => resolveDetectorConfig({ watchStillness: 'yes' as unknown as boolean })).toThrow(
      'DetectorConfig.watchStillness is yes: use true or false',
    );
  });
});
