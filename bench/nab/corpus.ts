import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type NabSeries, parseNabCsv } from './data-csv.js';
import { NabInputError } from './errors.js';
import type { RowWindow } from './scorer.js';
import { type LabelWindow, parseWindowsJson } from './windows-json.js';

/** One data file of a NAB-layout root, with its windows as rows. */
export interface CorpusFile {
  /** NAB's key, `<category>/<file>.csv`. */
  readonly key: string;
  readonly category: string;
  /** File name, e.g. `ec2_cpu_utilization_24ae8d.csv`. */
  readonly fileName: string;
  readonly path: string;
  readonly series: NabSeries;
  readonly windows: readonly RowWindow[];
}

/**
 * Maps labelled windows onto rows. As NAB does, a window starts at the first row stamped with its
 * start and ends at the first row (from there on) stamped with its end; rows are matched by
 * position, so duplicate stamps (a DST change) are harmless. A window whose ends are not row
 * stamps is widened to the rows it covers; one that covers no row fails, naming the windows file.
 */
export function windowRows(
  timesMs: readonly number[],
  windows: readonly LabelWindow[],
  windowsFile: string,
  key: string,
): RowWindow[] {
  const rows: RowWindow[] = [];
  let from = 0;
  for (const w of windows) {
    let start = timesMs.indexOf(w.startMs, from);
    if (start < 0) start = timesMs.findIndex((t, i) => i >= from && t >= w.startMs);
    let end = start < 0 ? -1 : timesMs.indexOf(w.endMs, start);
    if (end < 0 && start >= 0) {
      end = start - 1;
      while (end + 1 < timesMs.length && (timesMs[end + 1] as number) <= w.endMs) end++;
    }
    if (start < 0 || end < start) {
      throw new NabInputError(
        windowsFile,
        w.line,
        `"${key}": window [${w.start}, ${w.end}] covers no row of the data`,
      );
    }
    rows.push({ startRow: start, endRow: end });
    from = end + 1;
  }
  return rows;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new NabInputError(path, undefined, `cannot read: ${(error as Error).message}`, { cause: error });
  }
}

/** Paths of a NAB-layout root: `data/<category>/*.csv` and `labels/combined_windows.json`. */
export function corpusPaths(root: string): { dataDir: string; windowsFile: string } {
  return { dataDir: join(root, 'data'), windowsFile: join(root, 'labels', 'combined_windows.json') };
}

/** Reads every data file of a NAB-layout root (sorted by key) with its windows. */
export function loadCorpus(root: string): CorpusFile[] {
  const { dataDir, windowsFile } = corpusPaths(root);
  const windowsByFile = parseWindowsJson(readText(windowsFile), windowsFile);
  let categories: string[];
  try {
    categories = readdirSync(dataDir)
      .filter((c) => statSync(join(dataDir, c)).isDirectory())
      .sort();
  } catch (error) {
    throw new NabInputError(dataDir, undefined, `cannot list data directory: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const files: CorpusFile[] = [];
  for (const category of categories) {
    const names = readdirSync(join(dataDir, category))
      .filter((n) => n.endsWith('.csv'))
      .sort();
    for (const fileName of names) {
      const key = `${category}/${fileName}`;
      const path = join(dataDir, category, fileName);
      const series = parseNabCsv(readText(path), path);
      const labelled = windowsByFile.get(key);
      if (labelled === undefined) {
        throw new NabInputError(windowsFile, undefined, `no windows entry for "${key}" (use [] for none)`);
      }
      files.push({
        key,
        category,
        fileName,
        path,
        series,
        windows: windowRows(series.timesMs, labelled, windowsFile, key),
      });
    }
  }
  if (files.length === 0) throw new NabInputError(dataDir, undefined, 'no data/<category>/*.csv files found');
  return files;
}
