#!/usr/bin/env node
// The `newsmirror` command. Runs the CLI from a bundle of the TypeScript sources (bin/bundle.js: rebuilt when a
// source changes), so no build step is needed after `npm ci` and no TypeScript loader sits in memory; where the
// bundle cannot be built, it loads the sources through tsx.
import { packageBundle } from './bundle.js';

const bundled = await packageBundle('cli');
let main;
try {
  if (bundled) ({ main } = await import(bundled));
} catch {
  // A bundle that does not load (a build left incomplete): the sources themselves still run.
}
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
