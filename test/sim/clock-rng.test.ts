import { describe, expect, it } from 'vitest';
import { SimClock } from '../../sim/clock.js';
import { Histogram } from '../../sim/histogram.js';
import { lognormalFromMedianP95, Rng } from '../../sim/rng.js';

describe('SimClock', () => {
  it('moves only forward', () => {
    const clock = new SimClock(Date.parse('2026-11-23T08:00:00Z'));
    clock.advanceTo(clock.now() + 1000);
    expect(clock.nowIso()).toBe('2026-11-23T08:00:01.000Z');
    expect(() => clock.advanceTo(0)).toThrow(/monotonic/);
  });
});

describe('Rng', () => {
  it('is deterministic for a seed and forks independent streams', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect([a.next(), a.normal(), a.poisson(3), a.poisson(300)]).toEqual([
      b.next(),
      b.normal(),
      b.poisson(3),
      b.poisson(300),
    ]);
    expect(new Rng(7).fork('x').next()).not.toBe(new Rng(7).fork('y').next());
  });

  it('draws a Poisson mean and a log-normal median close to the asked values', () => {
    const rng = new Rng(1);
    const n = 20_000;
    let sum = 0;
    const histogram = new Histogram();
    const { mu, sigma } = lognormalFromMedianP95(850, 1500);
    for (let i = 0; i < n; i += 1) {
      sum += rng.poisson(4);
      histogram.add(rng.lognormal(mu, sigma));
    }
    expect(sum / n).toBeCloseTo(4, 1);
    expect(histogram.percentile(50)).toBeGreaterThan(820);
    expect(histogram.percentile(50)).toBeLessThan(880);
    expect(histogram.percentile(95)).toBeGreaterThan(1420);
    expect(histogram.percentile(95)).toBeLessThan(1580);
  });
});
