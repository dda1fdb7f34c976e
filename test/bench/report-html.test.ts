import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downsampleLast, downsampleMax, downsampleSteps } from '../../bench/sim/report-downsample.js';
import { renderReport, writeReport } from '../../bench/sim/report-html.js';
import type {
  ActionMark,
  BenchResult,
  FaultWindow,
  FunctionSeries,
  MinutePoint,
  ScenarioBench,
  StrategyName,
  StrategyRun,
} from '../../bench/sim/types.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

/** Deterministic noise in [0, 1). */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface FunctionSpec {
  readonly target: string;
  readonly sloP95Millis: number;
  readonly sloP99Millis: number | null;
  readonly baseMillis: number;
  readonly nullMinutes?: readonly number[];
  readonly spikes?: Readonly<Record<number, number>>;
}

function series(
  spec: FunctionSpec,
  durationMinutes: number,
  faults: readonly FaultWindow[],
  relief: number,
  seed: number,
): FunctionSeries {
  const rand = noise(seed);
  const minutes: MinutePoint[] = [];
  for (let minute = 0; minute < durationMinutes; minute += 1) {
    const inFault = faults.some(
      (f) => f.target === spec.target && minute >= f.startMinute && minute < f.endMinute,
    );
    const p95 = spec.baseMillis * (1 + 0.2 * rand()) * (inFault ? 2.5 - relief : 1);
    const latency = spec.spikes?.[minute] ?? p95;
    const missing = spec.nullMinutes?.includes(minute) ?? false;
    const objective = spec.sloP99Millis ?? spec.sloP95Millis;
    minutes.push({
      minute,
      p95Millis: missing ? null : latency,
      p99Millis: missing ? null : latency * 1.3,
      errorRatePercent: 0,
      provisionedConcurrency: inFault && relief > 0 ? 5 : 0,
      costUsd: 0.001 + (inFault ? relief * 0.002 : 0),
      sloBreached: !missing && latency * (spec.sloP99Millis === null ? 1 : 1.3) > objective,
    });
  }
  return {
    target: spec.target,
    sloP95Millis: spec.sloP95Millis,
    sloP99Millis: spec.sloP99Millis,
    sloErrorRatePercent: 1,
    minutes,
  };
}

function mark(minute: number, target: string, extra: Partial<ActionMark> = {}): ActionMark {
  return {
    minute,
    target,
    kind: 'provisioned-concurrency',
    detail: `PC 0 → 5 on ${target}`,
    reverted: false,
    falseAction: false,
    ...extra,
  };
}

function strategyRun(
  name: StrategyName,
  functionSeries: readonly FunctionSeries[],
  actionMarks: readonly ActionMark[],
): StrategyRun {
  return {
    name,
    errorBudgetBurnedPercent: 12.5,
    sloMinutesBreached: functionSeries.reduce((n, s) => n + s.minutes.filter((m) => m.sloBreached).length, 0),
    p95Millis: 420,
    p99Millis: 610,
    costUsd: 1.23,
    actions: actionMarks.length,
    actionsReverted: actionMarks.filter((m) => m.reverted).length,
    falseActions: actionMarks.filter((m) => m.falseAction).length,
    onsetToActionSeconds: name === 'none' ? null : 95,
    recoverSeconds: name === 'none' ? null : 480,
    series: functionSeries,
    actionMarks,
    seconds: 0.5,
  };
}

function scenario(
  name: string,
  durationMinutes: number,
  functions: readonly FunctionSpec[],
  faults: readonly FaultWindow[],
  marks: Readonly<Record<'target-tracking' | 'micromotion', readonly ActionMark[]>>,
): ScenarioBench {
  const reliefs = { none: 0, 'target-tracking': 0.8, micromotion: 1.3 } as const;
  const strategies = (['none', 'target-tracking', 'micromotion'] as const).map((strategy, i) =>
    strategyRun(
      strategy,
      functions.map((f, j) => series(f, durationMinutes, faults, reliefs[strategy], 100 * i + j + 1)),
      strategy === 'none' ? [] : marks[strategy],
    ),
  );
  return {
    name,
    description: `${name}: synthetic & "quoted"`,
    durationMinutes,
    fault: faults.length > 0,
    faults,
    strategies,
  };
}

/** Two scenarios, three strategies: a short one with `<` in names and gaps, and a 24 h one with six functions. */
function buildResult(): BenchResult {
  const shortFaults = [{ target: 'orders<v2>', kind: 'cold-start', startMinute: 30, endMinute: 60 }];
  const short = scenario(
    'cold <start> & burst',
    120,
    [
      {
        target: 'orders<v2>',
        sloP95Millis: 300,
        sloP99Millis: 500,
        baseMillis: 200,
        nullMinutes: [5, 6, 7, 8],
      },
    ],
    shortFaults,
    {
      'target-tracking': [mark(44, 'orders<v2>'), mark(100, 'orders<v2>', { falseAction: true })],
      micromotion: [mark(33.5, 'orders<v2>'), mark(70, 'orders<v2>', { reverted: true })],
    },
  );
  const dayFunctions: FunctionSpec[] = [
    { target: 'api-a', sloP95Millis: 400, sloP99Millis: null, baseMillis: 250, spikes: { 777: 3000 } },
    { target: 'api-b', sloP95Millis: 400, sloP99Millis: 700, baseMillis: 250 },
    { target: 'worker-c', sloP95Millis: 900, sloP99Millis: null, baseMillis: 300 },
    { target: 'worker-d', sloP95Millis: 900, sloP99Millis: null, baseMillis: 300 },
    { target: 'cron-e', sloP95Millis: 900, sloP99Millis: null, baseMillis: 300 },
    { target: 'cron-f', sloP95Millis: 900, sloP99Millis: null, baseMillis: 300 },
  ];
  const dayFaults = [
    { target: 'api-a', kind: 'latency-drift', startMinute: 600, endMinute: 690 },
    { target: 'api-b', kind: 'cold-start', startMinute: 1200, endMinute: 1230 },
  ];
  const day = scenario('diurnal 24h', 1440, dayFunctions, dayFaults, {
    'target-tracking': [mark(610, 'api-a'), mark(1215, 'api-b'), mark(300, 'cron-f', { falseAction: true })],
    micromotion: [mark(603, 'api-a'), mark(1203, 'api-b'), mark(1260, 'api-b', { reverted: true })],
  });
  return { scenarios: [short, day], seconds: 3.2 };
}

const count = (text: string, needle: string | RegExp) =>
  typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(needle) ?? []).length;

describe('HTML report: structure', () => {
  const html = renderReport(buildResult(), { title: 'bench <test>' });

  it('has one section per scenario, each with a summary table and a cost plot', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(count(html, '<section class="scenario"')).toBe(2);
    expect(count(html, '<table class="summary">')).toBe(2);
    expect(count(html, 'Cumulative cost, all functions')).toBe(2);
  });

  it('draws one dashed SLO line per latency plot, using p99 only when the SLO has a p99 objective', () => {
    // 1 function + 4 of 6 functions plotted.
    expect(count(html, '<g class="slo">')).toBe(5);
    expect(html).toContain('Latency p99 (ms) vs SLO p99 ≤ 500 ms — orders&lt;v2&gt;');
    expect(html).toContain('Latency p95 (ms) vs SLO p95 ≤ 400 ms — api-a');
    expect(html).toContain('Latency p99 (ms) vs SLO p99 ≤ 700 ms — api-b');
  });

  it('adds a failures panel, with its own SLO line, only where failures came near their objective', () => {
    const base = buildResult().scenarios[0] as ScenarioBench;
    const failing: ScenarioBench = {
      ...base,
      strategies: base.strategies.map((run) => ({
        ...run,
        series: run.series.map((f) => ({
          ...f,
          sloErrorRatePercent: 1,
          minutes: f.minutes.map((m) => ({
            ...m,
            errorRatePercent: m.minute >= 30 && m.minute < 60 ? 4 : 0.1,
          })),
        })),
      })),
    };
    const page = renderReport({ scenarios: [failing], seconds: 1 });
    expect(count(page, 'Failures (%) vs SLO errors ≤ 1 %')).toBe(1);
    expect(count(page, '<g class="slo">')).toBe(2);
    expect(count(html, 'Failures (%)')).toBe(0);
  });

  it('draws a marker per action on a plotted function, false and reverted ones marked differently', () => {
    // 4 in the short scenario, 5 of 6 in the day one (the false action on cron-f is not plotted).
    expect(count(html, '<path class="mark')).toBe(9);
    expect(count(html, /class="mark[^"]*mark-false/g)).toBe(1);
    expect(count(html, /class="mark[^"]*mark-reverted/g)).toBe(2);
    expect(html).toContain('target-tracking at 1:40:00: provisioned-concurrency on orders&lt;v2&gt;');
    expect(html).toContain('Not plotted (fewest breached minutes)');
  });

  it('highlights the micromotion row and shows a dash for null', () => {
    expect(count(html, '<tr class="own">')).toBe(2);
    expect(html).toMatch(
      /<td><span class="swatch"[^>]*><\/span>none<\/td>(<td>[^<]*<\/td>){8}<td>—<\/td><td>—<\/td>/,
    );
  });

  it('escapes names and descriptions', () => {
    expect(html).not.toContain('orders<v2>');
    expect(html).not.toContain('<start>');
    expect(html).toContain('cold &lt;start&gt; &amp; burst');
    expect(html).toContain('&quot;quoted&quot;');
    expect(html).toContain('<title>bench &lt;test&gt;</title>');
  });

  it('references nothing external and runs no script', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/src=/i);
    expect(html).not.toMatch(/<script|url\(|@import/i);
  });

  it('breaks the latency line where latency is null', () => {
    const short = html.slice(0, html.indexOf('id="scenario-2"'));
    const latency = short.match(/<path class="line emphasis" stroke="[^"]+" d="([^"]+)"/)?.[1] ?? '';
    expect(count(latency, 'M')).toBe(2);
  });

  it('keeps every line within 400 points and the page small for a 24 h scenario', () => {
    for (const [, d] of html.matchAll(/<path class="line[^"]*" stroke="[^"]+" d="([^"]+)"/g)) {
      expect(count(d ?? '', /[MLV]/g)).toBeLessThanOrEqual(401);
    }
    expect(html).toContain('Maximum per 4-minute bucket.');
    expect(html).toContain('(peak 3000 ms)');
    expect(html.length).toBeLessThan(600_000);
  });

  it('renders the same input to the same bytes, apart from generatedAt', () => {
    const a = renderReport(buildResult(), { generatedAt: '2025-01-01T00:00:00Z' });
    const b = renderReport(buildResult(), { generatedAt: '2025-01-01T00:00:00Z' });
    expect(a).toBe(b);
    expect(renderReport(buildResult())).toBe(renderReport(buildResult()));
  });
});

describe('HTML report: downsampling', () => {
  const points = Array.from({ length: 1440 }, (_, x) => ({
    x,
    y: x === 777 ? 9000 : x % 100 === 0 ? null : 100,
  }));

  it('keeps the spike of each bucket', () => {
    const out = downsampleMax(points, 400);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out).toContainEqual({ x: 777, y: 9000 });
  });

  it('turns an all-null bucket into a gap', () => {
    const gaps = Array.from({ length: 800 }, (_, x) => ({ x, y: x >= 100 && x < 110 ? null : 1 }));
    expect(downsampleMax(gaps, 400).filter((p) => p.y === null).length).toBe(5);
  });

  it('keeps the last value of cumulative series and every change of step series', () => {
    const cumulative = points.map((p) => ({ x: p.x, y: p.x }));
    expect(downsampleLast(cumulative, 400).at(-1)).toEqual({ x: 1439, y: 1439 });
    const steps = points.map((p) => ({ x: p.x, y: p.x >= 600 && p.x < 700 ? 5 : 0 }));
    expect(downsampleSteps(steps)).toEqual([
      { x: 0, y: 0 },
      { x: 600, y: 5 },
      { x: 700, y: 0 },
      { x: 1439, y: 0 },
    ]);
  });
});

describe('HTML report: writeReport', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-report-write-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file and leaves no temporary file', () => {
    const path = join(dir, 'out', 'report.html');
    writeReport(path, '<p>one</p>');
    writeReport(path, '<p>two</p>');
    expect(readFileSync(path, 'utf8')).toBe('<p>two</p>');
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.html']);
  });

  it('fails without leaving anything behind when the target cannot be replaced', () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    mkdirSync(join(sub, 'taken'));
    writeFileSync(join(sub, 'taken', 'keep'), '');
    expect(() => writeReport(join(sub, 'taken'), '<p>lost</p>')).toThrow();
    expect(readdirSync(sub)).toEqual(['taken']);
  });
});

/**
 * The rendering tests need Debian's chromium. CI installs it and sets
 * MICROMOTION_REQUIRE_CHROMIUM=1, so there a missing browser fails the run; on a machine
 * without it (the README's two-command set-up) they are skipped with a note.
 */
const chromiumRequired = process.env.MICROMOTION_REQUIRE_CHROMIUM === '1';
const skipRendering = !existsSync(CHROMIUM) && !chromiumRequired;
if (skipRendering) {
  process.stderr.write(
    `report-html: ${CHROMIUM} is missing, rendering tests skipped (apt-get install chromium to run them)\n`,
  );
}

describe.skipIf(skipRendering)('HTML report: rendered in headless Chromium', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-report-chromium-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function requireChromium(): void {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install it with 'apt-get update && apt-get install -y --no-install-recommends chromium' (.ci/run does this on CI)`,
      );
    }
  }

  async function chromium(args: readonly string[], htmlPath: string): Promise<string> {
    const profile = mkdtempSync(join(dir, 'profile-'));
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
        `file://${htmlPath}`,
      ],
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  }

  async function screenshot(
    name: string,
    html: string,
  ): Promise<{ bytes: Buffer; width: number; height: number }> {
    const htmlPath = join(dir, `${name}.html`);
    const shot = join(dir, `${name}.png`);
    writeFileSync(htmlPath, html);
    await chromium(['--window-size=1400,3000', `--screenshot=${shot}`], htmlPath);
    expect(existsSync(shot), `${shot} was not written`).toBe(true);
    const bytes = readFileSync(shot);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
    return { bytes, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }

  it('screenshots a page with plots, well above a blank page in size', { timeout: 240_000 }, async () => {
    requireChromium();
    const blank = await screenshot('blank', '<!doctype html><html><body></body></html>');
    const report = await screenshot('report', renderReport(buildResult()));
    expect(report.width).toBeGreaterThanOrEqual(1000);
    expect(report.width).toBeLessThanOrEqual(3000);
    expect(report.height).toBeGreaterThanOrEqual(2000);
    expect(report.bytes.length).toBeGreaterThan(10 * blank.bytes.length);
  });

  it('keeps every SVG plot and marker through the browser parser', { timeout: 240_000 }, async () => {
    requireChromium();
    const html = renderReport(buildResult());
    const htmlPath = join(dir, 'dom.html');
    writeFileSync(htmlPath, html);
    const dom = await chromium(['--dump-dom'], htmlPath);
    expect(count(dom, '<svg class="plot"')).toBe(count(html, '<svg class="plot"'));
    expect(count(dom, '<path class="mark')).toBe(9);
    expect(count(dom, '<g class="slo">')).toBe(5);
  });
});
