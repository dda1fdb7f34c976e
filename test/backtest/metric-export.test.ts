import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EmptyMetricExportError,
  ExportMismatchError,
  MetricExportFormatError,
  MissingSignalError,
  NonMonotonicSeriesError,
  UnknownSignalError,
} from '../../sim/backtest/errors.js';
import {
  checkPeriod,
  csvExport,
  exportPeriodSeconds,
  parseGetMetricDataJson,
  parseSignalCsv,
} from '../../sim/backtest/metric-export.js';
import { syntheticWindow, T0, toGetMetricData } from './synthetic.js';

const fixture = (name: string) => new URL(`../fixtures/backtest/${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const at = (iso: string) => Date.parse(iso);

/** A response with the required signals at 08:00 and 08:01, and `extra` results appended. */
function response(extra: readonly Record<string, unknown>[] = []): string {
  const result = (Id: string, Values: number[]) => ({
    Id,
    Timestamps: ['2026-11-23T08:00:00Z', '2026-11-23T08:01:00Z'],
    Values,
  });
  return JSON.stringify({
    MetricDataResults: [
      result('p95DurationMillis', [120, 125]),
      result('invocations', [1000, 1000]),
      result('errors', [5, 4]),
      ...extra,
    ],
  });
}

describe('Backtest export: GetMetricData JSON', () => {
  it('reads an array of pages, newest first, into oldest-first series per signal', () => {
    const exp = parseGetMetricDataJson(read('pages.json'), 'pages.json');

    expect(exp.window.p95DurationMillis).toEqual([
      { t: at('2026-11-23T08:00:00Z'), v: 120.25 },
      { t: at('2026-11-23T08:01:00Z'), v: 118 },
      { t: at('2026-11-23T08:02:00Z'), v: 122 },
      { t: at('2026-11-23T08:03:00Z'), v: 131.5 },
    ]);
    expect(exp.window.errors?.map((p) => p.v)).toEqual([5, 5, 6, 4]);
    expect(exp.window.coldStarts).toBeUndefined();
    expect(exp.sources.coldStarts).toBe('pages.json#coldStarts');
  });

  it('reads one response in either timestamp order to the same series', () => {
    const window = syntheticWindow({ minutes: 10 });
    const descending = toGetMetricData(window);
    const ascending = {
      MetricDataResults: Object.entries(window).map(([Id, points]) => ({
        Id,
        Timestamps: points?.map((p) => new Date(p.t).toISOString()),
        Values: points?.map((p) => p.v),
      })),
    };

    const fromDescending = parseGetMetricDataJson(JSON.stringify(descending), 'desc.json');
    const fromAscending = parseGetMetricDataJson(JSON.stringify(ascending), 'asc.json');

    expect(fromDescending.window).toEqual(window);
    expect(fromAscending.window).toEqual(window);
  });

  it('rejects ids that are not signals, naming them and the required signals missing', () => {
    const run = () => parseGetMetricDataJson(read('unknown-ids.json'), 'unknown-ids.json');

    expect(run).toThrow(UnknownSignalError);
    expect(run).toThrow(
      /unknown-ids\.json: GetMetricData ids not known as signals: m1; required signals missing: p95DurationMillis, errors\./,
    );
  });

  it('rejects an export without a required signal, naming it', () => {
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: 'p95DurationMillis', Timestamps: ['2026-11-23T08:00:00Z'], Values: [120] },
        { Id: 'invocations', Timestamps: ['2026-11-23T08:00:00Z'], Values: [1000] },
      ],
    });

    expect(() => parseGetMetricDataJson(text, 'm.json')).toThrow(MissingSignalError);
    expect(() => parseGetMetricDataJson(text, 'm.json')).toThrow(/m\.json: required signals missing: errors/);
  });

  it('rejects an export without data points', () => {
    const empty = JSON.stringify({
      MetricDataResults: ['p95DurationMillis', 'invocations', 'errors'].map((Id) => ({
        Id,
        Timestamps: [],
        Values: [],
      })),
    });

    expect(() => parseGetMetricDataJson(empty, 'e.json')).toThrow(EmptyMetricExportError);
    expect(() => parseGetMetricDataJson(empty, 'e.json')).toThrow(
      /e\.json: no data points in any of its 3 series/,
    );
    expect(() => parseGetMetricDataJson('[]', 'pages.json')).toThrow(/pages\.json: an empty array/);
  });

  it('rejects a required signal without data points', () => {
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: 'p95DurationMillis', Timestamps: ['2026-11-23T08:00:00Z'], Values: [120] },
        { Id: 'invocations', Timestamps: ['2026-11-23T08:00:00Z'], Values: [1000] },
        { Id: 'errors', Timestamps: [], Values: [] },
      ],
    });

    expect(() => parseGetMetricDataJson(text, 'x.json')).toThrow(
      /x\.json#errors: required signal errors has no data points/,
    );
  });

  it('rejects timestamps that are neither ascending nor descending, naming the field', () => {
    const text = response([
      {
        Id: 'coldStarts',
        Timestamps: ['2026-11-23T08:00:00Z', '2026-11-23T08:02:00Z', '2026-11-23T08:01:00Z'],
        Values: [1, 2, 3],
      },
    ]);

    expect(() => parseGetMetricDataJson(text, 'x.json')).toThrow(NonMonotonicSeriesError);
    expect(() => parseGetMetricDataJson(text, 'x.json')).toThrow(
      /x\.json \(MetricDataResults\[3\]\.Timestamps\[2\]\): id coldStarts: timestamps must be strictly ascending or strictly descending/,
    );
  });

  it('rejects a timestamp repeated across pages with another value', () => {
    const page = (value: number) => ({
      MetricDataResults: ['p95DurationMillis', 'invocations', 'errors'].map((Id) => ({
        Id,
        Timestamps: ['2026-11-23T08:00:00Z'],
        Values: [value],
      })),
    });

    expect(() => parseGetMetricDataJson(JSON.stringify([page(1), page(2)]), 'p.json')).toThrow(
      /p\.json \(\[1\]\.MetricDataResults\[0\]\.Timestamps\): id p95DurationMillis has 2026-11-23T08:00:00\.000Z twice, with values 1 and 2/,
    );
  });

  it('fails on malformed responses with the file and field path', () => {
    const cases: [string, RegExp][] = [
      ['{"MetricDataResults": [', /x\.json: not JSON/],
      ['{"Results": []}', /x\.json: MetricDataResults: expected an array/],
      [
        response([{ Id: 'coldStarts', Timestamps: ['2026-11-23T08:00:00Z'], Values: [] }]),
        /MetricDataResults\[3\]\): id coldStarts has 1 Timestamps but 0 Values/,
      ],
      [
        response([{ Id: 'coldStarts', Timestamps: ['yesterday'], Values: [1] }]),
        /MetricDataResults\[3\]\.Timestamps\[0\]\): "yesterday" is not an ISO 8601 timestamp/,
      ],
      [
        response([{ Id: 'coldStarts', Timestamps: ['2026-11-23T08:00:00Z'], Values: ['1'] }]),
        /MetricDataResults\[3\]\.Values\[0\]\): "1" is not a number/,
      ],
      [
        response([{ Id: 'coldStarts', StatusCode: 'InternalError', Timestamps: [], Values: [] }]),
        /MetricDataResults\[3\]\.StatusCode\): id coldStarts has status InternalError/,
      ],
    ];
    for (const [text, message] of cases) {
      expect(() => parseGetMetricDataJson(text, 'x.json')).toThrow(MetricExportFormatError);
      expect(() => parseGetMetricDataJson(text, 'x.json')).toThrow(message);
    }
  });
});

describe('Backtest export: CSV', () => {
  it('reads timestamp,value rows (CRLF, byte-order mark, blank lines)', () => {
    const text =
      '\uFEFFtimestamp,value\r\n2026-11-23T08:00:00Z,120\r\n\r\n2026-11-23T08:01:00.000+00:00, 121.5 \r\n\r\n';

    expect(parseSignalCsv(text, 'p95.csv')).toEqual([
      { t: at('2026-11-23T08:00:00Z'), v: 120 },
      { t: at('2026-11-23T08:01:00Z'), v: 121.5 },
    ]);
  });

  it('rejects a non-monotonic file, naming the file and the line', () => {
    const text = read('non-monotonic/p95DurationMillis.csv');

    expect(() => parseSignalCsv(text, 'p95DurationMillis.csv')).toThrow(NonMonotonicSeriesError);
    expect(() => parseSignalCsv(text, 'p95DurationMillis.csv')).toThrow(
      /p95DurationMillis\.csv:5: timestamp 2026-11-23T08:02:00Z is not after 2026-11-23T08:03:00\.000Z \(line 4\)/,
    );
  });

  it('rejects a repeated timestamp', () => {
    const text = 'timestamp,value\n2026-11-23T08:00:00Z,1\n2026-11-23T08:00:00Z,2\n';

    expect(() => parseSignalCsv(text, 'a.csv')).toThrow(/a\.csv:3: .* rows must be strictly increasing/);
  });

  it('rejects an empty file and a header without rows', () => {
    expect(() => parseSignalCsv(read('empty.csv'), 'empty.csv')).toThrow(EmptyMetricExportError);
    expect(() => parseSignalCsv(read('empty.csv'), 'empty.csv')).toThrow(/empty\.csv: the file is empty/);
    expect(() => parseSignalCsv('timestamp,value\n', 'h.csv')).toThrow(
      /h\.csv: no data rows after the header/,
    );
  });

  it('fails on malformed rows with the file and line', () => {
    const cases: [string, RegExp][] = [
      [
        'time,p95\n2026-11-23T08:00:00Z,1\n',
        /c\.csv:1: the header must be "timestamp,value"; got "time,p95"/,
      ],
      ['timestamp,value\n2026-11-23T08:00:00Z,1,2\n', /c\.csv:2: expected 2 fields "timestamp,value"; got 3/],
      [
        'timestamp,value\n2026-11-23 08:00:00,1\n',
        /c\.csv:2: timestamp "2026-11-23 08:00:00" is not an ISO 8601 time with a zone/,
      ],
      ['timestamp,value\n2026-11-23T08:00:00,1\n', /c\.csv:2: .* with a zone/],
      [
        'timestamp,value\n2026-11-23T08:00:00Z,1\n2026-11-23T08:01:00Z,\n',
        /c\.csv:3: value "" is not a number/,
      ],
      ['timestamp,value\n2026-11-23T08:00:00Z,fast\n', /c\.csv:2: value "fast" is not a number/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseSignalCsv(text, 'c.csv')).toThrow(MetricExportFormatError);
      expect(() => parseSignalCsv(text, 'c.csv')).toThrow(message);
    }
  });

  it('rejects CSV names that are not signals and a missing required signal', () => {
    const points = [{ t: T0, v: 1 }];
    const series = [
      { name: 'p95DurationMillis', file: 'd/p95DurationMillis.csv', points },
      { name: 'latency', file: 'd/latency.csv', points },
      { name: 'invocations', file: 'd/invocations.csv', points },
    ];

    expect(() => csvExport(series, 'd')).toThrow(UnknownSignalError);
    expect(() => csvExport(series, 'd')).toThrow(
      /d: CSV signal names not known as signals: latency \(d\/latency\.csv\); required signals missing: errors/,
    );
  });
});

describe('Backtest export: period', () => {
  it('infers the period and accepts gaps of whole periods', () => {
    const window = syntheticWindow({ minutes: 10 });
    const withGap = { ...window, p95DurationMillis: window.p95DurationMillis?.filter((_, i) => i !== 4) };
    const exp = { window: withGap, sources: {} };

    expect(exportPeriodSeconds(withGap)).toBe(60);
    expect(() => checkPeriod(exp, 60)).not.toThrow();
  });

  it('rejects an export whose period is not the policy’s', () => {
    const exp = { window: syntheticWindow({ minutes: 10 }), sources: {} };

    expect(() => checkPeriod(exp, 300)).toThrow(ExportMismatchError);
    expect(() => checkPeriod(exp, 300)).toThrow(
      /the export's period is 60 s but the policy's detection\.periodSeconds is 300/,
    );
  });

  it('rejects a point off the period grid, naming the signal and file', () => {
    const window = syntheticWindow({ minutes: 10 });
    const errors = [...(window.errors ?? []), { t: T0 + 10 * 60_000 + 30_000, v: 1 }];
    const exp = { window: { ...window, errors }, sources: { errors: 'errors.csv' } };

    expect(() => checkPeriod(exp, 60)).toThrow(ExportMismatchError);
    expect(() => checkPeriod(exp, 60)).toThrow(
      /errors\.csv: errors at 2026-11-23T06:10:30\.000Z is not on the 60 s period grid that starts at 2026-11-23T06:00:00\.000Z/,
    );
  });
});
