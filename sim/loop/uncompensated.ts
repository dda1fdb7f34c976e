import { Worker } from 'node:worker_threads';
import { SimulatedAccount } from '../account.js';
import type { Scenario } from '../scenario-types.js';

/** The same scenario on its own: no alarms, no workflow, nothing changes the fleet. */
export function uncompensatedSloMinutes(scenario: Scenario): number {
  const account = new SimulatedAccount(scenario, { metrics: false });
  account.advanceTo(account.endMillis);
  return account.summary().sloMinutesBreached;
}

/**
 * Below this many function-minutes (warm-up included) the comparison runs in process: a worker
 * thread's start-up (loading the TypeScript loader and the simulator) costs more than it saves.
 */
export const WORKER_THRESHOLD_FUNCTION_MINUTES = 3000;

/**
 * `uncompensatedSloMinutes` on another thread when the scenario is large, so the comparison
 * runs beside the loop instead of after it; in process otherwise, or if the worker fails.
 * Deterministic either way: the simulation depends only on the scenario and its seed.
 */
export function startUncompensated(
  scenario: Scenario,
): () => Promise<{ sloMinutes: number; ranOn: 'worker' | 'process' }> {
  const size = scenario.functions.length * (scenario.durationMinutes + (scenario.warmupMinutes ?? 180));
  const here = () => ({ sloMinutes: uncompensatedSloMinutes(scenario), ranOn: 'process' as const });
  if (size < WORKER_THRESHOLD_FUNCTION_MINUTES) return async () => here();
  const result = new Promise<number>((resolve, reject) => {
    const worker = new Worker(new URL('./uncompensated-worker.mjs', import.meta.url), {
      workerData: scenario,
    });
    worker.once('message', (value: unknown) => {
      void worker.terminate();
      if (typeof value === 'number') resolve(value);
      else reject(new Error(`uncompensated worker answered ${JSON.stringify(value)}`));
    });
    worker.once('error', reject);
  });
  // A worker that cannot start or fails is not worth a failed run: compute it here instead.
  const settled = result.then(
    (sloMinutes) => ({ sloMinutes, ranOn: 'worker' as const }),
    () => null,
  );
  return async () => (await settled) ?? here();
}
