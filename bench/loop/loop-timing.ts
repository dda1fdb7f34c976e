import { DEFAULT_SCENARIO, runScenario, type ScenarioRun } from '../../sim/loop/run-scenario.js';
import { median, runChild } from './child.js';

/** The command a user types, run from the repository root. */
export const NPM_START = ['npm', 'start', '--', '--quiet'] as const;

/** What the simulated run produced (the same every run when the loop is deterministic). */
export interface SimulationFigures {
  readonly scenario: string;
  readonly simulatedMinutes: number;
  readonly executions: number;
  readonly ledgerRecords: number;
  readonly sloMinutesBreached: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly actions: readonly string[];
  /** Most states entered by an execution that acted and kept its action; `null` when none kept one. */
  readonly maxKeptTransitions: number | null;
  /** Whether every in-process run gave the same result. */
  readonly deterministic: boolean;
}

export interface InProcessTiming {
  readonly wallSeconds: readonly number[];
  readonly medianSeconds: number;
  readonly simulation: SimulationFigures;
}

function describeAction(a: ScenarioRun['result']['actions'][number]): string {
  const verdict = `${a.verified ? 'verified' : 'not verified'}${a.reverted ? ', reverted' : ''}`;
  return `${a.target} ${a.actuator} ${String(a.from)} → ${String(a.to)} (${a.decidedBy}; ${verdict})`;
}

function figuresOf(run: ScenarioRun, deterministic: boolean): SimulationFigures {
  const r = run.result;
  return {
    scenario: r.scenario,
    simulatedMinutes: r.simulatedMinutes,
    executions: r.executions,
    ledgerRecords: r.ledgerRecords,
    sloMinutesBreached: r.sloMinutesBreached,
    outcomes: { ...run.outcomes },
    actions: r.actions.map(describeAction),
    maxKeptTransitions: run.maxKeptTransitions,
    deterministic,
  };
}

/** Runs the default scenario `runs` times in this process, one after the other, timing each run. */
export async function timeInProcess(
  runs: number,
  onRun: (i: number, s: number) => void,
): Promise<InProcessTiming> {
  const wallSeconds: number[] = [];
  const fingerprints = new Set<string>();
  let last: ScenarioRun | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await runScenario(DEFAULT_SCENARIO);
    const seconds = (performance.now() - started) / 1000;
    wallSeconds.push(seconds);
    fingerprints.add(JSON.stringify([last.result, last.outcomes, last.maxKeptTransitions]));
    onRun(i + 1, seconds);
  }
  if (!last) throw new RangeError('runs must be at least 1');
  return {
    wallSeconds,
    medianSeconds: median(wallSeconds),
    simulation: figuresOf(last, fingerprints.size === 1),
  };
}

/** Runs `npm start -- --quiet` as a child process and returns its total wall time (tsx startup included). */
export async function timeNpmStart(repoRoot: string): Promise<number> {
  const [command, ...args] = NPM_START;
  const { wallMillis } = await runChild(command, args, { cwd: repoRoot });
  return wallMillis / 1000;
}
