import { type ExecFileException, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSummary, parseBenchArgs, runBench, withSeeds } from '../../bench/sim/run.js';
import { strategyApplies } from '../../bench/sim/strategies.js';
import { formatScenarioTable, versusBestPeer } from '../../bench/sim/table.js';
import {
  type BenchResult,
  type ScenarioBench,
  STRATEGY_NAMES,
  type StrategyName,
  type StrategyRun,
} from '../../bench/sim/types.js';
import { parseScenario, type Scenario } from '../../sim/scenario.js';
import { fnData } from '../sim/builders.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** quotes-api (25 rps) with a compensator that may scale PC or turn the newPricingEngine flag off. */
function quotesFunction(): Record<string, unknown> {
  return fnData({
    target: 'quotes',
    functionName: 'quotes-api',
    baseLatencyMillis: 140,
    coldStartMillis: { median: 900, p95: 1800 },
    initialProvisionedConcurrency: 6,
    traffic: { baselineRps: 25 },
    slo: undefined,
    dependency: { latencyMillis: 30, optionalLatencyMillis: 20 },
    flags: [{ key: 'newPricingEngine', initial: false, effect: 'none' }],
    compensator: {
      slo: { p95Millis: 400, errorRatePercent: 1 },
      provisionedConcurrency: { min: 1, max: 40, maxStep: 10 },
      flags: [{ key: 'newPricingEngine', compensatingValue: false, remedies: ['error-drift'] }],
      guardrails: { cooldownSeconds: 300, actionsPerHour: 4, bakeSeconds: 600 },
    },
  });
}

/** 45 minutes: at minute 10 a flag change adds up to 6 % errors (1 % objective) until minute 40. */
function configChangeData(): Record<string, unknown> {
  return {
    name: 'short-config-change',
    description: 'a flag change that breaks the error objective',
    seed: 3,
    start: '2026-11-23T09:00:00Z',
    durationMinutes: 45,
    warmupMinutes: 30,
    functions: [quotesFunction()],
    faults: [
      {
        kind: 'config-change',
        target: 'quotes',
        startMinute: 10,
        endMinute: 40,
        flagKey: 'newPricingEngine',
        value: true,
        extraErrorRatePercent: 6,
        rampMinutes: 5,
      },
    ],
  };
}

/** 30 quiet minutes: no fault at all. */
function quietData(): Record<string, unknown> {
  return {
    name: 'short-quiet',
    description: 'nothing goes wrong',
    seed: 4,
    start: '2026-11-23T09:00:00Z',
    durationMinutes: 30,
    warmupMinutes: 30,
    functions: [quotesFunction()],
  };
}

/** The keys the issue requires of each strategy in `--json`. */
const ISSUE_STRATEGY_KEYS = [
  'name',
  'errorBudgetBurnedPercent',
  'sloMinutesBreached',
  'costUsd',
  'actions',
  'falseActions',
  'onsetToActionSeconds',
  'recoverSeconds',
] as const;
/** Summary fields of `StrategyRun` that `--json` prints besides the issue's. */
const EXTRA_STRATEGY_KEYS = ['p95Millis', 'p99Millis', 'actionsReverted'] as const;
const NULLABLE_KEYS: ReadonlySet<string> = new Set(['onsetToActionSeconds', 'recoverSeconds']);

/** Asserts the `--json` shape of the issue; returns the parsed value typed loosely. */
function expectJsonShape(value: unknown): {
  scenarios: { name: string; fault: boolean; strategies: Record<string, unknown>[] }[];
  seconds: number;
} {
  const root = value as Record<string, unknown>;
  expect(Object.keys(root).sort()).toEqual(['scenarios', 'seconds']);
  expect(typeof root.seconds).toBe('number');
  expect(Array.isArray(root.scenarios)).toBe(true);
  const scenarios = root.scenarios as Record<string, unknown>[];
  for (const scenario of scenarios) {
    expect(Object.keys(scenario).sort()).toEqual(['fault', 'name', 'strategies']);
    expect(typeof scenario.name).toBe('string');
    expect(typeof scenario.fault).toBe('boolean');
    for (const strategy of scenario.strategies as Record<string, unknown>[]) {
      expect(Object.keys(strategy).sort()).toEqual([...ISSUE_STRATEGY_KEYS, ...EXTRA_STRATEGY_KEYS].sort());
      expect(STRATEGY_NAMES).toContain(strategy.name);
      for (const key of [...ISSUE_STRATEGY_KEYS, ...EXTRA_STRATEGY_KEYS]) {
        if (key === 'name') continue;
        const v = strategy[key];
        if (NULLABLE_KEYS.has(key) && v === null) continue;
        expect(typeof v, key).toBe('number');
        expect(Number.isFinite(v), key).toBe(true);
      }
    }
  }
  return value as ReturnType<typeof expectJsonShape>;
}

const names = (s: ScenarioBench): StrategyName[] => s.strategies.map((r) => r.name);
const byName = (s: ScenarioBench, name: StrategyName): StrategyRun => {
  const run = s.strategies.find((r) => r.name === name);
  if (!run) throw new Error(`${s.name} has no ${name} run`);
  return run;
};

describe('runBench', () => {
  let configChange: Scenario;
  let quiet: Scenario;
  let result: BenchResult;
  const progress: string[] = [];

  beforeAll(async () => {
    configChange = parseScenario(configChangeData(), 'test');
    quiet = parseScenario(quietData(), 'test');
    result = await runBench([configChange, quiet], ['none', 'target-tracking', 'micromotion'], (line) =>
      progress.push(line),
    );
  });

  it('returns a scenario per input, in order, with its fault windows', () => {
    expect(result.scenarios.map((s) => [s.name, s.fault, s.durationMinutes])).toEqual([
      ['short-config-change', true, 45],
      ['short-quiet', false, 30],
    ]);
    expect(result.scenarios[0]?.faults).toEqual([
      { target: 'quotes', kind: 'config-change', startMinute: 10, endMinute: 40 },
    ]);
    expect(result.scenarios[1]?.faults).toEqual([]);
    expect(typeof result.seconds).toBe('number');
  });

  it('runs every requested strategy, micromotion under its own name, and reports progress per run', () => {
    for (const scenario of result.scenarios) {
      expect(names(scenario)).toEqual(['none', 'target-tracking', 'micromotion']);
    }
    expect(progress).toHaveLength(6);
    expect(progress[5]).toMatch(/^\[6\/6\] short-quiet × micromotion: /);
  });

  it('keeps every summary consistent with its series and action marks', () => {
    for (const scenario of result.scenarios) {
      for (const run of scenario.strategies) {
        expect(run.series.map((f) => f.target)).toEqual(['quotes']);
        const minutes = run.series[0]?.minutes ?? [];
        expect(minutes).toHaveLength(scenario.durationMinutes);
        const breached = minutes.filter((m) => m.sloBreached).length;
        expect(run.sloMinutesBreached).toBe(breached);
        // Objective 99 %: the budget is 1 % of the minutes.
        expect(run.errorBudgetBurnedPercent).toBeCloseTo((100 * breached) / (0.01 * minutes.length), 1);
        expect(run.actions).toBe(run.actionMarks.length);
        expect(run.actionsReverted).toBe(run.actionMarks.filter((a) => a.reverted).length);
        expect(run.falseActions).toBe(run.actionMarks.filter((a) => a.falseAction).length);
        expect(run.costUsd).toBeGreaterThan(0);
      }
    }
  });

  it('has the fault breach the SLO with nothing compensating', () => {
    const none = byName(result.scenarios[0] as ScenarioBench, 'none');
    expect(none.actions).toBe(0);
    expect(none.sloMinutesBreached).toBeGreaterThan(0);
    expect(none.onsetToActionSeconds).toBeNull();
    expect(none.recoverSeconds).not.toBeNull();
  });

  it('counts every action of a scenario without faults as false and leaves onset and recovery null', () => {
    const scenario = result.scenarios[1] as ScenarioBench;
    for (const run of scenario.strategies) {
      expect(run.falseActions).toBe(run.actions);
      expect(run.onsetToActionSeconds).toBeNull();
      expect(run.recoverSeconds).toBeNull();
    }
  });

  it('summarizes for --json with the issue’s keys (and p95/p99/reverted), without series or marks', () => {
    const summary = jsonSummary(result);

    const parsed = expectJsonShape(JSON.parse(JSON.stringify(summary)));
    // Nothing is lost in JSON (no NaN, no undefined).
    expect(parsed).toEqual(summary);
    expect(parsed.scenarios.map((s) => [s.name, s.fault])).toEqual([
      ['short-config-change', true],
      ['short-quiet', false],
    ]);
    expect(parsed.seconds).toBe(result.seconds);
    const micromotion = parsed.scenarios[0]?.strategies.find((s) => s.name === 'micromotion');
    const run = byName(result.scenarios[0] as ScenarioBench, 'micromotion');
    expect(micromotion).toEqual({
      name: 'micromotion',
      errorBudgetBurnedPercent: run.errorBudgetBurnedPercent,
      sloMinutesBreached: run.sloMinutesBreached,
      p95Millis: run.p95Millis,
      p99Millis: run.p99Millis,
      costUsd: run.costUsd,
      actions: run.actions,
      actionsReverted: run.actionsReverted,
      falseActions: run.falseActions,
      onsetToActionSeconds: run.onsetToActionSeconds,
      recoverSeconds: run.recoverSeconds,
    });
  });

  it('runs static-rollback only where a scenario changes a flag', async () => {
    expect(strategyApplies('static-rollback', configChange)).toBe(true);
    expect(strategyApplies('static-rollback', quiet)).toBe(false);
    expect(strategyApplies('micromotion', quiet)).toBe(true);
    expect(strategyApplies('none', quiet)).toBe(true);

    const peers = await runBench([configChange, quiet], ['static-rollback', 'none']);

    expect(peers.scenarios.map(names)).toEqual([['static-rollback', 'none'], ['none']]);
  });
});

describe('npm run bench (CLI)', () => {
  interface Exit {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
  }
  const execFileAsync = promisify(execFile);
  let dir: string;

  /** Runs the bench in a child process; a timeout or signal fails the test instead of passing as "exit ≠ 0". */
  async function bench(...args: string[]): Promise<Exit> {
    try {
      const { stdout, stderr } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', 'bench/sim/run.ts', ...args],
        {
          cwd: REPO,
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
          timeout: 60_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as ExecFileException & { stdout: string; stderr: string };
      if (typeof e.code !== 'number') throw error;
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  function writeScenario(file: string, data: unknown): string {
    const path = join(dir, file);
    writeFileSync(path, JSON.stringify(data));
    return path;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'micromotion-bench-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents every option in --help and exits 0', async () => {
    const exit = await bench('--help');

    expect(exit.code).toBe(0);
    for (const option of ['--scenario', '--strategy', '--json', '--report', '--quiet', '--help']) {
      expect(exit.stdout).toContain(option);
    }
    for (const name of STRATEGY_NAMES) expect(exit.stdout).toContain(name);
  });

  it('rejects an unknown strategy, naming it and the known ones, and writes nothing', async () => {
    const sub = mkdtempSync(join(dir, 'strategy-'));
    const report = join(sub, 'r.html');

    const exit = await bench('--strategy', 'nope', '--report', report);

    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain('unknown strategy "nope"');
    for (const name of STRATEGY_NAMES) expect(exit.stderr).toContain(name);
    expect(exit.stdout).toBe('');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('rejects a scenario that violates the schema before anything runs, naming the field and the reason', async () => {
    const sub = mkdtempSync(join(dir, 'schema-'));
    const good = writeScenario('good.json', quietData());
    const badData = configChangeData();
    (badData.functions as Record<string, unknown>[])[0] = { ...quotesFunction(), memoryMb: 'lots' };
    const bad = writeScenario('bad.json', badData);
    const report = join(sub, 'r.html');

    const exit = await bench('--scenario', good, '--scenario', bad, '--report', report);

    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain('bad.json');
    expect(exit.stderr).toContain('functions[0].memoryMb: must be integer');
    // No run started: the good scenario listed first did not run either.
    expect(exit.stderr).not.toMatch(/\[1\/\d+\]/);
    expect(exit.stdout).toBe('');
    expect(existsSync(report)).toBe(false);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('rejects a --report file that is not .html', async () => {
    const notes = join(dir, 'notes.txt');

    const exit = await bench('--report', notes);

    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain('--report must name an .html file');
    expect(existsSync(notes)).toBe(false);
  });

  it('prints the --json summary and writes the report', async () => {
    const sub = mkdtempSync(join(dir, 'ok-'));
    const scenario = writeScenario('ok.json', { ...quietData(), durationMinutes: 20, warmupMinutes: 10 });
    const report = join(sub, 'r.html');

    const exit = await bench('--json', '--strategy', 'none', '--report', report, '--scenario', scenario);

    expect(exit.code).toBe(0);
    const parsed = expectJsonShape(JSON.parse(exit.stdout));
    expect(parsed.scenarios.map((s) => [s.name, s.fault, s.strategies.map((r) => r.name)])).toEqual([
      ['short-quiet', false, ['none']],
    ]);
    expect(readdirSync(sub)).toEqual(['r.html']);
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('short-quiet');
  });
});

function strategyRun(name: StrategyName, overrides: Partial<StrategyRun> = {}): StrategyRun {
  return {
    name,
    errorBudgetBurnedPercent: 100,
    sloMinutesBreached: 4,
    p95Millis: 180,
    p99Millis: 240,
    costUsd: 0.5,
    actions: 0,
    actionsReverted: 0,
    falseActions: 0,
    onsetToActionSeconds: null,
    recoverSeconds: null,
    series: [],
    actionMarks: [],
    seconds: 0.1,
    ...overrides,
  };
}

function scenarioBench(strategies: readonly StrategyRun[]): ScenarioBench {
  return {
    name: 'table-test',
    description: 'hand-made results',
    durationMinutes: 60,
    fault: true,
    faults: [
      { target: 'quotes', kind: 'config-change', startMinute: 10, endMinute: 40 },
      { target: 'quotes', kind: 'error-spike', startMinute: 45, endMinute: 50 },
    ],
    strategies,
  };
}

describe('Bench table', () => {
  const cells = (line: string): string[] => line.trim().split(/ {2,}/);

  it('shows — for latency percentiles when the function had no invocations', () => {
    const table = formatScenarioTable(
      scenarioBench([strategyRun('none', { p95Millis: Number.NaN, p99Millis: Number.NaN })]),
    );
    const row = cells(table.split('\n')[3] as string);
    expect(row.slice(0, 5)).toEqual(['none', expect.any(String), expect.any(String), '—', '—']);
  });

  it('shows — for a null onset or recovery and marks micromotion', () => {
    const table = formatScenarioTable(
      scenarioBench([
        strategyRun('none', { errorBudgetBurnedPercent: 2500, sloMinutesBreached: 25 }),
        strategyRun('micromotion', {
          errorBudgetBurnedPercent: 400,
          sloMinutesBreached: 4,
          actions: 2,
          actionsReverted: 1,
          falseActions: 1,
          onsetToActionSeconds: 90,
          recoverSeconds: 600,
          costUsd: 0.6126,
        }),
      ]),
    );

    const lines = table.split('\n');
    expect(lines[0]).toBe('table-test (60 min, 2 fault windows)');
    expect(cells(lines[1] as string)).toEqual([
      'strategy',
      'budget %',
      'SLO min',
      'p95 ms',
      'p99 ms',
      'cost $',
      'actions',
      'reverted',
      'false',
      'onset→act s',
      'recover s',
    ]);
    expect(cells(lines[3] as string)).toEqual([
      'none',
      '2500',
      '25',
      '180',
      '240',
      '0.500',
      '0',
      '0',
      '0',
      '—',
      '—',
    ]);
    expect(cells(lines[4] as string)).toEqual([
      'micromotion *',
      '400',
      '4',
      '180',
      '240',
      '0.613',
      '2',
      '1',
      '1',
      '90',
      '600',
    ]);
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });

  it('names the best peer by least budget burned, the cheaper on a tie, and prints the ratios', () => {
    const line = versusBestPeer(
      scenarioBench([
        strategyRun('none', { errorBudgetBurnedPercent: 500, costUsd: 0.1 }),
        strategyRun('target-tracking', { errorBudgetBurnedPercent: 100, costUsd: 0.5 }),
        strategyRun('static-rollback', { errorBudgetBurnedPercent: 100, costUsd: 0.3 }),
        strategyRun('micromotion', { errorBudgetBurnedPercent: 50, costUsd: 0.6 }),
      ]),
    );

    expect(line).toBe(
      'micromotion vs best peer (static-rollback): 50 % of its error budget burn, 2.00× its cost',
    );
  });

  it('compares budget burn in points when the best peer burned none', () => {
    const line = versusBestPeer(
      scenarioBench([
        strategyRun('target-tracking', { errorBudgetBurnedPercent: 0, costUsd: 0.4 }),
        strategyRun('micromotion', { errorBudgetBurnedPercent: 12, costUsd: 0.2 }),
      ]),
    );

    expect(line).toBe('micromotion vs best peer (target-tracking): budget burn 12 % vs 0 %, 0.50× its cost');
  });

  it('has no comparison without micromotion or without a peer', () => {
    expect(versusBestPeer(scenarioBench([strategyRun('none')]))).toBeNull();
    expect(versusBestPeer(scenarioBench([strategyRun('micromotion')]))).toBeNull();
  });
});

describe('Bench seeds', () => {
  it('runs a scenario with its own seed and the next ones, each named for its seed', () => {
    const scenario = { name: 'burst', seed: 7 } as Scenario;
    expect(withSeeds(scenario, 1)).toEqual([scenario]);
    expect(withSeeds(scenario, 3).map((s) => [s.name, s.seed])).toEqual([
      ['burst@7', 7],
      ['burst@8', 8],
      ['burst@9', 9],
    ]);
  });

  it('takes --seeds from 1 to 50 and rejects anything else', () => {
    expect(parseBenchArgs(['--seeds', '4']).seeds).toBe(4);
    expect(parseBenchArgs([]).seeds).toBe(1);
    for (const bad of ['0', '51', '2.5', 'many']) {
      expect(() => parseBenchArgs(['--seeds', bad])).toThrow(/--seeds must be a whole number from 1 to 50/);
    }
  });
});
