/**
 * `npm run bench:nab [-- --data DIR] [--out DIR] [--threshold X] [--json]`: scores the streaming
 * detector on a NAB-layout corpus (default: the shared realAWSCloudwatch subset), optimises one
 * threshold per profile on it (or alarms at a fixed one), and prints the normalised scores beside
 * the published detectors', and per category when the corpus has several.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreSeries } from '../../lambdas/core/detector/index.js';
import { type CorpusFile, loadCorpus } from './corpus.js';
import { NabBenchError, NabUsageError } from './errors.js';
import { type PublishedScores, parsePublishedScores } from './published.js';
import { type FileToScore, PROFILE_NAMES, type ProfileName, scoreAt, scoreCorpus } from './scorer.js';
import { type CategoryResult, formatCategories, formatTable, rankRows } from './table.js';

/** Name of this detector in results files and the table. */
export const DETECTOR_NAME = 'micromotion';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared NAB copy, next to the repository. */
export const DEFAULT_DATA_ROOT = resolve(REPO_ROOT, '..', 'shared', 'data', 'nab');

const USAGE = `usage: npm run bench:nab -- [--data DIR] [--out DIR] [--threshold X] [--json]
  --data DIR      NAB-layout root (data/<category>/*.csv, labels/combined_windows.json); default ${DEFAULT_DATA_ROOT}
                  (a checkout of github.com/numenta/NAB scores all of NAB's 58 files)
  --out DIR       write NAB results files <category>/${DETECTOR_NAME}_<file>.csv (timestamp,value,anomaly_score)
  --threshold X   alarm at score X in [0, 1] for every profile instead of NAB's optimised thresholds
                  (0.4: the detector's alarm level, where the Detect handler counts a signal fully anomalous)
  --json          print one JSON object instead of the table`;

/** A plain decimal number (no sign, hex, blanks or words): `0.4`, `.5`, `1`, `4e-1`. */
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

export interface BenchOptions {
  readonly dataRoot: string;
  readonly outDir: string | undefined;
  /** Alarm level for every profile; `undefined`: optimise per profile, as NAB does. */
  readonly threshold: number | undefined;
  readonly json: boolean;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  let dataRoot = DEFAULT_DATA_ROOT;
  let outDir: string | undefined;
  let threshold: number | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') {
        throw new NabUsageError(
          `${flag} needs ${flag === '--threshold' ? 'a score' : 'a directory'}\n${USAGE}`,
        );
      }
      return v;
    };
    if (flag === '--data') dataRoot = resolve(value());
    else if (flag === '--out') outDir = resolve(value());
    else if (flag === '--threshold') {
      const text = value();
      threshold = DECIMAL.test(text) ? Number(text) : Number.NaN;
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new NabUsageError(`--threshold "${text}" is not a score in [0, 1]\n${USAGE}`);
      }
    } else if (flag === '--json') json = true;
    else throw new NabUsageError(`unknown option "${arg}"\n${USAGE}`);
  }
  return { dataRoot, outDir, threshold, json };
}

/** Result of one benchmark run, as printed by `--json`. */
export interface BenchResult {
  readonly detector: string;
  readonly files: number;
  readonly windows: number;
  readonly scores: Record<ProfileName, number>;
  readonly thresholds: Record<ProfileName, number>;
  readonly seconds: number;
  /** Only when the corpus has more than one category. */
  readonly categories?: Record<string, CategoryResult>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs the detector over every file (timed) and scores the corpus. */
export function runBench(
  corpus: readonly CorpusFile[],
  fixedThreshold?: number,
): { result: BenchResult; scores: number[][] } {
  const started = performance.now();
  const scores = corpus.map((f) =>
    scoreSeries(f.series.timesMs.map((t, i) => ({ t, v: f.series.values[i] as number }))),
  );
  const seconds = (performance.now() - started) / 1000;
  const files: FileToScore[] = corpus.map((f, i) => ({
    name: f.key,
    scores: scores[i] as number[],
    windows: f.windows,
  }));
  const profiles = scoreCorpus(files, fixedThreshold);
  const pick = (get: (p: (typeof profiles)[number]) => number) =>
    Object.fromEntries(profiles.map((p) => [p.profile, get(p)])) as Record<ProfileName, number>;
  const categoryNames = [...new Set(corpus.map((f) => f.category))];
  const byCategory = (category: string): CategoryResult => {
    const own = files.filter((_, i) => corpus[i]?.category === category);
    const results = profiles.map((p) => scoreAt(own, p.profile, p.threshold));
    return {
      files: own.length,
      windows: results[0]?.tally.windows ?? 0,
      detected: results[0]?.tally.tpCount ?? 0,
      falseAlarms: results[0]?.tally.fpCount ?? 0,
      scores: Object.fromEntries(results.map((r) => [r.profile, round2(r.score)])) as Record<
        ProfileName,
        number
      >,
    };
  };
  return {
    result: {
      detector: DETECTOR_NAME,
      files: corpus.length,
      windows: profiles[0]?.tally.windows ?? 0,
      scores: pick((p) => round2(p.score)),
      thresholds: pick((p) => p.threshold),
      seconds: Math.round(seconds * 1000) / 1000,
      ...(categoryNames.length > 1
        ? { categories: Object.fromEntries(categoryNames.map((c) => [c, byCategory(c)])) }
        : {}),
    },
    scores,
  };
}

/** Writes NAB results files: one row per data row, in order. */
export function writeResults(
  outDir: string,
  corpus: readonly CorpusFile[],
  scores: readonly number[][],
): void {
  corpus.forEach((f, i) => {
    const dir = join(outDir, f.category);
    mkdirSync(dir, { recursive: true });
    const fileScores = scores[i] as number[];
    const rows = f.series.timestamps.map((t, r) => `${t},${f.series.valueTexts[r]},${fileScores[r]}`);
    writeFileSync(
      join(dir, `${DETECTOR_NAME}_${f.fileName}`),
      `timestamp,value,anomaly_score\n${rows.join('\n')}\n`,
    );
  });
}

function readPublished(dataRoot: string): PublishedScores {
  const file = join(dataRoot, 'published-scores.json');
  return existsSync(file) ? parsePublishedScores(readFileSync(file, 'utf8'), file) : new Map();
}

export function main(argv: readonly string[]): number {
  try {
    const options = parseArgs(argv);
    const corpus = loadCorpus(options.dataRoot);
    const published = readPublished(options.dataRoot);
    const { result, scores } = runBench(corpus, options.threshold);
    if (options.outDir !== undefined) writeResults(options.outDir, corpus, scores);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const ours = PROFILE_NAMES.map((p) => result.scores[p]) as [number, number, number];
    const lines = [
      `NAB ${options.dataRoot}: ${result.files} files, ${result.windows} windows, scored in ${result.seconds.toFixed(2)} s`,
      options.threshold === undefined
        ? `thresholds: ${PROFILE_NAMES.map((p) => `${p} ${result.thresholds[p].toFixed(4)}`).join(', ')}`
        : `threshold: ${options.threshold} for every profile (fixed, not optimised)`,
      '',
      formatTable(rankRows(DETECTOR_NAME, ours, published)),
      '',
      published.size > 0
        ? `* this run${options.threshold === undefined ? '' : ' at a fixed threshold'}; published scores from published-scores.json (same subset, thresholds optimised on it); (n) = rank per profile`
        : '* this run; no published-scores.json in the data root',
    ];
    if (result.categories !== undefined) {
      lines.push(
        '',
        'by category, at the thresholds above (windows detected and false-alarm rows at the standard one):',
        formatCategories(result.categories),
      );
    }
    if (options.outDir !== undefined) lines.push(`results written to ${options.outDir}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof NabBenchError) {
      process.stderr.write(`bench:nab: ${error.message}\n`);
      return error instanceof NabUsageError ? 2 : 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
