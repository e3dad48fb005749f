// The `newsmirror` command line: one file per command, each loaded only when it runs (so `--help` or `extract` does
// not load the store, git, sharp and the server); this file only parses arguments and maps errors to exit codes
// (0 done, 1 some articles failed, 2 bad config or usage; `run` and `status` add 3, a channel, a push or the run failed: run.ts).
import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { ConfigError, errorMessage } from '../internal/errors.ts';
import { GITHUB_ACTIONS_WORKFLOW_PATH } from './init-github-actions.ts';

export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

/** Where commands look for their config when `-c` is not given. */
export const DEFAULT_CONFIG_FILE = 'newsmirror.yaml';
const CONFIG_HELP = `newsmirror.yaml (default: ./${DEFAULT_CONFIG_FILE} when present)`;

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('newsmirror')
    .description('Mirror news sites into git repositories and static sites that censored readers can reach.')
    .version(packageJson.version)
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, command) => {
      // `-c` may be left out beside a ./newsmirror.yaml, as tools read their config from the working folder.
      if (!command.options.some((option) => option.long === '--config') || command.opts().config) return;
      if (!existsSync(DEFAULT_CONFIG_FILE)) {
        throw new ConfigError(
          `${command.name()}: no config: pass -c FILE, or run it where ./${DEFAULT_CONFIG_FILE} is (newsmirror init writes one)`,
          { code: 'config_missing', retryable: false },
        );
      }
      command.setOptionValue('config', DEFAULT_CONFIG_FILE);
    });

  program
    .command('run')
    .description('one pass: discover, fetch what is new, render, commit, push')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--no-push', 'commit but do not push')
    .option('--wait', 'wait for a run already in progress instead of exiting')
    .option('--log-json', 'log JSON lines on stderr')
    .option('-q, --quiet', 'only the summary line and errors')
    .option('-v, --verbose', 'debug lines too, and where the time went: one `stage` line per step at the end')
    .action(async (options) => {
      exitCode = await (await import('./run.ts')).runCommand(options);
    });

  program
    .command('worker')
    .description("run the article jobs of the config's queue (Redis) until SIGTERM; `run` stays the writer")
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--concurrency <n>', 'jobs at once (default fetch.concurrency)')
    .option('--log-json', 'log JSON lines on stderr')
    .option('-q, --quiet', 'only errors')
    .action(async (options) => {
      exitCode = await (await import('./worker.ts')).workerCommand(options);
    });

  program
    .command('extract')
    .description('extract articles from saved pages or URLs (raw bytes in, charset detected)')
    .argument('<inputs...>', 'files or http(s) URLs')
    .option('--url <base>', 'the URL the file was saved from (resolves relative links)')
    .option('--format <format>', 'json | markdown | text', 'json')
    .option(
      '--pages <pages>',
      'articles (listings and collections give no article, with the reason) | any (main content of any page)',
      'articles',
    )
    .option(
      '--threads <n>',
      'threads extracting several inputs, this one included (default: one per core but one)',
    )
    .action(async (inputs: string[], options) => {
      exitCode = await (await import('./extract.ts')).extractCommand(inputs, options);
    });

  program
    .command('rebuild')
    .description('re-render every page, index and feed from the store, without fetching')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--no-commit', 'write files but do not commit')
    .action(async (options) => {
      exitCode = await (await import('./rebuild.ts')).rebuildCommand(options);
    });

  program
    .command('recover')
    .description('rebuild a lost or damaged store from the mirror (pages, indexes, feed, git history)')
    .option('-c, --config <file>', CONFIG_HELP)
    .action(async (options) => {
      exitCode = await (await import('./recover.ts')).recoverCommand(options);
    });

  program
    .command('check')
    .description(
      'fetch a few recent articles per channel and report site rules that no longer match (exit 1)',
    )
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--per-channel <n>', 'articles checked per channel', '3')
    .option('--site <id...>', 'only these sites')
    .action(async (options) => {
      exitCode = await (await import('./check.ts')).checkCommand(options);
    });

  program
    .command('watch')
    .description('run on a schedule (with jitter and per-site backoff) until SIGTERM')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--every <duration>', 'time between runs, e.g. 1h, 30m', '1h')
    .option('--jitter <duration>', 'random delay added to each wait, e.g. 5m')
    .option('--log-json', 'log JSON lines on stderr')
    .option('-q, --quiet', 'only summary lines and errors')
    .action(async (options) => {
      exitCode = await (await import('./watch.ts')).watchCommand(options);
    });

  program
    .command('status')
    .description('is the mirror healthy: last run, each channel, failures, newest article (exit 0, 1 or 3)')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--json', 'the same as JSON')
    .action(async (options) => {
      exitCode = await (await import('./status.ts')).statusCommand(options);
    });

  program
    .command('site')
    .description('write the mirror as a static HTML site (mobile first, no JavaScript)')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--out <dir>', 'output folder (default: <mirror dir>-site)')
    .option('--force', 're-render every page, not only changed ones')
    .action(async (options) => {
      exitCode = await (await import('./site.ts')).siteCommand(options);
    });

  program
    .command('bundle')
    .description('articles of a period as one EPUB book or self-contained HTML, for reading offline')
    .option('-c, --config <file>', CONFIG_HELP)
    .requiredOption('--format <format>', 'epub | html')
    .requiredOption(
      '--out <path>',
      'the .epub file; for html a .html file, or a folder for one file per article',
    )
    .option('--channel <id>', 'only this channel (default: every channel, by channel)')
    .option('--since <day>', 'first day, YYYY-MM-DD (UTC)')
    .option('--until <day>', 'last day, YYYY-MM-DD (UTC)')
    .action(async (options) => {
      exitCode = await (await import('./bundle.ts')).bundleCommand(options);
    });

  program
    .command('serve')
    .description('preview the mirror as the git host renders it, count views (privately), show stats')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--port <n>', 'port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (options) => {
      exitCode = await (await import('./serve.ts')).serveCommand(options);
    });

  program
    .command('stats')
    .description('the most viewed pages per channel')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--days <n>', 'over the last N days', '7')
    .action(async (options) => {
      exitCode = await (await import('./stats.ts')).statsCommand({
        config: options.config,
        days: Number(options.days),
      });
    });

  program
    .command('size')
    .description("report the mirror's size: files and bytes per folder, articles, git history")
    .option('-c, --config <file>', CONFIG_HELP)
    .action(async (options) => {
      exitCode = await (await import('./size.ts')).sizeCommand(options);
    });

  program
    .command('init')
    .description('write a commented starter newsmirror.yaml (or, with --github-actions, an hourly workflow)')
    .option('-o, --output <file>', 'where to write it (default newsmirror.yaml, or the workflow path)')
    .option('--github-actions', `write ${GITHUB_ACTIONS_WORKFLOW_PATH} instead: hourly run, commit and push`)
    .option('--force', 'overwrite an existing file')
    .option('--repo <url>', 'with --github-actions: the git repository to install newsmirror from')
    .option('--ref <commit>', "with --github-actions: the commit to pin (default: this clone's HEAD)")
    .action(async (options) => {
      exitCode = options.githubActions
        ? await (await import('./init-github-actions.ts')).writeGithubActionsWorkflow(
            options.output ?? GITHUB_ACTIONS_WORKFLOW_PATH,
            options.force,
            {
              repo: options.repo,
              ref: options.ref,
            },
          )
        : await (await import('./init.ts')).initCommand({
            output: options.output ?? 'newsmirror.yaml',
            force: options.force,
          });
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
