import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbLedger } from '../../lambdas/adapters/dynamodb-ledger.js';
import { runCommand, UsageError } from '../../sim/loop/cli-commands.js';
import { type LocalDynamoDb, ledgerTableInput, startLocalDynamoDb } from '../../sim/loop/dynalite-ledger.js';

/** The CLI as on-call uses it, against a DynamoDB API (dynalite) reached through the SDK's endpoint setting. */
let db: LocalDynamoDb;
const saved = { ...process.env };

beforeAll(async () => {
  db = await startLocalDynamoDb();
  await db.createTable(ledgerTableInput('cli-ledger'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => {
  process.env = saved;
  await db.close();
});

function captureStdout(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

describe('CLI: pause, resume and actions', () => {
  it('pauses and resumes a target through the ledger table', async () => {
    const ledger = new DynamoDbLedger(db.client, 'cli-ledger');
    const out = captureStdout();
    try {
      expect(
        await runCommand('pause', { table: 'cli-ledger', target: 'orders', reason: 'incident 42' }),
      ).toBe(0);
      expect(await ledger.getControls('orders')).toMatchObject({ targetPaused: true });
      expect(await runCommand('resume', { table: 'cli-ledger', target: 'orders' })).toBe(0);
      expect(await ledger.getControls('orders')).toMatchObject({ targetPaused: false });
    } finally {
      out.restore();
    }
    expect(out.text()).toContain('orders paused');
  });

  it('lists a target’s records, newest first', async () => {
    const ledger = new DynamoDbLedger(db.client, 'cli-ledger');
    for (const [name, at] of [
      ['orders-p95-a', '2026-11-23T08:00:00.000Z'],
      ['orders-p95-b', '2026-11-23T09:00:00.000Z'],
    ] as const) {
      await ledger.writeRecord(
        {
          target: 'orders',
          executionId: `arn:${name}`,
          executionName: name,
          actionId: `orders/${name}`,
          outcome: 'kept',
          trigger: { source: 'alarm', at },
          diagnosis: null,
          decision: { verdict: 'act', rule: 'plan', detail: '' },
          actuator: 'provisioned-concurrency',
          before: 4,
          after: 14,
          verification: null,
          reverted: false,
          escalated: false,
          error: null,
          policyVersion: 'abc',
          triggeredAt: at,
          recordedAt: at,
        },
        0,
      );
    }
    const out = captureStdout();
    try {
      expect(await runCommand('actions', { table: 'cli-ledger', target: 'orders', limit: '5' })).toBe(0);
    } finally {
      out.restore();
    }
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('orders-p95-b');
    expect(lines[0]).toContain('provisioned-concurrency 4 → 14');
  });

  it('rejects missing or bad options with a usage error', async () => {
    await expect(runCommand('actions', { target: 'orders' })).rejects.toBeInstanceOf(UsageError);
    await expect(
      runCommand('actions', { table: 'cli-ledger', target: 'orders', limit: '0' }),
    ).rejects.toThrow(/--limit must be a positive integer/);
    await expect(runCommand('pause', { table: 'cli-ledger' })).rejects.toThrow(/--target NAME or --global/);
    await expect(runCommand('frob', {})).rejects.toThrow(/unknown command "frob"/);
  });
});

describe('CLI: simulate --json', () => {
  it('prints the machine-readable result with the documented fields', async () => {
    const out = captureStdout();
    try {
      expect(await runCommand('simulate', { json: true })).toBe(0);
    } finally {
      out.restore();
    }
    const result = JSON.parse(out.text());
    expect(Object.keys(result).sort()).toEqual(
      ['actions', 'executions', 'ledgerRecords', 'scenario', 'simulatedMinutes', 'sloMinutesBreached'].sort(),
    );
    expect(result.executions).toBe(result.ledgerRecords);
    expect(result.simulatedMinutes).toBeGreaterThanOrEqual(60);
    for (const action of result.actions) {
      expect(Object.keys(action).sort()).toEqual(
        ['actuator', 'decidedBy', 'from', 'reverted', 'target', 'to', 'verified'].sort(),
      );
    }
  });
});
