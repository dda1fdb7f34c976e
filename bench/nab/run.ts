/**
 * `npm run bench:nab [-- --data DIR] [--out DIR] [--json]`: scores the streaming detector on a
 * NAB-layout corpus (default: the shared realAWSCloudwatch subset), optimises one threshold per
 * profile on it, and prints the normalised scores beside the published detectors'.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreSeries } from '../../lambdas/core/detector/index.js';
import { type CorpusFile, loadCorpus } from './corpus.js';
import { NabBenchError, NabUsageError } from './errors.js';
import { type PublishedScores, parsePublishedScores } from './published.js';
import { type FileToScore, PROFILE_NAMES, type ProfileName, scoreCorpus } from './scorer.js';
import { formatTable, rankRows } from './table.js';

/** Name of this detector in results files and the table. */
export const DETECTOR_NAME = 'micromotion';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared NAB copy, next to the repository. */
export const DEFAULT_DATA_ROOT = resolve(REPO_ROOT, '..', 'shared', 'data', 'nab');

const USAGE = `usage: npm run bench:nab -- [--data DIR] [--out DIR] [--json]
  --data DIR  NAB-layout root (data/<category>/*.csv, labels/combined_windows.json); default ${DEFAULT_DATA_ROOT}
  --out DIR   write NAB results files <category>/${DETECTOR_NAME}_<file>.csv (timestamp,value,anomaly_score)
  --json      print one JSON object instead of the table`;

export interface BenchOptions {
  readonly dataRoot: string;
  readonly outDir: string | undefined;
  readonly json: boolean;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  let dataRoot = DEFAULT_DATA_ROOT;
  let outDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new NabUsageError(`${flag} needs a directory\n${USAGE}`);
      return v;
    };
    if (flag === '--data') dataRoot = resolve(value());
    else if (flag === '--out') outDir = resolve(value());
    else if (flag === '--json') json = true;
    else throw new NabUsageError(`unknown option "${arg}"\n${USAGE}`);
  }
  return { dataRoot, outDir, json };
}

/** Result of one benchmark run, as printed by `--json`. */
export interface BenchResult {
  readonly detector: string;
  readonly files: number;
  readonly windows: number;
  readonly scores: Record<ProfileName, number>;
  readonly thresholds: Record<ProfileName, number>;
  readonly seconds: number;
}

/** Runs the detector over every file (timed) and scores the corpus. */
export function runBench(corpus: readonly CorpusFile[]): { result: BenchResult; scores: number[][] } {
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
  const profiles = scoreCorpus(files);
  const pick = (get: (p: (typeof profiles)[number]) => number) =>
    Object.fromEntries(profiles.map((p) => [p.profile, get(p)])) as Record<ProfileName, number>;
  return {
    result: {
      detector: DETECTOR_NAME,
      files: corpus.length,
      windows: profiles[0]?.tally.windows ?? 0,
      scores: pick((p) => Math.round(p.score * 100) / 100),
      thresholds: pick((p) => p.threshold),
      seconds: Math.round(seconds * 1000) / 1000,
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
    const { result, scores } = runBench(corpus);
    if (options.outDir !== undefined) writeResults(options.outDir, corpus, scores);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const ours = PROFILE_NAMES.map((p) => result.scores[p]) as [number, number, number];
    const lines = [
      `NAB ${options.dataRoot}: ${result.files} files, ${result.windows} windows, scored in ${result.seconds.toFixed(2)} s`,
      `thresholds: ${PROFILE_NAMES.map((p) => `${p} ${result.thresholds[p].toFixed(4)}`).join(', ')}`,
      '',
      formatTable(rankRows(DETECTOR_NAME, ours, published)),
      '',
      published.size > 0
        ? '* this run; published scores from published-scores.json (same subset, thresholds optimised on it); (n) = rank per profile'
        : '* this run; no published-scores.json in the data root',
    ];
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
