import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambdas/core/errors.js';
import { parseWorkflowState } from '../../lambdas/core/workflow-state.js';

function stateDoc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: 'checkout-api',
    trigger: { source: 'alarm', alarmName: 'micromotion-checkout-api-p95', at: '2024-05-01T12:00:00.000Z' },
    execution: { id: 'arn:aws:states:eu-west-1:123456789012:execution:mm:x', name: 'x' },
    detection: { actionable: true, diagnosis: { kind: 'latency-drift' } },
    decision: { verdict: 'act', rule: 'plan' },
    actuation: { actuator: 'feature-flag', at: '2024-05-01T12:01:00.000Z' },
    verification: { verdict: 'improved', keep: true },
    ...overrides,
  };
}

function expectRejected(
  input: unknown,
  message: string | RegExp,
  needs: Parameters<typeof parseWorkflowState>[1] = [],
) {
  expect(() => parseWorkflowState(input, needs)).toThrow(InvalidEventError);
  expect(() => parseWorkflowState(input, needs)).toThrow(message);
}

describe('Workflow state: parseWorkflowState', () => {
  it('accepts a complete state document and passes it through', () => {
    const input = stateDoc();

    expect(parseWorkflowState(input, ['detection', 'decision', 'actuation', 'verification'])).toBe(input);
  });

  it('accepts a state with only target, trigger and execution when no parts are needed', () => {
    const input = stateDoc({ detection: undefined, decision: undefined, actuation: undefined });

    expect(parseWorkflowState(input).target).toBe('checkout-api');
  });

  it('does not check parts that are not needed', () => {
    const input = stateDoc({ decision: { verdict: 'maybe' } });

    expect(() => parseWorkflowState(input, ['detection'])).not.toThrow();
  });

  it('rejects an input that is not an object', () => {
    expectRejected(null, 'event must be an object; got null');
  });

  it('rejects a missing target, naming the path', () => {
    expectRejected(stateDoc({ target: undefined }), 'event.target must be a non-empty string; got nothing');
  });

  it('rejects a missing trigger, naming the path', () => {
    expectRejected(stateDoc({ trigger: undefined }), 'event.trigger must be an object');
  });

  it('rejects an unknown trigger source, naming the path', () => {
    expectRejected(
      stateDoc({ trigger: { source: 'pager', at: '2024-05-01T12:00:00.000Z' } }),
      'event.trigger.source must be one of alarm, manual, schedule; got "pager"',
    );
  });

  it('rejects a trigger time that is not a time, naming the path', () => {
    expectRejected(
      stateDoc({ trigger: { source: 'manual', at: 'yesterday' } }),
      'event.trigger.at must be an ISO-8601 time; got yesterday',
    );
  });

  it('rejects a missing execution, naming the path', () => {
    expectRejected(stateDoc({ execution: undefined }), 'event.execution must be an object; got nothing');
  });

  it('rejects an execution without an id, naming the path', () => {
    expectRejected(stateDoc({ execution: { name: 'x' } }), 'event.execution.id must be a non-empty string');
  });

  it('rejects an execution without a name, naming the path', () => {
    expectRejected(stateDoc({ execution: { id: 'arn' } }), 'event.execution.name must be a non-empty string');
  });

  it.each(['detection', 'decision', 'actuation', 'verification'] as const)(
    'rejects a missing %s when the state needs it, naming the path',
    (part) => {
      expectRejected(stateDoc({ [part]: undefined }), `event.${part} is required by this state`, [part]);
    },
  );

  it('rejects a detection without actionable, naming the path', () => {
    expectRejected(
      stateDoc({ detection: { diagnosis: {} } }),
      'event.detection.actionable must be a boolean; got nothing',
      ['detection'],
    );
  });

  it('rejects a detection without a diagnosis, naming the path', () => {
    expectRejected(
      stateDoc({ detection: { actionable: false } }),
      'event.detection.diagnosis must be an object',
      ['detection'],
    );
  });

  it('rejects a decision with an unknown verdict, naming the path', () => {
    expectRejected(
      stateDoc({ decision: { verdict: 'maybe', rule: 'plan' } }),
      'event.decision.verdict must be one of act, hold; got "maybe"',
      ['decision'],
    );
  });

  it('rejects a decision without a rule, naming the path', () => {
    expectRejected(
      stateDoc({ decision: { verdict: 'hold' } }),
      'event.decision.rule must be a non-empty string',
      ['decision'],
    );
  });

  it('rejects an actuation with an unknown actuator, naming the path', () => {
    expectRejected(
      stateDoc({ actuation: { actuator: 'memory', at: '2024-05-01T12:01:00.000Z' } }),
      'event.actuation.actuator must be one of provisioned-concurrency, feature-flag; got "memory"',
      ['actuation'],
    );
  });

  it('rejects an actuation without a time, naming the path', () => {
    expectRejected(
      stateDoc({ actuation: { actuator: 'feature-flag' } }),
      'event.actuation.at must be a non-empty string',
      ['actuation'],
    );
  });
});
