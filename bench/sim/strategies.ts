import { STATE_NAMES } from '../../lib/handler-catalog.js';
import { SimulatedAccount } from '../../sim/account.js';
import { STEP_FUNCTIONS_USD_PER_TRANSITION } from '../../sim/fleet/aws-behaviour.js';
import { runScenario } from '../../sim/loop/run-scenario.js';
import type { Scenario } from '../../sim/scenario-types.js';
import { noCompensation } from '../../sim/strategies/no-compensation.js';
import { type Peer, runPeer } from '../../sim/strategies/peer.js';
import { scheduledWarmer } from '../../sim/strategies/scheduled-warmer.js';
import { staticRollback } from '../../sim/strategies/static-rollback.js';
import { targetTracking } from '../../sim/strategies/target-tracking.js';
import { measureRun, type RawAction } from './measure.js';
import { STRATEGY_NAMES, type StrategyName, type StrategyRun } from './types.js';

export class UnknownStrategyError extends Error {
  override name = 'UnknownStrategyError';
}

const PEERS: Readonly<Record<Exclude<StrategyName, 'micromotion'>, () => Peer>> = {
  none: noCompensation,
  'target-tracking': targetTracking,
  'scheduled-warmer': scheduledWarmer,
  'static-rollback': staticRollback,
};

/** Parses a strategy name; throws `UnknownStrategyError` naming the known ones. */
export function strategyName(value: string): StrategyName {
  if ((STRATEGY_NAMES as readonly string[]).includes(value)) return value as StrategyName;
  throw new UnknownStrategyError(`unknown strategy "${value}"; known: ${STRATEGY_NAMES.join(', ')}`);
}

/** Whether a strategy has anything to do in a scenario (micromotion and "none" always run). */
export function strategyApplies(name: StrategyName, scenario: Scenario): boolean {
  return name === 'micromotion' || PEERS[name]().appliesTo(scenario);
}

export type StrategyProgress = (minutesDone: number, minutesTotal: number) => void;

/** Runs one scenario under one strategy and measures it. */
export async function runStrategy(
  name: StrategyName,
  scenario: Scenario,
  onProgress?: StrategyProgress,
): Promise<StrategyRun> {
  const started = performance.now();
  if (name === 'micromotion') return runMicromotion(scenario, started, onProgress);
  const peer = PEERS[name]();
  const account = await runPeer(scenario, peer, new SimulatedAccount(scenario), onProgress);
  const actions: RawAction[] = peer.actions.map((a) => ({ ...a, reverted: false }));
  return measureRun(name, account, actions, 0, (performance.now() - started) / 1000);
}

const ACTUATION_STATES: ReadonlySet<string> = new Set([STATE_NAMES.adjustPc, STATE_NAMES.flipFlag]);

/** The real loop, exactly as `npm start` runs it; its actions and revert come from the ledger. */
async function runMicromotion(
  scenario: Scenario,
  started: number,
  onProgress?: StrategyProgress,
): Promise<StrategyRun> {
  const actedAt = new Map<string, number>();
  const run = await runScenario(scenario, {
    compareUncompensated: false,
    ...(onProgress ? { onProgress } : {}),
    onExecutionEvent: ({ execution, at, event }) => {
      if (event.type === 'StateExited' && ACTUATION_STATES.has(event.state.name) && !actedAt.has(execution)) {
        actedAt.set(execution, at);
      }
    },
  });
  const actions: RawAction[] = [];
  for (const record of run.records) {
    const at = actedAt.get(record.executionName);
    if (at === undefined || record.actuator === null) continue;
    actions.push({
      atMillis: at,
      target: record.target,
      kind: record.actuator,
      detail: `${record.diagnosis?.kind ?? '?'}: ${record.actuator} ${String(record.before)} → ${String(record.after)} (${record.outcome})`,
      reverted: record.reverted,
    });
  }
  const transitions = run.executions.reduce((sum, e) => sum + e.transitions, 0);
  return measureRun(
    'micromotion',
    run.account,
    actions,
    transitions * STEP_FUNCTIONS_USD_PER_TRANSITION,
    (performance.now() - started) / 1000,
  );
}
