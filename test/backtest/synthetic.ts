import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesPoint, SignalName, SignalWindow } from '../../lambdas/core/types.js';
import { mulberry32 } from '../fixtures/mulberry32.js';

export const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
export const PERIOD_MS = 60_000;

export interface SyntheticOptions {
  readonly minutes: number;
  /** Minute (period index) from which p95 is multiplied by `shiftFactor`. @default - no shift */
  readonly shiftAtMinute?: number;
  /** @default 1.6 */
  readonly shiftFactor?: number;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * A healthy function, one point a minute from {@link T0}: p95 about 120 ms (±3 %), 1000 calls,
 * 5 errors and 1 cold start a minute, concurrency 8; optionally a level shift in p95.
 */
export function syntheticWindow(options: SyntheticOptions): SignalWindow {
  const random = mulberry32(options.seed ?? 1);
  const factor = options.shiftFactor ?? 1.6;
  const at = (i: number) => T0 + i * PERIOD_MS;
  const range = Array.from({ length: options.minutes }, (_, i) => i);
  const shifted = (i: number) => options.shiftAtMinute !== undefined && i >= options.shiftAtMinute;
  const p95 = range.map((i) => ({
    t: at(i),
    v: Math.round(120 * (1 + 0.06 * (random() - 0.5)) * (shifted(i) ? factor : 1) * 10) / 10,
  }));
  const constant = (v: number): SeriesPoint[] => range.map((i) => ({ t: at(i), v }));
  return {
    p95DurationMillis: p95,
    invocations: constant(1000),
    errors: constant(5),
    coldStarts: constant(1),
    concurrentExecutions: constant(8),
  };
}

/** The window as one GetMetricData response, newest first (CloudWatch's default order). */
export function toGetMetricData(window: SignalWindow): Record<string, unknown> {
  return {
    MetricDataResults: Object.entries(window).map(([id, points]) => ({
      Id: id,
      Label: id,
      Timestamps: [...(points ?? [])].reverse().map((p) => new Date(p.t).toISOString()),
      Values: [...(points ?? [])].reverse().map((p) => p.v),
      StatusCode: 'Complete',
    })),
    Messages: [],
  };
}

/** Writes `<signal>.csv` files (header `timestamp,value`) into `dir`. */
export function writeCsvDirectory(window: SignalWindow, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return (Object.entries(window) as [SignalName, readonly SeriesPoint[]][]).map(([name, points]) => {
    const file = join(dir, `${name}.csv`);
    const rows = points.map((p) => `${new Date(p.t).toISOString()},${p.v}`);
    writeFileSync(file, `timestamp,value\n${rows.join('\n')}\n`);
    return file;
  });
}
