import { describe, expect, it } from 'vitest';
import { DelayLine, RollingMean } from '../../../lambdas/core/detector/rolling-mean.js';
import { RunLength } from '../../../lambdas/core/detector/run-length.js';
import { SortedWindow } from '../../../lambdas/core/detector/sorted-window.js';
import {
  lowerTailProbability,
  upperTailProbability,
} from '../../../lambdas/core/detector/tail-probability.js';

function windowOf(values: readonly number[], capacity = values.length): SortedWindow {
  const w = new SortedWindow(capacity);
  for (const v of values) w.push(v);
  return w;
}

describe('Detector statistics: sorted window', () => {
  it('keeps the last `capacity` values sorted, dropping the oldest', () => {
    const w = windowOf([5, 1, 4, 2, 3], 3);
    expect(w.size).toBe(3);
    expect([w.at(0), w.at(1), w.at(2)]).toEqual([2, 3, 4]);
  });

  it('interpolates quantiles and counts ranks with duplicates', () => {
    const w = windowOf([1, 2, 2, 3, 10]);
    expect(w.quantile(0)).toBe(1);
    expect(w.quantile(0.5)).toBe(2);
    expect(w.quantile(0.875)).toBeCloseTo(6.5, 12);
    expect(w.lowerBound(2)).toBe(1);
    expect(w.upperBound(2)).toBe(3);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SortedWindow(0)).toThrow(/positive integer, got 0/);
  });
});

describe('Detector statistics: tail probability', () => {
  const reference = windowOf(Array.from({ length: 99 }, (_, i) => i + 1)); // 1..99

  it('is the empirical rank inside the observed range', () => {
    // 10 of 99 values are ≥ 90: (10 + 1)/(99 + 1).
    expect(upperTailProbability(reference, 90, 0.05, 1e-9, 0)).toBeCloseTo(0.11, 12);
    expect(lowerTailProbability(reference, 10, 0.05, 1e-9, 0)).toBeCloseTo(0.11, 12);
    expect(upperTailProbability(reference, 0, 0.05, 1e-9, 0)).toBe(1);
  });

  it('extrapolates an exponential tail beyond the largest value', () => {
    // Tail of 5 values: scale = (99 − 95)/ln 5; at 99 + scale the probability is e^{-1}/100.
    const scale = 4 / Math.log(5);
    expect(upperTailProbability(reference, 99 + scale, 0.05, 1e-9, 0)).toBeCloseTo(Math.exp(-1) / 100, 12);
    expect(lowerTailProbability(reference, 1 - scale, 0.05, 1e-9, 0)).toBeCloseTo(Math.exp(-1) / 100, 12);
  });

  it('never lets the tail scale fall below its floors', () => {
    const flat = windowOf(Array(50).fill(7));
    expect(upperTailProbability(flat, 8, 0.05, 1, 0)).toBeCloseTo(Math.exp(-1) / 51, 12);
    // A plateau of equal top values: the scale is at least 5 % of (max − median) = 0.05·(10 − 0).
    const plateau = windowOf([...Array(80).fill(0), ...Array(20).fill(10)]);
    expect(upperTailProbability(plateau, 10.5, 0.05, 1e-9, 0.05)).toBeCloseTo(Math.exp(-1) / 101, 12);
  });

  it('extrapolates on the scale of `measure`, with the floor in its units, keeping ranks unchanged', () => {
    const runs = windowOf(Array(50).fill(99)); // log1p(99) = ln 100
    // Floor ln 2 on log1p: one scale past 99 is a run of 199 (twice as long), whatever the length.
    expect(upperTailProbability(runs, 199, 0.05, Math.log(2), 0, Math.log1p)).toBeCloseTo(
      Math.exp(-1) / 51,
      12,
    );
    expect(upperTailProbability(reference, 90, 0.05, 1e-9, 0, Math.log1p)).toBeCloseTo(0.11, 12);
  });
});

describe('Detector statistics: rolling mean and delay', () => {
  it('averages the last span values', () => {
    const m = new RollingMean(3);
    for (const v of [1, 2, 3, 4]) m.push(v);
    expect(m.full).toBe(true);
    expect(m.mean).toBe(3);
  });

  it('stays exact over many cycles of large and small values', () => {
    const m = new RollingMean(4);
    for (let i = 0; i < 10_000; i++) m.push(i % 2 === 0 ? 1e12 : 1);
    for (const v of [1, 2, 3, 4]) m.push(v);
    expect(m.mean).toBe(2.5);
  });

  it('hands values back after the delay', () => {
    const d = new DelayLine(2);
    expect([d.push(1), d.push(2), d.push(3), d.push(4)]).toEqual([undefined, undefined, 1, 2]);
  });
});

describe('Detector statistics: run length (stillness)', () => {
  function sortedBaseline(r: RunLength): number[] {
    return Array.from({ length: r.baseline.size }, (_, k) => r.baseline.at(k));
  }

  it('counts the repeats of the same value in a row, 0 when the value changes', () => {
    const r = new RunLength(100);
    const seen = [5, 5, 5, 7, 7, 5].map((v) => {
      r.push(v);
      return r.current;
    });
    expect(seen).toEqual([0, 1, 2, 0, 1, 0]);
  });

  it('adds a run to the baseline only once it has ended, so a stuck value is never judged against itself', () => {
    const r = new RunLength(100);
    for (const v of [1, 2, 2, 2, 3, 3, 3, 3, 3, 3]) r.push(v);
    expect(r.current).toBe(5);
    expect(sortedBaseline(r)).toEqual([0, 0, 1, 2]);
  });

  it('feeds a long finished run in two points at a time and keeps at most `capacity` of it', () => {
    const r = new RunLength(10);
    for (let i = 0; i < 50; i++) r.push(0);
    r.push(1);
    expect(sortedBaseline(r)).toEqual([40, 41]);
    for (const v of [2, 3, 4]) r.push(v);
    expect(sortedBaseline(r)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
  });
});
