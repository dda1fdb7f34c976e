/**
 * How the control plane's handlers are bundled: one source of truth for the `NodejsFunction`s
 * and for `bench:loop`, which bundles them the same way to time their cold import.
 *
 * The AWS SDK is bundled rather than taken from the runtime, pinned to the versions tested here
 * (every handler carries the clients the shared runtime wires, ~600 KB minified). Measured on this repository, the
 * `detect` bundle imported cold in ~60–90 ms with the SDK bundled against ~190–280 ms with
 * `@aws-sdk/*` loaded from outside the bundle (`npm run bench:loop`).
 */
export const HANDLER_BUNDLING = {
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  minify: true,
  // Error class names are the workflow's Retry/Catch contract (and what the ledger records):
  // minification must not rename them.
  keepNames: true,
  sourceMap: true,
  bundleAwsSDK: true,
} as const;
