// Runs `serveCommand` as the CLI would, for serve-command.test.ts: `serve-child.ts CONFIG`.
import { serveCommand } from '../../src/cli/serve.ts';

process.exitCode = await serveCommand({ config: process.argv[2], port: 0 });
