import { planAction } from './plan.js';
import type { ActionPlan, Decision, Diagnosis, GuardrailRule, TargetPolicy } from './types.js';

/** Everything "Check guardrails" knows when it decides; gathered by the handler, judged here. */
export interface DecisionContext {
  readonly policy: TargetPolicy;
  readonly diagnosis: Diagnosis;
  readonly nowMs: number;
  readonly globalDryRun: boolean;
  readonly globalPaused: boolean;
  readonly targetPaused: boolean;
  readonly leaseAcquired: boolean;
  /** Start times (epoch ms) of this target's actuations, newest last, at least the last hour. */
  readonly recentActionTimes: readonly number[];
  readonly current: CurrentValues;
  /** Flags whose environment has an AppConfig deployment running or baking (one at a time). */
  readonly flagsDeploying?: readonly string[];
  /** Application Auto Scaling manages provisioned concurrency on the alias. */
  readonly pcAutoscaled?: boolean;
}

export interface CurrentValues {
  /** Requested provisioned concurrency on the alias; 0 when none is configured; null when unknown. */
  readonly provisionedConcurrency: number | null;
  /** Current values of the target's flags, by key. */
  readonly flags: Readonly<Record<string, boolean>>;
}

const HOUR_MS = 3_600_000;

/**
 * Start (epoch ms) of the action history the guardrails judge at `nowMs`: the last hour for the
 * action budget, or the cooldown if it is longer. Older actions cannot change a decision.
 */
export function actionHistoryStartMs(policy: TargetPolicy, nowMs: number): number {
  return nowMs - Math.max(HOUR_MS, policy.guardrails.cooldownSeconds * 1000);
}

/** Longest bake the loop chooses on its own (well inside the default 2-hour execution timeout). */
export const MAX_BAKE_SECONDS = 3600;
/** Margin after the next expected burst before verifying. */
export const BURST_BAKE_MARGIN_SECONDS = 120;

/**
 * How long to bake: the policy's bake time, or — for cold starts that come in bursts — until
 * the next burst has come and gone, since only a burst can show whether warm capacity helped
 * (capped at `MAX_BAKE_SECONDS`, never shorter than the policy's).
 */
export function bakeSecondsFor(policy: TargetPolicy, diagnosis: Diagnosis): number {
  const base = policy.guardrails.bakeSeconds;
  const interval = diagnosis.evidence.coldStartBurstIntervalSeconds;
  if (diagnosis.kind !== 'cold-start-pressure' || interval === undefined) return base;
  return Math.max(base, Math.min(MAX_BAKE_SECONDS, interval + BURST_BAKE_MARGIN_SECONDS));
}

/**
 * Applies the guardrails in a fixed order and names the rule that decided. The order puts
 * the cheapest and most absolute checks first, so a paused target never even plans.
 */
export function decide(ctx: DecisionContext): Decision {
  const { policy, diagnosis } = ctx;
  const bakeSeconds = bakeSecondsFor(policy, diagnosis);
  const hold = (rule: GuardrailRule, detail: string, plan: ActionPlan | null = null): Decision => ({
    verdict: 'hold',
    rule,
    detail,
    actuator: plan?.actuator ?? 'none',
    plan,
    bakeSeconds,
    leaseTaken: false,
  });

  if (ctx.globalPaused) return hold('global-kill-switch', 'the control plane is paused for every target');
  if (ctx.targetPaused || policy.guardrails.paused)
    return hold('target-kill-switch', `${policy.target} is paused`);
  if (diagnosis.kind === 'none') return hold('low-confidence', 'nothing was diagnosed');
  if (diagnosis.confidence < policy.guardrails.minConfidence) {
    return hold(
      'low-confidence',
      `confidence ${diagnosis.confidence} is below the policy minimum ${policy.guardrails.minConfidence}`,
    );
  }
  if (!ctx.leaseAcquired) return hold('lease-held', `another execution is acting on ${policy.target}`);

  const last = ctx.recentActionTimes.at(-1);
  const cooldownMs = policy.guardrails.cooldownSeconds * 1000;
  if (last !== undefined && ctx.nowMs - last < cooldownMs) {
    const left = Math.ceil((cooldownMs - (ctx.nowMs - last)) / 1000);
    return hold(
      'cooldown',
      `last action ${Math.round((ctx.nowMs - last) / 1000)} s ago; ${left} s of cooldown left`,
    );
  }
  const inLastHour = ctx.recentActionTimes.filter((t) => ctx.nowMs - t < HOUR_MS).length;
  if (inLastHour >= policy.guardrails.actionsPerHour) {
    return hold(
      'action-budget',
      `${inLastHour} actions in the last hour; budget ${policy.guardrails.actionsPerHour}`,
    );
  }

  const planned = planAction(diagnosis, policy, ctx.current);
  if (planned.kind === 'hold') return hold(planned.rule, planned.detail);
  if (planned.plan.actuator === 'provisioned-concurrency' && ctx.pcAutoscaled) {
    return hold(
      'another-controller',
      'Application Auto Scaling manages provisioned concurrency on this alias; never fight another controller',
      planned.plan,
    );
  }
  const flagKey = planned.plan.flagKey;
  if (flagKey !== undefined && ctx.flagsDeploying?.includes(flagKey)) {
    return hold(
      'deployment-in-progress',
      `an AppConfig deployment to the environment of ${flagKey} is running; never fight another deployment`,
      planned.plan,
    );
  }
  if (ctx.globalDryRun || policy.guardrails.dryRun) {
    return hold('dry-run', `dry run: would ${planned.plan.why}`, planned.plan);
  }
  return {
    verdict: 'act',
    rule: 'plan',
    detail: planned.plan.why,
    actuator: planned.plan.actuator,
    plan: planned.plan,
    bakeSeconds,
    leaseTaken: true,
  };
}
