import { formatTextTable } from '../text-table.js';
import type { HandlerImport } from './handler-imports.js';
import type { InProcessTiming, SimulationFigures } from './loop-timing.js';

/** Issue 2's targets. */
export const TARGETS = {
  /** `npm start` wall time on the 2-core machine, strictly below. */
  npmStartSeconds: 60,
  /** Cold import of each handler bundle, strictly below. */
  coldImportMillis: 150,
  /** States entered on the happy path (acted and kept), at most. */
  keptTransitions: 12,
} as const;

/** One figure beside its target. */
export interface Check {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly pass: boolean;
}

/** Everything the benchmark measured, as printed by `--json`. */
export interface LoopBenchResult {
  readonly npmStart: { readonly command: string; readonly wallSeconds: number };
  readonly inProcess: {
    readonly runs: number;
    readonly wallSeconds: readonly number[];
    readonly medianSeconds: number;
  };
  readonly simulation: SimulationFigures;
  readonly bundling: { readonly externalModules: readonly string[]; readonly nodeOptions: string };
  readonly handlers: readonly HandlerImport[];
  readonly targets: typeof TARGETS;
  readonly checks: readonly Check[];
  readonly pass: boolean;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function buildResult(
  npmStart: { command: string; wallSeconds: number },
  inProcess: InProcessTiming,
  bundling: LoopBenchResult['bundling'],
  handlers: readonly HandlerImport[],
): LoopBenchResult {
  const seconds = (s: number) => `${s.toFixed(1)} s`;
  const { wallSeconds } = inProcess;
  const kept = inProcess.simulation.maxKeptTransitions;
  const checks: Check[] = [
    {
      figure: `${npmStart.command} (child process, tsx startup included)`,
      value: seconds(npmStart.wallSeconds),
      target: `< ${TARGETS.npmStartSeconds} s`,
      pass: npmStart.wallSeconds < TARGETS.npmStartSeconds,
    },
    {
      figure: `runScenario in process, median of ${wallSeconds.length}`,
      value: `${seconds(inProcess.medianSeconds)} (${Math.min(...wallSeconds).toFixed(1)}–${Math.max(...wallSeconds).toFixed(1)})`,
      target: `< ${TARGETS.npmStartSeconds} s`,
      pass: inProcess.medianSeconds < TARGETS.npmStartSeconds,
    },
    ...handlers.map((h) => ({
      figure: `cold import ${h.id} (${h.bundleKB.toFixed(1)} KB), median of ${h.importMillis.length}`,
      value: `${h.medianMillis.toFixed(1)} ms`,
      target: `< ${TARGETS.coldImportMillis} ms`,
      pass: h.medianMillis < TARGETS.coldImportMillis,
    })),
    {
      figure: 'happy-path state transitions (max over kept actions)',
      value: kept === null ? 'n/a (no kept action)' : String(kept),
      target: `≤ ${TARGETS.keptTransitions}`,
      pass: kept !== null && kept <= TARGETS.keptTransitions,
    },
  ];
  return {
    npmStart: { command: npmStart.command, wallSeconds: round(npmStart.wallSeconds, 3) },
    inProcess: {
      runs: wallSeconds.length,
      wallSeconds: wallSeconds.map((s) => round(s, 3)),
      medianSeconds: round(inProcess.medianSeconds, 3),
    },
    simulation: inProcess.simulation,
    bundling,
    handlers: handlers.map((h) => ({
      id: h.id,
      bundleKB: round(h.bundleKB, 1),
      importMillis: h.importMillis.map((ms) => round(ms, 1)),
      medianMillis: round(h.medianMillis, 1),
    })),
    targets: TARGETS,
    checks,
    pass: checks.every((c) => c.pass),
  };
}

function formatChecks(checks: readonly Check[]): string {
  const header = ['figure', 'value', 'target', 'result'];
  const body = checks.map((c) => [c.figure, c.value, c.target, c.pass ? 'PASS' : 'MISS']);
  return formatTextTable(header, body, [0, 2, 3]);
}

/** The human-readable report: what the run simulated, then the figures beside their targets. */
export function formatReport(result: LoopBenchResult): string {
  const s = result.simulation;
  const outcomes = Object.entries(s.outcomes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `Scenario ${s.scenario}: ${s.simulatedMinutes} simulated minutes, ${s.executions} executions, ` +
      `${s.ledgerRecords} ledger records, ${s.sloMinutesBreached} SLO minutes breached`,
    `  outcomes: ${outcomes || 'none'}; same result every in-process run: ${s.deterministic ? 'yes' : 'NO'}`,
    ...(s.actions.length === 0 ? ['  actions: none'] : s.actions.map((a) => `  action: ${a}`)),
    `  in-process runs (s): ${result.inProcess.wallSeconds.map((w) => w.toFixed(2)).join(', ')}`,
    `Bundles: esbuild as NodejsFunction (esm, node24, minify, sourcemap, createRequire banner), ` +
      (result.bundling.externalModules.length === 0
        ? 'AWS SDK bundled (nothing external); '
        : `external ${result.bundling.externalModules.join(', ')} resolved from the repository's node_modules; `) +
      `imported with NODE_OPTIONS=${result.bundling.nodeOptions}`,
    '',
    formatChecks(result.checks),
    '',
    result.pass ? 'All targets met.' : `${result.checks.filter((c) => !c.pass).length} target(s) missed.`,
  ];
  return lines.join('\n');
}
