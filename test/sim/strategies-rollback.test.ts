import type { Deployments } from '@aws-sdk/client-appconfig';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import type { Scenario } from '../../sim/scenario.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { noCompensation } from '../../sim/strategies/no-compensation.js';
import { runPeer } from '../../sim/strategies/peer.js';
import { ROLLBACK_ALARM, staticRollback } from '../../sim/strategies/static-rollback.js';
import { errorRatePercent, fnData, minutesIn, scenarioOf } from './builders.js';

const MINUTE = 60_000;
const ALARM = 'AppConfigMonitor-api-fn-ErrorRate';
const ids = appConfigIdsFor('api');

/** An operator turns `newEngine` on at minute 5 (AllAtOnce: baking until minute 15); errors rise by `extra` %. */
function flagChange(extra: number, rampMinutes: number, durationMinutes = 40): Scenario {
  return scenarioOf({
    durationMinutes,
    functions: [
      fnData({
        traffic: { baselineRps: 50 },
        flags: [{ key: 'newEngine', initial: false, effect: 'none' }],
      }),
    ],
    faults: [
      {
        kind: 'config-change',
        target: 'api',
        startMinute: 5,
        endMinute: durationMinutes,
        flagKey: 'newEngine',
        value: true,
        extraErrorRatePercent: extra,
        rampMinutes,
      },
    ],
  });
}

async function deploymentStates(account: SimulatedAccount): Promise<Record<number, string>> {
  const page = (await account.handle('AppConfig', 'ListDeployments', {
    ApplicationId: ids.applicationId,
    EnvironmentId: ids.environmentId,
  })) as Deployments;
  return Object.fromEntries((page.Items ?? []).map((d) => [d.DeploymentNumber, d.State]));
}

describe('Peer: AppConfig rollback on a static error-rate alarm', () => {
  it('rolls the flag deployment back when its alarm fires during the bake time', async () => {
    const scenario = flagChange(30, 0);
    const peer = staticRollback();
    const account = await runPeer(scenario, peer, new SimulatedAccount(scenario));
    const control = await runPeer(scenario, noCompensation(), new SimulatedAccount(scenario));

    expect(ROLLBACK_ALARM).toEqual({ evaluationPeriods: 2, datapointsToAlarm: 2 });
    // Minutes 5 and 6 breach 1 %: ALARM at 7:00, rolled back in the same minute.
    expect(peer.actions).toHaveLength(1);
    expect(peer.actions[0]).toMatchObject({ target: 'api', kind: 'rollback' });
    expect((peer.actions[0]?.atMillis ?? 0) - account.startMillis).toBe(7 * MINUTE);
    expect(await deploymentStates(account)).toEqual({ 1: 'COMPLETE', 2: 'ROLLED_BACK' });
    expect(account.fleet('api').flag('newEngine')?.enabledShare(account.endMillis)).toBe(0);
    expect(errorRatePercent(minutesIn(account, 9, 40))).toBeLessThan(0.5);
    expect(errorRatePercent(minutesIn(control, 9, 40))).toBeGreaterThan(28);
    expect(account.alarm(ALARM).state).toBe('OK');
  });

  it('does not roll back when the errors rise only after the bake time is over', async () => {
    // +3 % over 60 minutes: 1 % is crossed around minute 21, after the bake ends at minute 15.
    const scenario = flagChange(3, 60, 60);
    const peer = staticRollback();
    const account = await runPeer(scenario, peer, new SimulatedAccount(scenario));

    expect(errorRatePercent(minutesIn(account, 0, 15))).toBeLessThan(1);
    expect(errorRatePercent(minutesIn(account, 40, 60))).toBeGreaterThan(2);
    expect(account.alarm(ALARM).state).toBe('ALARM');
    expect(peer.actions).toEqual([]);
    expect(await deploymentStates(account)).toEqual({ 1: 'COMPLETE', 2: 'COMPLETE' });
    expect(account.calls.filter((c) => c.commandName === 'StopDeployment')).toEqual([]);
  });

  it('applies only to scenarios with a config-change fault', () => {
    expect(staticRollback().appliesTo(flagChange(30, 0))).toBe(true);
    expect(staticRollback().appliesTo(scenarioOf())).toBe(false);
    expect(
      staticRollback().appliesTo(
        scenarioOf({
          faults: [
            { kind: 'error-spike', target: 'api', startMinute: 1, endMinute: 2, extraErrorRatePercent: 5 },
          ],
        }),
      ),
    ).toBe(false);
  });
});
