// Step 3, mirror articles: the per-article job for each planned URL, a few at a time, each result handed to the
// single writer as it arrives. Also the retry of images that failed in earlier runs, and the pages an interrupted
// run stored but never rendered.
import { resolve } from 'node:path';
import PQueue from 'p-queue';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/options.ts';
import type { Logger } from '../../internal/log.ts';
import type { StageTimes } from '../../internal/stage-times.ts';
import type { Store } from '../../store/index.ts';
import { isStopped } from '../fetch/abandon.ts';
import type { HttpClient } from '../fetch/client.ts';
import { type ArticleJobPorts, runArticleJob } from '../job/article-job.ts';
import { type BlobStore, createMemoryBlobStore } from '../job/blobs.ts';
import { createDiskBlobStore } from '../job/disk-blobs.ts';
import { mirrorImages } from '../job/images.ts';
import type { ArticleJobInput, ArticleJobResult } from '../job/types.ts';
import { type ArticleQueue, openArticleQueue } from '../queue/article-queue.ts';
import type { PageWorkers } from '../threads/page-workers.ts';
import type { MirrorWriter } from './apply-result.ts';
import { addRender, type Changes, rewriteChannel } from './changes.ts';
import type { Plan, PlannedArticle } from './plan.ts';

/** Images that failed in earlier runs, tried again per run: bounded so a dead image host cannot stall a run. */
const MAX_IMAGE_RETRIES_PER_RUN = 100;

/**
 * Where a run's jobs go: with `queue:`, to the workers through Redis, their images through the shared blob folder;
 * without, this process and memory.
 */
export function openJobs(loaded: LoadedConfig, log: Logger): { blobs: BlobStore; queue?: ArticleQueue } {
  const queue = loaded.config.queue;
  if (!queue) return { blobs: createMemoryBlobStore() };
  return {
    blobs: createDiskBlobStore(resolve(loaded.baseDir, queue.blobs)),
    queue: openArticleQueue(queue, log),
  };
}

/** The ports every job of one run shares: its HTTP client, the extraction workers, one image cache. */
export function jobPortsOf(
  http: HttpClient,
  workers: PageWorkers,
  store: Store,
  blobs: BlobStore,
  times?: StageTimes,
): ArticleJobPorts {
  return {
    http,
    blobs,
    extract: (page, options) => workers.extract(page, options),
    isMirrored: async (src) => (await store.images.get(src)) !== undefined,
    tried: new Map(),
    onTime: times && ((part, startedAt) => times.span(part, 'articles', startedAt)),
  };
}

/** `writer` with the time each article's store write takes counted as the run's `store` part. */
export function timedWriter(writer: MirrorWriter, times: StageTimes): MirrorWriter {
  return {
    ...writer,
    applyArticle: (planned, result) =>
      times.timed('store', 'articles', () => writer.applyArticle(planned, result)),
  };
}

/** Plain data for one article's job (what a queue would carry). */
export function jobInputOf(
  planned: PlannedArticle,
  config: Config,
  validators: ArticleJobInput['validators'],
) {
  const { site } = planned;
  const input: ArticleJobInput = {
    url: planned.url,
    site: {
      id: site.id,
      base: site.base,
      articleId: site.articleId,
      rules: site.rules,
      lang: site.lang,
      pages: site.pages,
    },
    images: config.mirror.images,
    maxImageBytes: config.fetch.maxImageBytes,
    validators,
  };
  // A page without a date of its own keeps the date it was stored with, else takes its listing's (the home
  // channel's comes first in the signal): a sitemap's lastmod moving on must not move the article.
  const listedPublished = planned.existing?.published ?? planned.signal.published?.split('\n')[0];
  if (listedPublished) input.listedPublished = listedPublished;
  return input;
}

export interface MirrorArticlesContext {
  config: Config;
  store: Store;
  ports: ArticleJobPorts;
  writer: MirrorWriter;
  /** Stop taking new articles (SIGTERM): the ones in flight finish. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** With `queue:` configured: the jobs run on worker processes, and this run's id names them. */
  queue?: { jobs: ArticleQueue; runId: number };
}

export async function mirrorArticles(plan: Plan, context: MirrorArticlesContext): Promise<void> {
  const { config, store, ports, writer } = context;
  // Memberships of articles already mirrored: a new channel listing an old article is an index change only.
  for (const { article, channels } of plan.memberships) await writer.applyMembership(article, channels);

  let done = 0;
  const total = plan.work.length;
  context.onProgress?.(0, total);
  if (context.queue) {
    const planned = new Map(plan.work.map((article) => [article.url, article]));
    const inputs: ArticleJobInput[] = [];
    for (const article of plan.work) {
      const validators = article.existing ? await store.fetchCache.get(article.url) : undefined;
      inputs.push(jobInputOf(article, config, validators));
    }
    await context.queue.jobs.run(
      context.queue.runId,
      inputs,
      async (result) => {
        const article = planned.get(result.url);
        if (!article) return;
        await writer.applyArticle(article, result);
        context.onProgress?.(++done, total);
      },
      context.signal,
    );
    return;
  }
  // Articles start only as slots free up, so a stop signal leaves the ones not yet started to the next run.
  const queue = new PQueue({ concurrency: config.fetch.concurrency });
  // allSettled: even if applying a result throws, every article has stopped before the run goes on (and before
  // the lock is released).
  const settled = await Promise.allSettled(
    plan.work.map((planned) =>
      queue.add(async () => {
        if (context.signal?.aborted) return;
        try {
          const validators = planned.existing ? await store.fetchCache.get(planned.url) : undefined;
          const result = await runArticleJob(jobInputOf(planned, config, validators), ports);
          // Abandoned by a stop: nothing is stored, so the next run does the article as if it were never tried.
          if (stoppedIn(result)) return;
          await writer.applyArticle(planned, result);
        } finally {
          context.onProgress?.(++done, total);
        }
      }),
    ),
  );
  const crashed = settled.find((result) => result.status === 'rejected');
  if (crashed) throw crashed.reason;
}

/** Whether a stop abandoned the fetch of the job's page. (An image it abandoned is recorded as failed, retryable:
 * the next run's retryFailedImages fetches it and renders the page again.) */
function stoppedIn(result: ArticleJobResult): boolean {
  return result.kind === 'failed' && isStopped(result.failure);
}

/** Images that failed before, mirrored now: the pages showing them are rendered again with the picture. */
export async function retryFailedImages(context: MirrorArticlesContext, changes: Changes): Promise<void> {
  if (context.config.mirror.images !== 'mirror') return;
  const failed = (await context.store.images.listFailed()).slice(0, MAX_IMAGE_RETRIES_PER_RUN);
  const outcomes = await mirrorImages(
    failed.map((failure) => failure.src),
    context.config.fetch.maxImageBytes,
    context.ports,
  );
  // An image a stop abandoned keeps its earlier failure record, unchanged.
  const tried = outcomes.filter((outcome) => !isStopped(outcome));
  for (const src of await context.writer.applyImages(tried)) {
    for (const key of await context.store.pageRefs.referencing(src, 'image')) addRender(changes, key);
  }
}

/** Articles an interrupted run stored but never rendered and committed: their pages and indexes are redone. */
export async function addUnrendered(store: Store, changes: Changes): Promise<void> {
  for (const key of await store.articles.listUnrendered()) {
    if (!addRender(changes, key)) continue;
    for (const channelId of await store.channels.of(key.siteId, key.id)) rewriteChannel(changes, channelId);
  }
}
