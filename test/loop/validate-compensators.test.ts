import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../sim/errors.js';
import { DEFAULT_SCENARIO, runScenario } from '../../sim/loop/run-scenario.js';
import { validateCompensators } from '../../sim/loop/validate-compensators.js';
import { parseScenario } from '../../sim/scenario.js';

function withCompensator(patch: (c: Record<string, unknown>) => void) {
  const data = JSON.parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
  const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
  patch(fn.compensator as Record<string, unknown>);
  return parseScenario(data, 'test');
}

describe("A scenario's compensators, checked as the CDK construct checks them", () => {
  it('passes the shipped default scenario', () => {
    expect(() =>
      validateCompensators(
        withCompensator(() => {}),
        'test',
      ),
    ).not.toThrow();
  });

  it('names the broken prop at its path in the scenario, with the reason and the fix', () => {
    const scenario = withCompensator((c) => {
      c.slo = { p95Millis: 400, p99Millis: 300, errorRatePercent: 1 };
    });
    try {
      validateCompensators(scenario, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      const [issue] = (error as ScenarioError).issues;
      expect(issue?.path).toBe('functions[0].compensator.slo.p99Millis');
      expect(issue?.reason).toMatch(/at least 400.*got 300.*Set the p99 objective/);
    }
  });

  it('rejects the scenario before the loop starts', async () => {
    const scenario = withCompensator((c) => {
      c.provisionedConcurrency = { min: 1, max: 10, maxStep: 20 };
    });
    await expect(runScenario(scenario)).rejects.toThrow(
      /functions\[0\]\.compensator\.provisionedConcurrency\.maxStep/,
    );
  });
});
