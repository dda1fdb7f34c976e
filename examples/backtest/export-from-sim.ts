/**
 * Writes a genuine CloudWatch `GetMetricData` export of a simulated scenario, and the policy its
 * compensator registers, for `micromotion backtest`:
 * - the scenario runs with nothing compensating (a recording is what the fleet did on its own);
 * - the CloudWatch adapter builds its queries (ids = signal names) and sends them through the
 *   real SDK client, answered by the simulated account; the export is sent without `ScanBy`, so
 *   it comes back in CloudWatch's default order, newest first, as `aws cloudwatch get-metric-data`
 *   prints it;
 * - the policy is the one the CDK `Compensator` synthesizes for the scenario (the SSM parameter).
 *
 * Usage: npx tsx examples/backtest/export-from-sim.ts [SCENARIO] [HISTORY_MINUTES]
 * (defaults: sim/scenarios/dependency-slowdown.json, 120 minutes before the scenario's start)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, extname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchMetricsReader } from '../../lambdas/adapters/cloudwatch-metrics.js';
import { localSynth } from '../../lib/local-synth.js';
import { SimulatedAccount } from '../../sim/account.js';
import { compensatorSpecs } from '../../sim/compensator-specs.js';
import { loadScenario } from '../../sim/scenario.js';
import { createSimulatedClients } from '../../sim/sdk-boundary.js';

const here = new URL('./', import.meta.url);
const scenarioPath =
  process.argv[2] ?? new URL('../../sim/scenarios/dependency-slowdown.json', here).pathname;
const historyMinutes = Number(process.argv[3] ?? '120');

const scenario = await loadScenario(scenarioPath);
const account = new SimulatedAccount(scenario);
account.advanceTo(account.endMillis);
const [policy] = localSynth(compensatorSpecs(scenario)).policies;
if (!policy) throw new Error(`${scenarioPath}: no function has a compensator`);

const pages: unknown[] = [];
const recorder = {
  async handle(clientName: string, commandName: string, input: unknown): Promise<unknown> {
    if (!commandName.startsWith('GetMetricData')) return account.handle(clientName, commandName, input);
    const { ScanBy: _adapterOrder, ...query } = input as Record<string, unknown>;
    const page = await account.handle(clientName, commandName, query);
    pages.push(page);
    return page;
  },
};
const reader = new CloudWatchMetricsReader(createSimulatedClients(recorder).cloudwatch);
await reader.readSignals(policy, account.startMillis - historyMinutes * 60_000, account.endMillis);

const name = `${policy.target}-${basename(scenarioPath, extname(scenarioPath))}`;
const exportFile = fileURLToPath(new URL(`${name}.json`, here));
const policyFile = fileURLToPath(new URL(`${policy.target}-policy.json`, here));
writeFileSync(exportFile, `${JSON.stringify(pages.length === 1 ? pages[0] : pages, null, 2)}\n`);
writeFileSync(policyFile, `${JSON.stringify(policy, null, 2)}\n`);
// The repository's formatter owns the layout of checked-in JSON (it packs the number arrays).
execFileSync('npx', ['biome', 'format', '--write', exportFile, policyFile], { stdio: 'ignore' });

const start = scenario.functions.find((f) => f.target === policy.target)?.initialProvisionedConcurrency ?? 0;
const [exportPath, policyPath] = [exportFile, policyFile].map((f) => relative(process.cwd(), f));
process.stdout.write(
  `wrote ${exportPath} (${pages.length} page${pages.length === 1 ? '' : 's'}) and ${policyPath}\n` +
    `try: npx micromotion backtest --metrics ${exportPath} --target ${policy.target} --policy ${policyPath} --provisioned-concurrency ${start}\n`,
);
