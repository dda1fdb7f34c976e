import type { ScenarioRun, TimelineEntry } from './run-scenario.js';

/** `+01:05:30 alarm     micromotion-orders-p95 OK → ALARM` — simulated time since the scenario start. */
export function formatTimeline(entry: TimelineEntry): string {
  return `${clockText(entry.offsetMs)}  ${entry.source.padEnd(8)} ${entry.text}`;
}

function clockText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.floor(Math.abs(offsetMs) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The human summary printed after a run. */
export function formatResult(run: ScenarioRun, wallSeconds: number): string {
  const r = run.result;
  const lines = [
    '',
    `Scenario ${r.scenario}: ${r.simulatedMinutes} simulated minutes in ${wallSeconds.toFixed(1)} s wall`,
    `  executions ${r.executions}, ledger records ${r.ledgerRecords}`,
    `  SLO minutes breached ${r.sloMinutesBreached} (without compensation: ${run.uncompensatedSloMinutesBreached})`,
    `  outcomes: ${
      Object.entries(run.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
    `  happy-path transitions (max over kept actions): ${run.maxKeptTransitions ?? 'n/a'}`,
  ];
  if (r.actions.length === 0) lines.push('  actions: none');
  for (const a of r.actions) {
    lines.push(
      `  action: ${a.target} ${a.actuator} ${a.from} → ${a.to} decided by ${a.decidedBy}; ` +
        `${a.verified ? 'verified' : 'not verified'}${a.reverted ? ', reverted' : ''}`,
    );
  }
  return lines.join('\n');
}
