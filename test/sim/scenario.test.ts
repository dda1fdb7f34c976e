import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compensatorSpecs } from '../../sim/compensator-specs.js';
import { ScenarioError } from '../../sim/errors.js';
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario } from '../../sim/scenario.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { defaultScenarioData, FIXTURE_SCENARIO_PATH } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'micromotion-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issuesOf(data: unknown): { path: string; reason: string }[] {
  try {
    parseScenario(data, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).issues];
  }
  throw new Error('expected a ScenarioError');
}

describe('Scenario files', () => {
  const shipped = readdirSync(new URL('../../sim/scenarios/', import.meta.url)).filter((f) =>
    f.endsWith('.json'),
  );

  it('ships the benchmark scenarios the issue names, each valid against the schema', async () => {
    expect(shipped.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([
      'cold-start-burst',
      'config-change-error-drift',
      'dependency-slowdown',
      'mixed-day',
      'noisy-day',
      'over-provisioned-night',
      'retry-amplification',
      'slow-dependency-drift',
    ]);
    for (const file of shipped) {
      const scenario = await loadScenario(new URL(`../../sim/scenarios/${file}`, import.meta.url));
      expect(`${scenario.name}.json`).toBe(file);
      // Every function states its SLO, and every fault when it starts and ends.
      for (const fn of scenario.functions) expect(fn.slo ?? fn.compensator?.slo, fn.target).toBeDefined();
      for (const fault of scenario.faults ?? []) expect(fault.endMinute).toBeGreaterThan(fault.startMinute);
    }
  });

  it('rejects two entries for one function', () => {
    const data = defaultScenarioData();
    const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
    (data.functions as Record<string, unknown>[]).push({ ...fn, target: 'orders-copy' });

    expect(issuesOf(data)).toContainEqual({
      path: 'functions[1].functionName',
      reason: 'duplicates functions[0].functionName (one function, one entry)',
    });
  });

  it('rejects a compensator with nothing to actuate before anything runs', () => {
    const data = defaultScenarioData();
    const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
    const compensator = fn.compensator as Record<string, unknown>;
    delete compensator.provisionedConcurrency;
    delete compensator.flags;

    expect(issuesOf(data)).toContainEqual({
      path: 'functions[0].compensator',
      reason: 'needs an actuator: provisionedConcurrency bounds, at least one flag, or both',
    });
  });

  it('has a 24-hour day of ten functions and a day without any fault', async () => {
    const mixed = await loadScenario(new URL('../../sim/scenarios/mixed-day.json', import.meta.url));
    expect(mixed.durationMinutes).toBe(1440);
    expect(mixed.functions).toHaveLength(10);
    const noisy = await loadScenario(new URL('../../sim/scenarios/noisy-day.json', import.meta.url));
    expect(noisy.faults ?? []).toHaveLength(0);
    expect(noisy.functions[0]?.traffic.randomBursts).toBeDefined();
  });

  it('loads the default scenario', async () => {
    const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);
    expect(scenario.name).toBe('cold-start-burst');
    expect(scenario.durationMinutes).toBeGreaterThanOrEqual(60);
    expect(scenario.functions[0]?.compensator?.slo.p99Millis).toBe(1000);
  });

  it('loads the same scenario from YAML', async () => {
    const { stringify } = await import('yaml');
    const path = join(dir, 'scenario.yaml');
    writeFileSync(path, stringify(defaultScenarioData()));
    const scenario = await loadScenario(path);
    expect(scenario).toEqual(await loadScenario(FIXTURE_SCENARIO_PATH));
  });

  it('rejects a scenario with every bad field listed by path and reason', () => {
    const data = defaultScenarioData();
    const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
    delete fn.memoryMb;
    (fn.traffic as Record<string, unknown>).baselineRps = -1;
    fn.latencySigmaa = 0.2;
    (data.faults as Record<string, unknown>[])[0] = {
      kind: 'meteor',
      target: 'orders',
      startMinute: 1,
      endMinute: 2,
    };
    const issues = issuesOf(data);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'functions[0].memoryMb', reason: 'is required' },
        { path: 'functions[0].traffic.baselineRps', reason: 'must be >= 0' },
        { path: 'functions[0].latencySigmaa', reason: 'is not a known field' },
        {
          path: 'faults[0].kind',
          reason:
            'must be one of "dependency-slowdown", "error-spike", "latency-drift", "dependency-timeouts", "config-change", "traffic-burst", "excess-capacity"',
        },
      ]),
    );
  });

  it('rejects cross-field mistakes: unknown fault target, burst ending before it starts, unknown compensator flag', () => {
    const data = defaultScenarioData();
    const fn = (data.functions as Record<string, unknown>[])[0] as Record<string, unknown>;
    ((fn.traffic as Record<string, unknown>).bursts as Record<string, unknown>[])[0] = {
      startMinute: 40,
      endMinute: 30,
      multiplier: 2,
    };
    ((fn.compensator as Record<string, unknown>).flags as Record<string, unknown>[])[0] = {
      key: 'noSuchFlag',
      compensatingValue: true,
      remedies: ['latency-drift'],
    };
    ((data.faults as Record<string, unknown>[])[0] as Record<string, unknown>).target = 'payments';
    expect(issuesOf(data).map((i) => i.path)).toEqual([
      'functions[0].traffic.bursts[0].endMinute',
      'functions[0].compensator.flags[0].key',
      'faults[0].target',
    ]);
  });

  it('rejects a file that does not parse, naming the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "name": ');
    await expect(loadScenario(path)).rejects.toThrow(/Invalid scenario .*broken\.json/);
  });
});

describe('compensatorSpecs', () => {
  it('mirrors the compensator block and fills in the AppConfig ids the account creates', async () => {
    const scenario = await loadScenario(FIXTURE_SCENARIO_PATH);
    const [spec] = compensatorSpecs(scenario);
    const ids = appConfigIdsFor('orders');
    expect(spec).toEqual({
      target: 'orders',
      functionName: 'orders-api',
      aliasName: 'live',
      slo: { p95Millis: 300, errorRatePercent: 1 },
      provisionedConcurrency: { min: 1, max: 50, maxStep: 10 },
      flags: [
        { key: 'skipOptionalDependency', compensatingValue: true, remedies: ['latency-drift'], ...ids },
      ],
      guardrails: { cooldownSeconds: 300, actionsPerHour: 6, bakeSeconds: 300 },
    });
    expect(ids.applicationId).toMatch(/^[a-z0-9]{7}$/);
  });
});
