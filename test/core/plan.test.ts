import { describe, expect, it } from 'vitest';
import type { CurrentValues } from '../../lambdas/core/guardrails.js';
import { planAction } from '../../lambdas/core/plan.js';
import type { Diagnosis, DiagnosisKind } from '../../lambdas/core/types.js';
import { makeFlag, makePolicy } from '../fixtures/policy.js';

function diagnosisOf(kind: DiagnosisKind | 'none', evidence: Record<string, number> = {}): Diagnosis {
  return { kind, magnitude: 0.5, persistence: 1, confidence: 0.9, evidence, summary: kind };
}

function currentValues(
  provisionedConcurrency: number | null,
  flags: Record<string, boolean> = {},
): CurrentValues {
  return { provisionedConcurrency, flags };
}

const pcBounds = { min: 1, max: 20, maxStep: 5 };

describe('Plan: raise provisioned concurrency for cold-start pressure', () => {
  it('raises to the concurrency peak plus 20 % headroom, rounded up', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 4 }),
      policy,
      currentValues(2),
    );

    expect(result).toEqual({
      kind: 'act',
      plan: {
        actuator: 'provisioned-concurrency',
        from: 2,
        to: 5,
        why: 'raise provisioned concurrency 2 → 5 (peak concurrency 4)',
      },
    });
  });

  it('limits a raise to maxStep', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 10 }),
      policy,
      currentValues(2),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 2, to: 7 } });
  });

  it('limits a raise to max', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 30 }),
      policy,
      currentValues(18),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 18, to: 20 } });
  });

  it('raises by maxStep when the concurrency peak is unknown', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(diagnosisOf('cold-start-pressure'), policy, currentValues(3));

    expect(result).toMatchObject({ kind: 'act', plan: { from: 3, to: 8 } });
    expect(result.kind === 'act' && result.plan.why).toContain('peak concurrency unknown');
  });

  it('raises by maxStep when the peak does not exceed the current pool', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 3 }),
      policy,
      currentValues(3),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 3, to: 8 } });
  });

  it('raises at least to min', () => {
    const policy = makePolicy({ provisionedConcurrency: { min: 3, max: 20, maxStep: 5 } });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 1 }),
      policy,
      currentValues(0),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 0, to: 3 } });
  });

  it('holds at-bound when the pool is already at max', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 40 }),
      policy,
      currentValues(20),
    );

    expect(result).toEqual({
      kind: 'hold',
      rule: 'at-bound',
      detail: 'provisioned concurrency 20 is already at max 20',
    });
  });

  it('holds no-actuator when the target has no PC bounds', () => {
    const policy = makePolicy({ provisionedConcurrency: null });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 4 }),
      policy,
      currentValues(2),
    );

    expect(result).toMatchObject({ kind: 'hold', rule: 'no-actuator' });
  });

  it('holds no-actuator when the current pool is unknown', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 4 }),
      policy,
      currentValues(null),
    );

    expect(result).toEqual({
      kind: 'hold',
      rule: 'no-actuator',
      detail: 'current provisioned concurrency is unknown',
    });
  });

  it('raises provisioned concurrency even when a flag also remedies cold-start pressure', () => {
    const policy = makePolicy({
      provisionedConcurrency: pcBounds,
      flags: [makeFlag('lazyInit', ['cold-start-pressure'])],
    });

    const result = planAction(
      diagnosisOf('cold-start-pressure', { concurrencyPeak: 4 }),
      policy,
      currentValues(2),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { actuator: 'provisioned-concurrency' } });
  });
});

describe('Plan: lower provisioned concurrency when over-provisioned', () => {
  it('lowers by at most maxStep', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 }),
      policy,
      currentValues(10),
    );

    expect(result).toEqual({
      kind: 'act',
      plan: {
        actuator: 'provisioned-concurrency',
        from: 10,
        to: 5,
        why: 'lower provisioned concurrency 10 → 5 (peak utilization 10 %)',
      },
    });
  });

  it('lowers no further than min', () => {
    const policy = makePolicy({ provisionedConcurrency: { min: 7, max: 20, maxStep: 5 } });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 }),
      policy,
      currentValues(10),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 10, to: 7 } });
  });

  it('keeps enough capacity for the peak to run at 60 % utilization', () => {
    const policy = makePolicy({ provisionedConcurrency: { min: 0, max: 20, maxStep: 10 } });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.25 }),
      policy,
      currentValues(10),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 10, to: 5 } });
  });

  it('lowers to min when the pool was idle', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0 }),
      policy,
      currentValues(4),
    );

    expect(result).toMatchObject({ kind: 'act', plan: { from: 4, to: 1 } });
  });

  it('holds at-bound when the pool is already at min', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 }),
      policy,
      currentValues(1),
    );

    expect(result).toEqual({
      kind: 'hold',
      rule: 'at-bound',
      detail: 'provisioned concurrency 1 is already at min 1',
    });
  });

  it('holds at-bound when the peak needs the whole pool', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.7 }),
      policy,
      currentValues(10),
    );

    expect(result).toMatchObject({ kind: 'hold', rule: 'at-bound' });
  });

  it('holds no-actuator when the target has no PC bounds', () => {
    const policy = makePolicy({ provisionedConcurrency: null });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 }),
      policy,
      currentValues(10),
    );

    expect(result).toMatchObject({ kind: 'hold', rule: 'no-actuator' });
  });

  it('holds no-actuator when the current pool is unknown', () => {
    const policy = makePolicy({ provisionedConcurrency: pcBounds });

    const result = planAction(
      diagnosisOf('over-provisioned', { pcUtilizationPeak: 0.1 }),
      policy,
      currentValues(null),
    );

    expect(result).toMatchObject({ kind: 'hold', rule: 'no-actuator' });
  });
});

describe('Plan: flip a feature flag', () => {
  const policy = makePolicy({
    flags: [
      makeFlag('skipOptionalDependency', ['latency-drift']),
      makeFlag('shedRetries', ['error-drift', 'retry-amplification']),
      makeFlag('useFallbackPath', ['error-drift', 'canary-regression'], { compensatingValue: false }),
    ],
  });

  it('chooses the flag that remedies the diagnosis', () => {
    const result = planAction(
      diagnosisOf('latency-drift'),
      policy,
      currentValues(2, { skipOptionalDependency: false }),
    );

    expect(result).toEqual({
      kind: 'act',
      plan: {
        actuator: 'feature-flag',
        flagKey: 'skipOptionalDependency',
        from: false,
        to: true,
        why: 'set flag skipOptionalDependency to true to counter latency-drift',
      },
    });
  });

  it('chooses a flag for retry amplification', () => {
    const result = planAction(diagnosisOf('retry-amplification'), policy, currentValues(2));

    expect(result).toMatchObject({ kind: 'act', plan: { flagKey: 'shedRetries', to: true } });
  });

  it('skips a remedying flag that is already compensating', () => {
    const result = planAction(
      diagnosisOf('error-drift'),
      policy,
      currentValues(2, { shedRetries: true, useFallbackPath: true }),
    );

    expect(result).toMatchObject({
      kind: 'act',
      plan: { flagKey: 'useFallbackPath', from: true, to: false },
    });
  });

  it('assumes a flag with no known value is not compensating', () => {
    const result = planAction(diagnosisOf('canary-regression'), policy, currentValues(2));

    expect(result).toMatchObject({
      kind: 'act',
      plan: { flagKey: 'useFallbackPath', from: true, to: false },
    });
  });

  it('holds at-bound when every remedying flag is already compensating', () => {
    const result = planAction(
      diagnosisOf('latency-drift'),
      policy,
      currentValues(2, { skipOptionalDependency: true }),
    );

    expect(result).toEqual({
      kind: 'hold',
      rule: 'at-bound',
      detail: 'every flag that remedies latency-drift is already compensating',
    });
  });

  it('holds no-actuator when no flag remedies the diagnosis', () => {
    const result = planAction(diagnosisOf('latency-drift'), makePolicy(), currentValues(2));

    expect(result).toEqual({
      kind: 'hold',
      rule: 'no-actuator',
      detail: 'no flag of checkout-api remedies latency-drift',
    });
  });

  it('does not use provisioned concurrency for latency drift', () => {
    const result = planAction(
      diagnosisOf('latency-drift', { concurrencyPeak: 10 }),
      makePolicy({ provisionedConcurrency: pcBounds }),
      currentValues(2),
    );

    expect(result).toMatchObject({ kind: 'hold', rule: 'no-actuator' });
  });
});

describe('Plan: nothing diagnosed', () => {
  it('holds no-actuator', () => {
    expect(planAction(diagnosisOf('none'), makePolicy(), currentValues(2))).toEqual({
      kind: 'hold',
      rule: 'no-actuator',
      detail: 'nothing to correct',
    });
  });
});

describe('Plan: a value left outside the bounds', () => {
  it('brings provisioned concurrency below min back up one step at a time', () => {
    const diagnosis = {
      kind: 'cold-start-pressure' as const,
      magnitude: 1,
      persistence: 1,
      confidence: 1,
      evidence: { concurrencyPeak: 40 },
      summary: '',
    };
    const policy = makePolicy({ provisionedConcurrency: { min: 20, max: 50, maxStep: 5 } });

    const result = planAction(diagnosis, policy, { provisionedConcurrency: 2, flags: {} });

    expect(result).toMatchObject({ kind: 'act', plan: { from: 2, to: 7 } });
  });
});
