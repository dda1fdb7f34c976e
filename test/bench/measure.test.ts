import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_OBJECTIVE_PERCENT,
  FAULT_GRACE_MINUTES,
  measureRun,
  type RawAction,
  RECOVERED_AFTER_GOOD_MINUTES,
} from '../../bench/sim/measure.js';
import { SimulatedAccount } from '../../sim/account.js';
import { billedProvisionedUsd } from '../../sim/billing.js';
import { LAMBDA_PRICES_USD } from '../../sim/fleet/aws-behaviour.js';
import { parseScenario } from '../../sim/scenario.js';

const MINUTE = 60_000;

/** A small function with a plain SLO (no compensator): 10 rps, well inside its objectives. */
function fn(target: string, slo: Record<string, unknown> = {}, initialProvisionedConcurrency = 3) {
  return {
    target,
    functionName: `${target}-fn`,
    aliasName: 'live',
    memoryMb: 512,
    baseLatencyMillis: 50,
    latencySigma: 0.2,
    coldStartMillis: { median: 300, p95: 600 },
    errorRatePercent: 0.1,
    reservedConcurrency: null,
    initialProvisionedConcurrency,
    traffic: { baselineRps: 10 },
    slo: { p95Millis: 500, errorRatePercent: 1, ...slo },
  };
}

/** 30 % extra errors against a 1 % objective: every minute of the window breaches. */
function spike(target: string, startMinute: number, endMinute: number) {
  return { kind: 'error-spike', target, startMinute, endMinute, extraErrorRatePercent: 30 };
}

/** Builds the scenario, lets `during` act on the account, then runs it to its end. */
async function runAccount(
  faults: readonly unknown[],
  options: {
    readonly durationMinutes?: number;
    readonly functions?: readonly unknown[];
    readonly during?: (account: SimulatedAccount) => Promise<void>;
  } = {},
): Promise<SimulatedAccount> {
  const scenario = parseScenario(
    {
      name: 'measure-test',
      description: 'a short seeded scenario for measureRun',
      seed: 7,
      start: '2026-01-05T10:00:00Z',
      durationMinutes: options.durationMinutes ?? 40,
      warmupMinutes: 10,
      functions: options.functions ?? [fn('api')],
      faults,
    },
    'measure-test',
  );
  const account = new SimulatedAccount(scenario);
  await options.during?.(account);
  account.advanceTo(account.endMillis);
  return account;
}

function action(account: SimulatedAccount, target: string, minute: number, reverted = false): RawAction {
  return {
    atMillis: account.startMillis + minute * MINUTE,
    target,
    kind: 'provisioned-concurrency',
    detail: `${target} at ${minute}`,
    reverted,
  };
}

const breachPattern = (account: SimulatedAccount, target: string): string =>
  account
    .minutes(target)
    .map((m) => (m.sloBreached ? 'X' : '.'))
    .join('');

describe('measureRun', () => {
  /**
   * api: error spike 10–20 (breaches minutes 10–19); batch (objective 90 %, no PC): error spike
   * 10–15 (breaches 10–14) and an excess-capacity window 32–33 that changes nothing.
   */
  let twoFunctions: SimulatedAccount;

  beforeAll(async () => {
    twoFunctions = await runAccount(
      [
        spike('api', 10, 20),
        spike('batch', 10, 15),
        { kind: 'excess-capacity', target: 'batch', startMinute: 32, endMinute: 33 },
      ],
      { functions: [fn('api'), fn('batch', { objectivePercent: 90 }, 0)] },
    );
  });

  it('runs on a scenario whose faults breach exactly their windows', () => {
    expect(breachPattern(twoFunctions, 'api')).toBe(`${'.'.repeat(10)}${'X'.repeat(10)}${'.'.repeat(20)}`);
    expect(breachPattern(twoFunctions, 'batch')).toBe(`${'.'.repeat(10)}${'X'.repeat(5)}${'.'.repeat(25)}`);
  });

  describe('false actions', () => {
    it(`counts actions in [start, end + ${FAULT_GRACE_MINUTES} min] of a same-target window as real`, () => {
      const actions = [
        action(twoFunctions, 'api', 10),
        action(twoFunctions, 'api', 20),
        action(twoFunctions, 'api', 20 + FAULT_GRACE_MINUTES),
        action(twoFunctions, 'batch', 15 + FAULT_GRACE_MINUTES),
        action(twoFunctions, 'batch', 32.5),
      ];

      const run = measureRun('none', twoFunctions, actions, 0, 0);

      expect(run.falseActions).toBe(0);
      expect(run.actionMarks.map((a) => a.falseAction)).toEqual([false, false, false, false, false]);
    });

    it('flags actions before the onset, after the grace period, or inside another target’s window', () => {
      const actions = [
        action(twoFunctions, 'api', 9.5),
        { ...action(twoFunctions, 'api', 10), atMillis: twoFunctions.startMillis + 10 * MINUTE - 10 },
        action(twoFunctions, 'api', 20 + FAULT_GRACE_MINUTES + 0.1),
        // Inside api's window (10–35) but batch's windows are 10–30 and 32–48.
        action(twoFunctions, 'batch', 31),
        action(twoFunctions, 'api', 12),
      ];

      const run = measureRun('none', twoFunctions, actions, 0, 0);

      expect(run.actions).toBe(5);
      expect(run.falseActions).toBe(4);
      expect(run.actionMarks.filter((a) => !a.falseAction).map((a) => [a.target, a.minute])).toEqual([
        ['api', 12],
      ]);
    });

    it('sorts the marks by minute and counts the reverted ones', () => {
      const actions = [
        action(twoFunctions, 'api', 14, true),
        action(twoFunctions, 'batch', 11),
        action(twoFunctions, 'api', 12.25, true),
      ];

      const run = measureRun('none', twoFunctions, actions, 0, 0);

      expect(run.actionMarks.map((a) => a.minute)).toEqual([11, 12.25, 14]);
      expect(run.actionMarks[1]).toMatchObject({
        target: 'api',
        kind: 'provisioned-concurrency',
        detail: 'api at 12.25',
        reverted: true,
      });
      expect(run.actionsReverted).toBe(2);
    });
  });

  describe('onset → first action', () => {
    it('takes the median over windows of the first action in each window, in seconds', () => {
      const actions = [
        action(twoFunctions, 'api', 11), // api 10–20: 60 s
        action(twoFunctions, 'api', 12), // not the first in its window
        action(twoFunctions, 'batch', 14), // batch 10–15: 240 s
        action(twoFunctions, 'batch', 42), // batch 32–33: 600 s
      ];

      const run = measureRun('none', twoFunctions, actions, 0, 0);

      expect(run.onsetToActionSeconds).toBe(240);
    });

    it('ignores windows that got no action', () => {
      const run = measureRun('none', twoFunctions, [action(twoFunctions, 'api', 11.5)], 0, 0);

      expect(run.onsetToActionSeconds).toBe(90);
    });

    it('is null when no window got an action', () => {
      const actions = [
        action(twoFunctions, 'api', 5),
        action(twoFunctions, 'batch', 31),
        { ...action(twoFunctions, 'api', 10), atMillis: twoFunctions.startMillis + 10 * MINUTE - 10 },
      ];

      const run = measureRun('none', twoFunctions, actions, 0, 0);

      expect(run.falseActions).toBe(3);
      expect(run.onsetToActionSeconds).toBeNull();
    });
  });

  describe('time to recover', () => {
    it(`counts from the onset to the first ${RECOVERED_AFTER_GOOD_MINUTES} good minutes in a row after the first breach`, async () => {
      // Breaches 10–12 and 15–19: the 2 good minutes in between do not count as recovered.
      const account = await runAccount([spike('api', 10, 13), spike('api', 15, 20)]);
      expect(breachPattern(account, 'api')).toBe(`${'.'.repeat(10)}XXX..XXXXX${'.'.repeat(20)}`);

      const run = measureRun('none', account, [], 0, 0);

      // Window 10–13 recovers at minute 20 (600 s), window 15–20 too (300 s): median 450 s.
      expect(run.recoverSeconds).toBe(450);
    });

    it('takes the median over every window, 0 for one that never breached', () => {
      const run = measureRun('none', twoFunctions, [], 0, 0);

      // api 10–20 → 600 s, batch 10–15 → 300 s, batch 32–33 → 0 s.
      expect(run.recoverSeconds).toBe(300);
    });

    it('is 0 when the window never breached', async () => {
      const account = await runAccount([
        { kind: 'excess-capacity', target: 'api', startMinute: 10, endMinute: 20 },
      ]);

      const run = measureRun('none', account, [], 0, 0);

      expect(run.sloMinutesBreached).toBe(0);
      expect(run.recoverSeconds).toBe(0);
    });

    it('is null when the SLO is never met again', async () => {
      const account = await runAccount([spike('api', 30, 40)]);

      const run = measureRun('none', account, [], 0, 0);

      expect(run.sloMinutesBreached).toBe(10);
      expect(run.recoverSeconds).toBeNull();
    });
  });

  describe('error budget', () => {
    it(`burns breached minutes against (100 − ${DEFAULT_OBJECTIVE_PERCENT}) % of the minutes by default`, async () => {
      const account = await runAccount([spike('api', 10, 13), spike('api', 15, 20)]);

      const run = measureRun('none', account, [], 0, 0);

      expect(run.sloMinutesBreached).toBe(8);
      expect(run.errorBudgetBurnedPercent).toBe(2000); // 100 × 8 / (1 % × 40)
    });

    it('sums breached minutes and budgets over functions, each with its own objective', () => {
      const run = measureRun('none', twoFunctions, [], 0, 0);

      expect(run.sloMinutesBreached).toBe(15);
      // 100 × (10 + 5) / (1 % × 40 + 10 % × 40)
      expect(run.errorBudgetBurnedPercent).toBe(340.9);
    });
  });

  describe('cost', () => {
    /** 42 minutes; PC 3 for minutes 0–6, then 5. */
    let account: SimulatedAccount;

    beforeAll(async () => {
      account = await runAccount([], {
        durationMinutes: 42,
        during: async (a) => {
          a.advanceTo(a.startMillis + 7 * MINUTE);
          await a.handle('LambdaClient', 'PutProvisionedConcurrencyConfigCommand', {
            FunctionName: 'api-fn',
            Qualifier: 'live',
            ProvisionedConcurrentExecutions: 5,
          });
        },
      });
    });

    it('bills provisioned concurrency in 5-minute increments and adds the extra cost', () => {
      const minutes = account.minutes('api');
      const levels = minutes.map((m) => m.provisionedRequested);
      expect(levels.slice(5, 9)).toEqual([3, 3, 5, 5]);
      const minuteUsd = minutes.reduce((s, m) => s + m.cost.usd, 0);
      const exactPcUsd = minutes.reduce(
        (s, m) => s + m.cost.provisionedGbSeconds * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency,
        0,
      );
      const billedPcUsd = billedProvisionedUsd(levels, 512);
      // 3 × 7 minutes is billed as 3 × 10 minutes; 5 × 35 minutes exactly.
      expect(billedPcUsd - exactPcUsd).toBeCloseTo(
        3 * 180 * 0.5 * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency,
        9,
      );

      const run = measureRun('none', account, [], 0.25, 0);

      expect(run.costUsd).toBeCloseTo(0.25 + minuteUsd - exactPcUsd + billedPcUsd, 4);
      expect(run.costUsd - 0.25 - minuteUsd).toBeCloseTo(billedPcUsd - exactPcUsd, 3);
      expect(run.costUsd - measureRun('none', account, [], 0, 0).costUsd).toBeCloseTo(0.25, 4);
    });

    it('leaves onset and recovery null without fault windows', () => {
      const run = measureRun('none', account, [action(account, 'api', 3)], 0, 0);

      expect(run.falseActions).toBe(1);
      expect(run.onsetToActionSeconds).toBeNull();
      expect(run.recoverSeconds).toBeNull();
    });
  });
});
