import { describe, expect, it } from 'vitest';
import { diagnose } from '../../lambdas/core/diagnosis.js';
import { PolicyInvalidError } from '../../lambdas/core/errors.js';
import { parsePolicy } from '../../lambdas/core/policy.js';
import { anomalyScores, detectorSupport } from '../../lambdas/core/signal-anomalies.js';
import type { SeriesPoint, SignalWindow } from '../../lambdas/core/types.js';
import { mulberry32 } from '../fixtures/mulberry32.js';
import { makePolicy } from '../fixtures/policy.js';

const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const HISTORY = 360;

/** Six hours of one-minute signals: noisy p95 around 200 ms, 1000 calls, 0.5 % errors; `shift` adds to the last 5 p95s. */
function history(seed: number, shift = 0): SignalWindow {
  const r = mulberry32(seed);
  const at = (i: number) => T0 + i * 60_000;
  const p95: SeriesPoint[] = [];
  const calls: SeriesPoint[] = [];
  const errors: SeriesPoint[] = [];
  for (let i = 0; i < HISTORY; i++) {
    p95.push({ t: at(i), v: 200 + 10 * (r() - 0.5) + (i >= HISTORY - 5 ? shift : 0) });
    calls.push({ t: at(i), v: 1000 });
    errors.push({ t: at(i), v: Math.round(5 + 4 * (r() - 0.5)) });
  }
  return { p95DurationMillis: p95, invocations: calls, errors };
}

function lastThirty(window: SignalWindow): SignalWindow {
  return Object.fromEntries(Object.entries(window).map(([k, v]) => [k, (v ?? []).slice(-30)]));
}

describe('Diagnosis: the streaming detector per signal', () => {
  it('scores a p95 level shift against six hours of history and raises the confidence of latency drift', () => {
    const shifted = history(3, 60);

    const withHistory = diagnose(shifted, makePolicy());
    const windowOnly = diagnose(lastThirty(shifted), makePolicy());

    expect(withHistory.kind).toBe('latency-drift');
    expect(withHistory.evidence.anomalyScoreP95).toBeGreaterThanOrEqual(0.4);
    expect(detectorSupport(withHistory.evidence.anomalyScoreP95)).toBe(1);
    expect(windowOnly.kind).toBe('latency-drift');
    expect(withHistory.confidence).toBeGreaterThan(windowOnly.confidence);
  });

  it('finds no diagnosis in six hours of noise, and the detector stays under its alarm level', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const diagnosis = diagnose(history(seed), makePolicy());

      expect(diagnosis.kind).toBe('none');
      expect(diagnosis.evidence.anomalyScoreP95).toBeLessThan(0.4);
      expect(diagnosis.evidence.anomalyScoreErrorRate).toBeLessThan(0.4);
    }
  });

  it('never diagnoses on the detector alone: a surprise no rule explains is evidence, not an action', () => {
    const window = history(7);
    const concurrency = (window.invocations ?? []).map((p, i) => ({
      t: p.t,
      v: i === HISTORY - 1 ? 400 : 8,
    }));

    const diagnosis = diagnose({ ...window, concurrentExecutions: concurrency }, makePolicy());

    expect(diagnosis.evidence.anomalyScoreConcurrency).toBeGreaterThanOrEqual(0.4);
    expect(diagnosis.kind).toBe('none');
  });

  it('scores each signal from its own past only, 0 without enough history', () => {
    const short = lastThirty(history(1, 60));

    expect(anomalyScores(short, 5)).toMatchObject({ p95: 0, errorRate: 0 });
    expect(anomalyScores({}, 5)).toEqual({});
  });
});

describe('Policy: detection history', () => {
  const base = JSON.parse(JSON.stringify(makePolicy())) as Record<string, Record<string, unknown>>;

  it('reads six hours by default for policies registered before the setting existed', () => {
    const { historyMinutes: _h, ...detection } = base.detection as Record<string, unknown>;
    const policy = parsePolicy(JSON.stringify({ ...base, detection }), 'test');

    expect(policy.detection.historyMinutes).toBe(360);
  });

  it('rejects a history shorter than the window, naming both fields', () => {
    const doc = { ...base, detection: { ...base.detection, historyMinutes: 10 } };

    expect(() => parsePolicy(JSON.stringify(doc), 'test')).toThrow(PolicyInvalidError);
    expect(() => parsePolicy(JSON.stringify(doc), 'test')).toThrow(
      /historyMinutes 10 is shorter than detection.windowMinutes 30/,
    );
  });
});
