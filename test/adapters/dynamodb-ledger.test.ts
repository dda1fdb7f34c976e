import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLedger } from '../../lambdas/adapters/dynamodb-ledger.js';
import { LedgerConflictError } from '../../lambdas/core/errors.js';
import type { LedgerKey, PendingAction } from '../../lambdas/core/ports.js';
import type { LedgerRecord } from '../../lambdas/core/types.js';
import { type LocalDynamoDb, ledgerTableInput, startLocalDynamoDb } from '../../sim/loop/dynalite-ledger.js';

let db: LocalDynamoDb;
let ledger: DynamoDbLedger;
const T0 = Date.parse('2026-11-23T08:00:00Z');

beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable(ledgerTableInput('ledger-test'));
  ledger = new DynamoDbLedger(db.client, 'ledger-test');
});
afterAll(async () => db.close());

function key(name: string, target = 'orders'): LedgerKey {
  return { target, triggeredAt: new Date(T0).toISOString(), executionName: name };
}

function pending(name: string, overrides: Partial<PendingAction> = {}): PendingAction {
  return {
    key: key(name),
    executionId: `arn:exec:${name}`,
    actuator: 'provisioned-concurrency',
    previous: 4,
    planned: 9,
    actuatedAtMs: T0 + 1000,
    ...overrides,
  };
}

function record(name: string, overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    target: 'orders',
    executionId: `arn:exec:${name}`,
    executionName: name,
    actionId: `orders/${name}`,
    outcome: 'kept',
    trigger: { source: 'alarm', at: new Date(T0).toISOString() },
    diagnosis: null,
    decision: { verdict: 'act', rule: 'plan', detail: 'raise' },
    actuator: 'provisioned-concurrency',
    before: 4,
    after: 9,
    verification: null,
    reverted: false,
    escalated: false,
    error: null,
    policyVersion: 'abc',
    triggeredAt: new Date(T0).toISOString(),
    recordedAt: new Date(T0 + 600_000).toISOString(),
    ...overrides,
  };
}

describe('Ledger: lease', () => {
  it('gives the lease to one holder at a time and back after release', async () => {
    expect(await ledger.acquireLease('lease-a', 'exec-1', T0, 60_000)).toBe(true);
    expect(await ledger.acquireLease('lease-a', 'exec-2', T0 + 1000, 60_000)).toBe(false);
    expect(await ledger.acquireLease('lease-a', 'exec-1', T0 + 2000, 60_000)).toBe(true);
    await ledger.releaseLease('lease-a', 'exec-2');
    expect(await ledger.acquireLease('lease-a', 'exec-2', T0 + 3000, 60_000)).toBe(false);
    await ledger.releaseLease('lease-a', 'exec-1');
    expect(await ledger.acquireLease('lease-a', 'exec-2', T0 + 4000, 60_000)).toBe(true);
  });

  it('lets a new holder take an expired lease', async () => {
    expect(await ledger.acquireLease('lease-b', 'exec-1', T0, 60_000)).toBe(true);
    expect(await ledger.acquireLease('lease-b', 'exec-2', T0 + 60_001, 60_000)).toBe(true);
  });
});

describe('Ledger: actions and records', () => {
  it('keeps the first previous value when an actuator retries', async () => {
    await ledger.beginAction(pending('retry-1'));
    const again = await ledger.beginAction(pending('retry-1', { previous: 9 }));
    expect(again.previous).toBe(4);
    expect((await ledger.getAction(key('retry-1')))?.applied).toBe(false);
    await ledger.markApplied(key('retry-1'), 'IN_PROGRESS');
    expect((await ledger.getAction(key('retry-1')))?.applied).toBe(true);
  });

  it('rejects a pending action that collides with another execution', async () => {
    await ledger.beginAction(pending('collide'));
    await expect(
      ledger.beginAction(pending('collide', { executionId: 'arn:exec:other' })),
    ).rejects.toBeInstanceOf(LedgerConflictError);
  });

  it('writes one record per execution, and a retry is a no-op', async () => {
    await ledger.beginAction(pending('once'));
    expect(await ledger.writeRecord(record('once'), 123)).toBe('written');
    expect(await ledger.writeRecord(record('once'), 123)).toBe('already-recorded');
    const records = await ledger.listRecords({ target: 'orders' });
    expect(records.filter((r) => r.executionName === 'once')).toHaveLength(1);
  });

  it('writes a record whose evidence holds NaN or Infinity, storing those as null', async () => {
    const diagnosis = {
      kind: 'cold-start-pressure' as const,
      magnitude: Number.POSITIVE_INFINITY,
      persistence: 1,
      confidence: 0.8,
      evidence: { p99BaselineMillis: Number.POSITIVE_INFINITY, p95RecentMillis: Number.NaN, ok: 3 },
      summary: 'edge',
    };
    expect(await ledger.writeRecord(record('non-finite', { diagnosis }), 123)).toBe('written');
    const [stored] = (await ledger.listRecords({ target: 'orders' })).filter(
      (r) => r.executionName === 'non-finite',
    );
    expect(stored?.diagnosis?.magnitude).toBeNull();
    expect(stored?.diagnosis?.evidence).toEqual({ p99BaselineMillis: null, p95RecentMillis: null, ok: 3 });
  });

  it('counts actuations since a time for the budget and cooldown', async () => {
    const k = (n: string) => ({ ...key(n, 'budget'), triggeredAt: new Date(T0).toISOString() });
    await ledger.beginAction({ ...pending('b1'), key: k('b1'), actuatedAtMs: T0 + 10_000 });
    await ledger.beginAction({ ...pending('b2'), key: k('b2'), actuatedAtMs: T0 + 20_000 });
    expect(await ledger.recentActionTimes('budget', T0 + 15_000)).toEqual([T0 + 20_000]);
    expect(await ledger.recentActionTimes('budget', T0)).toEqual([T0 + 10_000, T0 + 20_000]);
  });

  it('still counts an action whose first attempt stopped between its two writes', async () => {
    const k = { ...key('half', 'half-written'), triggeredAt: new Date(T0).toISOString() };
    // The run item alone, as a crash right after the first write would leave it.
    await db.client.send(
      new PutItemCommand({
        TableName: 'ledger-test',
        Item: marshall({
          pk: 'target#half-written',
          sk: `run#${k.triggeredAt}#half`,
          status: 'acting',
          executionId: 'arn:exec:half',
          actuator: 'provisioned-concurrency',
          previous: 4,
          planned: 9,
          actuatedAtMs: T0 + 5_000,
          applied: false,
        }),
      }),
    );
    expect(await ledger.recentActionTimes('half-written', T0)).toEqual([]);
    const retried = await ledger.beginAction({ ...pending('half'), key: k, actuatedAtMs: T0 + 9_000 });
    expect(retried.actuatedAtMs).toBe(T0 + 5_000);
    expect(await ledger.recentActionTimes('half-written', T0)).toEqual([T0 + 5_000]);
  });
});

describe('Ledger: kill switches', () => {
  it('reports global and per-target pauses separately', async () => {
    expect(await ledger.getControls('orders')).toEqual({ globalPaused: false, targetPaused: false });
    await ledger.setPaused({ target: 'orders' }, true, 'incident 42', T0);
    expect(await ledger.getControls('orders')).toEqual({ globalPaused: false, targetPaused: true });
    await ledger.setPaused('global', true, 'freeze', T0);
    expect(await ledger.getControls('payments')).toEqual({ globalPaused: true, targetPaused: false });
    await ledger.setPaused('global', false, 'thaw', T0);
    await ledger.setPaused({ target: 'orders' }, false, 'resolved', T0);
  });
});
