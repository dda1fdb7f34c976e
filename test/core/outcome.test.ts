import { describe, expect, it } from 'vitest';
import { buildLedgerRecord, outcomeOf } from '../../lambdas/core/outcome.js';
import type {
  Actuation,
  Decision,
  Detection,
  Outcome,
  Verification,
  WorkflowState,
} from '../../lambdas/core/types.js';
import { COLD_START_PRESSURE } from '../fixtures/diagnosis.js';

const TRIGGERED_AT = '2024-05-01T12:00:00.000Z';
const RECORDED_AT = '2024-05-01T12:10:00.000Z';

const base: WorkflowState = {
  target: 'checkout-api',
  trigger: {
    source: 'alarm',
    alarmName: 'mm-checkout-api-p95',
    signal: 'p95',
    state: 'ALARM',
    at: TRIGGERED_AT,
  },
  execution: {
    id: 'arn:aws:states:exec/abc',
    name: 'checkout-api-p95-20240501T120000-a1b2c3',
    startedAt: '2024-05-01T12:00:02.000Z',
  },
};

const detection: Detection = {
  actionable: true,
  reason: 'diagnosed',
  diagnosis: COLD_START_PRESSURE,
  windowStart: '2024-05-01T11:30:00.000Z',
  windowEnd: TRIGGERED_AT,
  policyVersion: 'abcdef0123456789',
};

const plan = {
  actuator: 'provisioned-concurrency',
  from: 2,
  to: 5,
  why: 'raise provisioned concurrency 2 → 5',
} as const;

const act: Decision = {
  verdict: 'act',
  rule: 'plan',
  detail: plan.why,
  actuator: 'provisioned-concurrency',
  plan,
  bakeSeconds: 300,
  leaseTaken: true,
};

const hold = (rule: Decision['rule'], withPlan = false): Decision => ({
  verdict: 'hold',
  rule,
  detail: rule,
  actuator: withPlan ? 'provisioned-concurrency' : 'none',
  plan: withPlan ? plan : null,
  bakeSeconds: 300,
  leaseTaken: false,
});

const actuation: Actuation = {
  actuator: 'provisioned-concurrency',
  from: 2,
  to: 5,
  changeRef: 'READY',
  at: '2024-05-01T12:01:00.000Z',
};

const verification = (keep: boolean): Verification => ({
  verdict: keep ? 'improved' : 'worse',
  keep,
  before: { p95Millis: 400 },
  after: { p95Millis: keep ? 250 : 500 },
  summary: keep ? 'improved' : 'worse',
});

const reverted = { reverted: true, restoredValue: 2, detail: 'restored 2' };
const notReverted = { reverted: false, restoredValue: null, detail: 'nothing to restore' };
const failure = { Error: 'ActuationError', Cause: 'bad value' };

describe('Outcome: how an execution ended', () => {
  const cases: ReadonlyArray<[Outcome, string, WorkflowState]> = [
    ['no-op', 'nothing was detected', { ...base, detection: { ...detection, actionable: false } }],
    ['no-op', 'detection never ran', base],
    ['held', 'a guardrail held', { ...base, detection, decision: hold('cooldown') }],
    ['dry-run', 'the decision was a dry run', { ...base, detection, decision: hold('dry-run', true) }],
    [
      'kept',
      'the change was verified and kept',
      { ...base, detection, decision: act, actuation, verification: verification(true) },
    ],
    [
      'reverted',
      'the change was verified, not kept, and reverted',
      { ...base, detection, decision: act, actuation, verification: verification(false), revert: reverted },
    ],
    [
      'failed-unreverted',
      'the change was not kept and the revert did not restore it',
      {
        ...base,
        detection,
        decision: act,
        actuation,
        verification: verification(false),
        revert: notReverted,
      },
    ],
    [
      'failed',
      'a state failed before anything changed',
      { ...base, detection, decision: act, error: failure },
    ],
    [
      'failed-reverted',
      'a state failed after the change and the revert restored it',
      { ...base, detection, decision: act, actuation, error: failure, revert: reverted },
    ],
    [
      'failed-unreverted',
      'a state failed after the change and nothing was reverted',
      { ...base, detection, decision: act, actuation, error: failure },
    ],
    [
      'failed-unreverted',
      'a state failed and the revert itself failed',
      { ...base, detection, decision: act, error: failure, revertError: { Error: 'TransientAwsError' } },
    ],
  ];

  it.each(cases)('is %s when %s', (expected, _when, state) => {
    expect(outcomeOf(state)).toBe(expected);
  });

  it('covers every outcome value', () => {
    const all: Outcome[] = [
      'no-op',
      'held',
      'kept',
      'reverted',
      'dry-run',
      'failed',
      'failed-reverted',
      'failed-unreverted',
    ];

    expect(new Set(cases.map(([outcome]) => outcome))).toEqual(new Set(all));
  });
});

describe('Outcome: ledger record', () => {
  it('records a kept action with its before and after values', () => {
    const state: WorkflowState = {
      ...base,
      detection,
      decision: act,
      actuation,
      verification: verification(true),
    };

    const record = buildLedgerRecord(state, RECORDED_AT, null);

    expect(record).toEqual({
      target: 'checkout-api',
      executionId: 'arn:aws:states:exec/abc',
      executionName: 'checkout-api-p95-20240501T120000-a1b2c3',
      actionId: 'checkout-api/checkout-api-p95-20240501T120000-a1b2c3',
      outcome: 'kept',
      trigger: base.trigger,
      diagnosis: detection.diagnosis,
      decision: { verdict: 'act', rule: 'plan', detail: plan.why },
      actuator: 'provisioned-concurrency',
      before: 2,
      after: 5,
      verification: verification(true),
      reverted: false,
      escalated: false,
      error: null,
      policyVersion: 'abcdef0123456789',
      triggeredAt: TRIGGERED_AT,
      recordedAt: RECORDED_AT,
    });
  });

  it('records the action itself and marks it reverted when it was undone', () => {
    const state: WorkflowState = {
      ...base,
      detection,
      decision: act,
      actuation,
      verification: verification(false),
      revert: reverted,
      escalation: { messageId: 'm-1' },
    };

    const record = buildLedgerRecord(state, RECORDED_AT, null);

    expect(record).toMatchObject({
      outcome: 'reverted',
      before: 2,
      after: 5,
      reverted: true,
      escalated: true,
    });
  });

  it('records the planned values of a dry run', () => {
    const state: WorkflowState = { ...base, detection, decision: hold('dry-run', true) };

    const record = buildLedgerRecord(state, RECORDED_AT, null);

    expect(record).toMatchObject({
      outcome: 'dry-run',
      actuator: 'provisioned-concurrency',
      before: 2,
      after: 5,
    });
  });

  it('records no actuator and no values for a hold without a plan', () => {
    const state: WorkflowState = { ...base, detection, decision: hold('cooldown') };

    const record = buildLedgerRecord(state, RECORDED_AT, null);

    expect(record).toMatchObject({ outcome: 'held', actuator: null, before: null, after: null });
  });

  it('records the error, or the revert error when there is no other', () => {
    const revertError = { Error: 'TransientAwsError' };

    expect(buildLedgerRecord({ ...base, error: failure, revertError }, RECORDED_AT, null).error).toEqual(
      failure,
    );
    expect(buildLedgerRecord({ ...base, revertError }, RECORDED_AT, null).error).toEqual(revertError);
  });

  it("takes the record's time from the trigger, not from the execution start", () => {
    expect(buildLedgerRecord(base, RECORDED_AT, null).triggeredAt).toBe(TRIGGERED_AT);
  });

  it('takes the policy version from the detection, else from the argument', () => {
    expect(buildLedgerRecord({ ...base, detection }, RECORDED_AT, 'other').policyVersion).toBe(
      'abcdef0123456789',
    );
    expect(buildLedgerRecord(base, RECORDED_AT, 'fallback0000').policyVersion).toBe('fallback0000');
  });

  it('records an execution that never detected anything', () => {
    const record = buildLedgerRecord(base, RECORDED_AT, null);

    expect(record).toMatchObject({
      outcome: 'no-op',
      diagnosis: null,
      decision: null,
      actuator: null,
      verification: null,
      policyVersion: null,
    });
  });
});
