/**
 * The policy a backtest uses when none is given: the `Compensator` construct's defaults for
 * guardrails and detection, and what the construct cannot default (the SLO and an actuator)
 * chosen so the replay judges the export against its own early behaviour.
 */

import { parsePolicy } from '../../lambdas/core/policy.js';
import { median, sum } from '../../lambdas/core/stats.js';
import type { SignalWindow, TargetPolicy } from '../../lambdas/core/types.js';
import { DEFAULT_DETECTION, DEFAULT_GUARDRAILS } from '../../lib/compensator.js';
import { exportStartMs } from './metric-export.js';
import { sliceWindow } from './replay.js';

/** Provisioned-concurrency bounds of the default policy (the construct has no default actuator). */
export const DEFAULT_BACKTEST_PC_BOUNDS = { min: 0, max: 50, maxStep: 10 } as const;

/** The default SLO sits this far above the export's early level, so only the baseline rules decide. */
export const DEFAULT_SLO_HEADROOM = 2;

/** Error-rate objective of the default policy at least this (percent). */
export const DEFAULT_MIN_ERROR_RATE_PERCENT = 1;

/**
 * Builds the default policy for `target`: function `target`, alias `live`, the construct's
 * default guardrails and detection (with the export's period), provisioned-concurrency bounds
 * {@link DEFAULT_BACKTEST_PC_BOUNDS} and no flags. The SLO (a required construct prop) comes
 * from the data before the first evaluation (the first `windowMinutes` of the export): p95
 * objective twice its median p95, error-rate objective twice its error rate, at least 1 %.
 * Validated by the core policy parser, as the handlers read a registered policy.
 */
export function defaultPolicy(target: string, window: SignalWindow, periodSeconds: number): TargetPolicy {
  const startMs = exportStartMs(window);
  const early = sliceWindow(window, startMs, startMs + DEFAULT_DETECTION.windowMinutes * 60_000);
  const p95 = median((early.p95DurationMillis ?? []).map((p) => p.v));
  const calls = sum((early.invocations ?? []).map((p) => p.v));
  const errorRatePercent = calls > 0 ? (100 * sum((early.errors ?? []).map((p) => p.v))) / calls : 0;
  const policy: TargetPolicy = {
    schemaVersion: 1,
    target,
    functionName: target,
    aliasName: 'live',
    slo: {
      p95Millis: Number.isFinite(p95) && p95 > 0 ? Math.ceil(DEFAULT_SLO_HEADROOM * p95) : 1000,
      errorRatePercent: Math.max(
        DEFAULT_MIN_ERROR_RATE_PERCENT,
        Math.round(100 * DEFAULT_SLO_HEADROOM * errorRatePercent) / 100,
      ),
    },
    provisionedConcurrency: { ...DEFAULT_BACKTEST_PC_BOUNDS },
    flags: [],
    guardrails: { ...DEFAULT_GUARDRAILS },
    detection: { ...DEFAULT_DETECTION, periodSeconds },
  };
  return parsePolicy(JSON.stringify(policy), `default policy of target ${target}`);
}
