/**
 * `npm run bench [-- --json] [--report FILE.html] [--scenario FILE]... [--strategy NAME]...`:
 * runs every scenario under every strategy — the real loop for `micromotion`, the documented
 * peers for the rest — on the simulated account, and prints one table per scenario.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress } from '../../sim/cli/progress.js';
import { validateCompensators } from '../../sim/loop/validate-compensators.js';
import { loadScenario } from '../../sim/scenario.js';
import type { Scenario } from '../../sim/scenario-types.js';
import { FAULT_GRACE_MINUTES, faultWindows } from './measure.js';
import { renderReport, writeReport } from './report-html.js';
import { runStrategy, strategyApplies, strategyName } from './strategies.js';
import { formatScenarioTable, versusBestPeer } from './table.js';
import { type BenchResult, type ScenarioBench, STRATEGY_NAMES, type StrategyName } from './types.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SCENARIO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sim', 'scenarios');

export const USAGE = `usage: npm run bench -- [options]

Runs every scenario under every strategy on the simulated account and prints, per scenario:
SLO minutes breached, error budget burned (%), p95/p99 latency, cost in $ (provisioned
concurrency billed in 5-minute increments + duration + requests; micromotion also pays its
Step Functions transitions), actions, actions reverted, false actions (outside every fault
window + ${FAULT_GRACE_MINUTES} min), fault onset → first action (s, median over windows), time to recover (s).

Options:
  --scenario FILE    a scenario file (repeatable); default: every sim/scenarios/*.json
  --strategy NAME    a strategy (repeatable); default: all of ${STRATEGY_NAMES.join(', ')}
                     (static-rollback runs only where a scenario changes a flag)
  --json             print {"scenarios":[...],"seconds":n} instead of the tables
  --report FILE.html also write a self-contained HTML report with plots
  --seeds N          run each scenario with N seeds (its own and the next ones), named
                     <scenario>@<seed>: how much a figure owes to one seed
  --quiet            no progress on stderr
  -h, --help         this help`;

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export interface BenchOptions {
  readonly scenarios: readonly string[];
  readonly strategies: readonly StrategyName[];
  readonly json: boolean;
  readonly report: string | undefined;
  readonly quiet: boolean;
  readonly help: boolean;
  /** Runs of each scenario, with seeds seed, seed + 1, …; more than one names them `<name>@<seed>`. */
  readonly seeds: number;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const scenarios: string[] = [];
  const strategies: StrategyName[] = [];
  let json = false;
  let quiet = false;
  let help = false;
  let report: string | undefined;
  let seeds = 1;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || v.startsWith('--'))
        throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--scenario') scenarios.push(resolve(value()));
    else if (flag === '--strategy') strategies.push(strategyName(value()));
    else if (flag === '--report') {
      report = resolve(value());
      if (!report.endsWith('.html'))
        throw new BenchUsageError(`--report must name an .html file; got ${report}`);
    } else if (flag === '--json') json = true;
    else if (flag === '--quiet') quiet = true;
    else if (flag === '--seeds') {
      const text = value();
      seeds = Number(text);
      if (!Number.isInteger(seeds) || seeds < 1 || seeds > 50) {
        throw new BenchUsageError(`--seeds must be a whole number from 1 to 50; got ${text}`);
      }
    } else if (flag === '--help' || flag === '-h') help = true;
    else throw new BenchUsageError(`unknown option "${arg}"; see --help`);
  }
  return {
    scenarios:
      scenarios.length > 0
        ? scenarios
        : readdirSync(SCENARIO_DIR)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => join(SCENARIO_DIR, f)),
    strategies: strategies.length > 0 ? [...new Set(strategies)] : [...STRATEGY_NAMES],
    json,
    report,
    quiet,
    help,
    seeds,
  };
}

/** Runs the bench; `progress` receives one line per finished run. */
export async function runBench(
  scenarios: readonly Scenario[],
  strategies: readonly StrategyName[],
  progress?: (line: string) => void,
): Promise<BenchResult> {
  const started = performance.now();
  const out: ScenarioBench[] = [];
  const jobs = scenarios.flatMap((s) =>
    strategies.filter((n) => strategyApplies(n, s)).map((n) => [s, n] as const),
  );
  let done = 0;
  for (const scenario of scenarios) {
    const runs = [];
    for (const name of strategies) {
      if (!strategyApplies(name, scenario)) continue;
      const live = progress ? createProgress({ label: `${scenario.name} × ${name}` }) : null;
      const run = await runStrategy(
        name,
        scenario,
        live ? (minutes, total) => live.update(minutes, total, 'simulated minutes') : undefined,
      );
      live?.finish();
      done += 1;
      progress?.(`[${done}/${jobs.length}] ${scenario.name} × ${name}: ${run.seconds.toFixed(1)} s`);
      runs.push(run);
    }
    const faults = faultWindows(scenario);
    out.push({
      name: scenario.name,
      description: scenario.description,
      durationMinutes: scenario.durationMinutes,
      fault: faults.length > 0,
      faults,
      strategies: runs,
    });
  }
  return { scenarios: out, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

/**
 * The scenario run with `count` seeds (its own, then the next ones): how much a figure owes to
 * one seed's luck. One seed keeps the scenario as it is.
 */
export function withSeeds(scenario: Scenario, count: number): Scenario[] {
  if (count <= 1) return [scenario];
  return Array.from({ length: count }, (_, i) => {
    const seed = (scenario.seed + i) % 4294967296;
    return { ...scenario, seed, name: `${scenario.name}@${seed}` };
  });
}

/** The `--json` shape: the summary fields, no series. */
export function jsonSummary(result: BenchResult): unknown {
  return {
    scenarios: result.scenarios.map((s) => ({
      name: s.name,
      fault: s.fault,
      strategies: s.strategies.map(
        ({ series: _series, actionMarks: _marks, seconds: _s, ...summary }) => summary,
      ),
    })),
    seconds: result.seconds,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Every scenario is validated before anything runs.
  const scenarios: Scenario[] = [];
  for (const file of options.scenarios) {
    const scenario = await loadScenario(file);
    validateCompensators(scenario, file);
    scenarios.push(...withSeeds(scenario, options.seeds));
  }
  const progress = options.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const result = await runBench(scenarios, options.strategies, progress);
  if (options.report) {
    writeReport(options.report, renderReport(result));
    progress?.(`report written to ${options.report}`);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(jsonSummary(result))}\n`);
    return 0;
  }
  for (const scenario of result.scenarios) {
    process.stdout.write(`${formatScenarioTable(scenario)}\n`);
    const versus = scenario.fault ? versusBestPeer(scenario) : null;
    if (versus) process.stdout.write(`${versus}\n`);
    process.stdout.write('\n');
  }
  process.stdout.write(`${result.scenarios.length} scenarios in ${result.seconds.toFixed(1)} s\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`bench: ${error.name}: ${error.message}\n`);
      process.exitCode = 2;
    },
  );
}
