import { createHash } from 'node:crypto';
import { MicromotionError, PolicyInvalidError } from './errors.js';
import type { DiagnosisKind, FlagPolicy, TargetPolicy } from './types.js';
import { DIAGNOSIS_KINDS } from './types.js';
import {
  isRecord,
  requireBoolean,
  requireNumber,
  requireOneOf,
  requireRecord,
  requireString,
} from './validate.js';

/** Target names double as execution-name and ledger-key parts. */
export const TARGET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Parses the policy document a Compensator registered. Anything malformed is a
 * `PolicyInvalidError` naming the field, so the workflow records why it did nothing.
 */
export function parsePolicy(text: string, source: string): TargetPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyInvalidError(`policy ${source} is not JSON: ${(error as Error).message}`);
  }
  try {
    return readPolicy(raw);
  } catch (error) {
    if (error instanceof MicromotionError) {
      throw new PolicyInvalidError(`policy ${source}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function readPolicy(raw: unknown): TargetPolicy {
  const doc = requireRecord(raw, 'policy');
  if (doc.schemaVersion !== 1)
    throw new PolicyInvalidError(`schemaVersion must be 1; got ${doc.schemaVersion}`);
  const target = requireString(doc.target, 'target');
  if (!TARGET_NAME_PATTERN.test(target))
    throw new PolicyInvalidError(`target ${target} must match ${TARGET_NAME_PATTERN}`);
  const slo = requireRecord(doc.slo, 'slo');
  const guardrails = requireRecord(doc.guardrails, 'guardrails');
  const detection = requireRecord(doc.detection, 'detection');
  const pc = doc.provisionedConcurrency;
  const policy: TargetPolicy = {
    schemaVersion: 1,
    target,
    functionName: requireString(doc.functionName, 'functionName'),
    aliasName: requireString(doc.aliasName, 'aliasName'),
    slo: {
      p95Millis: positive(slo.p95Millis, 'slo.p95Millis'),
      ...(slo.p99Millis === undefined ? {} : { p99Millis: positive(slo.p99Millis, 'slo.p99Millis') }),
      errorRatePercent: positive(slo.errorRatePercent, 'slo.errorRatePercent'),
    },
    ...(pc === undefined || pc === null ? {} : { provisionedConcurrency: readPcBounds(pc) }),
    flags: readFlags(doc.flags),
    guardrails: {
      dryRun: requireBoolean(guardrails.dryRun, 'guardrails.dryRun'),
      paused: requireBoolean(guardrails.paused ?? false, 'guardrails.paused'),
      cooldownSeconds: nonNegative(guardrails.cooldownSeconds, 'guardrails.cooldownSeconds'),
      actionsPerHour: nonNegative(guardrails.actionsPerHour, 'guardrails.actionsPerHour'),
      bakeSeconds: positive(guardrails.bakeSeconds, 'guardrails.bakeSeconds'),
      minConfidence: fraction(guardrails.minConfidence, 'guardrails.minConfidence'),
    },
    detection: {
      windowMinutes: positive(detection.windowMinutes, 'detection.windowMinutes'),
      historyMinutes: readHistoryMinutes(detection),
      periodSeconds: positive(detection.periodSeconds, 'detection.periodSeconds'),
    },
  };
  return policy;
}

function readPcBounds(raw: unknown): NonNullable<TargetPolicy['provisionedConcurrency']> {
  const pc = requireRecord(raw, 'provisionedConcurrency');
  const min = nonNegative(pc.min, 'provisionedConcurrency.min');
  const max = positive(pc.max, 'provisionedConcurrency.max');
  const maxStep = positive(pc.maxStep, 'provisionedConcurrency.maxStep');
  if (min > max) throw new PolicyInvalidError(`provisionedConcurrency.min ${min} exceeds max ${max}`);
  return { min, max, maxStep };
}

function readFlags(raw: unknown): FlagPolicy[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PolicyInvalidError('flags must be an array');
  return raw.map((item, i) => {
    const flag = requireRecord(item, `flags[${i}]`);
    if (!Array.isArray(flag.remedies)) throw new PolicyInvalidError(`flags[${i}].remedies must be an array`);
    return {
      key: requireString(flag.key, `flags[${i}].key`),
      compensatingValue: requireBoolean(flag.compensatingValue, `flags[${i}].compensatingValue`),
      remedies: flag.remedies.map((r, j) =>
        requireOneOf<DiagnosisKind>(r, DIAGNOSIS_KINDS, `flags[${i}].remedies[${j}]`),
      ),
      applicationId: requireString(flag.applicationId, `flags[${i}].applicationId`),
      environmentId: requireString(flag.environmentId, `flags[${i}].environmentId`),
      configurationProfileId: requireString(
        flag.configurationProfileId,
        `flags[${i}].configurationProfileId`,
      ),
      deploymentStrategyId: requireString(flag.deploymentStrategyId, `flags[${i}].deploymentStrategyId`),
    };
  });
}

/** Older policies have no history setting: they read six hours, or their window if longer. */
export const DEFAULT_HISTORY_MINUTES = 360;

function readHistoryMinutes(detection: Record<string, unknown>): number {
  const window = positive(detection.windowMinutes, 'detection.windowMinutes');
  if (detection.historyMinutes === undefined) return Math.max(DEFAULT_HISTORY_MINUTES, window);
  const history = positive(detection.historyMinutes, 'detection.historyMinutes');
  if (history < window) {
    throw new PolicyInvalidError(
      `detection.historyMinutes ${history} is shorter than detection.windowMinutes ${window}`,
    );
  }
  return history;
}

function positive(value: unknown, path: string): number {
  const n = requireNumber(value, path);
  if (n <= 0) throw new PolicyInvalidError(`${path} must be > 0; got ${n}`);
  return n;
}

function nonNegative(value: unknown, path: string): number {
  const n = requireNumber(value, path);
  if (n < 0) throw new PolicyInvalidError(`${path} must be >= 0; got ${n}`);
  return n;
}

function fraction(value: unknown, path: string): number {
  const n = requireNumber(value, path);
  if (n < 0 || n > 1) throw new PolicyInvalidError(`${path} must be within [0, 1]; got ${n}`);
  return n;
}

/** A short, stable hash of the policy's content: the ledger says which policy decided. */
export function policyVersion(policy: TargetPolicy): string {
  return createHash('sha256').update(canonicalJson(policy)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
