import { describe, expect, it } from 'vitest';
import { ExportMismatchError } from '../../sim/backtest/errors.js';
import { type BacktestEvent, replay, sliceWindow } from '../../sim/backtest/replay.js';
import { makeFlag, makePolicy, type PolicyOverrides } from '../fixtures/policy.js';
import { PERIOD_MS, syntheticWindow, T0 } from './synthetic.js';

const SHIFT_MINUTE = 90;
const iso = (minute: number) => new Date(T0 + minute * PERIOD_MS).toISOString();
const acts = (events: readonly BacktestEvent[]) => events.filter((e) => e.verdict === 'act');

/** A target whose latency drift is remedied by flags (in order), PC bounds 1..20. */
function flagPolicy(keys: readonly string[], guardrails: PolicyOverrides['guardrails'] = {}) {
  return makePolicy({
    slo: { p95Millis: 400 },
    flags: keys.map((key) => makeFlag(key, ['latency-drift'])),
    guardrails,
  });
}

describe('Backtest replay: level shift in p95', () => {
  it('acts two periods after a 60 % shift, when 2 of the 5 recent periods deviate', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });

    const result = replay(window, flagPolicy(['skipOptional']), { initialProvisionedConcurrency: 1 });

    const [first, ...others] = acts(result.events);
    expect(first).toMatchObject({
      at: iso(SHIFT_MINUTE + 2),
      kind: 'latency-drift',
      persistence: 0.4,
      rule: 'plan',
      plan: { actuator: 'feature-flag', flagKey: 'skipOptional', from: false, to: true },
    });
    expect(first?.confidence).toBeGreaterThanOrEqual(0.6);
    expect(first?.evidence.p95BaselineMillis).toBeCloseTo(120, -1);
    expect(first?.evidence.p95RecentMillis).toBeCloseTo(192, -1);
    expect(others).toEqual([]);
    expect(result.events.every((e) => e.at >= iso(SHIFT_MINUTE))).toBe(true);
    expect(result.finalState.flags).toEqual({ skipOptional: true });
  });

  it('does nothing on a quiet series', () => {
    const window = syntheticWindow({ minutes: 150 });

    const result = replay(window, flagPolicy(['skipOptional']), { initialProvisionedConcurrency: 1 });

    expect(result.events).toEqual([]);
    expect(result.diagnosed).toBe(0);
    expect(result.actions).toBe(0);
    expect(result.evaluations).toBe(150 - 30 + 1);
    expect(result.firstEvaluation).toBe(iso(30));
    expect(result.to).toBe(iso(150));
  });

  it('never reads ahead: cutting the export after the action leaves the action as it was', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });
    const policy = flagPolicy(['skipOptional']);

    const whole = replay(window, policy, { initialProvisionedConcurrency: 1 });
    const cut = replay(sliceWindow(window, T0, T0 + (SHIFT_MINUTE + 2) * PERIOD_MS), policy, {
      initialProvisionedConcurrency: 1,
    });

    expect(acts(cut.events)).toEqual(acts(whole.events));
  });
});

describe('Backtest replay: guardrails', () => {
  it('holds inside the cooldown and acts again once it has passed', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });
    const policy = flagPolicy(['first', 'second'], { cooldownSeconds: 600 });

    const result = replay(window, policy, { initialProvisionedConcurrency: 1 });

    const [first, second] = acts(result.events);
    expect(first?.at).toBe(iso(SHIFT_MINUTE + 2));
    expect(second?.at).toBe(iso(SHIFT_MINUTE + 12));
    expect(second?.plan?.flagKey).toBe('second');
    const cooldown = result.events.find((e) => e.rule === 'cooldown');
    expect(cooldown).toMatchObject({
      at: iso(SHIFT_MINUTE + 3),
      until: iso(SHIFT_MINUTE + 11),
      evaluations: 9,
      verdict: 'hold',
      detail: 'last action 60 s ago; 540 s of cooldown left',
    });
  });

  it('holds by the hourly action budget once it is spent', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });
    const policy = flagPolicy(['a', 'b', 'c'], { cooldownSeconds: 60, actionsPerHour: 2 });

    const result = replay(window, policy, { initialProvisionedConcurrency: 1 });

    expect(acts(result.events).map((e) => e.at)).toEqual([iso(SHIFT_MINUTE + 2), iso(SHIFT_MINUTE + 3)]);
    expect(result.events.find((e) => e.rule === 'action-budget')).toMatchObject({
      at: iso(SHIFT_MINUTE + 4),
      detail: '2 actions in the last hour; budget 2',
    });
    expect(result.finalState.flags).toEqual({ a: true, b: true, c: false });
  });

  it('holds below the policy’s minimum confidence and acts once the diagnosis reaches it', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });
    const policy = flagPolicy(['skipOptional'], { minConfidence: 0.9 });

    const result = replay(window, policy, { initialProvisionedConcurrency: 1 });

    expect(result.events[0]).toMatchObject({ at: iso(SHIFT_MINUTE + 2), rule: 'low-confidence' });
    const [act] = acts(result.events);
    expect(act?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(act && act.at > iso(SHIFT_MINUTE + 2)).toBe(true);
  });

  it('in dry run records the planned change and keeps the would-be settings', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });
    const policy = flagPolicy(['skipOptional'], { dryRun: true });

    const result = replay(window, policy, { initialProvisionedConcurrency: 1 });

    expect(result.actions).toBe(0);
    expect(result.events[0]).toMatchObject({
      at: iso(SHIFT_MINUTE + 2),
      verdict: 'hold',
      rule: 'dry-run',
      plan: { flagKey: 'skipOptional', to: true },
    });
    expect(result.finalState.flags).toEqual({ skipOptional: false });
  });

  it('holds a paused target by its kill switch', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });

    const result = replay(window, flagPolicy(['skipOptional'], { paused: true }), {
      initialProvisionedConcurrency: 1,
    });

    expect(result.events.map((e) => e.rule)).toEqual(['target-kill-switch']);
  });

  it('holds with no-actuator when nothing remedies the diagnosis', () => {
    const window = syntheticWindow({ minutes: 150, shiftAtMinute: SHIFT_MINUTE });

    const result = replay(window, flagPolicy([]), { initialProvisionedConcurrency: 1 });

    expect(result.events[0]).toMatchObject({ rule: 'no-actuator', at: iso(SHIFT_MINUTE + 2) });
  });
});

describe('Backtest replay: bad input', () => {
  it('rejects an export shorter than the diagnosis window', () => {
    const window = syntheticWindow({ minutes: 20 });

    expect(() => replay(window, makePolicy(), { initialProvisionedConcurrency: 1 })).toThrow(
      ExportMismatchError,
    );
    expect(() => replay(window, makePolicy(), { initialProvisionedConcurrency: 1 })).toThrow(
      /the export covers 20 min; the policy's diagnosis window \(detection\.windowMinutes\) needs 30 min/,
    );
  });
});
