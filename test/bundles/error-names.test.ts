import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { stackBuildOptions } from '../../bench/loop/handler-imports.js';

/**
 * Step Functions matches Retry/Catch on the error name Lambda reports, which is `error.name`
 * in the bundle that runs — so the names must survive bundling and minification.
 */
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'micromotion-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Bundles: error names', () => {
  it('keeps the named errors of a handler bundled as NodejsFunction bundles it', async () => {
    const outfile = join(dir, 'detect', 'index.mjs');
    await build({
      ...stackBuildOptions(root),
      entryPoints: [join(root, 'lambdas/handlers/detect.ts')],
      outfile,
    });
    const { handler } = (await import(pathToFileURL(outfile).href)) as {
      handler: (e: unknown) => Promise<unknown>;
    };

    await expect(handler({ bogus: 1 })).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});
