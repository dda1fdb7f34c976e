import { describe, expect, it } from 'vitest';
import type { LoopDeps } from '../../lambdas/adapters/loop-deps.js';
import { metricWindowEndMs } from '../../lambdas/handlers/runtime.js';

const T = Date.parse('2026-11-23T08:11:20Z');

/** Just what metricWindowEndMs reads: the clock and the metric lag. */
function deps(lagSeconds: number): LoopDeps {
  return { clock: { now: () => T }, config: { metricLagSeconds: lagSeconds } } as unknown as LoopDeps;
}

describe('Runtime: the end of the metric window Detect and Verify read', () => {
  it('is now minus the metric lag, down to a period boundary', () => {
    expect(new Date(metricWindowEndMs(deps(120), 60)).toISOString()).toBe('2026-11-23T08:09:00.000Z');
    expect(new Date(metricWindowEndMs(deps(0), 60)).toISOString()).toBe('2026-11-23T08:11:00.000Z');
  });

  it('reaches as far as the data an alarm already evaluated, whatever the lag', () => {
    const end = metricWindowEndMs(deps(120), 60, '2026-11-23T08:11:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-11-23T08:11:00.000Z');
  });

  it('never reaches into the period still running, and ignores an older or malformed dataUntil', () => {
    expect(new Date(metricWindowEndMs(deps(120), 60, '2026-11-23T08:13:00Z')).toISOString()).toBe(
      '2026-11-23T08:11:00.000Z',
    );
    expect(new Date(metricWindowEndMs(deps(120), 60, '2026-11-23T08:05:00Z')).toISOString()).toBe(
      '2026-11-23T08:09:00.000Z',
    );
    expect(new Date(metricWindowEndMs(deps(120), 60, 'yesterday')).toISOString()).toBe(
      '2026-11-23T08:09:00.000Z',
    );
  });
});
