// The kill test's child: `node bin/run-ts.js harness/kill-test/child.ts CONFIG`. Loads the CLI first and says
// "ready", then runs `newsmirror run -c CONFIG -q` when told "go", so the kill's delay counts from the run's start.
import { createInterface } from 'node:readline';
import { main } from '../../src/cli/main.ts';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: kill-test/child.ts CONFIG');
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'go') break;
}
lines.close();
process.exitCode = await main(['run', '-c', configFile, '-q']);
process.stdin.destroy();
