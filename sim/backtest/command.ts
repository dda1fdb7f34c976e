/**
 * `micromotion backtest`: reads a metric export and a policy, replays them, and renders the
 * report. Every input is read and checked before anything is printed, so a bad input prints
 * an error and nothing else.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parsePolicy, TARGET_NAME_PATTERN, policyVersion as versionOf } from '../../lambdas/core/policy.js';
import type { TargetPolicy } from '../../lambdas/core/types.js';
import { SIGNAL_NAMES } from '../../lambdas/core/types.js';
import { defaultPolicy } from './default-policy.js';
import { MetricArgumentError } from './errors.js';
import {
  checkCsvSignals,
  checkPeriod,
  csvExport,
  exportPeriodSeconds,
  type MetricExport,
  parseGetMetricDataJson,
  parseSignalCsv,
} from './metric-export.js';
import { replay } from './replay.js';
import type { BacktestReport } from './report.js';

export interface BacktestArgs {
  /** `--metrics` values: one GetMetricData JSON file, `signal=file.csv` pairs, or a directory of `<signal>.csv`. */
  readonly metrics: readonly string[];
  readonly target: string;
  readonly policyFile?: string | undefined;
  /** Provisioned concurrency at the start of the export. @default the policy's minimum (0 without bounds) */
  readonly provisionedConcurrency?: number | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export async function runBacktest(args: BacktestArgs): Promise<BacktestReport> {
  if (!TARGET_NAME_PATTERN.test(args.target)) {
    throw new MetricArgumentError(`--target ${args.target} must match ${TARGET_NAME_PATTERN}`);
  }
  const { exp, label } = await loadMetrics(args.metrics);
  const policy = args.policyFile
    ? parsePolicy(await readText(args.policyFile), args.policyFile)
    : defaultPolicy(args.target, exp.window, exportPeriodSeconds(exp.window) ?? 60);
  if (policy.target !== args.target) {
    throw new MetricArgumentError(
      `policy ${args.policyFile} is for target ${policy.target}, not --target ${args.target}`,
    );
  }
  checkPeriod(exp, policy.detection.periodSeconds);
  const initialState = {
    provisionedConcurrency: args.provisionedConcurrency ?? policy.provisionedConcurrency?.min ?? 0,
    flags: Object.fromEntries(policy.flags.map((f) => [f.key, !f.compensatingValue])),
  };
  const result = replay(exp.window, policy, {
    initialProvisionedConcurrency: initialState.provisionedConcurrency,
    ...(args.onProgress ? { onProgress: args.onProgress } : {}),
  });
  const signals = SIGNAL_NAMES.filter((n) => (exp.window[n]?.length ?? 0) > 0);
  return {
    result,
    metrics: label,
    policySource: args.policyFile ?? describeDefault(policy),
    policyVersion: versionOf(policy),
    signals,
    absentSignals: SIGNAL_NAMES.filter((n) => !signals.includes(n)),
    initialState,
  };
}

function describeDefault(policy: TargetPolicy): string {
  const pc = policy.provisionedConcurrency;
  return `default: construct defaults, SLO from the first ${policy.detection.windowMinutes} min (p95 ${policy.slo.p95Millis} ms, errors ${policy.slo.errorRatePercent} %), PC ${pc?.min}..${pc?.max} step ${pc?.maxStep}, no flags`;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new MetricArgumentError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads the `--metrics` arguments: one JSON export, or CSV files named by signal. */
async function loadMetrics(args: readonly string[]): Promise<{ exp: MetricExport; label: string }> {
  if (args.length === 0) throw new MetricArgumentError('--metrics is required');
  const json = args.filter((a) => !a.includes('=') && extname(a).toLowerCase() === '.json');
  if (json.length > 0) {
    if (args.length > 1) {
      throw new MetricArgumentError(
        `give one GetMetricData JSON file, or CSV files only; got ${args.join(' ')} (merge pages into an array)`,
      );
    }
    const file = json[0] as string;
    return { exp: parseGetMetricDataJson(await readText(file), file), label: file };
  }
  const files: { name: string; file: string }[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) {
      files.push({ name: arg.slice(0, eq), file: arg.slice(eq + 1) });
      continue;
    }
    if (!(await isDirectory(arg))) {
      throw new MetricArgumentError(
        `--metrics ${arg}: a CSV file needs its signal: --metrics p95DurationMillis=${arg} (or give a directory of <signal>.csv files, or a .json GetMetricData export)`,
      );
    }
    const csvs = (await readdir(arg)).filter((f) => extname(f).toLowerCase() === '.csv').sort();
    if (csvs.length === 0) throw new MetricArgumentError(`--metrics ${arg}: no .csv files in the directory`);
    for (const f of csvs) files.push({ name: basename(f, extname(f)), file: join(arg, f) });
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const before = seen.get(f.name);
    if (before !== undefined) {
      throw new MetricArgumentError(`signal ${f.name} is given twice: ${before} and ${f.file}`);
    }
    seen.set(f.name, f.file);
  }
  const source = `--metrics ${args.join(' ')}`;
  checkCsvSignals(files, source);
  const series = [];
  for (const f of files) series.push({ ...f, points: parseSignalCsv(await readText(f.file), f.file) });
  return { exp: csvExport(series, source), label: args.join(' ') };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new MetricArgumentError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
