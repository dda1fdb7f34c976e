import { readFileSync } from 'node:fs';
import { InvalidParameterValueException, ServiceException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { LocalLoop } from '../../sim/loop/local-loop.js';
import { DEFAULT_SCENARIO } from '../../sim/loop/run-scenario.js';
import { parseScenario } from '../../sim/scenario.js';
import { mulberry32 } from '../fixtures/mulberry32.js';

/**
 * The loop's first promise, under injected faults: whatever fails and whenever, every
 * execution ends with exactly one ledger record (or, if even the ledger refused, the
 * last-resort item), and provisioned concurrency is never left at a value no record explains.
 */
const COMMANDS = [
  'GetMetricData',
  'GetProvisionedConcurrencyConfig',
  'PutProvisionedConcurrencyConfig',
  'GetParameter',
  'Publish',
];

function fault(random: () => number): Error {
  const pick = random();
  if (pick < 0.4) return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  if (pick < 0.7) return new InvalidParameterValueException({ message: 'injected rejection', $metadata: {} });
  return new ServiceException({ message: 'injected 5xx', $metadata: { httpStatusCode: 500 } });
}

/** Reads PC past any injected fault still queued for the read. */
async function readPc(loop: LocalLoop): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await loop.deps.provisionedConcurrency.get('orders-api', 'live');
    } catch (error) {
      if (attempt > 100) throw error;
    }
  }
}

describe('Invariant: one ledger record per execution, under injected faults', () => {
  for (const seed of [11, 12, 13]) {
    it(`holds for seed ${seed}`, async () => {
      const data = JSON.parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
      const loop = await LocalLoop.create(parseScenario({ ...data, durationMinutes: 60 }, 'test'));
      try {
        const random = mulberry32(seed);
        const start = Date.parse(loop.scenario.start);
        for (let minute = 1; minute <= 60; minute++) {
          if (random() < 0.35) {
            const command = COMMANDS[Math.floor(random() * COMMANDS.length)] as string;
            loop.account.failNext(command, fault(random));
          }
          await loop.advanceTo(start + minute * 60_000);
        }
        const executions = await loop.drain();
        const records = await loop.records();

        expect(executions.length).toBeGreaterThan(0);
        for (const execution of executions) {
          const own = records.filter((r) => r.executionName === execution.name);
          expect(own, execution.name).toHaveLength(1);
        }
        const pc = await readPc(loop);
        // Only changes that were applied and not undone explain a value (not plans that were held).
        const applied = records.filter(
          (r) => r.decision?.verdict === 'act' && r.actuator !== null && !r.reverted,
        );
        const explained = new Set([4, ...applied.map((r) => r.after)]);
        expect(explained.has(pc), `PC ${pc} left by an unrecorded change`).toBe(true);
      } finally {
        await loop.close();
      }
    });
  }
});
