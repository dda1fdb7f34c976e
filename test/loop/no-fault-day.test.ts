import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/loop/run-scenario.js';

describe('The loop on a day without faults', () => {
  it('takes no action through a noisy 24-hour day (diurnal traffic, random spikes, wide latency)', async () => {
    const run = await runScenario(new URL('../../sim/scenarios/noisy-day.json', import.meta.url).pathname, {
      compareUncompensated: false,
    });
    // It looked (reviews and alarms ran the workflow) and found nothing worth a change.
    expect(run.result.executions).toBeGreaterThan(90);
    expect(run.records).toHaveLength(run.result.executions);
    expect(run.result.actions).toEqual([]);
    expect(run.records.filter((r) => r.decision?.verdict === 'act')).toEqual([]);
  }, 60_000);
});
