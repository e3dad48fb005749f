// `newsmirror status -c FILE [--json]`: is the mirror healthy? The last run, each channel's health, the failures
// waiting for a retry, the age of the newest article and the pushes, read from the store (nothing is fetched).
// Exit codes as `run`'s, so a monitor can run it: 0 healthy, 1 some articles wait for a retry, 3 something an
// operator must look at (a channel or push failing, the last run killed), 2 bad config or no store.
import { loadConfig } from '../config/load.ts';
import { ConfigError, errorMessage } from '../internal/errors.ts';
import { inert } from '../internal/log.ts';
import { collectHealth, type HealthReport } from '../server/health.ts';
import { openStore, storeExists } from '../store/index.ts';
import { EXIT_ARTICLES_FAILED, EXIT_RUN_FAILED } from './run.ts';

export interface StatusCommandOptions {
  config: string;
  json?: boolean;
}

export async function statusCommand(options: StatusCommandOptions): Promise<number> {
  const loaded = loadConfig(options.config);
  if (!storeExists(loaded)) {
    throw new ConfigError(`status: no store at ${loaded.storePath} yet: run \`newsmirror run\` first`, {
      code: 'no_store',
      where: loaded.storePath,
      retryable: false,
    });
  }
  // A store that exists but cannot be opened or read (damaged, unreadable, database down) is something an
  // operator must look at: 3, as `run` gives for it, not main's catch-all 1 that means "articles to retry".
  const store = await openStore(loaded).catch((error: unknown) => {
    process.stderr.write(`newsmirror status: ${inert(errorMessage(error))}\n`);
    return null;
  });
  if (store === null) return EXIT_RUN_FAILED;
  try {
    const report = await collectHealth(store, loaded.config);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    return statusExitCode(report);
  } catch (error) {
    process.stderr.write(
      `newsmirror status: cannot read the store at ${loaded.storePath}: ${inert(errorMessage(error))}\n`,
    );
    return EXIT_RUN_FAILED;
  } finally {
    await store.close();
  }
}

export function statusExitCode(report: HealthReport): number {
  const outcome = report.lastRun?.outcome;
  if (
    outcome === 'killed' ||
    report.channels.some((channel) => channel.consecutiveFailures > 0) ||
    report.pushes.some((push) => !push.ok)
  ) {
    return EXIT_RUN_FAILED;
  }
  return report.failures.retrying > 0 ? EXIT_ARTICLES_FAILED : 0;
}

/** '35 min ago', '3.2 h ago', '4.0 d ago'. */
export function ago(at: string | undefined, now: string): string {
  if (at === undefined) return 'never';
  const seconds = Math.max(0, (Date.parse(now) - Date.parse(at)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h ago`;
  return `${(seconds / 86400).toFixed(1)} d ago`;
}

export function formatStatus(report: HealthReport): string {
  const { at } = report;
  const lines: string[] = [];
  const run = report.lastRun;
  if (!run) {
    lines.push('last run: none yet');
  } else {
    const when =
      run.status === 'running' ? `started ${ago(run.startedAt, at)}` : `finished ${ago(run.finishedAt, at)}`;
    const took = run.seconds === undefined ? '' : ` in ${run.seconds.toFixed(1)} s`;
    lines.push(
      `last run #${run.id}: ${run.outcome}, ${when}${took} (${run.startedAt}): new ${run.newCount ?? 0}, ` +
        `updated ${run.updated ?? 0}, failed ${run.failed ?? 0}, skipped ${run.skipped ?? 0}, ` +
        `commit ${run.commit ? run.commit.slice(0, 10) : 'none'}`,
    );
  }
  lines.push(`channels (${report.channels.length}):`);
  for (const channel of report.channels) {
    const name = `${channel.siteId}/${channel.channelId}`;
    const links =
      channel.lastLinks === undefined
        ? ''
        : `, ${channel.lastLinks} links last read (usually ${channel.usualLinks})`;
    if (channel.neverRead) {
      lines.push(`  ${name}: not read yet, ${channel.articles} articles`);
    } else if (channel.consecutiveFailures > 0) {
      lines.push(
        `  ${name}: FAILING ${channel.consecutiveFailures} run(s) in a row, last ${ago(channel.lastFailureAt, at)}: ` +
          `${inert(channel.lastError ?? '')}; last success ${ago(channel.lastSuccessAt, at)}, ${channel.articles} articles`,
      );
    } else {
      const failed = channel.lastFailureAt ? `; last failure ${ago(channel.lastFailureAt, at)}` : '';
      lines.push(
        `  ${name}: ok ${ago(channel.lastSuccessAt, at)}${links}, ${channel.articles} articles${failed}`,
      );
    }
  }
  const { failures } = report;
  lines.push(
    `failures: ${failures.retrying} article(s) retried next run, ${failures.givenUp} given up, ` +
      `${failures.images} image(s) to retry`,
  );
  for (const failure of failures.oldest) {
    lines.push(
      `  ${inert(failure.url)}: ${failure.code}, ${failure.attempts} attempt(s) since ${failure.firstAt}` +
        `${failure.retryable ? '' : ' (given up)'}: ${inert(failure.message)}`,
    );
  }
  lines.push(
    report.newest
      ? `newest article: ${ago(report.newest.at, at)} (${report.newest.at}), ${inert(report.newest.title)} (${report.newest.path}); ${report.articles} in all`
      : 'newest article: none yet',
  );
  for (const push of report.pushes) {
    lines.push(
      push.ok
        ? `push ${push.remote}: ok ${ago(push.lastAttemptAt, at)}`
        : `push ${push.remote}: FAILING ${push.consecutiveFailures} time(s), last ${ago(push.lastAttemptAt, at)}: ${inert(push.error ?? '')}; last success ${ago(push.lastSuccessAt, at)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
