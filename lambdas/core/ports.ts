import type { FlagPolicy, LedgerRecord, SignalWindow, TargetPolicy } from './types.js';

/**
 * The ports through which handlers reach the outside world. Adapters implement them with
 * the AWS SDK; core never imports an adapter.
 */
export interface Clock {
  now(): number;
}

export interface PolicyStore {
  /** The target's policy; `UnknownTargetError` when none is registered. */
  get(target: string): Promise<{ policy: TargetPolicy; version: string }>;
  /** Names of every registered target. */
  listTargets(): Promise<string[]>;
}

export interface MetricsReader {
  /** The target's signals over [startMs, endMs), one point per period, oldest first. */
  readSignals(policy: TargetPolicy, startMs: number, endMs: number): Promise<SignalWindow>;
}

export interface ProvisionedConcurrencyPort {
  /** Requested provisioned concurrency on the alias; 0 when none is configured. */
  get(functionName: string, aliasName: string): Promise<number>;
  /** Sets it (0 removes the configuration) and returns the service's status text. */
  set(functionName: string, aliasName: string, value: number): Promise<string>;
  /** True when Application Auto Scaling manages provisioned concurrency on the alias (another controller). */
  autoscaled(functionName: string, aliasName: string): Promise<boolean>;
}

export interface FeatureFlagPort {
  /** The flag's value in the environment's latest completed deployment (what clients see). */
  get(flag: FlagPolicy): Promise<boolean>;
  /** True while a deployment to the flag's environment is running or baking (AppConfig allows one at a time). */
  deploymentInProgress(flag: FlagPolicy): Promise<boolean>;
  /**
   * Stops a deployment that is still rolling out or baking, with revert: the environment goes
   * back to the previously deployed version (AppConfig's own rollback).
   */
  stopDeployment(flag: FlagPolicy, deploymentNumber: number): Promise<void>;
  /** Writes a new hosted configuration version and deploys it; returns a change reference. */
  set(flag: FlagPolicy, value: boolean): Promise<string>;
}

/** Key of one execution's ledger item. */
export interface LedgerKey {
  readonly target: string;
  /** The trigger's time: it orders a target's items. */
  readonly triggeredAt: string;
  readonly executionName: string;
}

/** What an actuator writes before it changes anything: the value to revert to. */
export interface PendingAction {
  readonly key: LedgerKey;
  readonly executionId: string;
  readonly actuator: 'provisioned-concurrency' | 'feature-flag';
  readonly flagKey?: string;
  readonly previous: number | boolean;
  readonly planned: number | boolean;
  readonly actuatedAtMs: number;
  readonly applied?: boolean;
  readonly changeRef?: string;
}

export interface Controls {
  readonly globalPaused: boolean;
  readonly targetPaused: boolean;
}

export interface LedgerPort {
  getControls(target: string): Promise<Controls>;
  setPaused(
    scope: { target: string } | 'global',
    paused: boolean,
    reason: string,
    nowMs: number,
  ): Promise<void>;
  /** Takes the per-target lease unless another live holder has it. */
  acquireLease(target: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean>;
  /** Releases the lease if `holder` still has it; never fails when it does not. */
  releaseLease(target: string, holder: string): Promise<void>;
  /** Start times (epoch ms, oldest first) of the target's actuations since `sinceMs`. */
  recentActionTimes(target: string, sinceMs: number): Promise<number[]>;
  /** Records the previous value; on a retry returns the entry recorded the first time. */
  beginAction(action: PendingAction): Promise<PendingAction>;
  markApplied(key: LedgerKey, changeRef: string): Promise<void>;
  getAction(key: LedgerKey): Promise<PendingAction | null>;
  /** True when the execution's one record has been written. */
  isRecorded(key: LedgerKey): Promise<boolean>;
  /** Writes the execution's one record; a retry of the same execution is a no-op. */
  writeRecord(record: LedgerRecord, expiresAtSeconds: number): Promise<'written' | 'already-recorded'>;
  listRecords(options: { target?: string; limit?: number }): Promise<LedgerRecord[]>;
}
