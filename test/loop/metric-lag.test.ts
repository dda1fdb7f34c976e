import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLoop } from '../../sim/loop/local-loop.js';
import { DEFAULT_SCENARIO } from '../../sim/loop/run-scenario.js';
import { parseScenario } from '../../sim/scenario.js';

let loop: LocalLoop | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

describe('The loop with the deployed metric lag (120 s)', () => {
  it('still acts on the first burst: Detect reads through the data the alarm already evaluated', async () => {
    const data = JSON.parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
    loop = await LocalLoop.create(parseScenario({ ...data, durationMinutes: 20 }, 'test'), {
      metricLagSeconds: 120,
    });
    const start = Date.parse(loop.scenario.start);
    await loop.advanceTo(start + 14 * 60_000);
    await loop.drain();
    const records = await loop.records();

    // The burst starts at minute 10; the cold-start alarm fires as minute 10 closes.
    const acted = records.filter((r) => r.decision?.verdict === 'act');
    expect(acted).toHaveLength(1);
    expect(acted[0]).toMatchObject({ actuator: 'provisioned-concurrency', before: 4 });
    expect(acted[0]?.trigger).toMatchObject({ signal: 'coldStarts', dataUntil: '2026-11-23T08:11:00.000Z' });
    expect(Date.parse(acted[0]?.triggeredAt ?? '') - start).toBe(11 * 60_000);
  });
});
