import { formatTextTable } from '../text-table.js';
import type { ScenarioBench, StrategyRun } from './types.js';

/** A latency, or a dash when there was no invocation to measure. */
const millis = (value: number): string => (Number.isFinite(value) ? value.toFixed(0) : '—');

const COLUMNS: readonly { header: string; cell: (r: StrategyRun) => string }[] = [
  { header: 'strategy', cell: (r) => (r.name === 'micromotion' ? `${r.name} *` : r.name) },
  { header: 'budget %', cell: (r) => r.errorBudgetBurnedPercent.toFixed(0) },
  { header: 'SLO min', cell: (r) => String(r.sloMinutesBreached) },
  { header: 'p95 ms', cell: (r) => millis(r.p95Millis) },
  { header: 'p99 ms', cell: (r) => millis(r.p99Millis) },
  { header: 'cost $', cell: (r) => r.costUsd.toFixed(3) },
  { header: 'actions', cell: (r) => String(r.actions) },
  { header: 'reverted', cell: (r) => String(r.actionsReverted) },
  { header: 'false', cell: (r) => String(r.falseActions) },
  {
    header: 'onset→act s',
    cell: (r) => (r.onsetToActionSeconds === null ? '—' : r.onsetToActionSeconds.toFixed(0)),
  },
  { header: 'recover s', cell: (r) => (r.recoverSeconds === null ? '—' : r.recoverSeconds.toFixed(0)) },
];

/** One plain-text table per scenario: a row per strategy. */
export function formatScenarioTable(scenario: ScenarioBench): string {
  const header = COLUMNS.map((c) => c.header);
  const body = scenario.strategies.map((r) => COLUMNS.map((c) => c.cell(r)));
  const faults =
    scenario.faults.length === 0
      ? 'no fault'
      : `${scenario.faults.length} fault window${scenario.faults.length === 1 ? '' : 's'}`;
  return `${scenario.name} (${scenario.durationMinutes} min, ${faults})\n${formatTextTable(header, body, [0])}`;
}

/** Micromotion against the best peer of a fault scenario (the one with the least error budget burned). */
export function versusBestPeer(scenario: ScenarioBench): string | null {
  const ours = scenario.strategies.find((r) => r.name === 'micromotion');
  const peers = scenario.strategies.filter((r) => r.name !== 'micromotion');
  if (!ours || peers.length === 0) return null;
  const best = [...peers].sort(
    (a, b) => a.errorBudgetBurnedPercent - b.errorBudgetBurnedPercent || a.costUsd - b.costUsd,
  )[0] as StrategyRun;
  const budget =
    best.errorBudgetBurnedPercent > 0
      ? `${((100 * ours.errorBudgetBurnedPercent) / best.errorBudgetBurnedPercent).toFixed(0)} % of its error budget burn`
      : `budget burn ${ours.errorBudgetBurnedPercent.toFixed(0)} % vs 0 %`;
  const cost = best.costUsd > 0 ? `${(ours.costUsd / best.costUsd).toFixed(2)}× its cost` : 'cost n/a';
  return `micromotion vs best peer (${best.name}): ${budget}, ${cost}`;
}
