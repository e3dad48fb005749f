// The kill test's child: `node bin/run-ts.js harness/kill-test/child.ts CONFIG`. Loads the built CLI (dist/, as
// `newsmirror` runs it: its page workers start from plain JavaScript, not through tsx) and says "ready", then runs
// `newsmirror run -c CONFIG -q` when told "go", so the kill's delay counts from the run's start.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: kill-test/child.ts CONFIG');
const built = new URL('../../dist/cli.mjs', import.meta.url);
if (!existsSync(built)) throw new Error('kill test: dist/ is missing; run npm run build first');
const { main } = (await import(built.href)) as { main: (argv: string[]) => Promise<number> };
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'go') break;
}
lines.close();
process.exitCode = await main(['run', '-c', configFile, '-q']);
process.stdin.destroy();
