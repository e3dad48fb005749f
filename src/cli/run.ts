// `newsmirror run -c FILE`: one pass over every channel; a progress bar on a terminal, one summary line at the end.
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../config/load.ts';
import { ConfigError, errorMessage, PublishError } from '../internal/errors.ts';
import { createLogger, inert } from '../internal/log.ts';
import { createHttpClient } from '../pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../pipeline/run.ts';
import { openStore } from '../store/index.ts';
import { limitHeapGrowth } from './heap.ts';
import { handleStopSignals } from './stop.ts';

export interface RunCommandOptions {
  config: string;
  push?: boolean;
  wait?: boolean;
  logJson?: boolean;
  quiet?: boolean;
  /** Debug lines, and the run's stage times at the end. */
  verbose?: boolean;
}

/**
 * `run`'s exit codes beyond 0 (done) and 2 (bad config or usage): 1 is a partial run whose work is otherwise
 * done (some articles failed and are retried next run, or another run holds the lock and does the work); 3 is a
 * broken run an operator must look at (a channel or a push failed, or the run itself failed). CI shows 1 as a
 * warning and 3 as a failed job.
 */
export const EXIT_ARTICLES_FAILED = 1;
export const EXIT_RUN_FAILED = 3;

export async function runCommand(options: RunCommandOptions): Promise<number> {
  limitHeapGrowth();
  const loaded = loadConfig(options.config);
  const log = createLogger({
    level: options.quiet ? 'error' : options.verbose ? 'debug' : 'info',
    json: options.logJson,
  });
  // A store that cannot be opened (damaged, unreadable) fails the run as any other run failure: exit 3, not 1.
  const store = await openStore(loaded).catch((error: unknown) => {
    process.stderr.write(`newsmirror: ${inert(errorMessage(error))}\n`);
    return null;
  });
  if (store === null) return EXIT_RUN_FAILED;
  const http = createHttpClient(loaded.config.fetch, { sites: loaded.config.sites });
  const bar =
    process.stderr.isTTY && !options.quiet && !options.logJson
      ? new SingleBar({
          format: 'articles [{bar}] {value}/{total}',
          stream: process.stderr,
          clearOnComplete: true,
        })
      : undefined;
  const stop = handleStopSignals(log, 'run');
  try {
    const summary = await runMirror({
      loaded,
      store,
      http,
      log,
      push: options.push,
      waitForLock: options.wait,
      signal: stop.stop,
      abandon: stop.abandon,
      onProgress: bar
        ? (done, total) => {
            if (done === 0) bar.start(total, 0);
            else bar.update(done);
            if (done === total) bar.stop();
          }
        : undefined,
    });
    bar?.stop();
    for (const failure of summary.failures) {
      process.stderr.write(
        // Messages and URLs can carry page text: written inert, no terminal escape reaches the operator's screen.
        `failed: ${inert(failure.url)}: ${inert(failure.message)}${failure.retryable ? ' (retried next run)' : ''}\n`,
      );
    }
    for (const failure of summary.channelFailures) {
      process.stderr.write(
        `channel failed: ${failure.siteId}/${failure.channelId}: ${inert(failure.message)}\n`,
      );
    }
    for (const warning of summary.channelWarnings) {
      process.stderr.write(
        `channel warning: ${warning.siteId}/${warning.channelId}: ${inert(warning.message)}\n`,
      );
    }
    process.stdout.write(`${formatSummary(summary, loaded.mirrorDir)}\n`);
    if (summary.channelFailures.length > 0 || summary.pushes.some((push) => !push.ok)) return EXIT_RUN_FAILED;
    return summary.failed > 0 ? EXIT_ARTICLES_FAILED : 0;
  } catch (error) {
    const locked = error instanceof PublishError && error.code === 'locked';
    if (error instanceof ConfigError || locked) throw error;
    process.stderr.write(`newsmirror: ${inert(errorMessage(error))}\n`);
    return EXIT_RUN_FAILED;
  } finally {
    stop.dispose();
    await http.close();
    await store.close();
  }
}

export function formatSummary(summary: RunSummary, mirrorDir: string): string {
  const pushes = summary.pushes.map((push) => `${push.remote} ${push.ok ? 'ok' : 'FAILED'}`).join(', ');
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `new ${summary.new}, updated ${summary.updated}, failed ${summary.failed}, skipped ${summary.skipped},`,
    `channels failed ${summary.channelFailures.length}`,
    summary.channelWarnings.length > 0
      ? `(${summary.channelWarnings.length} with far fewer links than usual)`
      : '',
    `in ${summary.seconds.toFixed(1)} s`,
    `(unchanged ${summary.unchanged};`,
    summary.revisited > 0 ? `revisited ${summary.revisited}, retracted ${summary.retracted};` : '',
    `images ${summary.images.mirrored} new, ${summary.images.failed} failed;`,
    `written pages ${kb(summary.bytesWritten.pages)}, images ${kb(summary.bytesWritten.images)};`,
    `${summary.fallbacks.length > 0 ? `${summary.fallbacks.length} fell back to the generic extractor; ` : ''}`,
    `commit ${summary.commit ? summary.commit.slice(0, 10) : 'none'}${pushes ? `; push ${pushes}` : ''}) -> ${mirrorDir}`,
  ]
    .filter(Boolean)
    .join(' ');
}
