import { describe, expect, it } from 'vitest';
import {
  startUncompensated,
  uncompensatedSloMinutes,
  WORKER_THRESHOLD_FUNCTION_MINUTES,
} from '../../sim/loop/uncompensated.js';
import { loadScenario } from '../../sim/scenario.js';

describe('The uncompensated comparison', () => {
  it('gives the same SLO minutes on a worker thread as in process (a large scenario)', async () => {
    const noisy = await loadScenario(new URL('../../sim/scenarios/noisy-day.json', import.meta.url));
    const scenario = { ...noisy, durationMinutes: 2 * 1440 };
    expect(scenario.durationMinutes + (scenario.warmupMinutes ?? 180)).toBeGreaterThanOrEqual(
      WORKER_THRESHOLD_FUNCTION_MINUTES,
    );
    const inProcess = uncompensatedSloMinutes(scenario);
    expect(await startUncompensated(scenario)()).toEqual({ sloMinutes: inProcess, ranOn: 'worker' });
    expect(inProcess).toBeGreaterThan(0);
  }, 60_000);

  it('runs a small scenario in process', async () => {
    const burst = await loadScenario(new URL('../../sim/scenarios/cold-start-burst.json', import.meta.url));
    expect(await startUncompensated(burst)()).toEqual({ sloMinutes: 8, ranOn: 'process' });
  });
});
