import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus, windowRows } from '../../../bench/nab/corpus.js';
import { parseNabCsv } from '../../../bench/nab/data-csv.js';
import { NabInputError } from '../../../bench/nab/errors.js';
import { jsonErrorLine } from '../../../bench/nab/json-error-line.js';
import { parsePublishedScores } from '../../../bench/nab/published.js';
import { parseNabTimestamp } from '../../../bench/nab/timestamps.js';
import { parseWindowsJson } from '../../../bench/nab/windows-json.js';

describe('NAB readers: data CSV', () => {
  it('reads rows in file order, keeping duplicate stamps as separate rows', () => {
    const csv = 'timestamp,value\n2014-03-09 01:55:00,1.5\n2014-03-09 03:00:00,2\n2014-03-09 03:00:00,3\n';
    const series = parseNabCsv(csv, 'a.csv');
    expect(series.values).toEqual([1.5, 2, 3]);
    expect(series.timestamps).toEqual(['2014-03-09 01:55:00', '2014-03-09 03:00:00', '2014-03-09 03:00:00']);
    expect(series.timesMs[1]).toBe(series.timesMs[2]);
  });

  it('keeps empty, NaN and non-numeric values as missing points', () => {
    const csv =
      'timestamp,value\n2014-01-01 00:00:00,\n2014-01-01 00:05:00,NaN\n2014-01-01 00:10:00,abc\n2014-01-01 00:15:00,4\n';
    const series = parseNabCsv(csv, 'a.csv');
    expect(series.values.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(series.values[3]).toBe(4);
    expect(series.missingValues).toBe(3);
    expect(series.valueTexts).toEqual(['', 'NaN', 'abc', '4']);
  });

  it('rejects a row with the wrong number of fields, naming file and line', () => {
    const csv = 'timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2,3\n';
    expect(() => parseNabCsv(csv, 'data/x.csv')).toThrow('data/x.csv:3: expected 2 fields, found 3');
  });

  it('rejects an unreadable timestamp, naming file and line', () => {
    const csv = 'timestamp,value\n2014-01-01 00:00:00,1\n2014-02-30 00:05:00,2\n';
    expect(() => parseNabCsv(csv, 'x.csv')).toThrow(/^x\.csv:3: timestamp "2014-02-30 00:05:00"/);
  });

  it('rejects a file without a timestamp,value header', () => {
    expect(() => parseNabCsv('time,v\n', 'x.csv')).toThrow(/x\.csv:1: header/);
    expect(() => parseNabCsv('', 'x.csv')).toThrow(/x\.csv:1: empty file/);
  });

  it('reads timestamps with and without fractional seconds as the same instant', () => {
    expect(parseNabTimestamp('2014-02-26 13:45:00.000000')).toBe(parseNabTimestamp('2014-02-26 13:45:00'));
    expect(parseNabTimestamp('2014-13-01 00:00:00')).toBeUndefined();
  });
});

describe('NAB readers: windows file', () => {
  const text = `{
    "cat/a.csv": [
        [
            "2014-01-01 00:10:00.000000",
            "2014-01-01 00:20:00.000000"
        ]
    ],
    "cat/b.csv": []
}`;

  it('reads windows per file key', () => {
    const windows = parseWindowsJson(text, 'w.json');
    expect(windows.get('cat/b.csv')).toEqual([]);
    expect(windows.get('cat/a.csv')?.[0]).toMatchObject({ start: '2014-01-01 00:10:00.000000', line: 4 });
  });

  it('rejects invalid JSON with the line of the error', () => {
    const broken = '{\n  "cat/a.csv": [\n    ["2014-01-01 00:10:00", ]\n  ]\n}';
    const error = (() => {
      try {
        parseWindowsJson(broken, 'w.json');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NabInputError);
    expect((error as NabInputError).file).toBe('w.json');
    expect((error as NabInputError).line).toBe(3);
    expect((error as Error).message).toMatch(/^w\.json:3: invalid JSON/);
  });

  it('rejects a bad timestamp, naming file and line', () => {
    const bad = text.replace('2014-01-01 00:20:00.000000', '2014-01-01 25:20:00');
    expect(() => parseWindowsJson(bad, 'w.json')).toThrow(
      /^w\.json:5: "cat\/a\.csv" window 1: "2014-01-01 25:20:00"/,
    );
  });

  it('rejects windows that are not pairs, or overlap', () => {
    expect(() => parseWindowsJson('{\n"a": [["2014-01-01 00:00:00"]]\n}', 'w.json')).toThrow(
      /^w\.json:2: "a" window 1/,
    );
    const overlapping =
      '{"a": [["2014-01-01 00:00:00", "2014-01-01 01:00:00"],\n ["2014-01-01 00:30:00", "2014-01-01 02:00:00"]]}';
    expect(() => parseWindowsJson(overlapping, 'w.json')).toThrow(/^w\.json:2: "a" window 2: starts before/);
    expect(() => parseWindowsJson('[]', 'w.json')).toThrow(/^w\.json:1: expected an object/);
  });

  it('maps windows onto rows by position, through duplicate stamps', () => {
    const t = (s: string) => parseNabTimestamp(s) as number;
    const times = ['01:50', '01:55', '03:00', '03:00', '03:00', '03:05'].map((hm) =>
      t(`2014-03-09 ${hm}:00`),
    );
    const windows = parseWindowsJson('{"a": [["2014-03-09 01:55:00", "2014-03-09 03:00:00"]]}', 'w.json').get(
      'a',
    );
    expect(windowRows(times, windows ?? [], 'w.json', 'a')).toEqual([{ startRow: 1, endRow: 2 }]);
  });

  it('rejects a window that covers no row of its data file', () => {
    const times = [parseNabTimestamp('2014-01-01 00:00:00') as number];
    const windows = parseWindowsJson('{"a": [["2015-01-01 00:00:00", "2015-01-02 00:00:00"]]}', 'w.json').get(
      'a',
    );
    expect(() => windowRows(times, windows ?? [], 'w.json', 'a')).toThrow(
      /^w\.json:1: "a": window .* covers no row/,
    );
  });

  it('rejects a published-scores entry that is not three numbers, naming its line', () => {
    expect(parsePublishedScores('{"scores": {"x": [1, 2, 3]}}', 'p.json').get('x')).toEqual([1, 2, 3]);
    expect(() => parsePublishedScores('{"scores": {\n"x": [1, 2]}}', 'p.json')).toThrow(/^p\.json:2: "x"/);
  });
});

describe('NAB readers: corpus layout', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nab-corpus-'));
    mkdirSync(join(root, 'data', 'cat'), { recursive: true });
    mkdirSync(join(root, 'labels'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads data/<category>/*.csv with labels/combined_windows.json', () => {
    writeFileSync(
      join(root, 'data', 'cat', 'a.csv'),
      'timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n',
    );
    writeFileSync(
      join(root, 'labels', 'combined_windows.json'),
      '{"cat/a.csv": [["2014-01-01 00:05:00", "2014-01-01 00:05:00"]]}',
    );
    const [file] = loadCorpus(root);
    expect(file).toMatchObject({ key: 'cat/a.csv', category: 'cat', fileName: 'a.csv' });
    expect(file?.windows).toEqual([{ startRow: 1, endRow: 1 }]);
  });

  it('rejects a data file missing from the windows file, naming the windows file', () => {
    writeFileSync(join(root, 'data', 'cat', 'a.csv'), 'timestamp,value\n2014-01-01 00:00:00,1\n');
    writeFileSync(join(root, 'labels', 'combined_windows.json'), '{}');
    expect(() => loadCorpus(root)).toThrow(/combined_windows\.json: no windows entry for "cat\/a\.csv"/);
  });

  it('rejects a malformed data file with its path and line', () => {
    writeFileSync(join(root, 'data', 'cat', 'a.csv'), 'timestamp,value\n2014-01-01 00:00:00\n');
    writeFileSync(join(root, 'labels', 'combined_windows.json'), '{"cat/a.csv": []}');
    expect(() => loadCorpus(root)).toThrow(
      `${join(root, 'data', 'cat', 'a.csv')}:2: expected 2 fields, found 1`,
    );
  });

  it('rejects a root without a windows file', () => {
    expect(() => loadCorpus(root)).toThrow(/combined_windows\.json: cannot read/);
  });
});

describe('NAB readers: JSON error lines', () => {
  it('finds the line of the first syntax error', () => {
    expect(jsonErrorLine('{"a": [1, 2]}')).toBeUndefined();
    expect(jsonErrorLine('{\n"a": [1,\n2,]\n}')).toBe(3);
    expect(jsonErrorLine('{\n"a": tru\n}')).toBe(2);
    expect(jsonErrorLine('{\n"a": "x\n"}')).toBe(2);
    expect(jsonErrorLine('{\n"a": 1\n')).toBe(3);
    expect(jsonErrorLine('{}\n\nx')).toBe(3);
  });
});
