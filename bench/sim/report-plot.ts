/** One SVG time-series plot: lines, shaded windows, horizontal rules and action-marker lanes. */

import type { PlotPoint } from './report-downsample.js';
import { escapeXml, formatClock, px } from './report-format.js';
import { niceTicks, timeTicks } from './report-scale.js';

export interface PlotLine {
  readonly name: string;
  readonly color: string;
  /** Already downsampled; a null `y` breaks the line. */
  readonly points: readonly PlotPoint[];
  /** Draw as a step-after line. @default false */
  readonly step?: boolean;
  /** Thicker stroke, drawn last. @default false */
  readonly emphasis?: boolean;
  /** Vertical pixel offset, so equal step lines stay visible side by side. @default 0 */
  readonly offsetPx?: number;
}

export interface PlotBand {
  readonly startMinute: number;
  readonly endMinute: number;
  readonly label: string;
  readonly tooltip: string;
}

export interface PlotRule {
  readonly y: number;
  readonly label: string;
}

export interface PlotMark {
  readonly minute: number;
  readonly tooltip: string;
  readonly falseAction: boolean;
  readonly reverted: boolean;
}

export interface PlotLane {
  readonly name: string;
  readonly color: string;
  readonly marks: readonly PlotMark[];
}

export interface PlotSpec {
  /** Accessible name of the SVG. */
  readonly label: string;
  readonly durationMinutes: number;
  readonly plotHeightPx: number;
  readonly lines: readonly PlotLine[];
  readonly formatY: (value: number) => string;
  /** Values above are drawn at the top of the axis. @default - the data maximum */
  readonly yCap?: number;
  /** Text shown in the top right corner when data exceed the axis, given the axis top and the peak. */
  readonly clipNote?: (axisTop: number, peak: number) => string;
  readonly integerTicks?: boolean;
  readonly bands?: readonly PlotBand[];
  readonly rules?: readonly PlotRule[];
  /** Action-marker lanes under the time axis, one per strategy. */
  readonly lanes?: readonly PlotLane[];
}

const WIDTH = 1200;
const MARGIN_LEFT = 128;
const MARGIN_RIGHT = 20;
const MARGIN_TOP = 10;
const AXIS_HEIGHT = 22;
const LANE_HEIGHT = 16;
const MARK_SIZE = 5.5;

/** Renders the plot as an inline `<svg>` element (no namespace or external references needed in HTML). */
export function renderPlot(spec: PlotSpec): string {
  const lanes = spec.lanes ?? [];
  const plotWidth = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
  const plotBottom = MARGIN_TOP + spec.plotHeightPx;
  const height = plotBottom + AXIS_HEIGHT + (lanes.length > 0 ? lanes.length * LANE_HEIGHT + 6 : 0);
  const duration = Math.max(1, spec.durationMinutes);
  const x = (minute: number) =>
    MARGIN_LEFT + (Math.min(Math.max(minute, 0), duration) / duration) * plotWidth;

  let dataMax = 0;
  for (const line of spec.lines)
    for (const p of line.points) if (p.y !== null && p.y > dataMax) dataMax = p.y;
  for (const rule of spec.rules ?? []) dataMax = Math.max(dataMax, rule.y);
  const yTicks = niceTicks(Math.min(dataMax, spec.yCap ?? dataMax) * 1.05, 6, spec.integerTicks ?? false);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const y = (value: number) => plotBottom - (Math.min(Math.max(value, 0), yMax) / yMax) * spec.plotHeightPx;

  const parts: string[] = [
    `<svg class="plot" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(spec.label)}">`,
  ];
  for (const band of spec.bands ?? []) {
    const x0 = x(band.startMinute);
    const width = Math.max(2, x(band.endMinute) - x0);
    parts.push(
      `<g class="fault"><rect x="${px(x0)}" y="${MARGIN_TOP}" width="${px(width)}" height="${spec.plotHeightPx}"><title>${escapeXml(band.tooltip)}</title></rect>`,
    );
    if (width >= band.label.length * 6 + 6) {
      parts.push(`<text x="${px(x0 + 3)}" y="${MARGIN_TOP + 11}">${escapeXml(band.label)}</text>`);
    }
    parts.push('</g>');
  }
  parts.push('<g class="grid">');
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${MARGIN_LEFT}" x2="${WIDTH - MARGIN_RIGHT}" y1="${px(y(tick))}" y2="${px(y(tick))}"/>`,
    );
  }
  parts.push('</g><g class="axis">');
  for (const tick of yTicks) {
    parts.push(
      `<text class="y" x="${MARGIN_LEFT - 6}" y="${px(y(tick) + 4)}">${escapeXml(spec.formatY(tick))}</text>`,
    );
  }
  for (const tick of timeTicks(duration, Math.floor(plotWidth / 70))) {
    parts.push(
      `<line x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${plotBottom}" y2="${plotBottom + 4}"/><text class="x" x="${px(x(tick))}" y="${plotBottom + 16}">${formatClock(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN_LEFT}" x2="${WIDTH - MARGIN_RIGHT}" y1="${plotBottom}" y2="${plotBottom}"/><line x1="${MARGIN_LEFT}" x2="${MARGIN_LEFT}" y1="${MARGIN_TOP}" y2="${plotBottom}"/></g>`,
  );

  const ordered = [...spec.lines.filter((l) => !l.emphasis), ...spec.lines.filter((l) => l.emphasis)];
  for (const line of ordered) {
    const d = linePath(line, x, (v) => y(v) + (line.offsetPx ?? 0));
    if (d === '') continue;
    parts.push(
      `<path class="line${line.emphasis ? ' emphasis' : ''}" stroke="${line.color}" d="${d}"><title>${escapeXml(line.name)}</title></path>`,
    );
  }
  for (const rule of spec.rules ?? []) {
    const ry = y(rule.y);
    parts.push(
      `<g class="slo"><line x1="${MARGIN_LEFT}" x2="${WIDTH - MARGIN_RIGHT}" y1="${px(ry)}" y2="${px(ry)}"/><text x="${WIDTH - MARGIN_RIGHT - 4}" y="${px(ry - 4)}">${escapeXml(rule.label)}</text></g>`,
    );
  }
  if (dataMax > yMax && spec.clipNote !== undefined) {
    parts.push(
      `<text class="clip-note" x="${WIDTH - MARGIN_RIGHT - 4}" y="${MARGIN_TOP + 12}">${escapeXml(spec.clipNote(yMax, dataMax))}</text>`,
    );
  }
  lanes.forEach((lane, i) => {
    const cy = plotBottom + AXIS_HEIGHT + 6 + i * LANE_HEIGHT + LANE_HEIGHT / 2;
    parts.push(
      `<g class="lane"><line x1="${MARGIN_LEFT}" x2="${WIDTH - MARGIN_RIGHT}" y1="${px(cy)}" y2="${px(cy)}"/><text x="${MARGIN_LEFT - 6}" y="${px(cy + 4)}" fill="${lane.color}">${escapeXml(lane.name)}</text></g>`,
    );
    for (const mark of lane.marks) parts.push(markPath(mark, x(mark.minute), cy, lane.color));
  });
  parts.push('</svg>');
  return parts.join('');
}

function linePath(line: PlotLine, x: (minute: number) => number, y: (value: number) => number): string {
  const segments: string[] = [];
  let run = 0;
  let lastMinute = 0;
  const endRun = () => {
    // A lone point between gaps: a zero-length segment with round caps draws it as a dot.
    if (run === 1) segments.push('h0.01');
    run = 0;
  };
  for (const p of line.points) {
    if (p.y === null) {
      endRun();
      continue;
    }
    const px0 = px(x(p.x));
    const py = px(y(p.y));
    if (run === 0) segments.push(`M${px0} ${py}`);
    else if (line.step) segments.push(`H${px0}V${py}`);
    else segments.push(`L${px0} ${py}`);
    run += 1;
    lastMinute = p.x;
  }
  // A step-after line holds its last level through the end of that minute.
  if (line.step && run > 0) segments.push(`H${px(x(lastMinute + 1))}`);
  else endRun();
  return segments.join('');
}

/** ▲ action, △ false action, ▼ reverted later (▽ both). */
function markPath(mark: PlotMark, cx: number, cy: number, color: string): string {
  const s = MARK_SIZE;
  const d = mark.reverted
    ? `M${px(cx - s)} ${px(cy - s * 0.8)}H${px(cx + s)}L${px(cx)} ${px(cy + s)}Z`
    : `M${px(cx)} ${px(cy - s)}L${px(cx + s)} ${px(cy + s * 0.8)}H${px(cx - s)}Z`;
  const fill = mark.falseAction ? '#fff' : color;
  const cls = `mark${mark.falseAction ? ' mark-false' : ''}${mark.reverted ? ' mark-reverted' : ''}`;
  return `<path class="${cls}" d="${d}" fill="${fill}" stroke="${color}"><title>${escapeXml(mark.tooltip)}</title></path>`;
}
