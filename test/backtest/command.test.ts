import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PolicyInvalidError } from '../../lambdas/core/errors.js';
import { DEFAULT_DETECTION, DEFAULT_GUARDRAILS } from '../../lib/compensator.js';
import { runBacktest } from '../../sim/backtest/command.js';
import { defaultPolicy } from '../../sim/backtest/default-policy.js';
import {
  EmptyMetricExportError,
  MetricArgumentError,
  MissingSignalError,
  NonMonotonicSeriesError,
  UnknownSignalError,
} from '../../sim/backtest/errors.js';
import { type CliOptions, runCommand, UsageError } from '../../sim/loop/cli-commands.js';
import { makeFlag, makePolicy } from '../fixtures/policy.js';
import { syntheticWindow, toGetMetricData, writeCsvDirectory } from './synthetic.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const path = (relative: string) => join(root, relative);
const fixture = (name: string) => path(`test/fixtures/backtest/${name}`);
const EXAMPLE = {
  metrics: [path('examples/backtest/orders-dependency-slowdown.json')],
  target: 'orders',
  policy: path('examples/backtest/orders-policy.json'),
  'provisioned-concurrency': '4',
};

const tmp = mkdtempSync(join(tmpdir(), 'micromotion-backtest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a CLI command with stdout captured. */
async function run(options: CliOptions): Promise<{ code: number | Error; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await runCommand('backtest', options), out: chunks.join('') };
  } catch (error) {
    return { code: error as Error, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

/** A shifted synthetic export as JSON and as CSVs, and a policy file with one remedying flag. */
function syntheticInputs(name: string) {
  const dir = join(tmp, name);
  const window = syntheticWindow({ minutes: 150, shiftAtMinute: 90 });
  const csvFiles = writeCsvDirectory(window, join(dir, 'csv'));
  const jsonFile = join(dir, 'export.json');
  writeFileSync(jsonFile, JSON.stringify(toGetMetricData(window)));
  const policyFile = join(dir, 'policy.json');
  const policy = makePolicy({
    slo: { p95Millis: 400 },
    flags: [makeFlag('skipOptional', ['latency-drift'])],
  });
  writeFileSync(policyFile, JSON.stringify(policy));
  return { dir, csvDir: join(dir, 'csv'), csvFiles, jsonFile, policyFile, policy };
}

describe('CLI: backtest', () => {
  it('replays the example export: the flag flip at 08:32, then holds', async () => {
    const { code, out } = await run(EXAMPLE);

    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Backtest of orders on .*orders-dependency-slowdown\.json: 2026-11-23T06:00:00\.000Z → 2026-11-23T09:30:00\.000Z, period 60 s$/,
    );
    const act = lines.find((l) => l.includes(' act '));
    expect(act).toMatch(
      /^2026-11-23T08:32:00\.000Z {2}act {2}plan +latency-drift +confidence 0\.\d+ {2}would feature-flag skipOptionalDependency false → true — why: p95 persistently above its baseline/,
    );
    expect(lines.filter((l) => l.includes(' act '))).toHaveLength(1);
    expect(out).toContain('hold cooldown');
    expect(out).toContain('not replayed (need live state): global-kill-switch');
    expect(out).toContain('Nothing was actuated.');
  });

  it('--json prints the report with its events', async () => {
    const { code, out } = await run({ ...EXAMPLE, json: true });

    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(Object.keys(report).sort()).toEqual(
      [
        'actions',
        'absentSignals',
        'diagnosed',
        'evaluations',
        'events',
        'finalState',
        'firstEvaluation',
        'from',
        'initialState',
        'metrics',
        'notReplayed',
        'periodSeconds',
        'policy',
        'policyVersion',
        'signals',
        'target',
        'to',
      ].sort(),
    );
    expect(report.initialState).toEqual({
      provisionedConcurrency: 4,
      flags: { skipOptionalDependency: false },
    });
    expect(report.events[0]).toMatchObject({
      at: '2026-11-23T08:32:00.000Z',
      kind: 'latency-drift',
      verdict: 'act',
      plan: { actuator: 'feature-flag', flagKey: 'skipOptionalDependency', from: false, to: true },
    });
  });

  it('gives the same replay from CSVs (a directory, or SIGNAL=FILE pairs) as from GetMetricData JSON', async () => {
    const inputs = syntheticInputs('formats');
    const base = { target: inputs.policy.target, policyFile: inputs.policyFile };

    const fromJson = await runBacktest({ ...base, metrics: [inputs.jsonFile] });
    const fromDir = await runBacktest({ ...base, metrics: [inputs.csvDir] });
    const pairs = inputs.csvFiles.map((f) => `${f.split('/').at(-1)?.replace('.csv', '')}=${f}`);
    const fromPairs = await runBacktest({ ...base, metrics: pairs });

    expect(fromJson.result.actions).toBe(1);
    expect(fromDir.result).toEqual(fromJson.result);
    expect(fromPairs.result).toEqual(fromJson.result);
  });

  it('without --policy uses the Compensator defaults and an SLO from the export’s first window', async () => {
    const inputs = syntheticInputs('default-policy');

    const report = await runBacktest({ metrics: [inputs.jsonFile], target: 'checkout' });

    expect(report.policySource).toMatch(/^default: construct defaults/);
    expect(report.initialState).toEqual({ provisionedConcurrency: 0, flags: {} });
    // No flag remedies latency drift in the default policy: the shift is held, not acted on.
    expect(report.result.events[0]).toMatchObject({ kind: 'latency-drift', rule: 'no-actuator' });
    const policy = defaultPolicy('checkout', syntheticWindow({ minutes: 150, shiftAtMinute: 90 }), 60);
    expect(policy.guardrails).toEqual(DEFAULT_GUARDRAILS);
    expect(policy.detection).toEqual(DEFAULT_DETECTION);
    expect(policy.slo.p95Millis).toBeGreaterThanOrEqual(2 * 116);
    expect(policy.slo.p95Millis).toBeLessThanOrEqual(2 * 124);
    expect(policy.slo.errorRatePercent).toBe(1);
    expect(policy).toMatchObject({ functionName: 'checkout', aliasName: 'live', flags: [] });
  });
});

describe('CLI: backtest rejects bad input and prints nothing', () => {
  it('fails with a named error for each bad input', async () => {
    const inputs = syntheticInputs('bad');
    const otherTarget = join(inputs.dir, 'other-target.json');
    writeFileSync(otherTarget, JSON.stringify(makePolicy({ target: 'payments' })));
    const invalidPolicy = join(inputs.dir, 'invalid.json');
    writeFileSync(invalidPolicy, JSON.stringify(makePolicy({ guardrails: { minConfidence: 2 } })));
    const target = 'checkout-api';
    const cases: [CliOptions, new (...args: never[]) => Error, RegExp][] = [
      [
        {
          metrics: [
            `p95DurationMillis=${fixture('empty.csv')}`,
            `invocations=${inputs.csvFiles[1]}`,
            `errors=${inputs.csvFiles[2]}`,
          ],
          target,
        },
        EmptyMetricExportError,
        /empty\.csv: the file is empty/,
      ],
      [
        { metrics: [fixture('non-monotonic')], target },
        NonMonotonicSeriesError,
        /non-monotonic\/p95DurationMillis\.csv:5: timestamp 2026-11-23T08:02:00Z is not after/,
      ],
      [
        { metrics: [`p95DurationMillis=${inputs.csvFiles[0]}`, `invocations=${inputs.csvFiles[1]}`], target },
        MissingSignalError,
        /required signals missing: errors/,
      ],
      [
        { metrics: [fixture('unknown-ids.json')], target },
        UnknownSignalError,
        /ids not known as signals: m1/,
      ],
      [
        { metrics: [inputs.jsonFile], target, policy: otherTarget },
        MetricArgumentError,
        /is for target payments, not --target checkout-api/,
      ],
      [
        { metrics: [inputs.jsonFile], target, policy: invalidPolicy },
        PolicyInvalidError,
        /guardrails\.minConfidence must be within \[0, 1\]; got 2/,
      ],
      [
        { metrics: [inputs.jsonFile, inputs.csvDir], target },
        MetricArgumentError,
        /give one GetMetricData JSON/,
      ],
      [
        { metrics: [inputs.csvFiles[0] as string], target },
        MetricArgumentError,
        /a CSV file needs its signal/,
      ],
      [{ metrics: [join(inputs.dir, 'nope.json')], target }, MetricArgumentError, /cannot read .*nope\.json/],
      [
        { metrics: [inputs.jsonFile], target: 'Bad Name' },
        MetricArgumentError,
        /--target Bad Name must match/,
      ],
      [{ target }, UsageError, /--metrics is required/],
      [{ metrics: [inputs.jsonFile] }, UsageError, /--target is required/],
      [
        { metrics: [inputs.jsonFile], target, 'provisioned-concurrency': '-1' },
        UsageError,
        /--provisioned-concurrency must be a whole number/,
      ],
    ];
    for (const [options, type, message] of cases) {
      const { code, out } = await run(options);
      expect(code, message.source).toBeInstanceOf(type);
      expect((code as Error).message).toMatch(message);
      expect(out).toBe('');
    }
  });

  it('exits with code 2 and writes only the error (stderr) from the command line', () => {
    const cli = spawnSync(
      process.execPath,
      [path('bin/micromotion.js'), 'backtest', '--metrics', fixture('non-monotonic'), '--target', 'orders'],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );

    expect(cli.status).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(
      /^micromotion backtest: NonMonotonicSeriesError: .*p95DurationMillis\.csv:5: timestamp 2026-11-23T08:02:00Z is not after 2026-11-23T08:03:00\.000Z \(line 4\)/,
    );
  });

  it('--help documents every backtest option', () => {
    const cli = spawnSync(process.execPath, [path('bin/micromotion.js'), '--help'], { encoding: 'utf8' });

    expect(cli.status).toBe(0);
    for (const option of [
      '--metrics FILE.json',
      '--metrics SIGNAL=FILE.csv',
      '--metrics DIR',
      '--target NAME',
      '--policy FILE',
      '--provisioned-concurrency N',
      '--json',
    ]) {
      expect(cli.stdout).toContain(option);
    }
    expect(cli.stdout).toMatch(/backtest {3}Replay recorded metrics/);
    // The default policy the help describes is the construct's.
    const g = DEFAULT_GUARDRAILS;
    const d = DEFAULT_DETECTION;
    expect(cli.stdout).toContain(
      `(cooldown ${g.cooldownSeconds} s, ${g.actionsPerHour} actions/h, min confidence ${g.minConfidence}, window ${d.windowMinutes} min,`,
    );
    expect(cli.stdout).toContain(`history ${d.historyMinutes} min)`);
  });
});
