import { describe, expect, it } from 'vitest';
import { fitLatencyTrend, MIN_TREND_POINTS } from '../../lambdas/core/latency-trend.js';
import { mulberry32 } from '../fixtures/mulberry32.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const points = (values: readonly number[]) => values.map((v, i) => ({ t: T0 + i * 60_000, v }));

describe('Latency trend: a robust line through a window', () => {
  it('fits a clean line exactly and projects it', () => {
    // 200 ms rising 3 ms a minute over 30 minutes.
    const trend = fitLatencyTrend(points(Array.from({ length: 30 }, (_, i) => 200 + 3 * i)), 30, 10);
    expect(trend).toMatchObject({
      startMillis: 200,
      endMillis: 287,
      slopeMillisPerMinute: 3,
      residualSpreadMillis: 0,
      projectedMillis: 377,
      persistence: 1,
    });
  });

  it('is not thrown off by a few outliers', () => {
    const values = Array.from({ length: 30 }, (_, i) => 200 + 3 * i);
    values[5] = 2000;
    values[20] = 10;
    const trend = fitLatencyTrend(points(values), 30, 10);
    expect(trend?.slopeMillisPerMinute).toBeCloseTo(3, 1);
  });

  it('finds no rise in noise around a level', () => {
    const random = mulberry32(7);
    const trend = fitLatencyTrend(
      points(Array.from({ length: 30 }, () => 200 + 20 * (random() - 0.5))),
      30,
      10,
    );
    expect(Math.abs(trend?.slopeMillisPerMinute ?? 1)).toBeLessThan(0.5);
    expect(trend?.residualSpreadMillis).toBeGreaterThan(2);
  });

  it(`needs ${MIN_TREND_POINTS} points and ignores missing values`, () => {
    expect(fitLatencyTrend(points([1, 2, 3]), 30, 10)).toBeNull();
    const withGaps = points(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 100 + i : Number.NaN)));
    expect(fitLatencyTrend(withGaps, 30, 10)).toBeNull();
  });
});
