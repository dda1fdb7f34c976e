/**
 * `npm run bench:loop [-- --runs N] [--json]`: measures issue 2's targets for the local loop:
 * the wall time of `npm start` (in process N times, and once as a user runs it), the cold import
 * of each handler bundle built as `NodejsFunction` builds it, and the happy path's state transitions.
 * Progress goes to stderr; the report (or one JSON object) to stdout.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoopBenchError, LoopBenchUsageError } from './errors.js';
import { HANDLER_NODE_OPTIONS, stackExternalModules, timeHandlerImports } from './handler-imports.js';
import { NPM_START, timeInProcess, timeNpmStart } from './loop-timing.js';
import { buildResult, formatReport } from './report.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Fresh processes per handler bundle; the median is reported. */
const IMPORT_SPAWNS = 5;

const USAGE = `usage: npm run bench:loop -- [--runs N] [--json]
  --runs N  in-process runs of the default scenario (default 3)
  --json    print one JSON object instead of the table`;

export interface LoopBenchOptions {
  readonly runs: number;
  readonly json: boolean;
}

export function parseArgs(argv: readonly string[]): LoopBenchOptions {
  let runs = 3;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--json') json = true;
    else if (flag === '--runs') {
      const text = inline ?? argv[++i];
      runs = Number(text);
      if (!Number.isInteger(runs) || runs < 1) {
        throw new LoopBenchUsageError(`--runs needs a whole number ≥ 1; got '${text ?? ''}'\n${USAGE}`);
      }
    } else throw new LoopBenchUsageError(`unknown option "${arg}"\n${USAGE}`);
  }
  return { runs, json };
}

const progress = (text: string) => process.stderr.write(`bench:loop: ${text}\n`);

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    // As bin/cli.ts does: the SDK warns on Node < 22 at client creation.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const inProcess = await timeInProcess(options.runs, (i, s) =>
      progress(`in-process run ${i}/${options.runs}: ${s.toFixed(2)} s`),
    );
    const command = NPM_START.join(' ');
    const npmStartSeconds = await timeNpmStart(REPO_ROOT);
    progress(`${command}: ${npmStartSeconds.toFixed(2)} s`);
    const handlers = await timeHandlerImports(REPO_ROOT, IMPORT_SPAWNS, (h) =>
      progress(`cold import ${h.id}: ${h.importMillis.map((ms) => ms.toFixed(0)).join(', ')} ms`),
    );
    const bundling = { externalModules: stackExternalModules(REPO_ROOT), nodeOptions: HANDLER_NODE_OPTIONS };
    const result = buildResult({ command, wallSeconds: npmStartSeconds }, inProcess, bundling, handlers);
    process.stdout.write(`${options.json ? JSON.stringify(result) : formatReport(result)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof LoopBenchError) {
      process.stderr.write(`bench:loop: ${error.message}\n`);
      return error instanceof LoopBenchUsageError ? 2 : 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
