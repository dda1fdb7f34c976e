import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DATA_ROOT, main, parseArgs } from '../../../bench/nab/run.js';
import { formatTable, rankRows } from '../../../bench/nab/table.js';

/** 5-minute rows from 2014-01-01 00:00 with the given values. */
function csv(values: readonly number[]): string {
  const start = Date.UTC(2014, 0, 1);
  const rows = values.map(
    (v, i) => `${new Date(start + i * 300_000).toISOString().slice(0, 19).replace('T', ' ')},${v}`,
  );
  return `timestamp,value\n${rows.join('\n')}\n`;
}

function capture(run: () => number): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: run(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('bench:nab: options', () => {
  it('defaults to the shared NAB copy next to the repository', () => {
    expect(parseArgs([])).toEqual({
      dataRoot: DEFAULT_DATA_ROOT,
      outDir: undefined,
      threshold: undefined,
      json: false,
    });
    expect(DEFAULT_DATA_ROOT.endsWith(join('shared', 'data', 'nab'))).toBe(true);
  });

  it('reads --data, --out (also as --opt=value), --threshold and --json', () => {
    const options = parseArgs(['--data', '/d', '--out=/o', '--threshold', '0.4', '--json']);
    expect(options).toEqual({ dataRoot: '/d', outDir: '/o', threshold: 0.4, json: true });
    for (const [text, value] of [
      ['.5', 0.5],
      ['1', 1],
      ['4e-1', 0.4],
      ['0', 0],
    ] as const) {
      expect(parseArgs([`--threshold=${text}`]).threshold).toBe(value);
    }
  });

  it('rejects an unknown option, a missing directory or a threshold that is not a score', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option "--fast"/);
    expect(() => parseArgs(['--data'])).toThrow(/--data needs a directory/);
    expect(() => parseArgs(['--threshold'])).toThrow(/--threshold needs a score/);
    for (const bad of ['1.5', '-0.1', 'high', 'NaN', ' ', ' 0.4', '0x1', 'Infinity']) {
      expect(() => parseArgs(['--threshold', bad])).toThrow(`--threshold "${bad}" is not a score in [0, 1]`);
    }
  });
});

describe('bench:nab: run', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nab-run-'));
    mkdirSync(join(root, 'data', 'cat'), { recursive: true });
    mkdirSync(join(root, 'labels'));
    const flat = Array.from({ length: 400 }, (_, i) => 10 + ((i * 7) % 5) / 10);
    const shifted = flat.map((v, i) => (i >= 300 ? v + 20 : v));
    writeFileSync(join(root, 'data', 'cat', 'flat.csv'), csv(flat));
    writeFileSync(join(root, 'data', 'cat', 'shift.csv'), csv(shifted));
    writeFileSync(
      join(root, 'labels', 'combined_windows.json'),
      JSON.stringify({
        'cat/flat.csv': [],
        'cat/shift.csv': [['2014-01-01 23:55:00', '2014-01-02 02:25:00']],
      }),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prints the scores, thresholds and timing as JSON', () => {
    const { code, out } = capture(() => main(['--data', root, '--json']));
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(Object.keys(result)).toEqual(['detector', 'files', 'windows', 'scores', 'thresholds', 'seconds']);
    expect(result).toMatchObject({ detector: 'micromotion', files: 2, windows: 1 });
    expect(Object.keys(result.scores)).toEqual(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
    expect(result.scores.standard).toBeGreaterThan(50);
  });

  it('writes one NAB results file per data file, one row per data row', () => {
    const out = join(root, 'results');
    const { code } = capture(() => main(['--data', root, '--out', out]));
    expect(code).toBe(0);
    const file = join(out, 'cat', 'micromotion_shift.csv');
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(401);
    expect(lines[1]).toMatch(/^2014-01-01 00:00:00,10,0$/);
  });

  it('prints a table with the detector ranked', () => {
    writeFileSync(join(root, 'published-scores.json'), JSON.stringify({ scores: { other: [10, 5, 20] } }));
    const { code, out } = capture(() => main(['--data', root]));
    expect(code).toBe(0);
    expect(out).toMatch(/micromotion \*/);
    expect(out).toMatch(/other/);
  });

  it('scores at a fixed --threshold instead of optimising, and says so', () => {
    // A low alarm level fires on the noise of the flat file too: worse than the optimised one.
    const fixed = JSON.parse(capture(() => main(['--data', root, '--threshold', '0.01', '--json'])).out);
    expect(fixed.thresholds).toEqual({ standard: 0.01, reward_low_FP_rate: 0.01, reward_low_FN_rate: 0.01 });
    const optimised = JSON.parse(capture(() => main(['--data', root, '--json'])).out);
    expect(optimised.thresholds.standard).toBeGreaterThan(0.01);
    expect(fixed.scores.standard).toBeLessThan(optimised.scores.standard);
    const { out } = capture(() => main(['--data', root, '--threshold=0.4']));
    expect(out).toContain('threshold: 0.4 for every profile (fixed, not optimised)');
  });

  it('scores each category at the corpus thresholds when there are several', () => {
    mkdirSync(join(root, 'data', 'other'));
    writeFileSync(join(root, 'data', 'other', 'quiet.csv'), csv(Array<number>(400).fill(3)));
    const labels = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8'));
    writeFileSync(
      join(root, 'labels', 'combined_windows.json'),
      JSON.stringify({ ...labels, 'other/quiet.csv': [['2014-01-02 00:00:00', '2014-01-02 01:00:00']] }),
    );
    mkdirSync(join(root, 'data', 'none'));
    writeFileSync(join(root, 'data', 'none', 'calm.csv'), csv(Array<number>(400).fill(7)));
    const withNone = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8'));
    writeFileSync(
      join(root, 'labels', 'combined_windows.json'),
      JSON.stringify({ ...withNone, 'none/calm.csv': [] }),
    );
    const result = JSON.parse(capture(() => main(['--data', root, '--json'])).out);
    expect(Object.keys(result.categories)).toEqual(['cat', 'none', 'other']);
    expect(result.categories.cat).toMatchObject({ files: 2, windows: 1, detected: 1, falseAlarms: 0 });
    expect(result.categories.other).toMatchObject({ files: 1, windows: 1, detected: 0, falseAlarms: 0 });
    // A flat file never alarms: its one window is missed, the null score.
    expect(result.categories.other.scores.standard).toBe(0);
    expect(result.categories.cat.scores.standard).toBeGreaterThan(result.scores.standard);
    // No windows, nothing to normalise against: no score, only false alarms (none here).
    expect(result.categories.none).toMatchObject({ files: 1, windows: 0, falseAlarms: 0 });
    expect(result.categories.none.scores.standard).toBeNull();
    const { out } = capture(() => main(['--data', root]));
    expect(out).toMatch(
      /by category, at the thresholds above \(windows detected and false-alarm rows at the standard one\):\n/,
    );
    expect(out).toMatch(/\nnone +1 +0 +0 +0 +— +— +—\n/);
    expect(out).toMatch(/\nother +1 +1 +0 +0 +0\.00/);
  });

  it('fails with the file and line of a malformed data file', () => {
    writeFileSync(join(root, 'data', 'cat', 'flat.csv'), 'timestamp,value\n2014-01-01 00:00:00,1,2\n');
    const { code, err } = capture(() => main(['--data', root, '--json']));
    expect(code).toBe(1);
    expect(err).toContain(`${join(root, 'data', 'cat', 'flat.csv')}:2: expected 2 fields`);
  });
});

describe('bench:nab: table', () => {
  it('ranks every detector by standard score, with per-profile ranks', () => {
    const rows = rankRows(
      'ours',
      [70, 60, 80],
      new Map([
        ['a', [75, 50, 85]],
        ['b', [10, 65, 20]],
      ] as const),
    );
    expect(rows.map((r) => r.detector)).toEqual(['a', 'ours', 'b']);
    const text = formatTable(rows);
    expect(text.split('\n')[3]).toMatch(/^2 {2}ours \* +70\.00 \(2\) +60\.00 \(2\) +80\.00 \(2\)$/);
    expect(text.split('\n')[4]).toMatch(/65\.00 \(1\)/);
  });
});

describe('bench:nab: shared realAWSCloudwatch subset', () => {
  it.skipIf(!existsSync(join(DEFAULT_DATA_ROOT, 'labels', 'combined_windows.json')))(
    'scores all 17 files in under 5 s, beating the best published detector on every profile',
    () => {
      const { code, out } = capture(() => main(['--json']));
      expect(code).toBe(0);
      const result = JSON.parse(out);
      expect(result).toMatchObject({ files: 17, windows: 30 });
      expect(result.seconds).toBeLessThan(5);
      // Best published on this subset: numenta 73.42 / 68.75 / 76.72.
      expect(result.scores.standard).toBeGreaterThan(73.42);
      expect(result.scores.reward_low_FP_rate).toBeGreaterThan(68.75);
      expect(result.scores.reward_low_FN_rate).toBeGreaterThan(76.72);
    },
  );
});
