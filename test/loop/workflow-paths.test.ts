import { readFileSync } from 'node:fs';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvalidParameterValueException } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLoop } from '../../sim/loop/local-loop.js';
import { DEFAULT_SCENARIO } from '../../sim/loop/run-scenario.js';
import { parseScenario, type Scenario } from '../../sim/scenario.js';

/**
 * The synthesized workflow, run by aws-local-stepfunctions with the real handlers, dynalite
 * as the ledger and the simulated account, through each of its paths. Every test ends by
 * checking the loop's first promise: each execution leaves exactly one ledger record.
 */
const MINUTE = 60_000;

function defaultScenarioData(): Record<string, unknown> {
  return JSON.parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
}

/** The default scenario with its bursts replaced (start minutes; each lasts 3 minutes at 6x). */
function withBursts(startMinutes: readonly number[], durationMinutes = 60): Scenario {
  const data = defaultScenarioData();
  const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
  (fn.traffic as Record<string, unknown>).bursts = startMinutes.map((m) => ({
    startMinute: m,
    endMinute: m + 3,
    multiplier: 6,
  }));
  return parseScenario({ ...data, faults: [], durationMinutes }, 'test');
}

let loop: LocalLoop | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

async function start(scenario: Scenario): Promise<LocalLoop> {
  loop = await LocalLoop.create(scenario);
  return loop;
}

function at(l: LocalLoop, minute: number): number {
  return Date.parse(l.scenario.start) + minute * MINUTE;
}

function manual(l: LocalLoop, target = 'orders') {
  return { target, trigger: { source: 'manual', at: new Date(l.clock.now()).toISOString() } };
}

async function expectOneRecordPerExecution(l: LocalLoop, names: readonly string[]): Promise<void> {
  const records = await l.records();
  for (const name of names) expect(records.filter((r) => r.executionName === name)).toHaveLength(1);
}

describe('Workflow: happy path', () => {
  it('raises provisioned concurrency for recurring cold bursts, verifies it and keeps it', async () => {
    const l = await start(withBursts([10, 25, 40, 55], 60));
    await l.advanceTo(at(l, 60));
    const executions = await l.drain();

    const records = await l.records();
    const kept = records.filter((r) => r.outcome === 'kept');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      actuator: 'provisioned-concurrency',
      before: 4,
      reverted: false,
      escalated: false,
      decision: { verdict: 'act', rule: 'plan' },
      diagnosis: { kind: 'cold-start-pressure' },
      verification: { verdict: 'improved', keep: true },
    });
    expect(kept[0]?.policyVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(kept[0]?.after);
    const keptRun = executions.find((e) => e.name === kept[0]?.executionName);
    expect(keptRun?.transitions).toBeLessThanOrEqual(12);
    expect(records).toHaveLength(executions.length);
    await expectOneRecordPerExecution(
      l,
      executions.map((e) => e.name),
    );
  });
});

describe('Workflow: relaxing over-provisioning', () => {
  it('lowers idle provisioned concurrency one bounded step per review and keeps it while the SLO holds', async () => {
    const data = JSON.parse(
      readFileSync(new URL('../../sim/scenarios/over-provisioned-night.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const l = await start(parseScenario({ ...data, durationMinutes: 60 }, 'test'));
    await l.advanceTo(at(l, 60));
    await l.drain();

    const kept = (await l.records()).filter((r) => r.outcome === 'kept');
    expect(kept.map((r) => [r.diagnosis?.kind, r.before, r.after])).toEqual([
      ['over-provisioned', 30, 20],
      ['over-provisioned', 20, 10],
    ]);
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(10);
  });
});

describe('Workflow: hold path', () => {
  it('holds a real deviation when the target is paused and says which rule held it', async () => {
    const l = await start(withBursts([10, 25]));
    await l.advanceTo(at(l, 28), { deliver: false });
    await l.deps.ledger.setPaused({ target: 'orders' }, true, 'incident', l.clock.now());

    const run = l.startExecution('orders-manual-paused', manual(l));
    await l.advanceTo(at(l, 29), { deliver: false });
    const result = await run;

    expect(result.status).toBe('SUCCEEDED');
    const [record] = (await l.records()).filter((r) => r.executionName === 'orders-manual-paused');
    expect(record).toMatchObject({
      outcome: 'held',
      decision: { verdict: 'hold', rule: 'target-kill-switch' },
      diagnosis: { kind: 'cold-start-pressure' },
      actuator: null,
    });
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
  });
});

describe('Workflow: never fight another controller', () => {
  it('holds when Application Auto Scaling manages the alias, and changes nothing', async () => {
    const l = await start(withBursts([10, 25]));
    l.account.autoScaling.register('orders-api', 'live', 2, 40);
    await l.advanceTo(at(l, 28), { deliver: false });

    const run = l.startExecution('orders-manual-autoscaled', manual(l));
    await l.advanceTo(at(l, 29), { deliver: false });
    await run;

    const [record] = (await l.records()).filter((r) => r.executionName === 'orders-manual-autoscaled');
    expect(record).toMatchObject({ outcome: 'held', decision: { rule: 'another-controller' } });
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
  });
});

describe('Workflow: revert path', () => {
  it('reverts an action whose effect cannot be shown, escalates, and restores the recorded value', async () => {
    const l = await start(withBursts([10, 25], 60));
    await l.advanceTo(at(l, 28), { deliver: false });

    const run = l.startExecution('orders-manual-revert', manual(l));
    await l.advanceTo(at(l, 50), { deliver: false });
    const result = await run;

    expect(result.states).toContain('Revert');
    expect(result.states).toContain('Escalate');
    const [record] = (await l.records()).filter((r) => r.executionName === 'orders-manual-revert');
    expect(record).toMatchObject({
      outcome: 'reverted',
      reverted: true,
      escalated: true,
      before: 4,
      verification: { verdict: 'insufficient-data', keep: false },
    });
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
    expect(l.account.publishedMessages).toHaveLength(1);
  });
});

describe('Workflow: Catch paths', () => {
  it('records a rejected actuator call as failed, changes nothing, and escalates', async () => {
    const l = await start(withBursts([10, 25]));
    await l.advanceTo(at(l, 28), { deliver: false });
    l.account.failNext(
      'PutProvisionedConcurrencyConfig',
      new InvalidParameterValueException({ message: 'simulated rejection', $metadata: {} }),
    );

    const input = manual(l);
    const run = l.startExecution('orders-manual-reject', input);
    await l.advanceTo(at(l, 29), { deliver: false });
    const result = await run;

    expect(result.status).toBe('SUCCEEDED');
    const [record] = (await l.records()).filter((r) => r.executionName === 'orders-manual-reject');
    expect(record).toMatchObject({ outcome: 'failed', escalated: true, error: { Error: 'ActuationError' } });
    expect(await l.deps.provisionedConcurrency.get('orders-api', 'live')).toBe(4);
    // The previous value was recorded before the call, so a revert would have had it.
    const pending = await l.deps.ledger.getAction({
      target: 'orders',
      triggeredAt: input.trigger.at,
      executionName: 'orders-manual-reject',
    });
    expect(pending?.previous).toBe(4);
  });

  it('records an execution for an unknown target as failed with the named error', async () => {
    const l = await start(withBursts([10]));
    await l.advanceTo(at(l, 5), { deliver: false });

    const run = l.startExecution('ghost-manual', manual(l, 'ghost'));
    await l.advanceTo(at(l, 6), { deliver: false });
    await run;

    const [record] = await l.deps.ledger.listRecords({ target: 'ghost' });
    expect(record).toMatchObject({ outcome: 'failed', error: { Error: 'UnknownTargetError' } });
  });

  it('retries a throttled metric read and carries on', async () => {
    const l = await start(withBursts([10, 25]));
    await l.advanceTo(at(l, 28), { deliver: false });
    l.account.failNext(
      'GetMetricData',
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );

    const run = l.startExecution('orders-manual-throttled', manual(l));
    await l.advanceTo(at(l, 50), { deliver: false });
    const result = await run;

    expect(result.states.filter((s) => s === 'Detect micromotion')).toHaveLength(1);
    const [record] = (await l.records()).filter((r) => r.executionName === 'orders-manual-throttled');
    expect(record?.diagnosis?.kind).toBe('cold-start-pressure');
    expect(record?.error).toBeNull();
  });
});

describe('Workflow: malformed input and a refusing ledger still leave a record', () => {
  it('records an execution started without a trigger under the invalid-input target', async () => {
    const l = await start(withBursts([10]));
    await l.advanceTo(at(l, 5), { deliver: false });

    const run = l.startExecution('no-trigger', { target: 'orders' } as never);
    await l.advanceTo(at(l, 6), { deliver: false });
    const result = await run;

    expect(result.status).toBe('SUCCEEDED');
    const [record] = await l.deps.ledger.listRecords({ target: 'invalid-input' });
    expect(record).toMatchObject({
      executionName: 'no-trigger',
      outcome: 'failed',
      error: { Error: 'InvalidEventError' },
    });
  });

  it('records a trigger without a time as a failed execution of its target', async () => {
    const l = await start(withBursts([10]));
    await l.advanceTo(at(l, 5), { deliver: false });

    const run = l.startExecution('bad-trigger', { target: 'orders', trigger: { source: 'alarm' } });
    await l.advanceTo(at(l, 6), { deliver: false });
    await run;

    const [record] = (await l.records()).filter((r) => r.executionName === 'bad-trigger');
    expect(record).toMatchObject({ outcome: 'failed', error: { Error: 'InvalidEventError' } });
  });

  it('writes a last-resort item from the state machine when Record outcome cannot write', async () => {
    const l = await start(withBursts([10]));
    await l.advanceTo(at(l, 5), { deliver: false });
    const input = manual(l);
    // Another execution's record already holds this execution's key: Record outcome must refuse.
    await l.deps.ledger.writeRecord(
      {
        target: 'orders',
        executionId: 'someone-else',
        executionName: 'collision',
        actionId: 'orders/collision',
        outcome: 'no-op',
        trigger: input.trigger as never,
        diagnosis: null,
        decision: null,
        actuator: null,
        before: null,
        after: null,
        verification: null,
        reverted: false,
        escalated: false,
        error: null,
        policyVersion: null,
        triggeredAt: input.trigger.at,
        recordedAt: input.trigger.at,
      },
      0,
    );

    const run = l.startExecution('collision', input);
    await l.advanceTo(at(l, 6), { deliver: false });
    const result = await run;

    expect(result.status).toBe('FAILED');
    expect(result.states.slice(-2)).toEqual(['Record failure directly', 'Ledger write failed']);
    const item = await l.db.client.send(
      new GetItemCommand({
        TableName: l.synth.ledgerTable.TableName,
        Key: { pk: { S: 'target#orders' }, sk: { S: 'unrecorded#collision' } },
      }),
    );
    expect(item.Item?.status?.S).toBe('unrecorded');
    expect(item.Item?.recordError?.S).toContain('LedgerConflictError');
  });
});

describe('Workflow: triggers that lead to no action', () => {
  it('records an INSUFFICIENT_DATA alarm as a no-op', async () => {
    const l = await start(withBursts([10]));
    await l.advanceTo(at(l, 5), { deliver: false });

    await l.deliver({
      id: 'evt-1',
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      time: new Date(l.clock.now()).toISOString(),
      detail: {
        alarmName: 'micromotion-orders-p95',
        state: {
          value: 'INSUFFICIENT_DATA',
          reason: 'no data',
          timestamp: new Date(l.clock.now()).toISOString(),
        },
      },
    });
    await l.advanceTo(at(l, 6), { deliver: false });
    await l.drain();

    const [record] = await l.records();
    expect(record).toMatchObject({ outcome: 'no-op', trigger: { state: 'INSUFFICIENT_DATA' } });
  });

  it('records an empty metric window as a no-op', async () => {
    const l = await start(withBursts([10]));
    const policy = { ...(l.synth.policies[0] as object), target: 'quiet', functionName: 'quiet-fn' };
    l.account.putParameter('/micromotion/targets/quiet', JSON.stringify(policy));
    await l.advanceTo(at(l, 5), { deliver: false });

    const run = l.startExecution('quiet-manual', manual(l, 'quiet'));
    await l.advanceTo(at(l, 6), { deliver: false });
    await run;

    const [record] = await l.deps.ledger.listRecords({ target: 'quiet' });
    expect(record).toMatchObject({ outcome: 'no-op', diagnosis: { kind: 'none' } });
  });

  it('does not start an execution for an alarm that leaves ALARM (the rule filters it)', async () => {
    const l = await start(withBursts([]));
    await l.advanceTo(at(l, 20));
    await l.drain();

    const alarmTriggered = l.account.executions.filter((e) => !e.name.includes('-review-'));
    expect(alarmTriggered).toHaveLength(0);
  });
});
