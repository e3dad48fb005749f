#!/usr/bin/env node
// The `newsmirror` command: runs the CLI built into dist/ by `npm run build` (also run by `npm ci` and `npm pack`).
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const cli = new URL('../dist/cli.mjs', import.meta.url);
if (args[0] === '--version' || args[0] === '-V') {
  // Answered before loading the CLI and all its dependencies, so it is about as quick as Node itself.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else if (!existsSync(cli)) {
  process.stderr.write('newsmirror: dist/ is missing; run npm run build\n');
  process.exitCode = 2;
} else {
  const { main } = await import(cli.href);
  process.exitCode = await main(args);
}
