// Step 3, mirror articles: the per-article job for each planned URL, a few at a time, each result handed to the
// single writer as it arrives. Also the retry of images that failed in earlier runs, and the pages an interrupted
// run stored but never rendered.
import PQueue from 'p-queue';
import type { Config } from '../../config/options.ts';
import type { Store } from '../../store/index.ts';
import type { HttpClient } from '../fetch/client.ts';
import { type ArticleJobPorts, runArticleJob } from '../job/article-job.ts';
import type { BlobStore } from '../job/blobs.ts';
import { mirrorImages } from '../job/images.ts';
import type { ArticleJobInput } from '../job/types.ts';
import type { PageWorkers } from '../threads/page-workers.ts';
import type { MirrorWriter } from './apply-result.ts';
import { addRender, type Changes, rewriteChannel } from './changes.ts';
import type { Plan, PlannedArticle } from './plan.ts';

/** Images that failed in earlier runs, tried again per run: bounded so a dead image host cannot stall a run. */
const MAX_IMAGE_RETRIES_PER_RUN = 100;

/** The ports every job of one run shares: its HTTP client, the extraction workers, one image cache. */
export function jobPortsOf(
  http: HttpClient,
  workers: PageWorkers,
  store: Store,
  blobs: BlobStore,
): ArticleJobPorts {
  return {
    http,
    blobs,
    extract: (page, options) => workers.extract(page, options),
    isMirrored: async (src) => (await store.images.get(src)) !== undefined,
    tried: new Map(),
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
    site: { id: site.id, base: site.base, articleId: site.articleId, rules: site.rules, lang: site.lang },
    images: config.mirror.images,
    maxImageBytes: config.fetch.maxImageBytes,
    validators,
  };
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
}

export async function mirrorArticles(plan: Plan, context: MirrorArticlesContext): Promise<void> {
  const { config, store, ports, writer } = context;
  // Memberships of articles already mirrored: a new channel listing an old article is an index change only.
  for (const { article, channels } of plan.memberships) await writer.applyMembership(article, channels);

  let done = 0;
  const total = plan.work.length;
  context.onProgress?.(0, total);
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

/** Images that failed before, mirrored now: the pages showing them are rendered again with the picture. */
export async function retryFailedImages(context: MirrorArticlesContext, changes: Changes): Promise<void> {
  if (context.config.mirror.images !== 'mirror') return;
  const failed = (await context.store.images.listFailed()).slice(0, MAX_IMAGE_RETRIES_PER_RUN);
  const outcomes = await mirrorImages(
    failed.map((failure) => failure.src),
    context.config.fetch.maxImageBytes,
    context.ports,
  );
  for (const src of await context.writer.applyImages(outcomes)) {
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
