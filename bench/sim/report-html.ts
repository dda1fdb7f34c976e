/**
 * `--report FILE.html`: one self-contained HTML page (inline CSS and SVG, no scripts, no external
 * resources) with a summary table and plots per scenario. Output depends only on its input.
 */

import { escapeXml, formatClock, formatFixed, formatUsd } from './report-format.js';
import { renderScenarioPlots } from './report-panels.js';
import { OWN_STRATEGY, REPORT_CSS, strategyColor } from './report-theme.js';
import type { BenchResult, ScenarioBench, StrategyRun } from './types.js';

export { writeReport } from './report-write.js';

export interface ReportOptions {
  /** Page title. @default 'micromotion bench' */
  readonly title?: string;
  /** Shown in the header when given (e.g. an ISO timestamp); the only input not taken from the result. */
  readonly generatedAt?: string;
}

/** Renders the bench result as one HTML document. */
export function renderReport(result: BenchResult, options: ReportOptions = {}): string {
  const title = options.title ?? 'micromotion bench';
  const meta = [
    `${result.scenarios.length} scenario(s)`,
    `bench wall time ${formatFixed(result.seconds, 1)} s`,
    options.generatedAt === undefined ? '' : `generated ${options.generatedAt}`,
  ].filter((t) => t !== '');
  const toc = result.scenarios
    .map(
      (s, i) =>
        `<li><a href="#${scenarioId(i)}">${escapeXml(s.name)}</a>${s.fault ? '' : ' (no fault)'}</li>`,
    )
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title><style>${REPORT_CSS}</style></head><body>`,
    `<header><h1>${escapeXml(title)}</h1><p class="meta">${escapeXml(meta.join(' · '))}</p>`,
    result.scenarios.length === 0 ? '<p>No scenarios.</p>' : `<nav><ol>${toc}</ol></nav>`,
    '</header>',
    ...result.scenarios.map(renderScenario),
    '</body></html>\n',
  ].join('\n');
}

function scenarioId(index: number): string {
  return `scenario-${index + 1}`;
}

function renderScenario(scenario: ScenarioBench, index: number): string {
  const functionCount = new Set(scenario.strategies.flatMap((s) => s.series.map((f) => f.target))).size;
  const faults =
    scenario.faults.length === 0
      ? '<p class="meta">No fault windows.</p>'
      : `<ul class="faults">${scenario.faults
          .map(
            (f) =>
              `<li>${escapeXml(f.target)} — ${escapeXml(f.kind)}, ${formatClock(f.startMinute)}–${formatClock(f.endMinute)}</li>`,
          )
          .join('')}</ul>`;
  return [
    `<section class="scenario" id="${scenarioId(index)}">`,
    `<h2>${escapeXml(scenario.name)}</h2>`,
    `<p>${escapeXml(scenario.description)}</p>`,
    `<p class="meta">Duration ${formatClock(scenario.durationMinutes)} (${scenario.durationMinutes} min) · ${functionCount} function(s) · ${scenario.faults.length} fault window(s)</p>`,
    faults,
    renderSummaryTable(scenario.strategies),
    renderLegend(scenario.strategies),
    renderScenarioPlots(scenario),
    '</section>',
  ].join('\n');
}

const COLUMNS: readonly [string, (s: StrategyRun) => string][] = [
  [
    'Error budget burned',
    (s) =>
      `${formatFixed(s.errorBudgetBurnedPercent, 1)}${Number.isFinite(s.errorBudgetBurnedPercent) ? ' %' : ''}`,
  ],
  ['SLO min breached', (s) => formatFixed(s.sloMinutesBreached, 0)],
  ['p95 ms', (s) => formatFixed(s.p95Millis, 0)],
  ['p99 ms', (s) => formatFixed(s.p99Millis, 0)],
  ['Cost', (s) => formatUsd(s.costUsd)],
  ['Actions', (s) => formatFixed(s.actions, 0)],
  ['Reverted', (s) => formatFixed(s.actionsReverted, 0)],
  ['False actions', (s) => formatFixed(s.falseActions, 0)],
  ['Onset→action s', (s) => formatFixed(s.onsetToActionSeconds, 0)],
  ['Recover s', (s) => formatFixed(s.recoverSeconds, 0)],
];

function renderSummaryTable(strategies: readonly StrategyRun[]): string {
  const head = `<tr><th>Strategy</th>${COLUMNS.map(([name]) => `<th>${escapeXml(name)}</th>`).join('')}</tr>`;
  const rows = strategies.map((s, i) => {
    const swatch = `<span class="swatch" style="background:${strategyColor(s.name, i)}"></span>`;
    const cells = COLUMNS.map(([, cell]) => `<td>${escapeXml(cell(s))}</td>`).join('');
    return `<tr${s.name === OWN_STRATEGY ? ' class="own"' : ''}><td>${swatch}${escapeXml(s.name)}</td>${cells}</tr>`;
  });
  return `<table class="summary"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

const MARKER_KEYS: readonly [string, string, boolean][] = [
  ['action', 'M0 -5.5L5.5 4.4H-5.5Z', false],
  ['false action', 'M0 -5.5L5.5 4.4H-5.5Z', true],
  ['reverted later', 'M-5.5 -4.4H5.5L0 5.5Z', false],
];

function renderLegend(strategies: readonly StrategyRun[]): string {
  const lines = strategies.map(
    (s, i) =>
      `<li><span class="line-key" style="border-color:${strategyColor(s.name, i)}"></span>${escapeXml(s.name)}</li>`,
  );
  const markers = MARKER_KEYS.map(
    ([name, d, hollow]) =>
      `<li><svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true"><path d="${d}" fill="${hollow ? '#fff' : '#555'}" stroke="#555" stroke-width="1.5"/></svg>${name}</li>`,
  );
  return `<ul class="legend">${lines.join('')}<li><span class="line-key slo-key"></span>SLO</li><li><span class="fault-key"></span>fault window</li>${markers.join('')}</ul>`;
}
