import { describe, expect, it } from 'vitest';
import {
  bakeSecondsFor,
  type DecisionContext,
  decide,
  MAX_BAKE_SECONDS,
} from '../../lambdas/core/guardrails.js';
import type { Diagnosis } from '../../lambdas/core/types.js';
import { COLD_START_PRESSURE } from '../fixtures/diagnosis.js';
import { makeFlag, makePolicy, type PolicyOverrides } from '../fixtures/policy.js';

const NOW_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** A context in which every guardrail passes: PC 2 → 5 is planned. */
function makeContext(
  overrides: Partial<Omit<DecisionContext, 'policy'>> = {},
  policy: PolicyOverrides = {},
): DecisionContext {
  return {
    policy: makePolicy(policy),
    diagnosis: COLD_START_PRESSURE,
    nowMs: NOW_MS,
    globalDryRun: false,
    globalPaused: false,
    targetPaused: false,
    leaseAcquired: true,
    recentActionTimes: [],
    current: { provisionedConcurrency: 2, flags: {} },
    ...overrides,
  };
}

describe('Guardrails: act', () => {
  it('acts on the plan when every guardrail passes', () => {
    const decision = decide(makeContext());

    expect(decision).toEqual({
      verdict: 'act',
      rule: 'plan',
      detail: 'raise provisioned concurrency 2 → 5 (peak concurrency 4)',
      actuator: 'provisioned-concurrency',
      plan: {
        actuator: 'provisioned-concurrency',
        from: 2,
        to: 5,
        why: 'raise provisioned concurrency 2 → 5 (peak concurrency 4)',
      },
      bakeSeconds: 300,
      leaseTaken: true,
    });
  });

  it('acts with a feature flag', () => {
    const decision = decide(
      makeContext(
        { diagnosis: { ...COLD_START_PRESSURE, kind: 'latency-drift' } },
        { flags: [makeFlag('skipOptionalDependency', ['latency-drift'])] },
      ),
    );

    expect(decision).toMatchObject({ verdict: 'act', rule: 'plan', actuator: 'feature-flag' });
    expect(decision.plan).toMatchObject({ flagKey: 'skipOptionalDependency', from: false, to: true });
  });

  it('carries the policy bake time on every decision', () => {
    expect(decide(makeContext({}, { guardrails: { bakeSeconds: 900 } })).bakeSeconds).toBe(900);
    expect(
      decide(makeContext({ globalPaused: true }, { guardrails: { bakeSeconds: 900 } })).bakeSeconds,
    ).toBe(900);
  });
});

describe('Guardrails: kill switches', () => {
  it('holds every target while the global kill switch is on', () => {
    const decision = decide(makeContext({ globalPaused: true }));

    expect(decision).toEqual({
      verdict: 'hold',
      rule: 'global-kill-switch',
      detail: 'the control plane is paused for every target',
      actuator: 'none',
      plan: null,
      bakeSeconds: 300,
      leaseTaken: false,
    });
  });

  it('holds a target whose kill switch is on', () => {
    const decision = decide(makeContext({ targetPaused: true }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'target-kill-switch',
      detail: 'checkout-api is paused',
      plan: null,
    });
  });

  it('holds a target whose policy is paused', () => {
    const decision = decide(makeContext({}, { guardrails: { paused: true } }));

    expect(decision).toMatchObject({ verdict: 'hold', rule: 'target-kill-switch' });
  });
});

describe('Guardrails: confidence', () => {
  it('holds when nothing was diagnosed', () => {
    const decision = decide(
      makeContext({ diagnosis: { ...COLD_START_PRESSURE, kind: 'none', confidence: 1 } }),
    );

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'low-confidence',
      detail: 'nothing was diagnosed',
    });
  });

  it('holds a diagnosis below the policy minimum confidence', () => {
    const decision = decide(makeContext({ diagnosis: { ...COLD_START_PRESSURE, confidence: 0.59 } }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'low-confidence',
      detail: 'confidence 0.59 is below the policy minimum 0.6',
    });
  });

  it('acts on a diagnosis exactly at the policy minimum confidence', () => {
    const decision = decide(makeContext({ diagnosis: { ...COLD_START_PRESSURE, confidence: 0.6 } }));

    expect(decision.verdict).toBe('act');
  });
});

describe('Guardrails: lease', () => {
  it('holds while another execution holds the lease', () => {
    const decision = decide(makeContext({ leaseAcquired: false }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'lease-held',
      detail: 'another execution is acting on checkout-api',
      leaseTaken: false,
    });
  });
});

describe('Guardrails: cooldown', () => {
  it('holds a second action inside the cooldown', () => {
    const decision = decide(makeContext({ recentActionTimes: [NOW_MS - 5 * MINUTE_MS] }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'cooldown',
      detail: 'last action 300 s ago; 300 s of cooldown left',
    });
  });

  it('judges the cooldown by the newest action', () => {
    const decision = decide(
      makeContext({ recentActionTimes: [NOW_MS - 50 * MINUTE_MS, NOW_MS - 9 * MINUTE_MS] }),
    );

    expect(decision).toMatchObject({
      rule: 'cooldown',
      detail: 'last action 540 s ago; 60 s of cooldown left',
    });
  });

  it('acts once the cooldown has fully passed', () => {
    const decision = decide(makeContext({ recentActionTimes: [NOW_MS - 10 * MINUTE_MS] }));

    expect(decision.verdict).toBe('act');
  });

  it('rounds the cooldown left up to whole seconds', () => {
    const decision = decide(makeContext({ recentActionTimes: [NOW_MS - 10 * MINUTE_MS + 1] }));

    expect(decision).toMatchObject({
      rule: 'cooldown',
      detail: 'last action 600 s ago; 1 s of cooldown left',
    });
  });

  it('applies no cooldown when the policy sets none', () => {
    const decision = decide(
      makeContext({ recentActionTimes: [NOW_MS - SECOND_MS] }, { guardrails: { cooldownSeconds: 0 } }),
    );

    expect(decision.verdict).toBe('act');
  });
});

describe('Guardrails: action budget', () => {
  it('holds once the hourly action budget is spent', () => {
    const decision = decide(
      makeContext(
        {
          recentActionTimes: [NOW_MS - 55 * MINUTE_MS, NOW_MS - 40 * MINUTE_MS, NOW_MS - 25 * MINUTE_MS],
        },
        { guardrails: { actionsPerHour: 3 } },
      ),
    );

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'action-budget',
      detail: '3 actions in the last hour; budget 3',
    });
  });

  it('does not count actions older than an hour', () => {
    const decision = decide(
      makeContext(
        {
          recentActionTimes: [NOW_MS - 60 * MINUTE_MS, NOW_MS - 40 * MINUTE_MS, NOW_MS - 25 * MINUTE_MS],
        },
        { guardrails: { actionsPerHour: 3 } },
      ),
    );

    expect(decision.verdict).toBe('act');
  });

  it('never acts with a budget of zero', () => {
    const decision = decide(makeContext({}, { guardrails: { actionsPerHour: 0 } }));

    expect(decision).toMatchObject({ verdict: 'hold', rule: 'action-budget' });
  });
});

describe('Guardrails: plan', () => {
  it('holds at-bound when the pool is already at max', () => {
    const decision = decide(makeContext({ current: { provisionedConcurrency: 20, flags: {} } }));

    expect(decision).toEqual({
      verdict: 'hold',
      rule: 'at-bound',
      detail: 'provisioned concurrency 20 is already at max 20',
      actuator: 'none',
      plan: null,
      bakeSeconds: 300,
      leaseTaken: false,
    });
  });

  it('holds no-actuator when nothing can remedy the diagnosis', () => {
    const decision = decide(makeContext({ diagnosis: { ...COLD_START_PRESSURE, kind: 'latency-drift' } }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'no-actuator',
      detail: 'no flag of checkout-api remedies latency-drift',
      plan: null,
    });
  });
});

describe('Guardrails: dry run', () => {
  it('holds with the plan when the control plane runs dry', () => {
    const decision = decide(makeContext({ globalDryRun: true }));

    expect(decision).toEqual({
      verdict: 'hold',
      rule: 'dry-run',
      detail: 'dry run: would raise provisioned concurrency 2 → 5 (peak concurrency 4)',
      actuator: 'provisioned-concurrency',
      plan: {
        actuator: 'provisioned-concurrency',
        from: 2,
        to: 5,
        why: 'raise provisioned concurrency 2 → 5 (peak concurrency 4)',
      },
      bakeSeconds: 300,
      leaseTaken: false,
    });
  });

  it('holds with the plan when the target policy runs dry', () => {
    const decision = decide(makeContext({}, { guardrails: { dryRun: true } }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'dry-run',
      actuator: 'provisioned-concurrency',
      plan: { from: 2, to: 5 },
    });
  });

  it('reports at-bound rather than dry-run when there is nothing to plan', () => {
    const decision = decide(
      makeContext({ globalDryRun: true, current: { provisionedConcurrency: 20, flags: {} } }),
    );

    expect(decision.rule).toBe('at-bound');
  });
});

describe('Guardrails: order', () => {
  /** Each step fails one more guardrail; the rule named is always the earliest that fails. */
  const failing: ReadonlyArray<[string, Partial<Omit<DecisionContext, 'policy'>>, PolicyOverrides]> = [
    ['dry-run', { globalDryRun: true }, {}],
    ['at-bound', { current: { provisionedConcurrency: 20, flags: {} } }, {}],
    ['action-budget', {}, { guardrails: { actionsPerHour: 0 } }],
    ['cooldown', { recentActionTimes: [NOW_MS - MINUTE_MS] }, {}],
    ['lease-held', { leaseAcquired: false }, {}],
    ['low-confidence', { diagnosis: { ...COLD_START_PRESSURE, confidence: 0.1 } }, {}],
    ['target-kill-switch', { targetPaused: true }, {}],
    ['global-kill-switch', { globalPaused: true }, {}],
  ];

  it.each(failing.map(([rule], i) => [rule, i] as const))(
    'names %s when it fails along with every guardrail after it',
    (rule, index) => {
      let context: Partial<Omit<DecisionContext, 'policy'>> = {};
      let policy: PolicyOverrides = {};
      for (const [, contextPart, policyPart] of failing.slice(0, index + 1)) {
        context = { ...context, ...contextPart };
        policy = { ...policy, ...policyPart };
      }

      const decision = decide(makeContext(context, policy));

      expect(decision.rule).toBe(rule);
      expect(decision.verdict).toBe('hold');
    },
  );
});

describe('Guardrails: another deployment', () => {
  const latencyDrift: Diagnosis = { ...COLD_START_PRESSURE, kind: 'latency-drift', evidence: {} };

  it('holds a flag flip while an AppConfig deployment to its environment is running', () => {
    const decision = decide(
      makeContext(
        {
          diagnosis: latencyDrift,
          current: { provisionedConcurrency: 2, flags: { skip: false } },
          flagsDeploying: ['skip'],
        },
        { flags: [makeFlag('skip', ['latency-drift'])] },
      ),
    );

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'deployment-in-progress',
      actuator: 'feature-flag',
    });
    expect(decision.detail).toContain('never fight another deployment');
  });

  it('acts on the flag once no deployment is running', () => {
    const decision = decide(
      makeContext(
        {
          diagnosis: latencyDrift,
          current: { provisionedConcurrency: 2, flags: { skip: false } },
          flagsDeploying: [],
        },
        { flags: [makeFlag('skip', ['latency-drift'])] },
      ),
    );

    expect(decision).toMatchObject({ verdict: 'act', actuator: 'feature-flag' });
  });
});

describe('Guardrails: another controller', () => {
  it('holds a provisioned-concurrency change while Application Auto Scaling manages the alias', () => {
    const decision = decide(makeContext({ pcAutoscaled: true }));

    expect(decision).toMatchObject({
      verdict: 'hold',
      rule: 'another-controller',
      actuator: 'provisioned-concurrency',
    });
  });
});

describe('Guardrails: bake time', () => {
  const policy = makePolicy({ guardrails: { bakeSeconds: 600 } });
  const cold = (evidence: Record<string, number>) => ({
    kind: 'cold-start-pressure' as const,
    magnitude: 3,
    persistence: 0.67,
    confidence: 0.9,
    evidence,
    summary: 'bursts',
  });

  it("waits past the next burst when bursts recur (interval + 2 minutes), never less than the policy's bake", () => {
    expect(bakeSecondsFor(policy, cold({ coldStartBurstIntervalSeconds: 900 }))).toBe(1020);
    expect(bakeSecondsFor(policy, cold({ coldStartBurstIntervalSeconds: 120 }))).toBe(600);
  });

  it('caps the bake at an hour and keeps the policy bake for other diagnoses or unknown intervals', () => {
    expect(bakeSecondsFor(policy, cold({ coldStartBurstIntervalSeconds: 7200 }))).toBe(MAX_BAKE_SECONDS);
    expect(bakeSecondsFor(policy, cold({}))).toBe(600);
    expect(
      bakeSecondsFor(policy, { ...cold({ coldStartBurstIntervalSeconds: 900 }), kind: 'latency-drift' }),
    ).toBe(600);
  });
});
