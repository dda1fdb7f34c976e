import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { INVALID_INPUT_TARGET as CORE_INVALID_INPUT_TARGET } from '../../lambdas/core/workflow-state.js';
import { ControlPlaneStack } from '../../lib/control-plane-stack.js';
import { HANDLER_CATALOG, STATE_NAMES } from '../../lib/handler-catalog.js';
import { type AslDefinition, type AslState, INVALID_INPUT_TARGET } from '../../lib/workflow.js';
import { testApp } from './helpers.js';

const fakeArn = (intrinsic: Record<string, unknown>): string => {
  const getAtt = intrinsic['Fn::GetAtt'];
  const ref = intrinsic.Ref;
  if (ref === 'AWS::Partition') return 'aws';
  return `arn:aws:lambda:us-east-1:123456789012:function:${String(Array.isArray(getAtt) ? getAtt[0] : ref)}`;
};

/** Follows the definition from StartAt with `state` as the data, choosing Choice branches like Step Functions. */
function walk(asl: AslDefinition, state: Record<string, unknown>): string[] {
  const path: string[] = [];
  let name: string | undefined = asl.StartAt;
  while (name !== undefined) {
    path.push(name);
    if (path.length > 50) throw new Error(`loop: ${path.join(' → ')}`);
    const s: AslState | undefined = asl.States[name];
    if (!s) throw new Error(`no state ${name}`);
    if (s.Type === 'Choice') {
      const choice: { readonly Next: string } | undefined = s.Choices?.find((c) => matches(c, state));
      name = choice ? choice.Next : s.Default;
    } else {
      name = s.End ? undefined : s.Next;
    }
  }
  return path;
}

function matches(rule: Record<string, unknown>, data: Record<string, unknown>): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => matches(r as Record<string, unknown>, data));
  const value = String(rule.Variable)
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], data);
  if ('StringEquals' in rule) return value === rule.StringEquals;
  if ('BooleanEquals' in rule) return value === rule.BooleanEquals;
  if ('IsPresent' in rule) return (value !== undefined) === rule.IsPresent;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  throw new Error(`unsupported rule ${JSON.stringify(rule)}`);
}

const happyState = {
  target: 'orders',
  trigger: { source: 'alarm', at: '2026-11-23T08:00:00Z' },
  detection: { actionable: true },
  decision: { verdict: 'act', actuator: 'provisioned-concurrency', bakeSeconds: 300 },
  verification: { keep: true },
};

describe('Workflow definition', () => {
  const stack = new ControlPlaneStack(testApp(), 'Micromotion');
  const asl = stack.definitionAsl(fakeArn);

  it('is valid ASL per asl-validator', () => {
    const result = aslValidator(structuredClone(asl));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only (no JSONata, no Variables)', () => {
    const json = JSON.stringify(asl);
    expect(json).not.toContain('JSONata');
    expect(json).not.toContain('"Assign"');
    expect(json).not.toContain('{%');
  });

  it('names the states exactly as the runner and handlers expect', () => {
    expect(Object.keys(asl.States).sort()).toEqual(Object.values(STATE_NAMES).sort());
    expect(asl.StartAt).toBe('Check input');
    for (const spec of HANDLER_CATALOG) {
      if (spec.stateName) expect(asl.States[spec.stateName]?.Type).toBe('Task');
    }
  });

  it('takes at most 12 state transitions on the happy path (act → keep)', () => {
    const path = walk(asl, happyState);
    expect(path).toEqual([
      'Check input',
      'Describe execution',
      'Detect micromotion',
      'Anything to correct?',
      'Check guardrails',
      'Act or hold?',
      'Adjust provisioned concurrency',
      'Bake',
      'Verify effect',
      'Keep or revert?',
      'Record outcome',
    ]);
    expect(path.length).toBeLessThanOrEqual(12);
  });

  it('routes a feature-flag decision to Flip feature flag, and a worse verification to Revert then Escalate', () => {
    const path = walk(asl, {
      ...happyState,
      decision: { verdict: 'act', actuator: 'feature-flag', bakeSeconds: 60 },
      verification: { keep: false },
    });
    expect(path).toContain('Flip feature flag');
    expect(path.slice(-3)).toEqual(['Revert', 'Escalate', 'Record outcome']);
  });

  it('records a hold or a non-actionable detection without acting', () => {
    expect(walk(asl, { ...happyState, detection: { actionable: false } }).at(-1)).toBe('Record outcome');
    expect(
      walk(asl, {
        ...happyState,
        detection: { actionable: true },
        decision: { verdict: 'hold', actuator: 'none' },
      }),
    ).not.toContain('Bake');
  });

  it('sends input without a target or trigger straight to a record of the failure', () => {
    expect(walk(asl, { target: 'orders' })).toEqual([
      'Check input',
      'Describe invalid input',
      'Record outcome',
    ]);
    expect(asl.States['Describe invalid input']).toMatchObject({
      Parameters: { target: INVALID_INPUT_TARGET, error: { Error: 'InvalidEventError' } },
    });
    expect(INVALID_INPUT_TARGET).toBe(CORE_INVALID_INPUT_TARGET);
  });

  it('writes a last-resort item when Record outcome fails, and does not retry what cannot succeed', () => {
    const record = asl.States['Record outcome'];
    expect(record?.Catch?.[0]).toMatchObject({
      Next: 'Record failure directly',
      ResultPath: '$.recordError',
    });
    const noRetry = record?.Retry?.findIndex((r) => r.ErrorEquals.includes('LedgerConflictError')) ?? -1;
    const retryAll = record?.Retry?.findIndex((r) => r.ErrorEquals.includes('States.ALL')) ?? -1;
    expect(record?.Retry?.[noRetry]).toMatchObject({
      ErrorEquals: ['InvalidEventError', 'LedgerConflictError'],
      MaxAttempts: 0,
    });
    expect(noRetry).toBeGreaterThanOrEqual(0);
    expect(noRetry).toBeLessThan(retryAll);
    expect(asl.States['Record failure directly']).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Next: 'Ledger write failed',
    });
  });

  it('gives every Task a Catch on States.ALL', () => {
    const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks).toHaveLength(9);
    for (const [name, s] of tasks) {
      expect(
        s.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')),
        name,
      ).toBe(true);
    }
  });

  it('retries TransientAwsError on every Lambda task', () => {
    for (const [name, s] of Object.entries(asl.States)) {
      if (s.Type !== 'Task' || name === 'Escalate') continue;
      const covered = s.Retry?.some(
        (r) => r.ErrorEquals.includes('TransientAwsError') || r.ErrorEquals.includes('States.ALL'),
      );
      expect(covered, name).toBe(true);
    }
  });

  it('sends actuator failures to Revert and a failed revert on to Escalate', () => {
    expect(asl.States['Adjust provisioned concurrency']?.Catch?.[0]).toMatchObject({
      Next: 'Revert',
      ResultPath: '$.error',
    });
    expect(asl.States['Flip feature flag']?.Catch?.[0]).toMatchObject({
      Next: 'Revert',
      ResultPath: '$.error',
    });
    expect(asl.States['Verify effect']?.Catch?.[0]).toMatchObject({ Next: 'Revert', ResultPath: '$.error' });
    expect(asl.States.Revert?.Catch?.[0]).toMatchObject({ Next: 'Escalate', ResultPath: '$.revertError' });
    expect(asl.States.Escalate?.Catch?.[0]).toMatchObject({
      Next: 'Record outcome',
      ResultPath: '$.escalationError',
    });
  });

  it('retries Record outcome hard except on InvalidEventError, then fails with LedgerWriteFailed', () => {
    const record = asl.States['Record outcome'];
    expect(record?.End).toBe(true);
    const retry = record?.Retry ?? [];
    const invalid = retry.findIndex((r) => r.ErrorEquals.includes('InvalidEventError'));
    const all = retry.findIndex((r) => r.ErrorEquals.includes('States.ALL'));
    expect(retry[invalid]?.MaxAttempts).toBe(0);
    expect(all).toBe(retry.length - 1);
    expect(retry[all]?.MaxAttempts).toBe(6);
    expect(invalid).toBeLessThan(all);
    expect(asl.States['Ledger write failed']).toMatchObject({ Type: 'Fail', Error: 'LedgerWriteFailed' });
  });

  it('bakes for the decided number of seconds and describes the execution from the context object', () => {
    expect(asl.States.Bake).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.decision.bakeSeconds',
      Next: 'Verify effect',
    });
    expect(asl.States['Describe execution']?.Parameters).toEqual({
      'target.$': '$.target',
      'trigger.$': '$.trigger',
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
      },
    });
  });
});
