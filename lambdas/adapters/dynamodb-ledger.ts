import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LedgerConflictError } from '../core/errors.js';
import type { Controls, LedgerKey, LedgerPort, PendingAction } from '../core/ports.js';
import type { LedgerRecord } from '../core/types.js';
import { errorName, rethrowTransient } from './aws-errors.js';

/**
 * The ledger: one DynamoDB table with single-item conditional writes only (no transactions).
 *
 * | item | pk | sk |
 * |---|---|---|
 * | an execution (pending action, then its record) | `target#<t>` | `run#<triggeredAt>#<executionName>` |
 * | an actuation's time (for cooldown and budget reads) | `target#<t>` | `act#<actuatedAt>#<executionName>` |
 * | the per-target lease | `target#<t>` | `lease` |
 * | the per-target kill switch | `target#<t>` | `control` |
 * | the global kill switch | `control` | `global` |
 */
/**
 * `value` with every NaN or ±Infinity replaced by null. DynamoDB has no such numbers and the
 * marshaller refuses them; a record must never fail for a value that only says "not measured".
 */
export function finiteNumbers(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(finiteNumbers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finiteNumbers(v)]));
  }
  return value;
}

/** Action-time items outlive every look-back that reads them (cooldown, hourly budget, six hours of evidence). */
const ACTION_TIME_RETENTION_SECONDS = 7 * 86_400;

export class DynamoDbLedger implements LedgerPort {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async getControls(target: string): Promise<Controls> {
    const [global, local] = await Promise.all([
      this.get({ pk: 'control', sk: 'global' }),
      this.get({ pk: targetPk(target), sk: 'control' }),
    ]);
    return { globalPaused: global?.paused === true, targetPaused: local?.paused === true };
  }

  async setPaused(scope: { target: string } | 'global', paused: boolean, reason: string, nowMs: number) {
    const key =
      scope === 'global' ? { pk: 'control', sk: 'global' } : { pk: targetPk(scope.target), sk: 'control' };
    await this.run('PutItem control', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, paused, reason, changedAt: new Date(nowMs).toISOString() },
        }),
      ),
    );
  }

  async acquireLease(target: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: targetPk(target),
            sk: 'lease',
            holder,
            expiresAtMs: nowMs + ttlMs,
            expiresAt: Math.ceil((nowMs + ttlMs) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': nowMs, ':holder': holder },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      rethrowTransient(error, 'DynamoDB PutItem lease');
    }
  }

  async releaseLease(target: string, holder: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: targetPk(target), sk: 'lease' },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return;
      rethrowTransient(error, 'DynamoDB DeleteItem lease');
    }
  }

  async recentActionTimes(target: string, sinceMs: number): Promise<number[]> {
    const times: number[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.run('Query recent actions', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            // One small item per actuation, keyed by its time: the read is as long as the answer.
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': targetPk(target),
              ':from': `act#${new Date(sinceMs).toISOString()}`,
              ':to': 'act#~',
            },
            ProjectionExpression: 'actuatedAtMs',
            // Cooldown and budget must see an action written a moment ago by another execution.
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.actuatedAtMs === 'number' && item.actuatedAtMs >= sinceMs)
          times.push(item.actuatedAtMs);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return times.sort((a, b) => a - b);
  }

  /** The actuation-time item of an action (idempotent: the same action always writes the same item). */
  private async putActionTime(action: PendingAction): Promise<void> {
    await this.run('PutItem action time', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: targetPk(action.key.target),
            sk: `act#${new Date(action.actuatedAtMs).toISOString()}#${action.key.executionName}`,
            actuatedAtMs: action.actuatedAtMs,
            executionName: action.key.executionName,
            expiresAt: Math.ceil(action.actuatedAtMs / 1000) + ACTION_TIME_RETENTION_SECONDS,
          },
        }),
      ),
    );
  }

  async beginAction(action: PendingAction): Promise<PendingAction> {
    let created = false;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...runKey(action.key),
            status: 'acting',
            target: action.key.target,
            executionId: action.executionId,
            executionName: action.key.executionName,
            triggeredAt: action.key.triggeredAt,
            actuator: action.actuator,
            flagKey: action.flagKey,
            previous: action.previous,
            planned: action.planned,
            actuatedAtMs: action.actuatedAtMs,
            applied: false,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      created = true;
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException')
        rethrowTransient(error, 'DynamoDB PutItem action');
    }
    if (created) {
      // Written before the change is made, so a cooldown read never misses a change in flight.
      await this.putActionTime(action);
      return action;
    }
    // A retry of the same execution: the first attempt's previous value is the true one.
    const existing = await this.getAction(action.key);
    if (!existing || existing.executionId !== action.executionId) {
      throw new LedgerConflictError(`ledger item ${runKey(action.key).sk} belongs to another execution`);
    }
    // The first attempt may have stopped between its two writes.
    await this.putActionTime(existing);
    return existing;
  }

  async markApplied(key: LedgerKey, changeRef: string): Promise<void> {
    await this.run('UpdateItem applied', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(key),
          UpdateExpression: 'SET applied = :true, changeRef = :ref',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true, ':ref': changeRef },
        }),
      ),
    );
  }

  async getAction(key: LedgerKey): Promise<PendingAction | null> {
    const item = await this.get(runKey(key));
    if (!item || item.previous === undefined) return null;
    return {
      key,
      executionId: String(item.executionId),
      actuator: item.actuator as PendingAction['actuator'],
      ...(typeof item.flagKey === 'string' ? { flagKey: item.flagKey } : {}),
      previous: item.previous as number | boolean,
      planned: item.planned as number | boolean,
      actuatedAtMs: Number(item.actuatedAtMs),
      applied: item.applied === true,
      ...(typeof item.changeRef === 'string' ? { changeRef: item.changeRef } : {}),
    };
  }

  async isRecorded(key: LedgerKey): Promise<boolean> {
    return (await this.get(runKey(key)))?.status === 'recorded';
  }

  async writeRecord(record: LedgerRecord, expiresAtSeconds: number): Promise<'written' | 'already-recorded'> {
    const key = runKey({
      target: record.target,
      triggeredAt: record.triggeredAt,
      executionName: record.executionName,
    });
    const pending = await this.get(key);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...pending,
            ...key,
            ...(finiteNumbers(record) as LedgerRecord),
            status: 'recorded',
            expiresAt: expiresAtSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :acting AND executionId = :exec)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':acting': 'acting', ':exec': record.executionId },
        }),
      );
      return 'written';
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException')
        rethrowTransient(error, 'DynamoDB PutItem record');
    }
    const existing = await this.get(key);
    if (existing?.status === 'recorded' && existing.executionId === record.executionId)
      return 'already-recorded';
    throw new LedgerConflictError(`ledger item ${key.sk} was written by another execution`);
  }

  async listRecords(options: { target?: string; limit?: number }): Promise<LedgerRecord[]> {
    const limit = options.limit ?? 50;
    if (!options.target) throw new LedgerConflictError('listing records needs a target');
    const records: LedgerRecord[] = [];
    let start: Record<string, unknown> | undefined;
    // DynamoDB applies Limit before the filter, so page until enough records are found.
    do {
      const page = await this.run('Query records', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
            FilterExpression: '#status = :recorded',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': targetPk(options.target as string),
              ':run': 'run#',
              ':recorded': 'recorded',
            },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) if (records.length < limit) records.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start && records.length < limit);
    return records;
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.run('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  private async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      rethrowTransient(error, `DynamoDB ${what}`);
    }
  }
}

function targetPk(target: string): string {
  return `target#${target}`;
}

function runKey(key: LedgerKey): { pk: string; sk: string } {
  return { pk: targetPk(key.target), sk: `run#${key.triggeredAt}#${key.executionName}` };
}

function toRecord(item: Record<string, unknown>): LedgerRecord {
  const { pk: _pk, sk: _sk, status: _s, expiresAt: _e, ...rest } = item;
  return rest as unknown as LedgerRecord;
}
