// One pass of the mirror, top to bottom:
//   sources -> fetch -> extract -> transform -> render -> publish
// Each step is a function in steps/; the per-article work (fetch, extract, images) is the job in job/, whose result
// the single writer applies. This file only says the order. See README.md beside it for who may import whom.
import type { LoadedConfig } from '../config/load.ts';
import type { Logger } from '../internal/log.ts';
import { createStageTimes, logStageTimes, type StageTimes } from '../internal/stage-times.ts';
import type { Store } from '../store/index.ts';
import { abandonable } from './fetch/abandon.ts';
import type { HttpClient } from './fetch/client.ts';
import { createMirrorWriter } from './steps/apply-result.ts';
import { moveToArchive, pushArchives, type Retained } from './steps/archive.ts';
import { noChanges } from './steps/changes.ts';
import { recordChannelHealth } from './steps/channel-health.ts';
import { discoverChannels } from './steps/discover.ts';
import {
  addUnrendered,
  jobPortsOf,
  mirrorArticles,
  openJobs,
  retryFailedImages,
  timedWriter,
} from './steps/mirror-articles.ts';
import { eventsOf, notifyWebhook } from './steps/notify.ts';
import { openMirror, requireMirrorPresent, startRunRecord } from './steps/open-mirror.ts';
import { withPageWorkers } from './steps/page-workers.ts';
import { planArticles } from './steps/plan.ts';
import { commitRun, confirmCommitted, pushToRemotes } from './steps/publish.ts';
import {
  renderChanges,
  renderEverything,
  renderedFilesWriter,
  WRITE_BATCH_FILES,
} from './steps/render-changes.ts';
import { commitMessage, emptySummary, formatTime, type RunSummary } from './steps/summary.ts';

export type { ArticleFailure, RunSummary } from './steps/summary.ts';

export interface RunOptions {
  loaded: LoadedConfig;
  store: Store;
  http: HttpClient;
  log: Logger;
  /** Push to the configured remotes after committing (default true). */
  push?: boolean;
  /** Wait for another run's lock instead of failing at once. */
  waitForLock?: boolean;
  now?: () => Date;
  /** Called as articles finish, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Stop taking new articles (SIGTERM): finish the ones in flight, then render, commit and push. */
  signal?: AbortSignal;
  /** Give up the fetches in flight (a stop's grace is over): their articles are left to the next run. */
  abandon?: AbortSignal;
  /** Rendered files written per batch (default WRITE_BATCH_FILES; tests make it small to cross batch boundaries). */
  writeBatchFiles?: number;
}

export async function runMirror(options: RunOptions): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  // Where the time went, logged at debug level (`run --verbose`) however the run ends.
  const times = createStageTimes();
  try {
    return await runSteps(options, {
      http: options.abandon ? abandonable(options.http, options.abandon) : options.http,
      now,
      startedAt: now(),
      startedMs: Date.now(),
      summary: emptySummary(),
      times,
    });
  } finally {
    logStageTimes(times, options.log);
  }
}

interface RunState {
  http: HttpClient;
  now: () => Date;
  startedAt: Date;
  startedMs: number;
  summary: RunSummary;
  times: StageTimes;
}

async function runSteps(options: RunOptions, state: RunState): Promise<RunSummary> {
  const { loaded, store, log } = options;
  const { config, mirrorDir } = loaded;
  const { http, now, startedAt, startedMs, summary, times } = state;
  const mirror = await times.step('open', async () => {
    await requireMirrorPresent(loaded, store.articles);
    return openMirror(loaded, store.runs, log, { wait: options.waitForLock });
  });
  try {
    const runId = await startRunRecord(store.runs, mirror, startedAt, log);

    // 1. sources: what each channel lists now.
    const discovery = await times.step('sources', async () => {
      const found = await discoverChannels(config, http, store, log);
      summary.channelFailures = found.channelFailures;
      await recordChannelHealth(config, found, store.channelHealth, summary, startedAt, log);
      return found;
    });

    // 2. plan: what is new, signalled as changed, or failed before.
    const plan = await times.step('plan', () => planArticles(config, store, discovery, log, startedAt));
    summary.unchanged += plan.unchanged;
    summary.skipped += plan.skipped;

    const changes = noChanges();
    const output = renderedFilesWriter(mirrorDir, summary, times);
    let retained: Retained | undefined;
    const rendered = await withPageWorkers(
      config,
      log,
      async (workers) => {
        // 3. fetch + extract + images: one job per article; the writer stores each result as it arrives.
        //    With `queue:` the jobs run on worker processes, their images come through a shared folder.
        await times.step('mirror', async () => {
          const { blobs, queue } = openJobs(loaded, log);
          try {
            const writer = createMirrorWriter({
              config,
              mirrorDir,
              store,
              blobs,
              summary,
              changes,
              log,
              now,
            });
            const jobs = {
              config,
              store,
              ports: jobPortsOf(http, workers, store, blobs, times),
              writer: timedWriter(writer, times),
              signal: options.signal,
              onProgress: options.onProgress,
              queue: queue && { jobs: queue, runId },
            };
            await retryFailedImages(jobs, changes);
            await mirrorArticles(plan, jobs);
          } finally {
            await queue?.close();
          }
          await addUnrendered(store, changes);
        });

        // 4-5. transform + render what changed, written in batches as it is ready.
        const batchFiles = options.writeBatchFiles ?? WRITE_BATCH_FILES;
        const render = { config, mirrorDir, store, workers, log, batchFiles, times };
        return times.step('render', async () => {
          // With `mirror.keep`, pages beyond it go to the archive (committed there) before the main mirror renders.
          retained = await moveToArchive(render, changes, now(), output);
          return renderChanges({ ...render, placement: retained?.placement }, changes, now(), output);
        });
      },
      times,
    );

    // 6. publish: one commit, then what may be recorded only once committed, then every remote.
    summary.commit = await times.step('commit', () =>
      commitRun(mirror.git, changes, {
        message: commitMessage(startedAt, summary),
        wholeTree: mirror.unfinishedRuns.length > 0,
        renderedPaths: rendered > 0 ? output.paths : new Set(),
      }),
    );
    await times.step('confirm', () =>
      confirmCommitted(store, changes, options.signal?.aborted ? undefined : discovery.validators),
    );
    if (options.push !== false) {
      await times.step('push', async () => {
        summary.pushes = await pushToRemotes(mirror.git, config, store.remotes, log, now);
        await pushArchives(retained, log);
      });
    }

    summary.seconds = (Date.now() - startedMs) / 1000;
    await times.step('finish', async () => {
      await store.runs.finish(runId, {
        finishedAt: now().toISOString(),
        newCount: summary.new,
        updated: summary.updated,
        failed: summary.failed,
        skipped: summary.skipped,
        commit: summary.commit ?? undefined,
        bytes: summary.bytesWritten.pages + summary.bytesWritten.images + summary.bytesWritten.other,
      });
      // 7. notify: a webhook hears of broken and recovered channels and failed pushes (a stopping run waits less).
      await notifyWebhook(config, eventsOf(summary), summary, now(), log, stopping(options));
    });
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await notifyWebhook(config, [{ type: 'run_failed', message }], undefined, now(), log, stopping(options));
    throw error;
  } finally {
    await mirror.release();
  }
}

/** A stopping run (SIGTERM) gives the webhook at most this long, to stay within its stop time. */
const STOPPING_WEBHOOK_MS = 2000;

function stopping(options: RunOptions): number | undefined {
  return options.signal?.aborted ? STOPPING_WEBHOOK_MS : undefined;
}

export interface RebuildOptions {
  loaded: LoadedConfig;
  store: Store;
  log: Logger;
  commit?: boolean;
  now?: () => Date;
}

/** Re-render every page, index and feed from the store (after a template or config change); no fetching. */
export async function rebuildMirror(
  options: RebuildOptions,
): Promise<{ pages: number; files: number; commit: string | null }> {
  const { loaded, store, log } = options;
  const { config, mirrorDir } = loaded;
  const now = (options.now ?? (() => new Date()))();
  // The whole tree is committed: the temp files a killed run (of any version) left must not go in with it.
  const mirror = await openMirror(loaded, store.runs, log, { sweepTempFiles: true });
  try {
    const output = renderedFilesWriter(mirrorDir);
    const pages = await withPageWorkers(config, log, async (workers) => {
      const render = { config, mirrorDir, store, workers, log, batchFiles: WRITE_BATCH_FILES };
      const retained = await moveToArchive(render, 'everything', now, output);
      return renderEverything({ ...render, placement: retained?.placement }, now, output);
    });
    const commit = options.commit === false ? null : await mirror.git.commitAll(`重建于: ${formatTime(now)}`);
    log.info(`rebuilt ${pages} pages; ${output.written} files changed`, { commit: commit ?? undefined });
    return { pages, files: output.written, commit };
  } finally {
    await mirror.release();
  }
}
