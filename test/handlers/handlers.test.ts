import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambdas/core/errors.js';
import type { Decision, Detection, WorkflowState } from '../../lambdas/core/types.js';
import { createAdjustProvisionedConcurrencyHandler } from '../../lambdas/handlers/adjust-provisioned-concurrency.js';
import { createRecordHandler } from '../../lambdas/handlers/record.js';
import { createRevertHandler } from '../../lambdas/handlers/revert.js';
import { configFromEnv } from '../../lambdas/handlers/runtime.js';
import { createStartExecutionHandler } from '../../lambdas/handlers/start-execution.js';
import { HANDLER_FACTORIES } from '../../sim/loop/handler-factories.js';
import { LocalLoop } from '../../sim/loop/local-loop.js';
import { DEFAULT_SCENARIO } from '../../sim/loop/run-scenario.js';
import { parseScenario } from '../../sim/scenario.js';

/** Handlers called directly with real adapters over the simulated account and dynalite. */
let loop: LocalLoop;

beforeAll(async () => {
  const data = JSON.parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
  loop = await LocalLoop.create(parseScenario({ ...data, durationMinutes: 30 }, 'test'));
  await loop.advanceTo(Date.parse(loop.scenario.start) + 5 * 60_000, { deliver: false });
});
afterAll(async () => loop.close());

function state(name: string, extra: Partial<WorkflowState> = {}): WorkflowState {
  const at = new Date(loop.clock.now()).toISOString();
  return {
    target: 'orders',
    trigger: { source: 'manual', at },
    execution: { id: `arn:aws:states:us-east-1:123456789012:execution:micromotion:${name}`, name },
    ...extra,
  };
}

function actDecision(from: number, to: number): Decision {
  return {
    verdict: 'act',
    rule: 'plan',
    detail: 'test',
    actuator: 'provisioned-concurrency',
    plan: { actuator: 'provisioned-concurrency', from, to, why: 'test' },
    bakeSeconds: 300,
    leaseTaken: true,
  };
}

describe('Handlers: bad input', () => {
  const malformed: unknown[] = [
    null,
    'text',
    {},
    { target: 'orders' },
    { target: 'orders', trigger: {}, execution: {} },
  ];

  for (const [id, factory] of Object.entries(HANDLER_FACTORIES)) {
    it(`rejects malformed events in ${id} with InvalidEventError`, async () => {
      const handler = factory(loop.deps);
      for (const event of malformed) {
        await expect(handler(event)).rejects.toBeInstanceOf(InvalidEventError);
      }
    });
  }

  it('rejects a foreign EventBridge event in start-execution, naming its source', async () => {
    const handler = createStartExecutionHandler(loop.deps);
    await expect(
      handler({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} }),
    ).rejects.toThrow(/not a CloudWatch alarm state change \(source aws\.ec2/);
  });

  it('rejects an actuator event whose decision does not plan that actuator', async () => {
    const handler = createAdjustProvisionedConcurrencyHandler(loop.deps);
    await expect(
      handler(state('no-plan', { decision: { ...actDecision(4, 5), verdict: 'hold' } })),
    ).rejects.toThrow(/does not plan a provisioned-concurrency action/);
  });

  it('rejects a planned change outside the policy bounds before touching anything', async () => {
    const handler = createAdjustProvisionedConcurrencyHandler(loop.deps);
    await expect(handler(state('too-far', { decision: actDecision(4, 30) }))).rejects.toMatchObject({
      name: 'ActuationError',
    });
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
  });

  it('fails configuration with a named error for a bad retention setting', () => {
    expect(() => configFromEnv({ LEDGER_RETENTION_DAYS: 'soon' })).toThrow(InvalidEventError);
  });
});

describe('Handlers: crash between actuation and record', () => {
  it('restores the recorded previous value from the ledger alone', async () => {
    const adjust = createAdjustProvisionedConcurrencyHandler(loop.deps);
    const acted = state('crash-1', { decision: actDecision(4, 9) });
    const actuation = await adjust(acted);
    expect(actuation).toMatchObject({ from: 4, to: 9 });
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(9);

    // The execution dies here. A recovery knows only which execution it was.
    const revert = createRevertHandler(loop.deps);
    const result = await revert(state('crash-1'));

    expect(result).toMatchObject({ reverted: true, restoredValue: 4 });
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
  });

  it('keeps the first previous value when the actuator is retried after changing the setting', async () => {
    const adjust = createAdjustProvisionedConcurrencyHandler(loop.deps);
    const acted = state('retry-1', { decision: actDecision(4, 9) });
    await adjust(acted);
    const again = await adjust(acted);

    expect(again).toMatchObject({ from: 4, to: 9 });
    await createRevertHandler(loop.deps)(state('retry-1'));
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
  });

  it('refuses to act when someone else changed the setting since the decision', async () => {
    await loop.deps.provisionedConcurrency.set('orders-api', 'live', 6);
    const adjust = createAdjustProvisionedConcurrencyHandler(loop.deps);

    await expect(adjust(state('fight-1', { decision: actDecision(4, 9) }))).rejects.toThrow(
      /changed by someone else/,
    );
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(6);
    await loop.deps.provisionedConcurrency.set('orders-api', 'live', 4);
  });
});

describe('Handlers: never fight another controller', () => {
  it('refuses to revert over a value someone else set after the action, and says so', async () => {
    const adjust = createAdjustProvisionedConcurrencyHandler(loop.deps);
    await adjust(state('other-1', { decision: actDecision(4, 9) }));
    await loop.deps.provisionedConcurrency.set('orders-api', 'live', 20);

    await expect(createRevertHandler(loop.deps)(state('other-1'))).rejects.toMatchObject({
      name: 'ConcurrentChangeError',
    });
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(20);
    await loop.deps.provisionedConcurrency.set('orders-api', 'live', 4);
  });

  it('does not write again when a retried actuator finds its change already applied', async () => {
    const adjust = createAdjustProvisionedConcurrencyHandler(loop.deps);
    const acted = state('applied-1', { decision: actDecision(4, 9) });
    await adjust(acted);
    const writes = () =>
      loop.account.calls.filter((c) => c.commandName.startsWith('PutProvisionedConcurrencyConfig')).length;
    const before = writes();

    expect(await adjust(acted)).toMatchObject({ from: 4, to: 9 });
    expect(writes()).toBe(before);
    await createRevertHandler(loop.deps)(state('applied-1'));
  });

  it('takes no lease for a decision that holds, so a concurrent execution is not blocked', async () => {
    const decideHandler = HANDLER_FACTORIES.decide(loop.deps);
    const quiet = {
      actionable: true,
      reason: 'diagnosed',
      diagnosis: {
        kind: 'latency-drift',
        magnitude: 0.1,
        persistence: 0.2,
        confidence: 0.1,
        evidence: {},
        summary: '',
      },
      windowStart: new Date(0).toISOString(),
      windowEnd: new Date(0).toISOString(),
      policyVersion: 'x',
    };

    expect(await decideHandler(state('low-confidence', { detection: quiet as never }))).toMatchObject({
      verdict: 'hold',
      rule: 'low-confidence',
      leaseTaken: false,
    });
    expect(await loop.deps.ledger.acquireLease('orders', 'next-one', loop.clock.now(), 60_000)).toBe(true);
    await loop.deps.ledger.releaseLease('orders', 'next-one');
  });
});

describe('Handlers: recovery after a timed-out execution', () => {
  function statusChange(name: string, input: unknown, status = 'TIMED_OUT') {
    return {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: `arn:aws:states:us-east-1:123456789012:execution:micromotion:${name}`,
        name,
        status,
        input: JSON.stringify(input),
        cause: 'States.Timeout',
      },
    };
  }

  it('restores the recorded previous value, records the failure and frees the target', async () => {
    const acted = state('timeout-1', { decision: actDecision(4, 9) });
    await createAdjustProvisionedConcurrencyHandler(loop.deps)(acted);
    await loop.deps.ledger.acquireLease('orders', 'timeout-1', loop.clock.now(), 3_600_000);

    const result = await HANDLER_FACTORIES.recover(loop.deps)(
      statusChange('timeout-1', { target: acted.target, trigger: acted.trigger }),
    );

    expect(result).toMatchObject({ outcome: 'failed-reverted' });
    expect(await loop.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
    const [record] = (await loop.deps.ledger.listRecords({ target: 'orders' })).filter(
      (r) => r.executionName === 'timeout-1',
    );
    expect(record).toMatchObject({
      reverted: true,
      before: 4,
      after: 9,
      error: { Error: 'ExecutionTimedOut' },
    });
    expect(await loop.deps.ledger.acquireLease('orders', 'after-timeout', loop.clock.now(), 60_000)).toBe(
      true,
    );
    await loop.deps.ledger.releaseLease('orders', 'after-timeout');
  });

  it('leaves an execution that already recorded alone', async () => {
    const s = state('recorded-then-aborted');
    await createRecordHandler(loop.deps)(s);

    expect(
      await HANDLER_FACTORIES.recover(loop.deps)(
        statusChange('recorded-then-aborted', { target: s.target, trigger: s.trigger }, 'ABORTED'),
      ),
    ).toMatchObject({ outcome: 'already-recorded' });
  });

  it('rejects an event that is not an execution status change', async () => {
    await expect(HANDLER_FACTORIES.recover(loop.deps)({ source: 'aws.cloudwatch' })).rejects.toMatchObject({
      name: 'InvalidEventError',
    });
  });
});

describe('Handlers: reverting a flag whose deployment still bakes', () => {
  it('stops its own deployment (AppConfig rollback) instead of starting another', async () => {
    const policy = JSON.parse(JSON.stringify(loop.synth.policies[0])) as { flags: { key: string }[] };
    const flag = { ...(policy.flags[0] as { key: string }), deploymentStrategyId: 'AppConfig.AllAtOnce' };
    loop.account.putParameter('/micromotion/targets/orders', JSON.stringify({ ...policy, flags: [flag] }));
    try {
      const flip = HANDLER_FACTORIES['flip-feature-flag'](loop.deps);
      const decision: Decision = {
        verdict: 'act',
        rule: 'plan',
        detail: 'test',
        actuator: 'feature-flag',
        plan: { actuator: 'feature-flag', flagKey: String(flag.key), from: false, to: true, why: 'test' },
        bakeSeconds: 300,
        leaseTaken: true,
      };
      await flip(state('flag-baking', { decision }));
      const flagPolicy = (await loop.deps.policies.get('orders')).policy.flags[0];
      expect(await loop.deps.flags.deploymentInProgress(flagPolicy as never)).toBe(true);

      const result = await createRevertHandler(loop.deps)(state('flag-baking'));

      expect(result).toMatchObject({ reverted: true, restoredValue: false });
      expect(result.detail).toContain('stopped deployment');
      expect(await loop.deps.flags.deploymentInProgress(flagPolicy as never)).toBe(false);
      expect(await loop.deps.flags.get(flagPolicy as never)).toBe(false);
    } finally {
      loop.account.putParameter('/micromotion/targets/orders', JSON.stringify(loop.synth.policies[0]));
    }
  });
});

describe('Handlers: record', () => {
  it('writes one record per execution, and a retried record is a no-op', async () => {
    const record = createRecordHandler(loop.deps);
    const s = state('record-twice');

    expect(await record(s)).toMatchObject({ written: 'written', outcome: 'no-op' });
    expect(await record(s)).toMatchObject({ written: 'already-recorded' });
    const records = await loop.deps.ledger.listRecords({ target: 'orders' });
    expect(records.filter((r) => r.executionName === 'record-twice')).toHaveLength(1);
  });

  it('releases the lease the execution holds', async () => {
    const now = loop.clock.now();
    expect(await loop.deps.ledger.acquireLease('orders', 'lease-holder', now, 60_000)).toBe(true);
    await createRecordHandler(loop.deps)(state('lease-holder'));
    expect(await loop.deps.ledger.acquireLease('orders', 'someone-else', now, 60_000)).toBe(true);
    await loop.deps.ledger.releaseLease('orders', 'someone-else');
  });
});

describe('Handlers: detect reads the long history only for a deviation', () => {
  it('reads the rules window alone when nothing deviates, and says so in the record frame', async () => {
    const detect = HANDLER_FACTORIES.detect(loop.deps);
    const before = loop.account.calls.filter((c) => c.commandName === 'GetMetricData').length;

    const detection = (await detect(state('quiet-detect'))) as Detection;

    const reads = loop.account.calls.filter((c) => c.commandName === 'GetMetricData').slice(before);
    expect(detection).toMatchObject({ actionable: false, reason: 'no-deviation' });
    expect(reads).toHaveLength(1);
    const span = Date.parse(detection.windowEnd) - Date.parse(detection.windowStart);
    expect(span).toBe(30 * 60_000);
    expect(Object.keys(detection.diagnosis.evidence).some((k) => k.startsWith('anomalyScore'))).toBe(false);
  });

  it('reads six hours and scores the detector when the rules see a burst of cold starts', async () => {
    // The default scenario's first burst (minute 10) breaks p99 with cold starts in a traffic surge.
    await loop.advanceTo(Date.parse(loop.scenario.start) + 12 * 60_000, { deliver: false });
    const detect = HANDLER_FACTORIES.detect(loop.deps);
    const before = loop.account.calls.filter((c) => c.commandName === 'GetMetricData').length;

    const detection = (await detect(state('burst-detect'))) as Detection;

    const reads = loop.account.calls.filter((c) => c.commandName === 'GetMetricData').slice(before);
    expect(detection).toMatchObject({ actionable: true, diagnosis: { kind: 'cold-start-pressure' } });
    expect(reads).toHaveLength(2);
    expect(Date.parse(detection.windowEnd) - Date.parse(detection.windowStart)).toBe(360 * 60_000);
    expect(detection.diagnosis.evidence.anomalyScoreP99).toBeGreaterThanOrEqual(0);
  });
});
