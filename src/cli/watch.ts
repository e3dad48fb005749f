// `newsmirror watch -c FILE --every 1h [--jitter 5m]`: `run` on a schedule in one long-lived process, with
// per-site backoff; SIGTERM or SIGINT stops the run in flight as stop.ts says (commit and push), then exits 0.
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { createLogger } from '../internal/log.ts';
import { createHttpClient } from '../pipeline/fetch/client.ts';
import { runMirror } from '../pipeline/run.ts';
import { observeSites, parseDuration, watchLoop } from '../pipeline/watch.ts';
import { openStore } from '../store/index.ts';
import { limitHeapGrowth } from './heap.ts';
import { formatSummary } from './run.ts';
import { handleStopSignals } from './stop.ts';

export interface WatchCommandOptions {
  config: string;
  every: string;
  jitter?: string;
  logJson?: boolean;
  quiet?: boolean;
}

/** Exit codes: 0 stopped by a signal (after finishing the run in flight), 2 bad config or usage. */
export async function watchCommand(options: WatchCommandOptions): Promise<number> {
  limitHeapGrowth();
  const everyMs = parseDuration(options.every);
  if (everyMs === null || everyMs <= 0) {
    throw new ConfigError(
      `watch: --every ${JSON.stringify(options.every)} is not a duration such as 1h, 30m or 90s`,
      {
        code: 'bad_duration',
        where: '--every',
        retryable: false,
      },
    );
  }
  const jitterMs = options.jitter === undefined ? 0 : parseDuration(options.jitter);
  if (jitterMs === null) {
    throw new ConfigError(`watch: --jitter ${JSON.stringify(options.jitter)} is not a duration such as 5m`, {
      code: 'bad_duration',
      where: '--jitter',
      retryable: false,
    });
  }
  const loaded = loadConfig(options.config);
  const log = createLogger({ level: options.quiet ? 'warn' : 'info', json: options.logJson });
  const store = await openStore(loaded);
  const http = createHttpClient(loaded.config.fetch, { sites: loaded.config.sites });
  const stop = handleStopSignals(log, 'watch');
  log.info(
    `watch: every ${options.every}${jitterMs ? ` (+ up to ${options.jitter} jitter)` : ''} -> ${loaded.mirrorDir}`,
  );
  try {
    await watchLoop({
      everyMs,
      jitterMs,
      sites: loaded.config.sites.map((site) => site.id),
      signal: stop.stop,
      log,
      async runOnce(skip, signal) {
        const observed = observeSites(http, loaded.config, skip);
        const summary = await runMirror({
          loaded,
          store,
          http: observed,
          log,
          signal,
          abandon: stop.abandon,
        });
        for (const failure of summary.failures) {
          log.warn(
            `failed: ${failure.url}: ${failure.message}${failure.retryable ? ' (retried next run)' : ''}`,
          );
        }
        process.stdout.write(`${formatSummary(summary, loaded.mirrorDir)}\n`);
        return { failedSites: observed.failedSites() };
      },
    });
    log.info('watch: stopped');
    return 0;
  } finally {
    stop.dispose();
    await http.close();
    await store.close();
  }
}
