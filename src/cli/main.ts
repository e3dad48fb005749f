// The `newsmirror` command line: one file per command; this file only parses arguments and maps errors to exit codes
// (0 done, 1 some articles failed, 2 bad config or usage).
import { Command, CommanderError } from 'commander';
import { ConfigError, errorMessage } from '../internal/errors.ts';
import { checkCommand } from './check.ts';
import { extractCommand } from './extract.ts';
import { initCommand } from './init.ts';
import { rebuildCommand } from './rebuild.ts';
import { runCommand } from './run.ts';

export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('newsmirror')
    .description('Mirror news sites into git repositories and static sites that censored readers can reach.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('run')
    .description('one pass: discover, fetch what is new, render, commit, push')
    .requiredOption('-c, --config <file>', 'newsmirror.yaml')
    .option('--no-push', 'commit but do not push')
    .option('--wait', 'wait for a run already in progress instead of exiting')
    .option('--log-json', 'log JSON lines on stderr')
    .option('-q, --quiet', 'only the summary line and errors')
    .action(async (options) => {
      exitCode = await runCommand(options);
    });

  program
    .command('extract')
    .description('extract articles from saved pages or URLs (raw bytes in, charset detected)')
    .argument('<inputs...>', 'files or http(s) URLs')
    .option('--url <base>', 'the URL the file was saved from (resolves relative links)')
    .option('--format <format>', 'json | markdown | text', 'json')
    .action(async (inputs: string[], options) => {
      exitCode = await extractCommand(inputs, options);
    });

  program
    .command('rebuild')
    .description('re-render every page, index and feed from the store, without fetching')
    .requiredOption('-c, --config <file>', 'newsmirror.yaml')
    .option('--no-commit', 'write files but do not commit')
    .action(async (options) => {
      exitCode = await rebuildCommand(options);
    });

  program
    .command('check')
    .description(
      'fetch a few recent articles per channel and report site rules that no longer match (exit 1)',
    )
    .requiredOption('-c, --config <file>', 'newsmirror.yaml')
    .option('--per-channel <n>', 'articles checked per channel', '3')
    .option('--site <id...>', 'only these sites')
    .action(async (options) => {
      exitCode = await checkCommand(options);
    });

  program
    .command('init')
    .description('write a commented starter newsmirror.yaml')
    .option('-o, --output <file>', 'where to write it', 'newsmirror.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (options) => {
      exitCode = await initCommand(options);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`newsmirror: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`newsmirror: ${errorMessage(error)}\n`);
    return EXIT_SOME_FAILED;
  }
}
