import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { HANDLER_BUNDLING } from '../../lib/handler-bundling.js';
import { HANDLER_CATALOG, type HandlerId } from '../../lib/handler-catalog.js';
import { median, runChild } from './child.js';
import { LoopBenchChildError } from './errors.js';

/** The feature flag that makes `NodejsFunction` leave `@smithy/*` external as well. */
const SMITHY_EXTERNAL_FLAG = '@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages';

/** The function environment's `NODE_OPTIONS` in `lib/control-plane-stack.ts`. */
export const HANDLER_NODE_OPTIONS = '--enable-source-maps';

/** Imports the bundle named by the first argument and prints the milliseconds the import took. */
const COLD_IMPORT_SCRIPT = `
const started = performance.now();
const mod = await import(process.argv[1]);
const millis = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle does not export handler');
process.stdout.write(String(millis));
`;

export interface HandlerImport {
  readonly id: HandlerId;
  readonly bundleKB: number;
  readonly importMillis: readonly number[];
  readonly medianMillis: number;
}

/**
 * `NodejsFunction`'s externals for NODEJS_24_X: none when the stack bundles the SDK
 * (`HANDLER_BUNDLING.bundleAwsSDK`); otherwise `@aws-sdk/*` (and `@smithy/*` under the
 * `sdkV3ExcludeSmithyPackages` feature flag), which the runtime provides.
 */
export function stackExternalModules(repoRoot: string): string[] {
  if (HANDLER_BUNDLING.bundleAwsSDK) return [];
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context?.[SMITHY_EXTERNAL_FLAG] === true ? ['@aws-sdk/*', '@smithy/*'] : ['@aws-sdk/*'];
}

/** The esbuild options `NodejsFunction` derives from the stack's bundling (`HANDLER_BUNDLING`). */
export function stackBuildOptions(repoRoot: string): BuildOptions {
  return {
    bundle: true,
    absWorkingDir: repoRoot,
    target: HANDLER_BUNDLING.target,
    platform: 'node',
    format: HANDLER_BUNDLING.format,
    minify: HANDLER_BUNDLING.minify,
    keepNames: HANDLER_BUNDLING.keepNames,
    sourcemap: HANDLER_BUNDLING.sourceMap,
    external: stackExternalModules(repoRoot),
    banner: { js: HANDLER_BUNDLING.banner },
    mainFields: [...HANDLER_BUNDLING.mainFields],
    logLevel: 'warning',
  };
}

/** Bundles one handler to `<dir>/<id>/index.mjs` (the name `NodejsFunction` gives an ESM bundle). */
async function bundleHandler(repoRoot: string, dir: string, id: HandlerId, entry: string): Promise<string> {
  const outfile = join(dir, id, 'index.mjs');
  await build({ ...stackBuildOptions(repoRoot), entryPoints: [join(repoRoot, entry)], outfile });
  return outfile;
}

/** Imports `bundle` in a fresh `node` process and returns the milliseconds of the import. */
async function coldImportMillis(bundle: string): Promise<number> {
  const { stdout } = await runChild(
    process.execPath,
    ['--input-type=module', '-e', COLD_IMPORT_SCRIPT, pathToFileURL(bundle).href],
    { cwd: tmpdir(), env: { ...process.env, NODE_OPTIONS: HANDLER_NODE_OPTIONS } },
  );
  const millis = Number(stdout);
  if (!Number.isFinite(millis)) throw new LoopBenchChildError(`cold import of ${bundle} printed '${stdout}'`);
  return millis;
}

/**
 * Bundles every catalog handler into a temporary directory and times `spawns` cold imports of
 * each, one process at a time. The directory gets a `node_modules` link to the repository's, so
 * the external `@aws-sdk/*` imports resolve there (standing in for the runtime's copy); it is
 * removed afterwards.
 */
export async function timeHandlerImports(
  repoRoot: string,
  spawns: number,
  onHandler: (h: HandlerImport) => void,
): Promise<HandlerImport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'micromotion-bench-loop-'));
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const results: HandlerImport[] = [];
    for (const spec of HANDLER_CATALOG) {
      mkdirSync(join(dir, spec.id));
      const bundle = await bundleHandler(repoRoot, dir, spec.id, spec.entry);
      const importMillis: number[] = [];
      for (let i = 0; i < spawns; i++) importMillis.push(await coldImportMillis(bundle));
      const result = {
        id: spec.id,
        bundleKB: statSync(bundle).size / 1024,
        importMillis,
        medianMillis: median(importMillis),
      };
      onHandler(result);
      results.push(result);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
