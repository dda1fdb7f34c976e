/** The plots of one scenario: per-function latency and provisioned-concurrency panels, then total cost. */

import {
  downsampleLast,
  downsampleMax,
  downsampleSteps,
  MAX_POINTS_PER_LINE,
  type PlotPoint,
} from './report-downsample.js';
import { escapeXml, formatClock } from './report-format.js';
import { type PlotBand, type PlotLane, type PlotLine, renderPlot } from './report-plot.js';
import { OWN_STRATEGY, strategyColor } from './report-theme.js';
import type { ActionMark, FunctionSeries, MinutePoint, ScenarioBench, StrategyRun } from './types.js';

/** Functions plotted per scenario; the rest are listed with their breached minutes. */
export const MAX_FUNCTION_PANELS = 4;
/** The failure panel appears when a function's failure rate reached this share of its objective. */
export const ERROR_PANEL_SHARE_OF_SLO = 0.5;
/** The failure axis stops at this multiple of the objective. */
const ERROR_CAP_SLO_MULTIPLE = 8;
/** The latency axis stops at this multiple of the SLO; higher values are drawn at the top. */
const LATENCY_CAP_SLO_MULTIPLE = 5;
/** Provisioned-concurrency step lines are spread by this many pixels so equal lines stay visible. */
const STEP_SPREAD_PX = 1.6;

interface FunctionInfo {
  readonly target: string;
  readonly slo: FunctionSeries;
  readonly breachedMinutes: number;
  readonly faulted: boolean;
  readonly order: number;
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

export function renderScenarioPlots(scenario: ScenarioBench): string {
  const functions = rankFunctions(scenario);
  const plotted = functions.slice(0, MAX_FUNCTION_PANELS);
  const targets = new Set(functions.map((f) => f.target));
  const actingStrategies = scenario.strategies.filter((s) => s.actionMarks.length > 0);
  const parts: string[] = [];
  if (functions.length > 1) {
    parts.push('<p class="note">Functions ordered by SLO minutes breached, summed over strategies.</p>');
  }
  plotted.forEach((fn, rank) => {
    // Marks and faults on targets that are no plotted function go on the first panel.
    const extra = (target: string) => rank === 0 && !targets.has(target);
    parts.push(renderFunctionPanel(scenario, fn, actingStrategies, extra));
  });
  const hidden = functions.slice(MAX_FUNCTION_PANELS);
  if (hidden.length > 0) {
    const list = hidden.map((f) => `${escapeXml(f.target)} (${f.breachedMinutes})`).join(', ');
    const hiddenActions = scenario.strategies.reduce(
      (n, s) => n + s.actionMarks.filter((m) => hidden.some((f) => f.target === m.target)).length,
      0,
    );
    parts.push(
      `<p class="note">Not plotted (fewest breached minutes): ${list}; ${hiddenActions} action(s) on them are counted in the table only.</p>`,
    );
  }
  parts.push(renderCostPlot(scenario));
  return parts.join('');
}

function rankFunctions(scenario: ScenarioBench): FunctionInfo[] {
  const byTarget = new Map<string, { slo: FunctionSeries; breached: number; order: number }>();
  for (const strategy of scenario.strategies) {
    for (const series of strategy.series) {
      const entry = byTarget.get(series.target) ?? { slo: series, breached: 0, order: byTarget.size };
      entry.breached += series.minutes.filter((m) => m.sloBreached).length;
      byTarget.set(series.target, entry);
    }
  }
  return [...byTarget.entries()]
    .map(([target, e]) => ({
      target,
      slo: e.slo,
      breachedMinutes: e.breached,
      faulted: scenario.faults.some((f) => f.target === target),
      order: e.order,
    }))
    .sort(
      (a, b) =>
        b.breachedMinutes - a.breachedMinutes || Number(b.faulted) - Number(a.faulted) || a.order - b.order,
    );
}

function renderFunctionPanel(
  scenario: ScenarioBench,
  fn: FunctionInfo,
  actingStrategies: readonly StrategyRun[],
  extra: (target: string) => boolean,
): string {
  const useP99 = fn.slo.sloP99Millis !== null;
  const percentile = useP99 ? 'p99' : 'p95';
  const sloMillis = (useP99 ? fn.slo.sloP99Millis : fn.slo.sloP95Millis) ?? fn.slo.sloP95Millis;
  const latencyOf = (m: MinutePoint) => finite(useP99 ? m.p99Millis : m.p95Millis);
  const seriesOf = (s: StrategyRun) => s.series.find((x) => x.target === fn.target);

  const latencyLines: PlotLine[] = [];
  const errorLines: PlotLine[] = [];
  const pcLines: PlotLine[] = [];
  let worstErrorRate = 0;
  scenario.strategies.forEach((strategy, i) => {
    const series = seriesOf(strategy);
    if (series === undefined) return;
    const color = strategyColor(strategy.name, i);
    const emphasis = strategy.name === OWN_STRATEGY;
    const latency = series.minutes.map((m) => ({ x: m.minute, y: latencyOf(m) }));
    latencyLines.push({ name: strategy.name, color, emphasis, points: downsampleMax(latency) });
    const errors = series.minutes.map((m) => ({ x: m.minute, y: finite(m.errorRatePercent) }));
    for (const m of series.minutes) worstErrorRate = Math.max(worstErrorRate, m.errorRatePercent);
    errorLines.push({ name: strategy.name, color, emphasis, points: downsampleMax(errors) });
    const pc = series.minutes.map((m) => ({ x: m.minute, y: finite(m.provisionedConcurrency) }));
    const offsetPx = (i - (scenario.strategies.length - 1) / 2) * -STEP_SPREAD_PX;
    pcLines.push({ name: strategy.name, color, emphasis, step: true, offsetPx, points: downsampleSteps(pc) });
  });

  const bands: PlotBand[] = scenario.faults
    .filter((f) => f.target === fn.target || extra(f.target))
    .map((f) => ({
      startMinute: f.startMinute,
      endMinute: f.endMinute,
      label: f.kind,
      tooltip: `fault ${f.kind} on ${f.target}, ${formatClock(f.startMinute)}–${formatClock(f.endMinute)}`,
    }));
  const lanes: PlotLane[] = actingStrategies.map((strategy) => ({
    name: strategy.name,
    color: strategyColor(strategy.name, scenario.strategies.indexOf(strategy)),
    marks: strategy.actionMarks
      .filter((m) => m.target === fn.target || extra(m.target))
      .map((m) => ({
        minute: m.minute,
        falseAction: m.falseAction,
        reverted: m.reverted,
        tooltip: markTooltip(strategy.name, m),
      })),
  }));

  const cap = sloMillis * LATENCY_CAP_SLO_MULTIPLE;
  const bucketNote =
    bucketMinutes(scenario) > 1 ? ` Maximum per ${bucketMinutes(scenario)}-minute bucket.` : '';
  const sloText = `SLO ${percentile} ≤ ${sloMillis} ms`;
  const objectives = [
    `p95 ≤ ${fn.slo.sloP95Millis} ms`,
    fn.slo.sloP99Millis === null ? '' : `p99 ≤ ${fn.slo.sloP99Millis} ms`,
    `errors ≤ ${fn.slo.sloErrorRatePercent} %`,
  ].filter((t) => t !== '');
  return [
    '<div class="function">',
    `<h3>${escapeXml(fn.target)}</h3>`,
    `<p class="meta">SLO ${escapeXml(objectives.join(', '))} · ${fn.breachedMinutes} breached minute(s) over all strategies</p>`,
    `<h4>Latency ${percentile} (ms) vs ${escapeXml(sloText)} — ${escapeXml(fn.target)}</h4>`,
    `<p class="caption">${percentile} plotted because the SLO ${useP99 ? 'has' : 'has no'} p99 objective. Gaps: minutes without invocations.${bucketNote} Markers below: actions per strategy.</p>`,
    renderPlot({
      label: `Latency ${percentile} vs SLO, ${fn.target}`,
      durationMinutes: scenario.durationMinutes,
      plotHeightPx: 230,
      lines: latencyLines,
      formatY: String,
      yCap: cap,
      clipNote: (top, max) => `↑ cut at ${top} ms (peak ${Math.round(max)} ms)`,
      bands,
      rules: [{ y: sloMillis, label: `${sloText}` }],
      lanes,
    }),
    // Failures are plotted where they come near their objective (an error-driven fault).
    worstErrorRate > ERROR_PANEL_SHARE_OF_SLO * fn.slo.sloErrorRatePercent
      ? [
          `<h4>Failures (%) vs SLO errors ≤ ${escapeXml(String(fn.slo.sloErrorRatePercent))} % — ${escapeXml(fn.target)}</h4>`,
          '<p class="caption">Errors and throttles over all requests, per minute: what callers see fail.</p>',
          renderPlot({
            label: `Failures vs SLO, ${fn.target}`,
            durationMinutes: scenario.durationMinutes,
            plotHeightPx: 150,
            lines: errorLines,
            formatY: (v) => String(Math.round(v * 10) / 10),
            yCap: fn.slo.sloErrorRatePercent * ERROR_CAP_SLO_MULTIPLE,
            clipNote: (top, max) => `↑ cut at ${top} % (peak ${Math.round(max * 10) / 10} %)`,
            bands,
            rules: [{ y: fn.slo.sloErrorRatePercent, label: `SLO errors ≤ ${fn.slo.sloErrorRatePercent} %` }],
            lanes,
          }),
        ].join('')
      : '',
    `<h4>Provisioned concurrency — ${escapeXml(fn.target)}</h4>`,
    '<p class="caption">Configured at the end of each minute. Lines are offset by a pixel or two so equal levels stay visible.</p>',
    renderPlot({
      label: `Provisioned concurrency, ${fn.target}`,
      durationMinutes: scenario.durationMinutes,
      plotHeightPx: 110,
      lines: pcLines,
      formatY: String,
      integerTicks: true,
      bands,
    }),
    '</div>',
  ].join('');
}

function renderCostPlot(scenario: ScenarioBench): string {
  const lines: PlotLine[] = scenario.strategies.map((strategy, i) => {
    const perMinute = new Map<number, number>();
    for (const series of strategy.series) {
      for (const m of series.minutes) {
        perMinute.set(m.minute, (perMinute.get(m.minute) ?? 0) + (finite(m.costUsd) ?? 0));
      }
    }
    let total = 0;
    const points: PlotPoint[] = [...perMinute.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([minute, cost]) => {
        total += cost;
        return { x: minute, y: total };
      });
    return {
      name: strategy.name,
      color: strategyColor(strategy.name, i),
      emphasis: strategy.name === OWN_STRATEGY,
      points: downsampleLast(points),
    };
  });
  return [
    '<h3>Cumulative cost, all functions</h3>',
    '<p class="caption">Provisioned concurrency + duration + requests, USD.</p>',
    renderPlot({
      label: `Cumulative cost, ${scenario.name}`,
      durationMinutes: scenario.durationMinutes,
      plotHeightPx: 150,
      lines,
      formatY: (v) => `$${v}`,
    }),
  ].join('');
}

function bucketMinutes(scenario: ScenarioBench): number {
  const longest = Math.max(
    0,
    ...scenario.strategies.flatMap((s) => s.series.map((series) => series.minutes.length)),
  );
  return longest > MAX_POINTS_PER_LINE ? Math.ceil(longest / MAX_POINTS_PER_LINE) : 1;
}

function markTooltip(strategy: string, mark: ActionMark): string {
  const flags = [mark.falseAction ? 'false action' : '', mark.reverted ? 'reverted later' : ''].filter(
    Boolean,
  );
  const suffix = flags.length > 0 ? ` [${flags.join(', ')}]` : '';
  return `${strategy} at ${formatClock(mark.minute, true)}: ${mark.kind} on ${mark.target} — ${mark.detail}${suffix}`;
}
