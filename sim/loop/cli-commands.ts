import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '../../lambdas/adapters/dynamodb-ledger.js';
import { runBacktest } from '../backtest/command.js';
import { backtestJson, formatBacktest } from '../backtest/report.js';
import { createProgress } from '../cli/progress.js';
import { formatResult, formatTimeline } from './report.js';
import { DEFAULT_SCENARIO, runScenario } from './run-scenario.js';

export interface CliOptions {
  readonly scenario?: string | undefined;
  readonly json?: boolean | undefined;
  readonly quiet?: boolean | undefined;
  readonly table?: string | undefined;
  readonly target?: string | undefined;
  readonly global?: boolean | undefined;
  readonly reason?: string | undefined;
  readonly limit?: string | undefined;
  readonly metrics?: readonly string[] | undefined;
  readonly policy?: string | undefined;
  readonly 'provisioned-concurrency'?: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs one CLI command; returns the process exit code. */
export async function runCommand(command: string, options: CliOptions): Promise<number> {
  switch (command) {
    case 'simulate':
      return simulate(options);
    case 'actions':
      return listActions(options);
    case 'pause':
    case 'resume':
      return setPause(options, command === 'pause');
    case 'backtest':
      return backtest(options);
    default:
      throw new UsageError(`unknown command "${command}"; try "micromotion help"`);
  }
}

async function simulate(options: CliOptions): Promise<number> {
  const wallStart = performance.now();
  const live = !options.json && !options.quiet;
  // The live timeline is its own progress; otherwise long runs report on stderr.
  const progress = live ? null : createProgress({ label: 'simulate' });
  const run = await runScenario(options.scenario ?? DEFAULT_SCENARIO, {
    onTimeline: live ? (entry) => process.stdout.write(`${formatTimeline(entry)}\n`) : undefined,
    ...(progress ? { onProgress: (done, total) => progress.update(done, total, 'simulated minutes') } : {}),
    // The JSON result has no uncompensated figure: do not simulate the scenario twice for it.
    compareUncompensated: !options.json,
  });
  progress?.finish();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(run.result)}\n`);
  } else {
    process.stdout.write(`${formatResult(run, (performance.now() - wallStart) / 1000)}\n`);
  }
  return 0;
}

/** Replays recorded metrics offline; the report is written only once everything was read and replayed. */
async function backtest(options: CliOptions): Promise<number> {
  if (!options.metrics?.length)
    throw new UsageError('--metrics is required (a GetMetricData JSON file or CSVs)');
  if (!options.target) throw new UsageError('--target is required');
  const pc = options['provisioned-concurrency'];
  if (pc !== undefined && !/^\d+$/.test(pc)) {
    throw new UsageError(`--provisioned-concurrency must be a whole number >= 0; got ${pc}`);
  }
  const progress = createProgress({ label: 'backtest' });
  const report = await runBacktest({
    metrics: options.metrics,
    target: options.target,
    policyFile: options.policy,
    provisionedConcurrency: pc === undefined ? undefined : Number(pc),
    onProgress: (done, total) => progress.update(done, total, 'evaluations'),
  });
  progress.finish();
  process.stdout.write(options.json ? `${JSON.stringify(backtestJson(report))}\n` : formatBacktest(report));
  return 0;
}

function ledgerFor(options: CliOptions): DynamoDbLedger {
  if (!options.table) throw new UsageError('--table is required (the stack output LedgerTableName)');
  return new DynamoDbLedger(new DynamoDBClient({}), options.table);
}

async function listActions(options: CliOptions): Promise<number> {
  if (!options.target) throw new UsageError('--target is required');
  const limit = Number(options.limit ?? '20');
  if (!Number.isInteger(limit) || limit <= 0)
    throw new UsageError(`--limit must be a positive integer; got ${options.limit}`);
  const records = await ledgerFor(options).listRecords({ target: options.target, limit });
  for (const r of records) {
    const change = r.actuator
      ? ` ${r.actuator} ${r.before} → ${r.after}${r.reverted ? ' (reverted)' : ''}`
      : '';
    process.stdout.write(
      `${r.triggeredAt}  ${r.outcome.padEnd(17)} ${r.diagnosis?.kind ?? '-'} [${r.decision?.rule ?? '-'}]${change}  ${r.executionName}\n`,
    );
  }
  return 0;
}

async function setPause(options: CliOptions, paused: boolean): Promise<number> {
  if (!options.global && !options.target) throw new UsageError('give --target NAME or --global');
  const scope = options.global ? 'global' : { target: options.target as string };
  await ledgerFor(options).setPaused(
    scope,
    paused,
    options.reason ?? (paused ? 'paused by CLI' : 'resumed by CLI'),
    Date.now(),
  );
  process.stdout.write(
    `${options.global ? 'every target' : options.target} ${paused ? 'paused' : 'resumed'}\n`,
  );
  return 0;
}
