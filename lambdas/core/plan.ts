import type { CurrentValues } from './guardrails.js';
import type { ActionPlan, Diagnosis, TargetPolicy } from './types.js';

export type PlanResult =
  | { readonly kind: 'act'; readonly plan: ActionPlan }
  | { readonly kind: 'hold'; readonly rule: 'at-bound' | 'no-actuator'; readonly detail: string };

/** Headroom kept above the observed concurrency peak when adding provisioned concurrency. */
export const PC_HEADROOM = 1.2;
/** Utilization a reduced pool should run at, leaving room for the next burst. */
export const PC_TARGET_UTILIZATION_AFTER_REDUCE = 0.6;

/**
 * Plans the cheapest action that can work for a diagnosis: a flag flip is free and
 * instant, provisioned concurrency costs money, so flags are preferred where they remedy
 * the diagnosis and PC is used for capacity problems only. Every step respects bounds.
 */
export function planAction(diagnosis: Diagnosis, policy: TargetPolicy, current: CurrentValues): PlanResult {
  switch (diagnosis.kind) {
    case 'cold-start-pressure':
      return raiseProvisionedConcurrency(diagnosis, policy, current);
    case 'over-provisioned':
      return lowerProvisionedConcurrency(diagnosis, policy, current);
    case 'none':
      return { kind: 'hold', rule: 'no-actuator', detail: 'nothing to correct' };
    default:
      return flipFlag(diagnosis, policy, current);
  }
}

function flipFlag(diagnosis: Diagnosis, policy: TargetPolicy, current: CurrentValues): PlanResult {
  const kind = diagnosis.kind;
  const candidates = policy.flags.filter((f) => kind !== 'none' && f.remedies.includes(kind));
  if (candidates.length === 0) {
    return { kind: 'hold', rule: 'no-actuator', detail: `no flag of ${policy.target} remedies ${kind}` };
  }
  const flag = candidates.find((f) => current.flags[f.key] !== f.compensatingValue);
  if (!flag) {
    return {
      kind: 'hold',
      rule: 'at-bound',
      detail: `every flag that remedies ${kind} is already compensating`,
    };
  }
  const from = current.flags[flag.key] ?? !flag.compensatingValue;
  return {
    kind: 'act',
    plan: {
      actuator: 'feature-flag',
      flagKey: flag.key,
      from,
      to: flag.compensatingValue,
      why: `set flag ${flag.key} to ${flag.compensatingValue} to counter ${kind}`,
    },
  };
}

type PcBounds = NonNullable<TargetPolicy['provisionedConcurrency']>;

/** Both PC plans need bounds and a known current value; otherwise there is no actuator to use. */
function pcContext(
  policy: TargetPolicy,
  current: CurrentValues,
): { bounds: PcBounds; from: number } | { hold: PlanResult } {
  const bounds = policy.provisionedConcurrency;
  if (!bounds) {
    return {
      hold: {
        kind: 'hold',
        rule: 'no-actuator',
        detail: `${policy.target} has no provisioned-concurrency bounds`,
      },
    };
  }
  if (current.provisionedConcurrency === null) {
    return {
      hold: { kind: 'hold', rule: 'no-actuator', detail: 'current provisioned concurrency is unknown' },
    };
  }
  return { bounds, from: current.provisionedConcurrency };
}

function pcPlan(from: number, to: number, why: string): PlanResult {
  return { kind: 'act', plan: { actuator: 'provisioned-concurrency', from, to, why } };
}

function raiseProvisionedConcurrency(
  diagnosis: Diagnosis,
  policy: TargetPolicy,
  current: CurrentValues,
): PlanResult {
  const ctx = pcContext(policy, current);
  if ('hold' in ctx) return ctx.hold;
  const { bounds, from } = ctx;
  const peak = diagnosis.evidence.concurrencyPeak ?? Number.NaN;
  const wanted = Number.isFinite(peak) && peak > from ? Math.ceil(peak * PC_HEADROOM) : from + bounds.maxStep;
  // Toward the wanted value within [min, max], never more than one step at a time.
  const to = Math.min(Math.min(bounds.max, Math.max(bounds.min, wanted)), from + bounds.maxStep);
  if (to <= from) {
    return {
      kind: 'hold',
      rule: 'at-bound',
      detail: `provisioned concurrency ${from} is already at max ${bounds.max}`,
    };
  }
  const peakText = Number.isFinite(peak) ? peak : 'unknown';
  return pcPlan(from, to, `raise provisioned concurrency ${from} → ${to} (peak concurrency ${peakText})`);
}

function lowerProvisionedConcurrency(
  diagnosis: Diagnosis,
  policy: TargetPolicy,
  current: CurrentValues,
): PlanResult {
  const ctx = pcContext(policy, current);
  if ('hold' in ctx) return ctx.hold;
  const { bounds, from } = ctx;
  const peakUtilization = diagnosis.evidence.pcUtilizationPeak ?? 0;
  // The epsilon keeps float noise (6 × 0.1 / 0.6 = 1.0000000000000002) from adding an instance.
  const needed = Math.ceil((from * peakUtilization) / PC_TARGET_UTILIZATION_AFTER_REDUCE - 1e-9);
  const to = Math.max(Math.max(bounds.min, needed), from - bounds.maxStep);
  if (to >= from) {
    const why =
      from <= bounds.min ? `already at min ${bounds.min}` : `needed for the observed peak (${needed})`;
    return { kind: 'hold', rule: 'at-bound', detail: `provisioned concurrency ${from} is ${why}` };
  }
  const utilization = Math.round(100 * peakUtilization);
  return pcPlan(
    from,
    to,
    `lower provisioned concurrency ${from} → ${to} (peak utilization ${utilization} %)`,
  );
}
